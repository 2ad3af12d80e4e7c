"""One summary of a page's DOM with what the DOM traits need: visible lines, links, ads, scripts, meta.

Main-content extraction drops share widgets, promo footers and related-post blocks on purpose, so the spam
traits look at the whole page. A Python walk over every node cost more than all traits together (about 6 us
a node, thousands of nodes a page), so the summary is built by C code: one XSLT pass writes the visible text
as lines (with link targets), a few XPath queries find marked containers (``features.dom_marks``) and links,
one filtered ``iter`` reads the head-ish tags. The stylesheet's text is cut into lines with whole-text string
operations and the lines are normalised in one batch (``features.lines``); Python loops only over segments,
links and the few marked elements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import compress, count, filterfalse, islice

from lxml import etree
from lxml.html import HtmlElement

from features.dom_marks import BLOCK_TAGS, INVISIBLE_TAGS, ad_mark, marked_elements, outermost, visible
from features.lines import RECORD, Line, collapse, make_lines

__all__ = ["Anchor", "DomSummary", "block_of_line", "summarize_dom"]

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
    amp_shares: tuple[str, ...] = ()


#: AMP's ad elements: each is one slot, its ``type`` the network ("adsense", "doubleclick", "taboola"); an outside
#: probe's AMP farms counted none. ``amp-auto-ads`` places ads itself (a loader, no slot).
AMP_AD_TAGS = ("amp-ad", "amp-embed", "amp-sticky-ad")
#: The script of a 2000s AdSense slot: each ``<script src=".../show_ads.js">`` shows one ad where it stands, in
#: no element marked as an ad (an outside probe's table-layout farm had 6 and read as carrying none).
_AD_TAG_SCRIPT = "show_ads.js"
#: A Google Publisher Tag slot names the element it fills in the page's script: ``googletag.defineSlot(path,
#: sizes, "slot-id")`` and ``googletag.display("slot-id")``. Sites name those elements as they like ("as-0",
#: "gn-top"): an outside probe's 15 pages with such slots counted none, a horoscope farm's six among them.
_GPT_SLOT_ID = re.compile(r"""(?:defineSlot\s*\([^)]*?,\s*|googletag\.display\s*\(\s*)["']([\w.:-]{1,100})["']""")
_BY_ID = etree.XPath("//*[@id=$id]")
_MAX_GPT_SLOTS = 60  # an id is one query over the page: a hostile script naming thousands costs no more than this
_LINE = "\ue002"  # private-use characters the stylesheet writes between lines and around link records
_HIDDEN_ANCHORS = etree.XPath("(//noscript|//template|//svg|//object|//select|//canvas|//math)//a")
_ANCHORS = etree.XPath("//a")


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
_AUTHOR_ATTR = etree.XPath("boolean(descendant::*/@itemprop[.='author'] | descendant::*/@rel[.='author'])")
_ITEMTYPES = etree.XPath("//*/@itemtype", smart_strings=False)  # as "//@itemtype", without testing text nodes
#: Microdata types of a page's story (``features.metadata.ARTICLE_TYPES`` in JSON-LD): NewsArticle and the other
#: articles, BlogPosting and LiveBlogPosting, Recipe.
_STORY_ITEMTYPES = ("article", "blogposting", "recipe")
_TEXT_WITH = etree.XPath("descendant::text()[contains(., $word)]")  # as ".//text()[...]", with one step less


def _link_positions(root: HtmlElement, *groups: list[HtmlElement]) -> list[set[int]]:
    """For each group of containers, the positions (among the page's links outside noscript, template, svg,
    object, select, canvas and math, in document order) of the links inside its containers."""
    if not any(groups):
        return [set() for _ in groups]
    hidden = set(_HIDDEN_ANCHORS(root))
    position = dict(zip(filterfalse(hidden.__contains__, _ANCHORS(root)), count()))
    return [{position[a] for c in containers for a in c.iter("a") if a in position} for containers in groups]


def _texts_by_segment(text: str) -> tuple[list[str], list[str]]:
    """(line texts, their raw segments) one segment at a time: the reference way, for pages whose own text
    holds the stylesheet's private-use characters (a link record then spans a line break)."""
    texts, sources = [], []
    for segment in text.split(_LINE):
        if not segment or segment.isspace():
            continue
        bare = RECORD.sub("", segment) if "\ue005" in segment else segment
        bare = " ".join(bare.split())
        if bare:
            texts.append(bare)
            sources.append(segment)
    return texts, sources


def _texts(text: str) -> tuple[list[str], list[str]]:
    """(line texts, their raw segments): link records cut out, whitespace collapsed, empty lines dropped.

    Done on the whole text at once, which equals doing it segment by segment when no link record spans a
    line break (checked: cutting the records then removes no break).
    """
    bare = RECORD.sub("", text)
    if bare.count(_LINE) != text.count(_LINE):
        return _texts_by_segment(text)
    flat = [" ".join(s.split()) for s in bare.split(_LINE)]
    keep = [i for i, s in enumerate(flat) if s]
    if not keep:
        return [], []
    raw = text.split(_LINE)
    return [flat[i] for i in keep], [raw[i] for i in keep]


def _lines_and_anchors(
    body: HtmlElement, related: list[HtmlElement], share: list[HtmlElement]
) -> tuple[tuple[Line, ...], list[Anchor], int]:
    """(visible lines, visible links with an href, characters of all visible link texts) from one XSLT run."""
    text = str(_STYLESHEET(body))
    in_related, in_share = _link_positions(body.getroottree().getroot(), related, share)
    records = RECORD.findall(text)
    labels = collapse([label for _, label in records])
    hrefs = [href.strip() for href, _ in records]
    anchors = list(compress(map(Anchor, hrefs, labels, _flags(in_related, len(hrefs)), _flags(in_share, len(hrefs))),
                            hrefs))
    texts, sources = _texts(text)
    return make_lines(texts, sources), anchors, sum(map(len, labels))


def _flags(positions: set[int], links: int) -> list[bool]:
    """For each of ``links`` link positions, whether it is in ``positions`` (mostly empty: no Python loop then)."""
    if not positions:
        return [False] * links
    return [position in positions for position in range(links)]


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
    checked: set[HtmlElement] = set()  # many text nodes share a block: read each block's text once
    for node in _TEXT_WITH(body, word=text.split(" ", 1)[0]):
        el = node.getparent()
        if getattr(node, "is_tail", False):
            el = el.getparent()
        while el is not None and el.tag not in BLOCK_TAGS:
            el = el.getparent()
        if el is None or el in checked:
            continue
        checked.add(el)
        if visible(el) and " ".join(el.text_content().split()).startswith(text):
            blocks.append(el)
    inner = [b for i, b in enumerate(blocks) if not (i + 1 < len(blocks) and b in blocks[i + 1].iterancestors())]
    return inner[nth] if nth < len(inner) else None


def _gpt_slots(body: HtmlElement, scripts: list[str]) -> list[HtmlElement]:
    """The visible elements the page's Google Publisher Tag script fills (``_GPT_SLOT_ID``), in script order."""
    ids = dict.fromkeys(m.group(1) for text in scripts if "googletag" in text for m in _GPT_SLOT_ID.finditer(text))
    found = [el for slot in islice(ids, _MAX_GPT_SLOTS) for el in _BY_ID(body, id=slot)[:1]]
    return [el for el in found if el.tag not in INVISIBLE_TAGS and visible(el)]


def summarize_dom(root: HtmlElement) -> DomSummary:
    """Summarise ``root``: visible lines from one XSLT pass, marks and links from a few XPath queries, head tags
    from one C-level ``iter``; Python only loops over lines, links and marked elements, never over every node."""
    meta: dict[str, str] = {}
    script_srcs: list[str] = []
    inline: list[str] = []
    jsonld: list[str] = []
    iframes: list[str] = []
    canonical: str | None = None
    has_time = False
    tag_ads: list[HtmlElement] = []
    amp_shares: list[str] = []
    for el in root.iter("meta", "script", "iframe", "link", "time", *AMP_AD_TAGS, "amp-social-share"):
        tag = el.tag
        if tag in AMP_AD_TAGS:
            tag_ads.append(el)
        elif tag == "amp-social-share":
            amp_shares.append(_amp_type(el))
        elif tag == "meta":
            key = (el.get("property") or el.get("name") or el.get("itemprop") or "").lower()
            if key and key not in meta:
                meta[key] = (el.get("content") or "").strip()
        elif tag == "script":
            src = el.get("src")
            if src:
                script_srcs.append(src.strip())
                if _AD_TAG_SCRIPT in src:
                    tag_ads.append(el)
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
    ad, share, related, byline = marked_elements(body)
    ads = outermost(ad)
    gpt = _gpt_slots(body, inline)
    tag_ads += gpt
    if tag_ads:  # a slot of its own where no marked container holds it
        marked = set(ads)
        for el in tag_ads:
            if el not in marked and not any(a in marked for a in el.iterancestors()):
                ads.append(el)
                marked.add(el)
    shares = outermost(share)
    related_blocks = outermost(related)
    lines, anchors, anchor_chars = _lines_and_anchors(body, related_blocks, shares)
    microdata = any("schema.org/" in v and any(t in v.lower() for t in _STORY_ITEMTYPES) for v in _ITEMTYPES(root))
    return DomSummary(
        lines=lines,
        anchors=tuple(anchors),
        visible_chars=sum(len(line.text) for line in lines),
        anchor_chars=anchor_chars,
        ad_slots=len(ads),
        ad_marks=tuple(_AD_TAG_SCRIPT if el.tag == "script" else f"gpt slot #{el.get('id')}" if el in gpt
                       else _amp_ad_mark(el) if el.tag in AMP_AD_TAGS else ad_mark(el) for el in ads),
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
        amp_shares=tuple(amp_shares),
    )


def _amp_type(el: HtmlElement) -> str:
    """An AMP element's ``type``: an ad's network ("doubleclick"), a share button's network ("whatsapp")."""
    return (el.get("type") or "").strip().lower()[:30]


def _amp_ad_mark(el: HtmlElement) -> str:
    """An AMP ad element as evidence: its tag and network ("amp-ad type=adsense")."""
    kind = _amp_type(el)
    return f"{el.tag} type={kind}" if kind else el.tag
