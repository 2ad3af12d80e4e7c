"""The author a page's structured data names when trafilatura reads none: how wire and partner pickups credit.

trafilatura takes a JSON-LD author only when it is a ``Person`` with a plain name. Newsrooms running an agency's
story mark the agency as the author ``Organization`` ("Agencia Austral de Noticias", "zna", "La rédaction avec
AVP"), and some CMSs nest the name ("Staff and agencies" inside a list): an outside probe's six agency pickups read
as uncredited copies of the agencies, and content farms, for it. Only a name that is not the page's own site counts:
a publisher signing its own story as an organization credits no one.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from detector.jsonld import documents, values

__all__ = ["structured_author"]

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


def _key(name: str) -> str:
    return _NOT_ALNUM.sub("", name.casefold())


def structured_author(dom: HtmlElement, sitename: str | None, domain: str | None) -> str | None:
    """The first author name in the page's JSON-LD that is not its own site's (its site name, or its domain's
    name), whitespace collapsed; None when there is none or the structured data does not parse."""
    own = {_key(sitename or ""), _key((domain or "").split(".")[0])} - {""}
    for data in documents(dom, "author", _MAX_SCRIPT_CHARS):
        for author in values(data, ("author",)):
            for name in _names(author):
                name = " ".join(name.split())
                if name and len(name) <= _MAX_NAME_CHARS and _key(name) and _key(name) not in own:
                    return name
    return None
