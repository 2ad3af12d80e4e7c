"""Boilerplate traits: promo and call-to-action footers, share widgets, related-post blocks, subscribe prompts.

Farms append the same furniture to every copy: "To join the group ... click: Join Group and your request will
be approved immediately", a "Spread the love" row of sharer links, a "Similar posts" list of clickbait titles,
push-notification prompts. Extraction drops most of it, so these traits read the whole page's visible lines
(phrase lists from ``features/phrases/``, any language) and the DOM (sharer URLs, widget classes, scripts).
Without a DOM the phrase traits read the main text and the markup traits are 0.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate

from lxml.html import HtmlElement

from features.dom_marks import SHARE_MARK
from features.dom_summary import Anchor
from features.phrases import PhraseHit, fold, fold_many, phrasebook, token_stream, tokenize
from features.registry import trait
from features.view import Found, PageView, host_of

FAMILY = "boilerplate"
SHARER_URLS: tuple[tuple[str, str], ...] = (
    ("facebook.com/sharer", "facebook"), ("facebook.com/share.php", "facebook"),
    ("facebook.com/dialog/share", "facebook"), ("twitter.com/intent/tweet", "twitter"),
    ("twitter.com/share", "twitter"), ("x.com/intent/", "twitter"), ("api.whatsapp.com/send", "whatsapp"),
    ("wa.me/?", "whatsapp"), ("whatsapp://send", "whatsapp"), ("viber://forward", "viber"),
    ("t.me/share", "telegram"), ("telegram.me/share", "telegram"), ("linkedin.com/sharing", "linkedin"),
    ("linkedin.com/sharearticle", "linkedin"), ("pinterest.com/pin/create", "pinterest"),
    ("reddit.com/submit", "reddit"), ("vk.com/share", "vk"), ("mailto:?", "email"),
)
PUSH_SCRIPTS: tuple[tuple[str, str], ...] = (
    ("onesignal", "onesignal"), ("pushengage", "pushengage"), ("izooto", "izooto"), ("webpushr", "webpushr"),
    ("pushcrew", "pushcrew"), ("subscribers.com", "subscribers"), ("pushnami", "pushnami"),
    ("sendpulse", "sendpulse"), ("aimtell", "aimtell"), ("gravitec", "gravitec"), ("truepush", "truepush"),
    ("pushowl", "pushowl"), ("notix", "notix"), ("firebase-messaging", "firebase_messaging"),
    ("notification.requestpermission", "web_push_api"), ("pushmanager.subscribe", "web_push_api"),
    ("pushalert", "pushalert"), ("amp-web-push", "amp_web_push"), ("wonderpush", "wonderpush"),
    ("pushpushgo", "pushpushgo"), ("pushassist", "pushassist"),
)
CLICKBAIT_CATEGORIES = frozenset({"clickbait", "superlative"})
RELATED_LINKS_MAX = 20
TITLE_MIN_WORDS = 4


def _lines_trait(view: PageView, category: str) -> tuple[float, str | None]:
    lines = view.hit_lines(category)
    return float(len(lines)), view.evidence(category)


@trait(
    name="promo_cta_lines",
    meaning="Page lines with a promo call to action ('just click', 'follow us on', 'download our app').",
    family=FAMILY,
)
def promo_cta_lines(view: PageView) -> tuple[float, str | None]:
    """Calls to action glued under the text are the farm's own promotion, repeated on every copy.

    A line that is the site's utility (a comment form's "click here to cancel reply", "sign in", a cookie
    notice's "click here for more information") promotes nothing: a real page in seven had one counted."""
    utility = set(view.hit_lines("site_utility"))
    lines = [i for i in view.hit_lines("promo_cta") if i not in utility]
    if not lines:
        return 0.0, None
    first = next(f for f in view.found["promo_cta"] if f.line == lines[0])
    return float(len(lines)), view.evidence_of(first)


@trait(
    name="join_group_prompt",
    meaning="Page lines inviting readers to join a group or channel ('To join the group ... Join Group').",
    family=FAMILY,
)
def join_group_prompt(view: PageView) -> tuple[float, str | None]:
    """The Albanian-network 'join the group, approved immediately' footer travels with copied articles."""
    return _lines_trait(view, "join_group")


