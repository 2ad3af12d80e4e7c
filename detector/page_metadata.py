"""A page's title, author, site name, description and URL, found by trafilatura's own metadata extractors.

trafilatura's ``extract_metadata`` also collects categories, tags and a licence, which this tool never reads
(3.4 ms a page, about a tenth of an audit worker's time), and always runs htmldate for a date that
``detector.pubdate`` only needs when the markup states none. This module runs the same extractors in the
same order for the fields the tool reads, and leaves the date to ``publication_day``, asked only when
needed. ``tests/test_extract.py`` checks the fields against ``extract_metadata`` itself, so a change in
trafilatura shows up there.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from htmldate import find_date
from lxml.html import HtmlElement
from trafilatura.metadata import (META_URL, examine_meta, extract_author, extract_meta_json, extract_sitename,
                                  extract_title, extract_url)

__all__ = ["PageMetadata", "page_metadata", "publication_day"]

_LOG = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PageMetadata:
    """The metadata fields an Article takes from trafilatura (None when the page states nothing)."""

    title: str | None
    author: str | None
    sitename: str | None
    description: str | None
    url: str | None


def page_metadata(tree: HtmlElement, default_url: str | None) -> PageMetadata:
    """Title, author, site name, description and URL as ``trafilatura.metadata.extract_metadata`` gives them.

    The steps are trafilatura's, in its order: meta tags, then JSON-LD, then the title, author, URL and site
    name fallbacks, then its trimming. The tree is only read (the author search prunes its own copy).
    """
    found = examine_meta(tree)
    if found.author and " " not in found.author:  # trafilatura drops one-word authors from meta tags
        found.author = None
    try:
        found = extract_meta_json(tree, found)
    except Exception as err:  # noqa: BLE001 - trafilatura guards its JSON-LD parser the same way
        _LOG.debug("JSON-LD metadata failed: %s", err)
    if not found.title:
        found.title = extract_title(tree)
    if not found.author:
        found.author = extract_author(tree)
    if not found.url:
        found.url = extract_url(tree, default_url)
    if not found.sitename:
        found.sitename = extract_sitename(tree)
    if found.sitename:
        found.sitename = found.sitename.lstrip("@")
        if found.sitename and "." not in found.sitename and not found.sitename[0].isupper():
            found.sitename = found.sitename.title()
    elif found.url:
        match = META_URL.match(found.url)
        if match:
            found.sitename = match[1]
    found.clean_and_trim()
    return PageMetadata(title=found.title or None, author=found.author or None, sitename=found.sitename or None,
                        description=found.description or None, url=found.url or None)


def publication_day(tree: HtmlElement, url: str | None, params: dict[str, Any]) -> str | None:
    """htmldate's date for the page (``YYYY-MM-DD``), as trafilatura's metadata pass would find it."""
    return find_date(tree, **{**params, "url": url})
