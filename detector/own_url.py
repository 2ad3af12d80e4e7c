"""Which address, or which site, a saved page (a file, no fetched URL) gives as its own.

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

A page with no canonical link and no og:url names no address at all; read from a file it had no domain, so its
links to its own site counted as links out (its related posts, all "Italia News Flash" headlines, went unread:
0.04 against 0.90 with a canonical link) and the audit left it out of its domains (an outside probe's 28 farm
domains vanished from one). Its site is still the one it links and names itself by (``inferred_domain``).
"""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from detector.credited_author import name_key
from detector.jsonld import documents, values
from detector.urls import is_http_url, registered_domain, site_label

__all__ = ["inferred_domain", "jsonld_own_url"]

#: JSON-LD types of a page's story (as ``features.metadata.ARTICLE_TYPES``), lowercased.
_ARTICLE_TYPES = frozenset({"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "blogposting",
                            "liveblogposting", "opinionnewsarticle", "backgroundnewsarticle", "reviewnewsarticle",
                            "socialmediaposting", "webpage"})
_SELF_LINKS = "//link[@rel='shortlink' or (@rel='alternate' and contains(@type, 'xml'))]/@href"
_META_NAMES = ("//meta[@property='og:site_name' or @name='application-name' or @name='apple-mobile-web-app-title']"
               "/@content")
_MAX_BLOCK = 200_000  # a JSON-LD block longer than this is not read for it
_ANCHOR_HREFS = "//a/@href"
_HOME_LINK_TEXT = "//a[normalize-space(@href)='/' or normalize-space(@href)='./' or @href='index.html']"
#: A copyright line naming the site: "© 2025 Italia News Flash ·", "© La Voz del Sureste 2025", "Copyright 2024 X".
_COPYRIGHT = re.compile(r"(?:©|\(c\)|copyright)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?([^\W\d_][^·|•\n]{2,60})",
                        re.I)
_MAX_LINKS = 2000  # a page's first links are enough to know its own site by
_OFTEN = 3  # links to a site that make its home link's text a name of the page's own
#: A host name: no space, a dot ("Italia News Flash", a logo link's href written as a name, is none).
_HOST = re.compile(r"[^\W_](?:[\w-]*[^\W_])?(?:\.[^\W_](?:[\w-]*[^\W_])?)+")


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

    Taken when it is on another site than ``claimed``, the names the page declares (``_declared_names``) are its
    site's and not ``claimed``'s (``_is_name_of``: a sister paper's longer name is its own), and one more
    self-reference (publisher logo or address, shortlink, feed link) is on its site.
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
    names = _declared_names(dom)
    if not names or not all(_is_name_of(n, own_domain) and not _is_name_of(n, claimed_domain) for n in names):
        return None
    return own if own_domain in publisher_hosts.union(_self_link_domains(dom)) else None


def _declared_names(dom: HtmlElement) -> list[str]:
    """The names a page declares for its site: its site-name meta tags and its JSON-LD publisher's name."""
    names = [str(v) for v in dom.xpath(_META_NAMES)[:3]]
    names += [name for doc in documents(dom, needle="publisher", max_chars=_MAX_BLOCK)
              for publisher in values(doc, ("publisher",)) if isinstance(publisher, dict)
              for name in [publisher.get("name")] if isinstance(name, str)][:2]
    return [n.strip() for n in names if n.strip()]


def _self_link_domains(dom: HtmlElement) -> list[str]:
    """The registered domains of the page's shortlink and feed links (one per link, host-like ones only)."""
    hrefs = (str(href).strip() for href in dom.xpath(_SELF_LINKS))
    domains = (registered_domain(href) for href in hrefs if is_http_url(href))
    return [d for d in domains if _HOST.fullmatch(d)]


def _site_names(dom: HtmlElement) -> list[str]:
    """What a page calls itself: its declared names (``_declared_names``), the text of its relative home link (the
    logo), its copyright line (not its title's parts: a blog's title ends with the site it quotes)."""
    names = [" ".join(a.text_content().split()) for a in dom.xpath(_HOME_LINK_TEXT)[:3]]
    footer_text = (" ".join(t for t in dom.xpath("//footer//text()")[:200])
                   or " ".join(dom.xpath("//body//text()")[-300:]))
    names += [m.group(1) for m in _COPYRIGHT.finditer(str(footer_text))][:3]
    return _declared_names(dom) + [n.strip() for n in names if n and n.strip()]


def inferred_domain(dom: HtmlElement) -> str | None:
    """The site of a page that names no address (no fetched URL, canonical link or og:url): the registered domain
    its links (absolute links, shortlink and feed links) point at most, at least ``_OFTEN`` times and twice as
    often as at any other, when the page's own names (``_site_names``, or that site's home link) spell it; else
    None.

    A domain linked but not named is no proof: a roundup links its sources; one named but seldom linked neither
    (a sister paper's name holds its partner's). Checked on 2,179 probe and real pages that do state an address:
    the site inferred was theirs on every one where one was inferred."""
    counts: Counter[str] = Counter()
    for href in dom.xpath(_ANCHOR_HREFS)[:_MAX_LINKS]:
        href = str(href).strip()
        if is_http_url(href) or href.startswith("//"):
            domain = registered_domain(href if "://" in href else f"https:{href}")
            if _HOST.fullmatch(domain):
                counts[domain] += 1
    counts.update(_self_link_domains(dom))
    if not counts:
        return None
    ranked = counts.most_common(2)
    domain, linked = ranked[0]
    if len(ranked) > 1 and ranked[1][1] * 2 > linked:
        return None  # not plainly the page's own links: another site's nearly as many
    # the page's own names, else (none given) that site's home-link texts when it is linked often; a page naming
    # itself otherwise that links a partner site's home page by its name is that partner's neighbour, and a farm
    # crediting its source links the source's home page by its name once
    names = _site_names(dom) or (_root_link_names(dom).get(domain, []) if linked >= _OFTEN else [])
    return domain if any(_is_name_of(name, domain) for name in names) else None


_ARTICLES = frozenset("the a la le les el los las il lo o os die der das de".split())


def _is_name_of(name: str, domain: str) -> bool:
    """Whether ``name`` is the name ``domain`` spells, an article aside: "Italia News Flash" of
    italia-news-flash.com, "La Gazette des Causses" of gazettedescausses.fr; not a sister paper's longer name
    ("Folha do Planalto Norte" credits folhadoplanalto.com.br)."""
    label = name_key(site_label(domain))
    words = name.split()
    while len(words) > 1 and words[0].lower() in _ARTICLES:
        words = words[1:]
    return len(label) >= 4 and label in (name_key(" ".join(words)), name_key(name))


def _root_link_names(dom: HtmlElement) -> dict[str, list[str]]:
    """The texts of absolute links to a site's home page ("https://fofocasdahora.com.br/"), by registered domain."""
    found: dict[str, list[str]] = {}
    for a in dom.xpath("//a[starts-with(normalize-space(@href), 'http')]")[:_MAX_LINKS]:
        href = str(a.get("href")).strip()
        try:
            parts = urlsplit(href)
        except ValueError:  # "https://[ccpa-preferences]/": no address
            continue
        if parts.path.strip("/") or parts.query:
            continue
        text = " ".join(a.text_content().split())
        if text:
            found.setdefault(registered_domain(href), []).append(text)
    return found
