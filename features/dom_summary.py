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
    """What the DOM summary found; the input of the DOM, boilerplate and metadata traits.

    ``lines`` come from the stylesheet, so their ``element`` is None: ``PageView.line_element`` finds it on demand.
    """

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


_LINE = "\ue002"  # private-use characters the stylesheet writes between lines and around link records
_RECORD = re.compile("\ue005([^\ue003]*)\ue003([^\ue007]*)\ue007")
_HIDDEN = " or ".join(f"ancestor::{t}" for t in ("noscript", "template", "svg", "object", "select", "canvas", "math"))
_LINKS_BEFORE = etree.XPath(f"count(preceding::a[not({_HIDDEN})]) + count(ancestor::a[not({_HIDDEN})])")
_LINKS_IN = etree.XPath(f"count(descendant-or-self::a[not({_HIDDEN})])")


# Visible text as lines, in C: block elements and <br> end a line, invisible elements and comments give nothing.
# Every visible <a> leaves a record where it starts (href and text), cut out of the lines afterwards.
_STYLESHEET = etree.XSLT(etree.XML(f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="UTF-8"/>
<xsl:template match="{'|'.join(sorted(INVISIBLE_TAGS))}|comment()|processing-instruction()"/>
<xsl:template match="br"><xsl:text>&#xe002;</xsl:text></xsl:template>
<xsl:template match="{'|'.join(sorted(BLOCK_TAGS))}"><xsl:text>&#xe002;</xsl:text><xsl:apply-templates/><xsl:text>&#xe002;</xsl:text></xsl:template>
<xsl:template match="a"><xsl:text>&#xe005;</xsl:text><xsl:value-of select="@href"/><xsl:text>&#xe003;</xsl:text>
<xsl:value-of select="."/><xsl:text>&#xe007;</xsl:text><xsl:apply-templates/></xsl:template>
</xsl:stylesheet>"""))
_CLASS_VALUES = etree.XPath(".//@class", smart_strings=False)
_WITH_CLASS = etree.XPath("descendant-or-self::*[@class]")
_ID_VALUES = etree.XPath(".//@id", smart_strings=False)
_WITH_ID = etree.XPath("descendant-or-self::*[@id]")
_DATA_AD = etree.XPath("descendant-or-self::*[@*[starts-with(name(), 'data-ad')]]")
_AUTHOR_ATTR = etree.XPath("boolean(.//*[@itemprop='author' or @rel='author'])")
_TEXT_WITH = etree.XPath(".//text()[contains(., $word)]")
# Any of the four marks; the ad words' "between separators" rule as lookarounds, which re scans faster.
_ANY_MARK = re.compile(
    AD_MARK.pattern.replace(r"(?:^|[\s_-])", r"(?<![^\s_-])").replace(r"(?:$|[\s_-])", r"(?![^\s_-])")
    + f"|{SHARE_MARK.pattern}|{RELATED_MARK.pattern}|{BYLINE_MARK.pattern}"
)


def _visible(el: HtmlElement) -> bool:
    return not any(a.tag in INVISIBLE_TAGS for a in el.iterancestors())


def _outermost(marked: list[HtmlElement]) -> list[HtmlElement]:
    """The marked elements that have no marked ancestor, in the order given."""
    chosen = set(marked)
    return [el for el in marked if not any(a in chosen for a in el.iterancestors())]


def _marks(el: HtmlElement) -> str:
    return f"{el.get('class', '')} {el.get('id', '')}".lower()


def _hits(values: list[str]) -> list[int]:
    """Indexes of the class (or id) values holding any mark, from one regex pass over all of them."""
    if not values:
        return []
    distinct = list(dict.fromkeys(values))  # sites repeat their classes: search each one once
    joined = "\n".join(distinct).lower()
    ends = list(accumulate(len(v) + 1 for v in distinct))
    marked = set()
    for match in _ANY_MARK.finditer(joined):
        start = match.start() + (joined[match.start()] == "\n")  # a match may begin on the separator
        marked.add(distinct[bisect_right(ends, start)])
    return [i for i, v in enumerate(values) if v in marked] if marked else []


def _marked_elements(body: HtmlElement) -> tuple[list[HtmlElement], list[HtmlElement], list[HtmlElement], bool]:
    """(ad, share, related, byline) marked elements, visible ones only, in document order.

    All class values (then all id values) are searched at once, as plain strings; element objects are made only
    when some value matched (the elements carrying a class, in the same order as their values).
    """
    hits: dict[HtmlElement, None] = {}
    for values_of, elements_of in ((_CLASS_VALUES, _WITH_CLASS), (_ID_VALUES, _WITH_ID)):
        found = _hits(values_of(body))
        if found:
            elements = elements_of(body)
            for i in found:
                hits[elements[i]] = None
    data_ad = [el for el in _DATA_AD(body) if el not in hits]
    elements = [el for el in hits if el.tag not in INVISIBLE_TAGS and _visible(el)]
    elements += [el for el in data_ad if el.tag not in INVISIBLE_TAGS and _visible(el)]
    # Elements found by their class come first in document order, then those found only by id or data-ad*:
    # only the order of the ad evidence depends on it (sorting by document position cost more than the rest).
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
    return ad, share, related, byline


def _flag_links(containers: list[HtmlElement]) -> set[int]:
    """Positions (among the page's visible links, in document order) of the links inside ``containers``.

    A container's links are consecutive in document order: those before it, then as many as it holds.
    """
    out: set[int] = set()
    for container in containers:
        start = int(_LINKS_BEFORE(container))
        out.update(range(start, start + int(_LINKS_IN(container))))
    return out


def _lines_and_anchors(
    body: HtmlElement, cache: TokenCache | None, related: list[HtmlElement], share: list[HtmlElement]
) -> tuple[list[Line], list[Anchor], int]:
    """(visible lines, visible links with an href, characters of all visible link texts) from one XSLT run."""
    text = str(_STYLESHEET(body))
    in_related = _flag_links(related)
    in_share = _flag_links(share)
    anchors = []
    anchor_chars = 0
    for position, (href, label) in enumerate(_RECORD.findall(text)):
        label = " ".join(label.split())
        anchor_chars += len(label)
        href = href.strip()
        if href:
            anchors.append(Anchor(href, label, position in in_related, position in in_share))
    lines = []
    for segment in text.split(_LINE):
        if not segment or segment.isspace():
            continue
        hrefs: tuple[str, ...] = ()
        if "\ue005" in segment:
            hrefs = tuple(h.strip() for h, _ in _RECORD.findall(segment) if h.strip())
            segment = _RECORD.sub("", segment)
        segment = " ".join(segment.split())
        if segment:
            lines.append(make_line(segment, hrefs, None, cache))
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
    ad, share, related, byline = _marked_elements(body)
    ads = _outermost(ad)
    shares = _outermost(share)
    related_blocks = _outermost(related)
    found_lines, anchors, anchor_chars = _lines_and_anchors(body, cache, related_blocks, shares)
    lines = tuple(found_lines)
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