@trait(
    name="share_widget_labels",
    meaning="Page lines with share-widget labels ('Spread the love', 'Share on Facebook').",
    family=FAMILY,
)
def share_widget_labels(view: PageView) -> tuple[float, str | None]:
    """Share-bar labels, found in the visible text (extraction drops them from the main text).

    A bare label ("Сподели:", "Share:") counts in a short line only (``SHARE_LABEL_WORDS``): in another language
    the same word may be prose ("Опозицията сподели: …", Bulgarian for "the opposition shared: ..."), and every
    phrase list is searched on every page."""
    found = [f for f in view.found.get("share_widget", ()) if not _bare_label_in_prose(view, f)]
    if not found:
        return 0.0, None
    return float(len(dict.fromkeys(f.line for f in found))), view.evidence_of(found[0])


SHARE_LABEL_WORDS = 12


def _bare_label_in_prose(view: PageView, found: Found) -> bool:
    """Whether a hit is a one-word label with its colon ("сподели :") in a line longer than ``SHARE_LABEL_WORDS``."""
    hit = found.hit
    return (hit.end - hit.start <= 2 and hit.phrase.rstrip().endswith(":")
            and len(view.lines[found.line].text.split()) > SHARE_LABEL_WORDS)


_SHARER = re.compile("|".join(re.escape(needle) for needle, _ in SHARER_URLS))
_NETWORK_OF = dict(SHARER_URLS)


def _sharer_network(href: str) -> str | None:
    """The network a sharer link shares to (one regex pass instead of a loop over the needles)."""
    found = _SHARER.search(href.lower())
    return _NETWORK_OF[found.group()] if found else None


def _sharer_networks(hrefs: list[str]) -> list[str | None]:
    """``_sharer_network`` of each link, from one regex pass over all of them (no needle holds a newline, so
    the first match inside a link's span of the joined text is the one a search of that link alone finds)."""
    raw = "\n".join(hrefs)
    joined = raw.lower()
    if len(joined) != len(raw):  # lowercasing changed a length: spans would not line up
        return [_sharer_network(h) for h in hrefs]
    present = [needle for needle, _ in SHARER_URLS if needle in joined]  # fast C scans
    out: list[str | None] = [None] * len(hrefs)
    if not present:
        return out
    # Needles absent from the text match nowhere, so leaving them out (order kept) changes no match.
    sharer = _SHARER if len(present) == len(SHARER_URLS) else re.compile("|".join(map(re.escape, present)))
    ends = list(accumulate(len(h) + 1 for h in hrefs))
    for match in sharer.finditer(joined):
        index = bisect_right(ends, match.start())
        if out[index] is None:
            out[index] = _NETWORK_OF[match.group()]
    return out


@trait(
    name="share_links",
    meaning="Sharer links (facebook sharer, tweet intent, whatsapp/viber/telegram share) on the page.",
    family=FAMILY,
)
def share_links(view: PageView) -> tuple[float, str | None]:
    """Counts the share-bar links themselves; evidence names the networks."""
    if view.summary is None:
        return 0.0, None
    networks = [n for n in _sharer_networks([a.href for a in view.summary.anchors]) if n]
    return float(len(networks)), (", ".join(dict.fromkeys(networks)) if networks else None)


@trait(
    name="share_widget_markup",
    meaning="Share-widget containers (class/id like share, addtoany, spread-the-love) and share plugin scripts.",
    family=FAMILY,
)
def share_widget_markup(view: PageView) -> tuple[float, str | None]:
    """Share plugins leave containers and scripts even when their labels are icons."""
    summary = view.summary
    if summary is None:
        return 0.0, None
    scripts = [s for s in summary.script_srcs if SHARE_MARK.search(s.lower())]
    if summary.amp_shares:  # AMP's share buttons: what they share to, not the script that draws them
        evidence = "amp-social-share: " + ", ".join(dict.fromkeys(t for t in summary.amp_shares if t) or ["?"])
        return float(summary.share_blocks + max(1, len(scripts))), evidence[:160]
    # the plugin's file name, not its CDN path ("amp-social-share-0.1.js", as a probe's reason quoted the whole URL)
    return float(summary.share_blocks + len(scripts)), (_file_name(scripts[0]) if scripts else None)


def _file_name(src: str) -> str:
    """A script source's last path segment without its query ("https://cdn.x/v0/a.js?v=2" -> "a.js")."""
    path = src.split("?", 1)[0].split("#", 1)[0].rstrip("/")
    return (path.rsplit("/", 1)[-1] or path)[:120]


