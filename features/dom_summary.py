"""One pass over a page's DOM that collects what the DOM traits need: visible lines, links, ads, scripts, meta.

Main-content extraction drops share widgets, promo footers and related-post blocks on purpose, so the spam
traits look at the whole page. Walking the tree once and keeping a ``DomSummary`` keeps the cost of all
DOM traits to a single traversal (plus one C-level ``iter`` over head-ish tags).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from lxml.html import HtmlElement

from features.phrases import fold, tokenize

BLOCK_TAGS = frozenset(
    "address article aside blockquote body dd details div dl dt fieldset figcaption figure footer form h1 h2 h3 "
    "h4 h5 h6 header hr li main nav ol p pre section summary table tbody td tfoot th thead tr ul".split()
)
INVISIBLE_TAGS = frozenset(
    "script style noscript template head title svg iframe object embed select option canvas math meta link".split()
)
# Class/id markers. "ad" must stand alone between separators so "header-ad" is an ad and "shadow" is not.
AD_MARK = re.compile(
    r"adsbygoogle|div-gpt-ad|gpt-ad|google_ads|dfp-|(?:^|[\s_-])(?:ads?|advert\w*|adslot|adunit|banner-ad|sponsored)"
    r"(?:$|[\s_-])|taboola|outbrain|mgid|mgbox|revcontent|rcjsload|code-block|ezoic"
)
SHARE_MARK = re.compile(r"shar(?:e|ing)|addtoany|a2a_kit|addthis|spread-the-love|sharedaddy|ssba|heateor|social-buttons")
RELATED_MARK = re.compile(
    r"related|similar|yarpp|more-stories|recommended|read-also|also-read|you-may-like|most-read|popular-posts"
)
BYLINE_MARK = re.compile(r"byline|author|writer|reporter")


@dataclass(frozen=True, slots=True)
class Line:
    """One visible line of text: as shown, folded, tokenized, with the links inside it and its block element."""

    text: str
    norm: str
    tokens: tuple[str, ...]
    hrefs: tuple[str, ...] = ()
    element: HtmlElement | None = None


TokenCache = dict[str, tuple[str, str, tuple[str, ...]]]


def make_line(
    text: str, hrefs: tuple[str, ...] = (), element: HtmlElement | None = None, cache: TokenCache | None = None
) -> Line:
    """A ``Line`` from whitespace-collapsed text (normalised to NFC so folding keeps offsets aligned).

    ``cache`` (text -> NFC text, folded text, tokens) lets the main text and the DOM share the tokenizing
    of the paragraphs they have in common.
    """
    done = cache.get(text) if cache is not None else None
    if done is None:
        nfc = unicodedata.normalize("NFC", text)
        norm = fold(nfc)
        done = (nfc, norm, tuple(tokenize(norm)))
        if cache is not None:
            cache[text] = done
    return Line(done[0], done[1], done[2], hrefs, element)


@dataclass(frozen=True, slots=True)
class Anchor:
    """One ``<a href>``: target, visible text, and whether it sits in a related-posts or share block."""

    href: str
    text: str
    in_related: bool
    in_share: bool


@dataclass(frozen=True, slots=True)
class DomSummary:
    """What one walk over the DOM found; the input of the DOM, boilerplate and metadata traits."""

    lines: tuple[Line, ...]
    anchors: tuple[Anchor, ...]
    visible_chars: int
    anchor_chars: int
    ad_slots: int
    ad_marks: tuple[str, ...]
    share_blocks: int
    related_blocks: tuple[HtmlElement, ...]
    byline_markup: bool
    script_srcs: tuple[str, ...]
    inline_scripts: str
    jsonld: tuple[str, ...]
    iframe_srcs: tuple[str, ...]
    meta: dict[str, str] = field(default_factory=dict)
    canonical: str | None = None
    has_time: bool = False
    microdata_article: bool = False


class _Walker:
    """Recursive walk that turns visible text into lines and counts ad/share/related blocks (outermost only)."""

    def __init__(self, cache: TokenCache | None) -> None:
        self.cache = cache
        self.lines: list[Line] = []
        self.anchors: list[Anchor] = []
        self.anchor_chars = 0
        self.ad_slots = 0
        self.ad_marks: list[str] = []
        self.share_blocks = 0
        self.related_blocks: list[HtmlElement] = []
        self.byline = False
        self._parts: list[str] = []
        self._hrefs: list[str] = []
        self._line_el: HtmlElement | None = None

    def flush(self) -> None:
        if self._parts:
            text = " ".join("".join(self._parts).split())
            if text:
                self.lines.append(make_line(text, tuple(self._hrefs), self._line_el, self.cache))
            self._parts = []
        self._hrefs = []
        self._line_el = None

    def add(self, text: str | None, block: HtmlElement | None) -> None:
        if text:
            if self._line_el is None and not text.isspace():
                self._line_el = block
            self._parts.append(text)

    def walk(self, el: HtmlElement, in_ad: bool, in_share: bool, in_related: bool, block: HtmlElement | None) -> None:
        tag = el.tag
        if not isinstance(tag, str) or tag in INVISIBLE_TAGS:  # comments, processing instructions, scripts
            self.add(el.tail, block)
            return
        if tag == "br":
            self.flush()
            self.add(el.tail, block)
            return
        attrib = el.attrib
        if attrib:
            marks = f"{attrib.get('class', '')} {attrib.get('id', '')}".lower()
            if not in_ad and (
                AD_MARK.search(marks) or any(k.startswith("data-ad") for k in attrib)
            ):
                in_ad = True
                self.ad_slots += 1
                self.ad_marks.append(marks.strip()[:60] or tag)
            if len(marks) > 1:
                if not in_share and SHARE_MARK.search(marks):
                    in_share = True
                    self.share_blocks += 1
                if not in_related and RELATED_MARK.search(marks):
                    in_related = True
                    self.related_blocks.append(el)
                if not self.byline and BYLINE_MARK.search(marks):
                    self.byline = True
            if not self.byline and (attrib.get("itemprop") == "author" or attrib.get("rel") == "author"):
                self.byline = True
        outer = block
        if tag in BLOCK_TAGS:
            self.flush()
            block = el
        if tag == "a":
            href = (attrib.get("href") or "").strip()
            text = " ".join(el.text_content().split())
            self.anchor_chars += len(text)
            if href:
                self._hrefs.append(href)
                self.anchors.append(Anchor(href, text, in_related, in_share))
        self.add(el.text, block)
        for child in el:
            self.walk(child, in_ad, in_share, in_related, block)
        if block is el:
            self.flush()
        self.add(el.tail, outer)


def summarize_dom(root: HtmlElement, cache: TokenCache | None = None) -> DomSummary:
    """Walk ``root`` once (body for visible text; head-ish tags via one C-level iter) into a ``DomSummary``."""
    meta: dict[str, str] = {}
    script_srcs: list[str] = []
    inline: list[str] = []
    jsonld: list[str] = []
    iframes: list[str] = []
    canonical: str | None = None
    has_time = False
    for el in root.iter("meta", "script", "iframe", "link", "time"):
        tag = el.tag
        if tag == "meta":
            key = (el.get("property") or el.get("name") or el.get("itemprop") or "").lower()
            if key and key not in meta:
                meta[key] = (el.get("content") or "").strip()
        elif tag == "script":
            src = el.get("src")
            if src:
                script_srcs.append(src.strip())
            elif "ld+json" in (el.get("type") or ""):
                jsonld.append(el.text or "")
            elif el.text:
                inline.append(el.text[:4000])
        elif tag == "iframe":
            iframes.append((el.get("src") or el.get("data-src") or "").strip())
        elif tag == "link":
            rel = (el.get("rel") or "").lower()
            if rel == "canonical" and canonical is None:
                canonical = (el.get("href") or "").strip() or None
        elif el.get("datetime"):
            has_time = True
    walker = _Walker(cache)
    body = root.find("body") if root.tag == "html" else root
    walker.walk(body if body is not None else root, False, False, False, None)
    walker.flush()
    lines = tuple(walker.lines)
    microdata = any("schema.org/" in v and "article" in v.lower() for v in root.xpath("//@itemtype"))
    return DomSummary(
        lines=lines,
        anchors=tuple(walker.anchors),
        visible_chars=sum(len(line.text) for line in lines),
        anchor_chars=walker.anchor_chars,
        ad_slots=walker.ad_slots,
        ad_marks=tuple(walker.ad_marks),
        share_blocks=walker.share_blocks,
        related_blocks=tuple(walker.related_blocks),
        byline_markup=walker.byline,
        script_srcs=tuple(script_srcs),
        inline_scripts="\n".join(inline).lower(),
        jsonld=tuple(jsonld),
        iframe_srcs=tuple(iframes),
        meta=meta,
        canonical=canonical,
        has_time=has_time,
        microdata_article=microdata,
    )
