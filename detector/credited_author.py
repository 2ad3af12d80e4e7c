"""The author a page's structured data names when trafilatura reads none: how wire and partner pickups credit.

trafilatura takes a JSON-LD author only when it is a ``Person`` with a plain name. Newsrooms running an agency's
story mark the agency as the author ``Organization`` ("Agencia Austral de Noticias", "zna", "La rédaction avec
AVP"), and some CMSs nest the name ("Staff and agencies" inside a list): an outside probe's six agency pickups read
as uncredited copies of the agencies, and content farms, for it. Only a name that is not the page's own site counts:
a publisher signing its own story as an organization credits no one.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement

from detector.agencies import BYLINE_WORDS
from detector.jsonld import documents, values

__all__ = ["name_key", "shown_byline", "structured_author"]

_MAX_SCRIPT_CHARS = 200_000
_MAX_NAME_CHARS = 120
_NOT_ALNUM = re.compile(r"[\W_]+")
#: Text nodes holding the writer's name: few, and found faster than every element's class is read.
_TEXT_WITH = etree.XPath("//text()[contains(., $name)]")
_BYLINE_LEVELS = 3  # a name's element and its parents up to this many levels: where a CMS marks its byline
_MAX_BYLINE_CHARS = 120
#: What joins a writer and the outlet the story comes from in a shown byline: "Ana Robles · Diario del Altiplano
#: Sur", "Jo Whitlock | Cobble Bay Courier", "Jane Roe for the Valley Herald".
_OUTLET_AFTER = re.compile(r"^\s*(?:[·|/,–—-]|\b(?:for|para|pour|für|per|za)\b)\s*(?P<outlet>[^\W\d_][^\d|·]{2,60}?)\s*$",
                           re.I)
#: The same in a meta line whose date was left out (``_text_without_times``): no comma, which sets off a place.
_OUTLET_BEFORE_DATE = re.compile(_OUTLET_AFTER.pattern.replace("[·|/,–—-]", "[·|/–—-]"), re.I)


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


def name_key(name: str) -> str:
    """The letters and digits of a name, lowercased and without diacritics: "Diário do Sul" is "Diario do Sul"."""
    from features.phrases import fold  # data of the features package, read lazily

    return _NOT_ALNUM.sub("", fold(name))


def structured_author(dom: HtmlElement, sitename: str | None, domain: str | None) -> str | None:
    """The first author name in the page's JSON-LD that is not its own site's (its site name, or its domain's
    name), whitespace collapsed; None when there is none or the structured data does not parse."""
    own = {name_key(sitename or ""), name_key((domain or "").split(".")[0])} - {""}
    for data in documents(dom, "author", _MAX_SCRIPT_CHARS):
        for author in values(data, ("author",)):
            for name in _names(author):
                name = " ".join(name.split())
                if name and len(name) <= _MAX_NAME_CHARS and name_key(name) and name_key(name) not in own:
                    return name
    return None


def shown_byline(dom: HtmlElement, author: str) -> str | None:
    """The byline as the page shows it when it names an outlet after the writer its metadata gives ("Ana Robles ·
    Diario del Altiplano Sur" where the meta tag says "Ana Robles"), as "writer, outlet"; else None.

    That is how a partner or wire pickup credits its source: an outside probe's reprint credited only so read as
    the partner's uncredited copy (0.998, content_farm), its metadata naming the writer alone."""
    key = name_key(author)
    if not key:
        return None
    for element in _byline_elements(dom, author):
        # as shown; else without its date, the outlet set off by more than a comma ("Marc Bennetts, Moscow
        # <time>Sunday October 16 2022</time>" names a place)
        for text, outlet_after in ((" ".join(element.text_content().split()), _OUTLET_AFTER),
                                   (_text_without_times(element), _OUTLET_BEFORE_DATE)):
            if not text or len(text) > _MAX_BYLINE_CHARS:
                continue
            at = text.casefold().find(author.casefold())
            if at < 0 or name_key(text[:at]) not in ("", *BYLINE_WORDS):
                continue
            found = outlet_after.match(text[at + len(author):])
            if found and name_key(found.group("outlet")) not in ("", key):
                return f"{author}, {found.group('outlet').strip()}"
    return None


#: Class words of the element a CMS puts the byline in: its own ("author", "byline") or the post's meta line
#: (WordPress themes' "entry-meta": "Nuria Soler | Crónica del Levante Sur <time>", an outside probe's sister
#: paper's only credit, read as an uncredited copy).
_BYLINE_MARKS = ("author", "byline", "entry-meta", "post-meta", "article-meta", "story-meta")


def _is_byline(element: HtmlElement) -> bool:
    """Whether a CMS marks the element as the byline: an author or byline class, ``itemprop`` or ``rel`` author,
    or the post's meta line."""
    marks = f"{element.get('class', '')} {element.get('itemprop', '')} {element.get('rel', '')}".lower()
    return any(mark in marks for mark in _BYLINE_MARKS)


def _text_without_times(element: HtmlElement) -> str:
    """The element's text, whitespace collapsed, without its ``<time>`` elements' (a meta line's date)."""
    text = element.text_content()
    for time in element.iter("time"):
        shown = time.text_content()
        if shown.strip():
            text = text.replace(shown, " ")
    return " ".join(text.split())


def _byline_elements(dom: HtmlElement, author: str) -> list[HtmlElement]:
    """The byline-marked elements holding the writer's name: a text node with the name, up its parents."""
    found: dict[HtmlElement, None] = {}
    for node in _TEXT_WITH(dom, name=author):
        element = node.getparent()
        if getattr(node, "is_tail", False) and element is not None:  # a tail's element is the one before it
            element = element.getparent()
        for _ in range(_BYLINE_LEVELS):
            if element is None:
                break
            if isinstance(element.tag, str) and _is_byline(element):
                found[element] = None
                break
            element = element.getparent()
    return list(found)
