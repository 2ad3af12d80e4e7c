"""Elements of a page marked, by their class or id, as ads, share widgets, related-post blocks or bylines.

A page has hundreds of class values and a few marked ones. The values are read as plain strings in one
XPath call and searched as one text: the mark words are plain substrings, found with ``str.find`` (a fast
C search), except the stand-alone ad words ("ad", "ads", "sponsored"... between separators), found with one
regex. Element objects are made only when some value matched.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate, compress

from lxml import etree
from lxml.html import HtmlElement

BLOCK_TAGS = frozenset(
    "address article aside blockquote body dd details div dl dt fieldset figcaption figure footer form h1 h2 h3 "
    "h4 h5 h6 header hr li main nav ol p pre section summary table tbody td tfoot th thead tr ul".split()
)
INVISIBLE_TAGS = frozenset(
    "script style noscript template head title svg iframe object embed select option canvas math meta link".split()
)
# Class/id markers. "ad" must stand alone between separators so "header-ad" is an ad and "shadow" is not.
#: Sponsored-content networks, whose feeds sit under articles on newsrooms and farms alike.
_AD_NETWORKS = "taboola|outbrain|mgid|mgbox|revcontent|rcjsload"
#: The word for an ad in the class names of sites in other languages ("hv-publi", "np-oglas", "gn-reklama",
#: "jv-oglasni-prostor"), and ad-box words: an outside probe's 15 pages with such slots counted none. Standing alone
#: between separators, as "ad" does ("pub" is left out: "pub-date" is a publication date).
LOCAL_AD_WORDS = ("publi", "publicidad", "publicidade", "publicite", "anuncio", "anuncios", "oglas", "oglasni",
                  "reklama", "reklame", "reklam", "reclama", "werbung", "anzeige", "adbox", "adwrap", "adzone",
                  "adspace", "adcontainer")
AD_MARK = re.compile(
    r"adsbygoogle|div-gpt-ad|gpt-ad|google_ads|dfp-|(?:^|[\s_-])(?:ads?|advert\w*|adslot|adunit|banner-ad|sponsored|"
    + "|".join(LOCAL_AD_WORDS) + rf")(?:$|[\s_-])|{_AD_NETWORKS}|code-block|ezoic"
)
#: "shared" as an adjective ("shared-content", a CMS's path for syndicated assets) is no share widget; Jetpack's
#: "sharedaddy" is one.
SHARE_MARK = re.compile(
    r"shar(?:e(?!d(?!addy))|ing)|addtoany|a2a_kit|addthis|spread-the-love|sharedaddy|ssba|heateor|social-buttons")
RELATED_MARK = re.compile(
    r"related|similar|yarpp|more-stories|recommended|read-also|also-read|you-may-like"
)  # not "most-read" / "popular-posts": a newsroom's most-read box lists its own top stories, not similar posts
BYLINE_MARK = re.compile(r"byline|author|writer|reporter")
#: A sponsored-content feed (its container says "related" too): an ad, whose bait titles are the advertisers',
#: not the site's own related posts.
_AD_FEED = re.compile(rf"{_AD_NETWORKS}|trc_related|ob-widget|zergnet|sponsored")

# Any of the four marks; the ad words' "between separators" rule as lookarounds (the reference definition).
_ANY_MARK = re.compile(
    AD_MARK.pattern.replace(r"(?:^|[\s_-])", r"(?<![^\s_-])").replace(r"(?:$|[\s_-])", r"(?![^\s_-])")
    + f"|{SHARE_MARK.pattern}|{RELATED_MARK.pattern}|{BYLINE_MARK.pattern}"
)
# The same marks split in two: plain substrings ("shar(?:e|ing)" is "share" or "sharing"; "gpt-ad" covers
# "div-gpt-ad", "share" covers "sharedaddy") and the stand-alone ad words, whose lookbehind follows the word
# so that the regex can skip ahead to candidate first letters.
_MARK_WORDS: tuple[str, ...] = (
    "adsbygoogle", "gpt-ad", "google_ads", "dfp-", "taboola", "outbrain", "mgid", "mgbox", "revcontent", "rcjsload",
    "code-block", "ezoic", "share", "sharing", "addtoany", "a2a_kit", "addthis", "spread-the-love", "ssba", "heateor",
    "social-buttons", "related", "similar", "yarpp", "more-stories", "recommended", "read-also", "also-read",
    "you-may-like", "byline", "author", "writer", "reporter",
)
_AD_WORDS = re.compile(
    r"(?:ad(?<![^\s_-]ad)(?:s|vert\w*|slot|unit)?|banner-ad(?<![^\s_-]banner-ad)|sponsored(?<![^\s_-]sponsored)|"
    + "|".join(rf"{w}(?<![^\s_-]{w})" for w in LOCAL_AD_WORDS) + r")(?![^\s_-])"
)

# "descendant-or-self::*/@class" lists the same values as ".//@class" in the same order, a little faster: libxml2
# does not test the attribute axis of every text node on the way.
_CLASS_VALUES = etree.XPath("descendant-or-self::*/@class", smart_strings=False)
_ID_VALUES = etree.XPath("descendant-or-self::*/@id", smart_strings=False)
_WITH_CLASS = etree.XPath("descendant-or-self::*[@class]")
_WITH_ID = etree.XPath("descendant-or-self::*[@id]")
_DATA_AD = etree.XPath("descendant-or-self::*/@*[starts-with(name(), 'data-ad')]/..")
#: Ad attributes among the ``data-ad*`` names: AdSense's data-ad-client, data-ad-slot, GPT wrappers' data-ad-unit,
#: data-ads, data-adunit, Advanced Ads' data-advadstrack*, AdFoxly's data-adfoxly-*; not the Facebook page
#: plugin's data-adapt-container-width (16 real and corpus pages counted it as an ad slot), data-address or
#: data-add-class.
AD_ATTRIBUTE = re.compile(r"data-ads?(?:$|[-_]|slot|unit)|data-ad(?:unit|slot|vert|vads|zone|id$|type$|fox|host)")


def _ad_attribute(el: HtmlElement) -> str | None:
    """The first of the element's attribute names that is an ad's (``AD_ATTRIBUTE``), if any."""
    return next((name for name in el.attrib if name.startswith("data-ad") and AD_ATTRIBUTE.match(name)), None)


def visible(el: HtmlElement) -> bool:
    """Whether no ancestor of ``el`` is an invisible element (script, template, svg...)."""
    return not any(a.tag in INVISIBLE_TAGS for a in el.iterancestors())


def outermost(marked: list[HtmlElement]) -> list[HtmlElement]:
    """The marked elements that have no marked ancestor, in the order given."""
    chosen = set(marked)
    return [el for el in marked if not any(a in chosen for a in el.iterancestors())]


#: A class naming what an element holds or lacks, not what it is: WordPress themes put "has-header-ad",
#: "has-mobile-share" or "no-sidebar" on the body and on page wrappers (an outside probe's newsroom page read its
#: whole body as an ad slot and a share block). Blanked, length kept, before the marks are searched.
_STATE_CLASS = re.compile(r"(?<![^\s])(?:has|no|with|without)[-_]\S*")


def _blank_states(text: str) -> str:
    """``text`` with its state classes (``_STATE_CLASS``) turned into spaces of the same length."""
    return _STATE_CLASS.sub(lambda m: " " * len(m.group()), text)


def marks(el: HtmlElement) -> str:
    """The element's class and id, lowercased, state classes blanked: the text the marks are searched in."""
    return _blank_states(f"{el.get('class', '')} {el.get('id', '')}".lower())


