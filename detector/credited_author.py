"""The author a page's structured data names when trafilatura reads none: how wire and partner pickups credit.

trafilatura takes a JSON-LD author only when it is a ``Person`` with a plain name. Newsrooms running an agency's
story mark the agency as the author ``Organization`` ("Agencia Austral de Noticias", "zna", "La rédaction avec
AVP"), and some CMSs nest the name ("Staff and agencies" inside a list): an outside probe's six agency pickups read
as uncredited copies of the agencies, and content farms, for it. Only a name that is not the page's own site counts:
a publisher signing its own story as an organization credits no one.
"""

from __future__ import annotations

import json
import re

from lxml.html import HtmlElement

__all__ = ["structured_author"]

_JSONLD = '//script[@type="application/ld+json"]'
_MAX_SCRIPT_CHARS = 200_000
_MAX_NAME_CHARS = 120
_NOT_ALNUM = re.compile(r"[\W_]+")


def _names(author: object, depth: int = 0) -> list[str]:
    """Names in a JSON-LD ``author`` value: a string, an object with a ``name`` (itself possibly nested), a list."""
    if depth > 4:
        return []
    if isinstance(author, str):
        return [author]
    if isinstance(author, list):
        return [name for item in author for name in _names(item, depth + 1)]
    if isinstance(author, dict):
        return _names(author.get("name"), depth + 1)
    return []


def _authors(node: object, found: list[str], depth: int = 0) -> None:
    if depth > 8 or len(found) > 10:
        return
    if isinstance(node, dict):
        if "author" in node:
            found.extend(_names(node["author"]))
        for key, value in node.items():
            if key != "author" and isinstance(value, (dict, list)):
                _authors(value, found, depth + 1)
    elif isinstance(node, list):
        for item in node:
            _authors(item, found, depth + 1)


def _key(name: str) -> str:
    return _NOT_ALNUM.sub("", name.casefold())


def structured_author(dom: HtmlElement, sitename: str | None, domain: str | None) -> str | None:
    """The first author name in the page's JSON-LD that is not its own site's (its site name, or its domain's
    name), whitespace collapsed; None when there is none or the structured data does not parse."""
    own = {_key(sitename or ""), _key((domain or "").split(".")[0])} - {""}
    for script in dom.xpath(_JSONLD):
        text = script.text_content() or ""
        if "author" not in text or len(text) > _MAX_SCRIPT_CHARS:
            continue
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            continue
        found: list[str] = []
        _authors(data, found)
        for name in found:
            name = " ".join(name.split())
            if name and len(name) <= _MAX_NAME_CHARS and _key(name) and _key(name) not in own:
                return name
    return None