def _related_headings(view: PageView) -> list[int]:
    """Indexes of short lines that are a related-posts heading ('Similar posts', 'Lexo edhe'); cached."""
    return view.memo("boilerplate.related_headings", _find_related_headings)


def _find_related_headings(view: PageView) -> list[int]:
    out: list[int] = []
    for found in view.found.get("related_heading", ()):
        line = view.lines[found.line]
        words = sum(1 for t in line.tokens if t[0].isalnum())
        if words <= (found.hit.end - found.hit.start) + 3 and found.line not in out:
            out.append(found.line)
    return out


def _related_anchor_texts(view: PageView) -> list[str]:
    """Link titles of the related-posts blocks: class-marked containers and the links after a heading."""
    return view.memo("boilerplate.related_titles", _find_related_anchor_texts)


def _find_related_anchor_texts(view: PageView) -> list[str]:
    summary = view.summary
    if summary is None:
        return []
    texts = [a.text for a in summary.anchors if a.in_related and a.text]
    # The elements themselves, not id(): the set keeps them alive, so a freed proxy's id cannot come back as
    # another link's and hide it (it did: two of four titles of a 'Leia também' block went missing).
    seen: set[HtmlElement] = set()
    for index in _related_headings(view):
        heading: HtmlElement | None = view.line_element(index)
        if heading is None:
            continue
        for sibling in heading.itersiblings():
            for a in sibling.iter("a"):
                if a in seen or len(seen) >= RELATED_LINKS_MAX:
                    continue
                seen.add(a)
                text = " ".join(a.text_content().split())
                if text and text not in texts:
                    texts.append(text)
    return texts


def _bait(text: str, tokens: Sequence[str], hits: list[PhraseHit]) -> list[str]:
    """The clickbait markers of one title, given its folded tokens (its first two at least: only a leading
    number reads them) and the bait phrases found in them.

    Superlatives ("best", "ever", "the most") and words in capitals count only beside another marker: "Best
    Ever Banana Bread", "CBCG: inflation slows" and "VIDEO: the flood in Doboj" are ordinary headlines (an
    acronym or a "VIDEO:" label opens many), "10 best ..." and "SHOCKING: you won't believe" are not. A year
    opening the title ("2024 budget passed") is no leading number, nor a news count (``_listicle_count``)."""
    # One phrase is one marker, however many languages' lists hold it ("horoskop": German, Polish and Serbian;
    # a probe's horoscope title read as three markers, "horoskop, horoskop, horoskop").
    signals = list(dict.fromkeys(h.phrase for h in hits if h.category != "superlative"))
    if _EMOJI.search(text):  # "... – 😱", "👇👇": newsrooms do not dress their headlines up so
        signals.append("emoji")
    if _listicle_count(tokens):
        signals.append("leading number")
    if text.rstrip().endswith("!"):  # a question is an ordinary headline ("What changes for renters?")
        signals.append("ends with !")
    if not signals:
        return []
    if any(_shouted(w) for w in text.split()):
        signals.append("CAPS word")
    return [*signals, *dict.fromkeys(h.phrase for h in hits if h.category == "superlative" and h.phrase not in signals)]


_YEAR = re.compile(r"(?:19|20)\d\d")
#: A listicle's count ("12 photos you will look at twice", "25 worst inductees"); news counts people and things
#: in small numbers ("3 hospitalized after crash", "2 killed"), and numbers glued to a unit or a decimal ("16-inch
#: MacBook", "55°F", "3.2 years") count nothing.
LISTICLE_MIN, LISTICLE_MAX = 5, 100


def _listicle_count(tokens: Sequence[str]) -> bool:
    """Whether the title opens with a listicle's count: a number from 5 to 100, not a year, then a word."""
    if len(tokens) < 2 or not tokens[0].isdecimal() or _YEAR.fullmatch(tokens[0]):
        return False
    return LISTICLE_MIN <= int(tokens[0]) <= LISTICLE_MAX and tokens[1][0].isalpha()
#: Pictographs: faces, hands, symbols (U+1F300-1FAFF) and dingbats (U+2600-27BF), not letters or punctuation.
_EMOJI = re.compile("[\U0001F300-\U0001FAFF\u2600-\u27BF]")


_SHOUT_STRIP = "():!?,.;\"'«»“”"


