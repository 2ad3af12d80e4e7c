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
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from htmldate import find_date
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.metadata import (META_URL, examine_meta, extract_meta_json, extract_sitename, extract_title,
                                  extract_url, normalize_authors)
from trafilatura.utils import trim

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
    name fallbacks, then its trimming. The tree is only read.
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
        found.author = author_in_markup(tree)
    if not found.url:
        found.url = extract_url(tree, default_url)
    if not found.sitename:
        found.sitename = _site_name_part(extract_sitename(tree))
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


#: A title part that names a site by its address ("Example.com", "news.example.org | Home"). trafilatura takes the
#: first title part holding a dot for the site's name, and a headline of two sentences holds one too ("Starosta
#: Horní Lhoty rezignoval. Kvůli sporu o prodej obecního lesa | Deník Podhradí"): the headline read as the site's
#: name, and a copy repeating it as crediting the site (an outside probe's uncredited Czech copy, 0.61, no farm).
_DOMAIN_IN_TITLE = re.compile(r"(?<![\w.])[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w.])")
_SITENAME_MAX_WORDS = 4


def _site_name_part(part: str | None) -> str | None:
    """``part`` when it is short enough for a site's name ("WEISSER RING e. V.", "ProNATs e.V.") or holds a
    site's address, else None (a headline)."""
    if part and (len(part.split()) <= _SITENAME_MAX_WORDS or _DOMAIN_IN_TITLE.search(part)):
        return part
    return None


def publication_day(tree: HtmlElement, url: str | None, params: dict[str, Any]) -> str | None:
    """htmldate's date for the page (``YYYY-MM-DD``), as trafilatura's metadata pass would find it."""
    return find_date(tree, **{**params, "url": url})


AUTHOR_CHARS = 120  # trafilatura's length limit for an author found in the markup

# trafilatura's three author XPaths (``trafilatura.metadata.AUTHOR_XPATHS``, 2.x) test attributes and tag names
# only. libxml2 runs each over every element, calling back into Python for every ``re:test`` (6-9 ms on a large
# page). Here the attribute values are read as plain strings, one C-level call per attribute; only the few
# elements whose value could satisfy a predicate become candidates, the three predicates are tested on them in
# Python, in document order. ``tests/test_extract.py`` holds the result to ``extract_author`` itself.
_BLOCKS_1 = frozenset("a address div link p span strong".split())
_BLOCKS_2 = frozenset("a div h3 h4 p span".split())
_CLASS_1 = re.compile("author-?name|AuthorName|authorName")
_CLASS_2 = re.compile("author|channel-name|zuozhe|bianji|xiaobian|submitted-by|posted-by|journalist-name")
_CLASS_3 = re.compile("[Aa]uthor|screenname|writer|[Bb]yline")
_ID_2 = re.compile("author|zuozhe|bianji|xiaobian")
_ID_3 = re.compile("[Aa]uthor")
#: attribute -> whether one of its values may satisfy some author predicate.
_CANDIDATE_VALUE: dict[str, Callable[[str], bool]] = {
    "class": lambda v: bool(_CLASS_2.search(v) or _CLASS_3.search(v)) or v in ("username", "byl", "BBL"),
    "id": lambda v: bool(_ID_2.search(v) or _ID_3.search(v)),
    "itemprop": lambda v: "author" in v,
    "rel": lambda v: v == "author",
    "data-testid": lambda v: v in ("AuthorCard", "AuthorURL"),
    "data-component": lambda v: "Byline" in v,
}
_VALUES = {name: etree.XPath(f"//@{name}", smart_strings=False) for name in _CANDIDATE_VALUE}
_CARRIERS = {name: etree.XPath(f"//*[@{name}]") for name in _CANDIDATE_VALUE}
_AUTHOR_TAGS = etree.XPath("//author")
_REL_ME = etree.XPath("//*[rel='me']")  # a child element <rel> reading "me": trafilatura's XPath says so
_HAS_REL_ME = etree.XPath("boolean(rel = 'me')")
_IN_ORDER = etree.XPath("$nodes | $nodes")


def _author_1(el: HtmlElement) -> bool:
    if el.tag == "author":
        return True
    if el.tag not in _BLOCKS_1:
        return False
    get = el.get
    return (get("rel") == "author" or get("id") == "author" or get("class") == "author"
            or get("itemprop") == "author name" or get("data-testid") in ("AuthorCard", "AuthorURL")
            or bool(_CLASS_1.search(get("class") or "")) or bool(_HAS_REL_ME(el)))