def ad_mark(el: HtmlElement) -> str:
    """What marks ``el`` as an ad, as evidence: its class or id words holding an ad mark, else its ad attribute."""
    words = [word for word in marks(el).split() if AD_MARK.search(word)]
    if words:
        return " ".join(words)[:60]
    return _ad_attribute(el) or el.tag


def _marked_by_regex(distinct: list[str], joined: str) -> set[str]:
    """The reference search: one ``_ANY_MARK`` pass over the lowercased values (used when lowercasing changes
    lengths, where it maps matches to values by the original lengths; kept exactly as it always was)."""
    ends = list(accumulate(len(v) + 1 for v in distinct))
    marked = set()
    for match in _ANY_MARK.finditer(joined):
        start = match.start() + (joined[match.start()] == "\n")
        marked.add(distinct[bisect_right(ends, start)])
    return marked


def marked_values(values: list[str]) -> set[str]:
    """The distinct class (or id) values holding any mark (a match of ``_ANY_MARK`` on the lowercased value)."""
    if not values:
        return set()
    distinct = list(dict.fromkeys(values))  # sites repeat their classes: search each one once
    raw = "\n".join(distinct)
    joined = _blank_states(raw.lower())
    if len(joined) != len(raw):
        return _marked_by_regex(distinct, joined)
    # No match spans a newline (no mark word holds one, \w does not match it), so a value holds a match
    # exactly when a mark word or an ad word is found inside its span of the joined text.
    ends = list(accumulate(len(v) + 1 for v in distinct))
    found: set[int] = set()
    for word in _MARK_WORDS:
        pos = joined.find(word)
        while pos >= 0:
            if word == "share" and joined.startswith("d", pos + 5) and not joined.startswith("daddy", pos + 5):
                pos = joined.find(word, pos + 1)  # "shared-content": an adjective, no share widget
                continue
            index = bisect_right(ends, pos)
            found.add(index)
            pos = joined.find(word, ends[index])
    for match in _AD_WORDS.finditer(joined):
        found.add(bisect_right(ends, match.start()))
    return {distinct[i] for i in found}


