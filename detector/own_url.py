"""Which address a saved page (a file, no fetched URL) gives as its own, when its canonical link points elsewhere.

A partner reprint points its canonical link, and often its og:url (SEO plugins copy one into the other), at
the original on another site: Google's advice for syndicated copies. Read from a file, such a page would take
the original's address and domain: its site would drop out of an audit, it would be skipped by ``index add`` as
the original seen twice, and it would claim the original's copies as its own (an outside probe's two partner
reprints did all three). The page still names itself elsewhere: its JSON-LD article's address
(``mainEntityOfPage``, ``url``, ``@id``), its site name, its publisher's logo and address, its WordPress
shortlink and feed links. When those outvote the canonical link, the JSON-LD address is the page's own.

A farm that copied its source's whole head and changed only the canonical link to its own address would be
read as the source here; such a page names its source everywhere else, so the rule asks for the site name and
one more of the page's self-references, not the JSON-LD alone.
"""

from __future__ import annotations

import unicodedata

from lxml.html import HtmlElement

from detector.jsonld import documents, values
from detector.urls import is_http_url, registered_domain, site_label

__all__ = ["jsonld_own_url"]

#: JSON-LD types of a page's story (as ``features.metadata.ARTICLE_TYPES``), lowercased.
_ARTICLE_TYPES = frozenset({"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "blogposting",
                            "liveblogposting", "opinionnewsarticle", "backgroundnewsarticle", "reviewnewsarticle",
                            "socialmediaposting", "webpage"})
_SELF_LINKS = "//link[@rel='shortlink' or (@rel='alternate' and contains(@type, 'xml'))]/@href"
_SITE_NAME = "//meta[@property='og:site_name']/@content"
_MAX_BLOCK = 200_000  # a JSON-LD block longer than this is not read for it


def _alnum(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in folded if c.isalnum())


def _names(site_name: str, domain: str) -> bool:
    """Whether a site name ("East Coast Herald", "The Daily Meridian") names ``domain`` (eastcoastherald.in)."""
    name, label = _alnum(site_name), _alnum(site_label(domain))
    name = name[3:] if name.startswith("the") and len(name) > 6 else name
    label = label[3:] if label.startswith("the") and len(label) > 6 else label
    return len(label) >= 4 and len(name) >= 4 and (label in name or name in label)


def _types(node: dict[str, object]) -> set[str]:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.lower() for k in kinds if isinstance(k, str)}


def _article_nodes(node: object, depth: int = 0) -> list[dict[str, object]]:
    """The JSON-LD objects (at any depth, ``@graph`` included) typed as an article or web page."""
    if depth > 16:
        return []
    if isinstance(node, list):
        return [found for item in node for found in _article_nodes(item, depth + 1)]
    if not isinstance(node, dict):
        return []
    found = [node] if _types(node) & _ARTICLE_TYPES else []
    for value in node.values():
        if isinstance(value, (dict, list)):
            found += _article_nodes(value, depth + 1)
    return found


def _address(value: object) -> str | None:
    if isinstance(value, dict):
        value = value.get("@id") or value.get("url")
    return value.strip() if isinstance(value, str) and is_http_url(value.strip()) else None


def jsonld_own_url(dom: HtmlElement, claimed: str) -> str | None:
    """The JSON-LD article address to take instead of ``claimed`` (the canonical link or og:url), or None.

    Taken when it is on another site than ``claimed`` and the page's site name names its site and not
    ``claimed``'s, and one more self-reference (publisher logo or address, shortlink, feed link) is on its site.
    """
    claimed_domain = registered_domain(claimed)
    if not claimed_domain:
        return None
    own: str | None = None
    publisher_hosts: set[str] = set()
    for doc in documents(dom, max_chars=_MAX_BLOCK):
        for node in _article_nodes(doc):
            for key in ("mainEntityOfPage", "url", "@id"):
                address = _address(node.get(key))
                if address and own is None and registered_domain(address) != claimed_domain:
                    own = address
            for publisher in values(node, ("publisher",)):
                for ref in values(publisher, ("url", "@id")):  # its logo's "url" too
                    address = _address(ref)
                    if address:
                        publisher_hosts.add(registered_domain(address))
    if own is None:
        return None
    own_domain = registered_domain(own)
    site_names = [str(name) for name in dom.xpath(_SITE_NAME)[:1]]
    site_names += [name for doc in documents(dom, needle="publisher", max_chars=_MAX_BLOCK)
                   for publisher in values(doc, ("publisher",)) if isinstance(publisher, dict)
                   for name in [publisher.get("name")] if isinstance(name, str)][:1]
    if not site_names or not all(_names(n, own_domain) and not _names(n, claimed_domain) for n in site_names):
        return None
    links = {registered_domain(str(href).strip()) for href in dom.xpath(_SELF_LINKS) if is_http_url(str(href).strip())}
    return own if own_domain in publisher_hosts | links else None
