"""One summary of a page's DOM with what the DOM traits need: visible lines, links, ads, scripts, meta.

Main-content extraction drops share widgets, promo footers and related-post blocks on purpose, so the spam
traits look at the whole page. A Python walk over every node cost more than all traits together (about 6 us
a node, thousands of nodes a page), so the summary is built by C code: one XSLT pass writes the visible text
as lines (with link targets), a few XPath queries find marked containers and links, one filtered ``iter``
reads the head-ish tags. Python then loops only over lines, links and the few marked elements.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate

from lxml import etree
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
    body: HtmlElement | None = None


_LINE = "\ue002"  # private-use characters the stylesheets write between lines, links and fields
_HREF_OPEN = "\ue000"
_HREF_CLOSE = "\ue001"
_FIELD = "\ue003"
_HREF = re.compile(f"{_HREF_OPEN}([^{_HREF_CLOSE}]*){_HREF_CLOSE}")
_WS = re.compile(r"\s+")
_LINE_BREAKS = re.compile(f" ?{_LINE}(?: ?{_LINE})* ?")
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _marks_test(pattern: re.Pattern[str]) -> str:
    """An XPath test: the element's lowercased 'class id' holds one of the plain alternatives of ``pattern``."""
    words = pattern.pattern.replace("shar(?:e|ing)", "share|sharing").split("|")
    marks = f"translate(concat(@class, ' ', @id), '{_UPPER}', '{_UPPER.lower()}')"
    return " or ".join(f"contains({marks}, '{w}')" for w in words)