def _elements_marked(body: HtmlElement, values_of: etree.XPath, elements_of: etree.XPath) -> list[HtmlElement]:
    """The elements whose value (class or id) holds a mark: ``elements_of`` lists the elements carrying the
    attribute in the order ``values_of`` lists their values, so element objects are made only when some matched."""
    values = values_of(body)
    marked = marked_values(values)
    if not marked:
        return []
    return list(compress(elements_of(body), map(marked.__contains__, values)))


def marked_elements(body: HtmlElement) -> tuple[list[HtmlElement], list[HtmlElement], list[HtmlElement], bool]:
    """(ad, share, related, byline) marked elements, visible ones only, in document order.

    Elements found by their class come first in document order, then those found only by id or data-ad*:
    only the order of the ad evidence depends on it (sorting by document position cost more than the rest).
    """
    hits = dict.fromkeys(_elements_marked(body, _CLASS_VALUES, _WITH_CLASS))
    hits.update(dict.fromkeys(_elements_marked(body, _ID_VALUES, _WITH_ID)))
    data_ad = [el for el in _DATA_AD(body) if el not in hits and _ad_attribute(el) is not None]
    elements = [el for el in hits if el.tag not in INVISIBLE_TAGS and visible(el)]
    elements += [el for el in data_ad if el.tag not in INVISIBLE_TAGS and visible(el)]
    ad, share, related = [], [], []
    byline = False
    for el in elements:
        text = marks(el)
        if AD_MARK.search(text) or _ad_attribute(el) is not None:
            ad.append(el)
        if len(text) > 1:
            if SHARE_MARK.search(text):
                share.append(el)
            if RELATED_MARK.search(text) and not _AD_FEED.search(text):  # Taboola's "trc_related_container"
                related.append(el)
            # an empty byline box ("amp-wp-byline" with no name in it: an outside probe's AMP farm) names no author
            byline = byline or bool(BYLINE_MARK.search(text) and el.text_content().strip())
    return ad, share, related, byline