def _shouted(word: str) -> bool:
    """A word in capitals that shouts ("SHOCKING", "WATCH:", "(FOTO)"), not an acronym naming something ("FCSB",
    "NATO", "UEFA"): five letters or more, or four set off by a colon, '!' or parentheses."""
    bare = word.strip(_SHOUT_STRIP)
    if len(bare) < 4 or not (bare.isupper() and bare.isalpha()):
        return False
    return len(bare) >= 5 or word.endswith((":", "!")) or (word.startswith("(") and word.rstrip(".,").endswith(")"))


def clickbait_signals(text: str) -> list[str]:
    """The clickbait markers of one title: bait phrases, superlatives, a leading number, '!', CAPS words."""
    tokens = tokenize(fold(unicodedata.normalize("NFC", text)))
    return _bait(text, tokens, list(phrasebook().find(tokens, CLICKBAIT_CATEGORIES)))


def _many_signals(titles: list[str]) -> list[list[str]]:
    """``clickbait_signals`` of each title, with one tokenizer and one phrase-matcher call for them all."""
    if any("\n" in t for t in titles):
        return [clickbait_signals(t) for t in titles]
    norms = fold_many(unicodedata.normalize("NFC", "\n".join(titles)).split("\n"))
    stream, starts = token_stream(norms)
    hits: list[list[PhraseHit]] = [[] for _ in titles]
    for hit in phrasebook().find(stream, CLICKBAIT_CATEGORIES):
        hits[bisect_right(starts, hit.start) - 1].append(hit)
    return [_bait(t, stream[i : i + 2], h) for t, i, h in zip(titles, starts, hits)]


def _clickbait_share(view: PageView, titles: list[str]) -> tuple[float, str | None]:
    cache: dict[str, list[str]] = view.memo("boilerplate.clickbait", lambda _: {})
    todo = [t for t in dict.fromkeys(titles) if t not in cache]
    if todo:
        cache.update(zip(todo, _many_signals(todo)))
    bait = [(t, cache[t]) for t in titles if cache[t]]
    if not bait:
        return 0.0, None
    title, signals = bait[0]
    return len(bait) / len(titles), f"{title[:100]} [{', '.join(signals[:4])}]"


@trait(
    name="related_blocks",
    meaning="Related/similar-posts blocks on the page (by heading phrase or container class).",
    family=FAMILY,
)
def related_blocks(view: PageView) -> tuple[float, str | None]:
    """Farms keep readers on site with long 'Similar posts' lists; the count, not yet their bait."""
    headings = _related_headings(view)
    containers = view.summary.related_blocks if view.summary is not None else ()
    elements = [view.line_element(i) for i in headings]
    # Elements themselves (not id()) in the set: it keeps them alive, so no id is reused by another element.
    heading_parents = {el.getparent() for el in elements if el is not None}
    extra = sum(1 for el in elements if el is None)
    count = len(heading_parents | set(containers)) + extra
    evidence = view.lines[headings[0]].text[:80] if headings else None
    return float(count), evidence


@trait(
    name="related_clickbait_share",
    meaning="Fraction of related-posts link titles with clickbait markers (superlatives, 'shocking', horoscope).",
    family=FAMILY,
)
def related_clickbait_share(view: PageView) -> tuple[float, str | None]:
    """Newsrooms link related news; farms link 'you won't believe' celebrity and horoscope bait."""
    titles = _related_anchor_texts(view)
    return _clickbait_share(view, titles) if titles else (0.0, None)


def _title_like(anchor: Anchor) -> bool:
    words = anchor.text.split()
    if len(words) < TITLE_MIN_WORDS:  # most links ("Home", "Facebook") stop here
        return False
    letters = sum(map(str.isalpha, words))  # most words are all letters: counted in C
    if letters >= TITLE_MIN_WORDS:
        return True
    return letters + sum(1 for w in words if not w.isalpha() and any(c.isalpha() for c in w)) >= TITLE_MIN_WORDS


@trait(
    name="clickbait_link_share",
    meaning="Fraction of the page's headline-like links (4+ words) to its own site whose titles carry clickbait "
            "markers.",
    family=FAMILY,
)
def clickbait_link_share(view: PageView) -> tuple[float, str | None]:
    """Clickbait anywhere on the page (sidebars, footers), not only in a marked related block; the site's own
    headlines only: a sponsored feed (Taboola's "Surgeons stunned by...") links advertisers, and newsrooms run
    those as often as farms do (an outside probe: two publisher pages flagged by one)."""
    if view.summary is None:
        return 0.0, None
    # A summary's link texts are whitespace-collapsed (single spaces), so a text with fewer spaces than a title's
    # words less one has too few words: most links stop at this cheap count before ``_title_like``.
    anchors = [a for a in view.summary.anchors if a.text.count(" ") >= TITLE_MIN_WORDS - 1]
    titles = list(dict.fromkeys(a.text for a in anchors if _title_like(a) and _own_link(view, a.href)))
    return _clickbait_share(view, titles) if titles else (0.0, None)