_HIDDEN = " or ".join(f"ancestor::{t}" for t in ("noscript", "template", "svg", "object", "select", "canvas", "math"))
# Visible text as lines, in C: block elements and <br> end a line, invisible elements and comments give nothing,
# and every <a href> leaves its target (between two markers) in the line it starts in. Mode "links" lists every
# visible link: href, whether it sits in a related / share container, and its text.
_STYLESHEET = etree.XSLT(etree.XML(f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="UTF-8"/>
<xsl:template match="/"><xsl:apply-templates/><xsl:text>&#xe004;</xsl:text>
<xsl:for-each select="//a[not({_HIDDEN})]"><xsl:value-of select="@href"/><xsl:text>&#xe003;</xsl:text>
<xsl:if test="ancestor-or-self::*[{_marks_test(RELATED_MARK)}]">r</xsl:if>
<xsl:if test="ancestor-or-self::*[{_marks_test(SHARE_MARK)}]">s</xsl:if><xsl:text>&#xe003;</xsl:text>
<xsl:value-of select="."/><xsl:text>&#xe003;</xsl:text></xsl:for-each></xsl:template>
<xsl:template match="{'|'.join(sorted(INVISIBLE_TAGS))}|comment()|processing-instruction()"/>
<xsl:template match="br"><xsl:text>&#xe002;</xsl:text></xsl:template>
<xsl:template match="{'|'.join(sorted(BLOCK_TAGS))}"><xsl:text>&#xe002;</xsl:text><xsl:apply-templates/><xsl:text>&#xe002;</xsl:text></xsl:template>
<xsl:template match="a[normalize-space(@href)]"><xsl:text>&#xe000;</xsl:text><xsl:value-of select="@href"/><xsl:text>&#xe001;</xsl:text><xsl:apply-templates/></xsl:template>
</xsl:stylesheet>"""))
_CLASS_ID = etree.XPath(".//@class | .//@id", smart_strings=False)
_DATA_AD = etree.XPath(".//*[@*[starts-with(name(), 'data-ad')]]")
_AUTHOR_ATTR = etree.XPath("boolean(.//*[@itemprop='author' or @rel='author'])")
_TEXT_WITH = etree.XPath(".//text()[contains(., $word)]")
_ANY_MARK = re.compile("|".join(f"(?:{m.pattern})" for m in (AD_MARK, SHARE_MARK, RELATED_MARK, BYLINE_MARK)), re.M)


def _visible(el: HtmlElement) -> bool:
    return not any(a.tag in INVISIBLE_TAGS for a in el.iterancestors())


def _outermost(marked: list[HtmlElement]) -> list[HtmlElement]:
    """The marked elements that have no marked ancestor, in the order given."""
    chosen = set(marked)
    return [el for el in marked if not any(a in chosen for a in el.iterancestors())]


def _marks(el: HtmlElement) -> str:
    return f"{el.get('class', '')} {el.get('id', '')}".lower()


def _marked_elements(body: HtmlElement) -> tuple[list[HtmlElement], list[HtmlElement], list[HtmlElement], bool]:
    """(ad, share, related, byline) marked elements, visible ones only, in document order.

    All class and id values are searched at once (one regex pass over their concatenation, no element objects
    made); only the few matching attributes are then fetched, with their elements, by position.
    """
    values = _CLASS_ID(body)
    positions: dict[int, None] = {}
    if values:
        joined = "\n".join(values).lower()
        ends = list(accumulate(len(v) + 1 for v in values))
        for match in _ANY_MARK.finditer(joined):
            start = match.start() + (joined[match.start()] == "\n")  # a match may begin on the separator
            positions[bisect_right(ends, start) + 1] = None
    hits: dict[HtmlElement, None] = {}
    for chunk in range(0, len(positions), 200):  # XPath positions are 1-based; a few hundred per query
        wanted = " or ".join(f"position()={p}" for p in list(positions)[chunk:chunk + 200])
        for value in body.xpath(f"(.//@class | .//@id)[{wanted}]"):
            hits[value.getparent()] = None
    data_ad = [el for el in _DATA_AD(body) if el not in hits]
    elements = [el for el in hits if isinstance(el.tag, str) and el.tag not in INVISIBLE_TAGS and _visible(el)]
    ad, share, related = [], [], []
    byline = False
    for el in elements:
        marks = _marks(el)
        if AD_MARK.search(marks) or any(k.startswith("data-ad") for k in el.attrib):
            ad.append(el)
        if len(marks) > 1:
            if SHARE_MARK.search(marks):
                share.append(el)
            if RELATED_MARK.search(marks):
                related.append(el)
            byline = byline or bool(BYLINE_MARK.search(marks))
    extra = [el for el in data_ad if el.tag not in INVISIBLE_TAGS and _visible(el)]
    if extra:  # data-ad* elements without a matching class/id: merge them in document order
        ad = sorted(ad + extra, key=_document_position)
    return ad, share, related, byline


def _document_position(el: HtmlElement) -> float:
    return float(el.xpath("count(preceding::*) + count(ancestor::*)"))


def _lines_and_anchors(body: HtmlElement, cache: TokenCache | None) -> tuple[list[Line], list[Anchor], int]:
    """(visible lines, visible links with an href, characters of all visible link texts) from one XSLT run."""
    text, _, links = str(_STYLESHEET(body)).rpartition("\ue004")
    lines = []
    for segment in _LINE_BREAKS.split(_WS.sub(" ", text)):
        hrefs: tuple[str, ...] = ()
        if _HREF_OPEN in segment:
            hrefs = tuple(h.strip() for h in _HREF.findall(segment) if h.strip())
            segment = " ".join(_HREF.sub("", segment).split())
        elif segment[:1] == " " or segment[-1:] == " ":
            segment = segment.strip()
        if segment:
            lines.append(make_line(segment, hrefs, None, cache))
    fields = links.split(_FIELD)
    anchors = []
    anchor_chars = 0
    for i in range(0, len(fields) - 2, 3):
        href, flags, label = fields[i].strip(), fields[i + 1], " ".join(fields[i + 2].split())
        anchor_chars += len(label)
        if href:
            anchors.append(Anchor(href, label, "r" in flags, "s" in flags))
    return lines, anchors, anchor_chars


def block_of_line(summary: "DomSummary", index: int) -> HtmlElement | None:
    """The innermost block element a visible line starts in (found on demand; None when not found).

    Lines come from a stylesheet, which cannot hand back elements; the few traits that need a line's element
    (a related-posts heading and its siblings) look it up here: text nodes holding the line's first word,
    up to their block, whose text starts with the line. The n-th line with that text gets the n-th such block.
    """
    body = summary.body
    if body is None or not 0 <= index < len(summary.lines):
        return None
    text = summary.lines[index].text
    nth = sum(1 for line in summary.lines[:index] if line.text == text)
    blocks: list[HtmlElement] = []
    for node in _TEXT_WITH(body, word=text.split(" ", 1)[0]):
        el = node.getparent()
        if getattr(node, "is_tail", False):
            el = el.getparent()
        while el is not None and el.tag not in BLOCK_TAGS:
            el = el.getparent()
        if el is None or el in blocks or not _visible(el):
            continue
        if " ".join(el.text_content().split()).startswith(text):
            blocks.append(el)
    inner = [b for i, b in enumerate(blocks) if not (i + 1 < len(blocks) and b in blocks[i + 1].iterancestors())]
    return inner[nth] if nth < len(inner) else None


def summarize_dom(root: HtmlElement, cache: TokenCache | None = None) -> DomSummary:
    """Summarise ``root``: visible lines from one XSLT pass, marks and links from a few XPath queries, head tags
    from one C-level ``iter``; Python only loops over lines, links and marked elements, never over every node."""
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
    body = root.find("body") if root.tag == "html" else root
    if body is None:
        body = root
    found_lines, anchors, anchor_chars = _lines_and_anchors(body, cache)
    lines = tuple(found_lines)
    ad, share, related, byline = _marked_elements(body)
    ads = _outermost(ad)
    shares = _outermost(share)
    related_blocks = _outermost(related)
    microdata = any("schema.org/" in v and "article" in v.lower() for v in root.xpath("//@itemtype"))
    return DomSummary(
        lines=lines,
        anchors=tuple(anchors),
        visible_chars=sum(len(line.text) for line in lines),
        anchor_chars=anchor_chars,
        ad_slots=len(ads),
        ad_marks=tuple(_marks(el).strip()[:60] or el.tag for el in ads),
        share_blocks=len(shares),
        related_blocks=tuple(related_blocks),
        byline_markup=byline or bool(_AUTHOR_ATTR(body)),
        script_srcs=tuple(script_srcs),
        inline_scripts="\n".join(inline).lower(),
        jsonld=tuple(jsonld),
        iframe_srcs=tuple(iframes),
        meta=meta,
        canonical=canonical,
        has_time=has_time,
        microdata_article=microdata,
        body=body,
    )