def _author_2(el: HtmlElement) -> bool:
    if el.tag not in _BLOCKS_2:
        return False
    cls = el.get("class")
    return (cls in ("byline", "username", "byl", "BBL") or "author" in (el.get("itemprop") or "")
            or bool(_ID_2.search(el.get("id") or "")) or bool(_CLASS_2.search(cls or "")))


def _author_3(el: HtmlElement) -> bool:
    return ("Byline" in (el.get("data-component") or "") or "author" in (el.get("itemprop") or "")
            or bool(_ID_3.search(el.get("id") or "")) or bool(_CLASS_3.search(el.get("class") or "")))


def _candidates(tree: HtmlElement) -> list[HtmlElement]:
    """Elements that may match one of the author XPaths, in document order."""
    found: list[HtmlElement] = []
    for name, may_match in _CANDIDATE_VALUE.items():
        values = _VALUES[name](tree)
        hits = {v for v in set(values) if may_match(v)}
        if hits:
            found += [el for el, v in zip(_CARRIERS[name](tree), values) if v in hits]
    found += _AUTHOR_TAGS(tree)
    if tree.find(".//rel") is not None:
        found += _REL_ME(tree)
    return _IN_ORDER(tree, nodes=found) if found else []


_DISCARD_TAGS = frozenset(("a", "div", "section", "span"))
_DISCARD_ID = re.compile("^comments|comment-?list|ProductReviews")
_DISCARD_CLASS = re.compile("^[Cc]omments|commentlist|comments-list|sidebar|is-hidden|quote|embedly-instagram|"
                            "article-(?:share|support)|print|category|meta-date|meta-reviewer")


def _discarded(el: HtmlElement, root: HtmlElement) -> bool:
    """Whether trafilatura's author search deletes ``el`` (``AUTHOR_DISCARD_XPATHS``: comment sections, titles,
    dates, sidebars, quotes, share and print boxes, figures, ``time``), tested on this one element."""
    tag = el.tag
    if tag in ("time", "figure"):
        return True
    if tag not in _DISCARD_TAGS or el is root:  # the first XPath is relative (.//*): never the root itself
        return False
    ident, cls = el.get("id"), el.get("class")
    return (ident == "comments" or cls in ("comments", "title", "date") or bool(_DISCARD_ID.search(ident or ""))
            or bool(_DISCARD_CLASS.search(cls or "")) or "Figure" in (el.get("data-component") or ""))


def author_in_markup(tree: HtmlElement) -> str | None:
    """``trafilatura.metadata.extract_author``, found without copying the page or running its XPaths.

    trafilatura deep-copies the tree, deletes comments, dates, figures and sidebars from the copy, then runs
    three XPaths in turn and takes the first element whose text is 3 to 119 characters. Here the candidates
    are found as described above; an element in or under a part trafilatura deletes is skipped, and the text
    is read as it reads after the deletion (a deleted element's tail joins the text before it).
    """
    kept = [el for el in _candidates(tree)
            if not _discarded(el, tree) and not any(_discarded(a, tree) for a in el.iterancestors())]
    for predicate in (_author_1, _author_2, _author_3):
        for elem in kept:
            if not predicate(elem):
                continue
            content = trim(" ".join(_pruned_text(elem, tree)))
            if content and 2 < len(content) < AUTHOR_CHARS:
                return normalize_authors(None, content) or None
    return None


def _pruned_text(elem: HtmlElement, root: HtmlElement) -> list[str]:
    """``elem.itertext()`` as it reads once the deleted parts (``_discarded``) are gone with their tails kept
    (``trafilatura.utils.delete_element``: the tail joins the previous sibling's tail or the parent's text).
    Walked with a stack, not recursion: a hostile page may nest deeply."""
    pieces: list[str | None] = []
    stack: list[tuple[str, HtmlElement]] = [("enter", elem)]
    while stack:
        step, node = stack.pop()
        if step == "tail":
            pieces.append(node.tail)
        elif step == "merge":  # a deleted element: only its tail stays, joined to the text before it
            if node.tail:
                pieces[-1] = (pieces[-1] or "") + node.tail
        else:
            pieces.append(node.text)
            for child in reversed(node):
                if not isinstance(child.tag, str):  # a comment or processing instruction: its tail only
                    stack.append(("tail", child))
                elif _discarded(child, root):
                    stack.append(("merge", child))
                else:
                    stack += [("tail", child), ("enter", child)]
    return [p for p in pieces if p]