def _own_link(view: PageView, href: str) -> bool:
    """Whether a link stays on the page's own site (relative, or to one of its hosts)."""
    if not href.startswith(("http", "//")):
        return not href.startswith(("mailto:", "javascript:", "tel:"))
    return view.is_own_host(host_of(href))


@trait(name="title_clickbait", meaning="Clickbait markers in the page's own title.", family=FAMILY)
def title_clickbait(view: PageView) -> tuple[float, str | None]:
    """Rewritten headlines gain 'shocking' and superlatives that the original did not have, or shout a word of
    the story in capitals ("Tanker Prices DOUBLE", "Town SHUTS Arena"), in any language."""
    title = view.article.title or ""
    signals = clickbait_signals(title) or _emphasis(title, view)
    return float(len(signals)), (", ".join(signals) if signals else None)


def _unlabelled(words: list[str]) -> list[str]:
    """The words of a headline less its labels: runs of words in capitals closed by a colon ("LIVE:", "ÚLTIMA
    HORA:", "BREAKING NEWS:")."""
    out: list[str] = []
    run: list[str] = []
    for word in words:
        if word.isupper():
            run.append(word)
            if word.endswith(":"):
                run = []
            continue
        out += run + [word]
        run = []
    return out + run


#: A site's name closing the headline ("... - BLINKER", "... | WNEWS"): three words at most after a dash or a bar.
_SITE_SUFFIX = re.compile(r"\s+[-|–]\s+\S+(?:\s+\S+){0,2}\s*$")
#: Headlines with this many words in capitals are set so ("ORSO MARSICANO: UN ANNO DA RECORD"): none shouts.
CAPITALS_STYLE = 3


def _emphasis(title: str, view: PageView) -> list[str]:
    """A word the headline shouts that the story itself writes in small letters: an ordinary word set in capitals
    for effect, not an acronym (the text writes "NATO" as the title does) nor a label ("LIVE:", "ÚLTIMA HORA:"),
    in a headline not set in capitals (nor the site's name closing it). Outside probes' farm headlines: 17 of 672
    pages, their clean pages 0 of 744; real publisher pages 1 of 571 (a tabloid's "warns SURRENDER is only
    option")."""
    words = _SITE_SUFFIX.sub("", title).split()
    shouted = [w for w in _unlabelled(words) if _shouted(w)]
    capitals = sum(1 for w in words if w.isupper() and sum(map(str.isalpha, w)) > 1)
    if not shouted or capitals >= CAPITALS_STYLE or 2 * capitals > len(words):
        return []
    text = view.article.text.replace(title, "")  # the headline shown atop the text says nothing of the story's usage
    small = None
    for word in shouted:
        bare = word.strip(_SHOUT_STRIP)
        if bare in text:
            continue
        if small is None:
            small = frozenset(view.norm_words)
        if fold(bare) in small:
            return [f"shouted word ({bare})"]
    return []


@trait(
    name="subscribe_prompts",
    meaning="Page lines prompting newsletter, channel or push-notification sign-up.",
    family=FAMILY,
)
def subscribe_prompts(view: PageView) -> tuple[float, str | None]:
    """Subscription nags in the text; push prompts often exist only as scripts (see push_notification_scripts)."""
    return _lines_trait(view, "subscribe_push")


@trait(
    name="push_notification_scripts",
    meaning="Distinct web-push services loaded by the page (OneSignal, PushEngage, iZooto...).",
    family=FAMILY,
)
def push_notification_scripts(view: PageView) -> tuple[float, str | None]:
    """Push-notification SDKs are cheap reach for farms; rare on newspaper article pages."""
    summary = view.summary
    if summary is None:
        return 0.0, None
    haystack = " ".join(summary.script_srcs).lower() + "\n" + summary.inline_scripts
    services = list(dict.fromkeys(name for needle, name in PUSH_SCRIPTS if needle in haystack))
    return float(len(services)), (", ".join(services) if services else None)
