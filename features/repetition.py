"""Repetition traits: the title pasted into the body, duplicated lines and paragraphs, repeated n-grams.

Content farms pad copies by repeating the headline (botasot repeats a lowercased title line twice at the top
of the body) and by duplicating paragraphs; the Gopher repetition rules measure the rest: the share of text in
the most frequent 2-4-gram and in any duplicated 5-10-gram (computed here as in datatrove's Gopher filter).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import numpy as np
from lxml import etree

from features.phrases import PLAIN_PUNCTUATION, fold, fold_many, phrasebook, tokenize
from features.registry import trait
from features.view import PageView, norm_words_of

FAMILY = "repetition"
TITLE_JACCARD = 0.7
#: A title or slug of fewer words must be matched whole: one added word keeps a 3-word slug's Jaccard at 0.75, and
#: a keyword page's subheadings ("Soñar con serpientes negras" under the slug "sonar-con-serpientes") read as
#: repeats of it (an outside probe).
TITLE_JACCARD_MIN_WORDS = 5
PAGE_LINE_MIN_CHARS = 20
_SLUG_SPLIT = re.compile(r"[-_+.]+")


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


#: Punctuation that a title pasted "without punctuation" loses from inside its words ("U.S.-backed", "US-China").
_IN_WORD_PUNCTUATION = re.compile(r"[^\w\s]+")


def _title_words(folded: str) -> frozenset[str]:
    """Words of a folded title or line with apostrophes dropped, so that a title pasted without its
    punctuation ("googles", "theyre") still has the title's words ("google's", "they're")."""
    return frozenset(t for t in tokenize(folded.replace("'", "")) if len(t) > 1 or t.isalnum())


def _title_variants(view: PageView) -> list[frozenset[str]]:
    """Word sets of the title, of its longest part between site-name separators (the headline) and of the URL
    slug (farms often paste the slug, which reorders the title)."""
    variants = []
    if view.article.title:
        folded = fold(view.article.title)
        variants.append(_title_words(folded))
        joined = _title_words(_IN_WORD_PUNCTUATION.sub("", folded))  # "U.S.-backed" pasted as "usbacked"
        if joined != variants[0]:
            variants.append(joined)
        parts = _SITE_PART.split(folded)
        if len(parts) > 1:  # the headline without the site's name: "spiced honey pear jam recipe | the anti-june ..."
            variants.append(_title_words(max(parts, key=lambda part: len(part.split()))))
    for url in (view.article.canonical, view.article.url):
        if not url:
            continue
        segments = [s for s in urlsplit(url).path.split("/") if s]
        if segments:
            slug = segments[-1].rsplit(".", 1)[0] if segments[-1].endswith((".html", ".htm", ".php")) else segments[-1]
            words = frozenset(w for w in _SLUG_SPLIT.split(fold(slug)) if w.isalpha())
            if len(words) >= 3:
                variants.append(words)
    return [v for v in variants if len(v) >= 3]


def _plain_title(text: str) -> str:
    """The title as written, for telling the kept headline apart: spaces collapsed, end punctuation and quote
    styles ignored (a title from og:title has straight quotes where the page's headline has curly ones)."""
    return " ".join(text.translate(PLAIN_PUNCTUATION).split()).rstrip(" .!?:;")


def _opens_with(text: str, word: str) -> bool:
    """Whether ``text`` can read as a plain title opening with ``word`` (the headline's first word): its own first
    word, quotes made plain, starts with it. Needed for ``_plain_title(text)`` to equal the headline, and much
    cheaper on a long paragraph (``_plain_title`` translates the whole text, character by character)."""
    first = text.split(None, 1)
    return bool(first) and first[0][: len(word)].translate(PLAIN_PUNCTUATION) == word


#: Separators between a headline and the site's name in a page title ("Headline | Site", "Site - Headline").
_SITE_PART = re.compile(r"\s+(?:[|\-:·»/]|::)\s+")


def _headlines(title: str) -> frozenset[str]:
    """The plain title and the plain title without its site-name parts: the headline a page prints once, which
    extraction keeps as the first line ("Star Wars Jedi: Fallen Order review - shoots for the moon" under the title
    "... | Games | The Guardian"; one real page in ten read as repeating its title): every run of the title's
    separator-delimited parts of three words or more."""
    plain = _plain_title(title)
    if not plain:
        return frozenset()
    separators = list(_SITE_PART.finditer(plain))
    starts = [0, *(m.end() for m in separators)]
    ends = [*(m.start() for m in separators), len(plain)]
    found = {plain}
    for start in starts:
        for end in ends:
            candidate = _plain_title(plain[start:end])
            if end > start and len(candidate.split()) >= 3:
                found.add(candidate)
    return frozenset(found)


@trait(
    name="title_repeated",
    meaning="Main-text lines that repeat the title or URL slug (word Jaccard >= 0.7), the headline itself aside.",
    family=FAMILY,
)
def title_repeated(view: PageView) -> tuple[float, str | None]:
    """A headline pasted into the body (often lowercased, often twice) is a template of copy farms.

    The first line written exactly as the title (same case and words; the title without its site name will do)
    or, failing that, the first repeating line the page shows as a heading, is the headline that extraction kept,
    as on many newspaper pages, and is not counted, unless the page shows it as a heading and again as a body
    paragraph or a second heading (extraction dropped one and kept the other); a lowercased or second copy is.
    """
    variants = _title_variants(view)
    if not variants:
        return 0.0, None
    longest = 2 * max(len(view.article.title or ""), 60) + 20
    headlines = _whole_title_first(view, _headlines(view.article.title or ""))
    headline_seen = not headlines
    openings = {h.split(" ", 1)[0] for h in headlines}
    glued = _glued_openings(headlines)
    hits = []
    for line in view.main_lines:
        if (not headline_seen and any(_opens_with(line.text, o) for o in openings)
                and _plain_title(line.text) in headlines):
            headline_seen = True
            if not _pasted_under_heading(view, line.text):
                continue
        if len(line.text) > longest:
            if headline_seen and glued and _plain_title(line.text[: glued[0]]).startswith(glued[1]):
                hits.append(line.text)  # the title again, glued to the first sentence of a paragraph
            continue
        words = _title_words(line.norm)
        if len(words) < 4:
            continue
        if not any(len(words) <= 2 * len(variant) + 2 and _ratio(len(words & variant), len(words | variant))
                   >= (TITLE_JACCARD if len(variant) >= TITLE_JACCARD_MIN_WORDS else 1.0) for variant in variants):
            continue
        if not headline_seen and _shown_as_heading(view, line.text):
            headline_seen = True  # the page's headline, worded apart from its title ("... Jam" for "... Jam Recipe")
            if not _pasted_under_heading(view, line.text):
                continue
        hits.append(line.text)
    return float(len(hits)), (f"{len(hits)}x: {hits[0][:120]}" if hits else None)


def _whole_title_first(view: PageView, headlines: frozenset[str]) -> frozenset[str]:
    """The headlines to take the kept headline from: the whole title alone when a line reads it, so that a
    kicker reading one part of it ("Citație prin publicitate" above "Citație prin publicitate – Dosar nr. 4817")
    is not taken for the headline and the headline itself for a repeat (an outside probe's court notice)."""
    whole = _plain_title(view.article.title or "")
    if len(headlines) < 2 or not whole:
        return headlines
    opening = whole.split(" ", 1)[0]
    if any(_opens_with(line.text, opening) and _plain_title(line.text) == whole for line in view.main_lines):
        return frozenset({whole})
    return headlines


GLUED_TITLE_MIN_WORDS = 5


def _glued_openings(headlines: frozenset[str]) -> tuple[int, tuple[str, ...]] | None:
    """(how much of a line to read, the openings) that make a long line the title glued to the front of a
    paragraph: a headline of five words or more, then a space. A farm pastes the title in front of the first
    paragraph ("Velike promjene u bolnici: evo što čeka pacijente Opća bolnica ..."); asked only once the
    headline itself was seen, so a page whose extraction ran its only headline into the text is not counted."""
    long = tuple(h + " " for h in headlines if len(h.split()) >= GLUED_TITLE_MIN_WORDS)
    return (2 * max(map(len, long)), long) if long else None


#: Whether some h1, h2 or h3 reads ``$text``: one test per heading, not per element (as "//*[self::h1 or ...]" was).
_HEADING_READING = etree.XPath("//h1[normalize-space(.) = $text] or //h2[normalize-space(.) = $text]"
                               " or //h3[normalize-space(.) = $text]")
#: A body paragraph: followed by more paragraphs, not inside a link, menu, sidebar or footer (teaser cards).
_PARAGRAPH_READING = etree.XPath("//body//p[normalize-space(.) = $text][following-sibling::p]"
                                 "[not(ancestor::a or ancestor::nav or ancestor::aside or ancestor::footer)]")


def _shown_as_heading(view: PageView, text: str) -> bool:
    """Whether an h1, h2 or h3 of the page reads ``text``."""
    return view.dom is not None and bool(_HEADING_READING(view.dom, text=text))


def _shown_as_paragraph(view: PageView, text: str) -> bool:
    """Whether a body paragraph of the page reads ``text`` (``_PARAGRAPH_READING``)."""
    return view.dom is not None and bool(_PARAGRAPH_READING(view.dom, text=text))


def _pasted_under_heading(view: PageView, text: str) -> bool:
    """Whether the page shows ``text`` (the title line that extraction kept) as a heading and again as a body
    paragraph or a second heading in the article: then the kept line is the pasted copy (extraction drops the
    heading above the text, or keeps one of two), not the headline itself."""
    if not _shown_as_heading(view, text):
        return False
    return _shown_as_paragraph(view, text) or _heading_count(view, text) >= 2


#: The h1-h3 headings reading ``$text`` outside links, menus, sidebars and footers (a teaser card, a sticky bar's
#: copy of the headline in a menu or a related-posts list is the site's, not a paste).
_HEADINGS_READING = etree.XPath(
    "count((//h1 | //h2 | //h3)[normalize-space(.) = $text]"
    "[not(ancestor::a or ancestor::nav or ancestor::aside or ancestor::footer)])")


def _heading_count(view: PageView, text: str) -> int:
    """How many article headings (``_HEADINGS_READING``) read ``text``."""
    return int(_HEADINGS_READING(view.dom, text=text)) if view.dom is not None else 0


def _duplicates(items: Sequence[str]) -> tuple[int, int, int, int | None]:
    """(duplicate items, characters in duplicates, total characters, index of the first duplicate)."""
    seen: set[str] = set()
    dup = dup_chars = total = 0
    first = None
    for index, item in enumerate(items):
        total += len(item)
        if item in seen:
            dup += 1
            dup_chars += len(item)
            first = index if first is None else first
        else:
            seen.add(item)
    return dup, dup_chars, total, first


@trait(name="duplicate_line_fraction", meaning="Fraction of main-text lines that repeat an earlier line (Gopher).", family=FAMILY)
def duplicate_line_fraction(view: PageView) -> tuple[float, str | None]:
    """Repeated lines are padding or a broken scrape."""
    lines = view.main_lines
    dup, _, _, first = _duplicates([line.norm for line in lines])
    return _ratio(dup, len(lines)), (lines[first].text[:120] if first is not None else None)


@trait(
    name="duplicate_line_char_fraction",
    meaning="Fraction of main-text characters in lines that repeat an earlier line (Gopher).",
    family=FAMILY,
)
def duplicate_line_char_fraction(view: PageView) -> float:
    """Like duplicate_line_fraction, weighted by length so one repeated headline counts as much as it weighs."""
    _, dup_chars, total, _ = _duplicates([line.norm for line in view.main_lines])
    return _ratio(dup_chars, total)


@trait(
    name="duplicate_paragraph_fraction",
    meaning="Fraction of paragraphs that repeat an earlier paragraph (Gopher).",
    family=FAMILY,
)
def duplicate_paragraph_fraction(view: PageView) -> float:
    """Copy-paste errors and padding duplicate whole paragraphs."""
    paragraphs = fold_many(list(view.paragraphs))
    dup, _, _, _ = _duplicates(paragraphs)
    return _ratio(dup, len(paragraphs))


@trait(
    name="page_duplicate_line_fraction",
    meaning="Fraction of the whole page's visible lines (20+ chars) that repeat an earlier one.",
    family=FAMILY,
)
def page_duplicate_line_fraction(view: PageView) -> tuple[float, str | None]:
    """Promo blocks, teaser lists and widgets shown twice on a page; the main text alone without a DOM."""
    lines = [line for line in view.lines if len(line.norm) >= PAGE_LINE_MIN_CHARS]
    dup, _, _, first = _duplicates([line.norm for line in lines])
    return _ratio(dup, len(lines)), (lines[first].text[:120] if first is not None else None)


_MULT = np.uint64(0x9E3779B97F4A7C15)
TOP_SIZES = (2, 3, 4)  # Gopher: share of the most frequent n-gram
DUP_SIZES = (5, 7, 10)  # Gopher: share of duplicated n-grams
NGRAM_SIZES = TOP_SIZES + DUP_SIZES


@dataclass(frozen=True, slots=True)
class _Grams:
    """The word n-grams of one size, as 64-bit hashes, reduced to what the Gopher rules need."""

    repeats: np.ndarray  # positions whose n-gram occurred at an earlier position, ascending (DUP_SIZES)
    top_count: int  # occurrences of the most frequent n-gram (TOP_SIZES)
    top_starts: np.ndarray  # first positions of the n-grams occurring top_count times (TOP_SIZES)


@dataclass(frozen=True, slots=True)
class _Ngrams:
    """Prefix sums of word lengths (``cum[i]`` = characters in ``words[:i]``) and the n-grams by size."""

    cum: np.ndarray
    by_size: dict[int, _Grams]


_NONE = np.zeros(0, dtype=np.int64)


def _reduce(keys: np.ndarray, top: bool) -> _Grams:
    """From one stable sort of the n-gram hashes: the repeated positions, or (``top``) the most frequent n-gram."""
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    same = ordered[1:] == ordered[:-1]  # stable sort: the first occurrence of each run is its earliest
    if not top:
        return _Grams(np.sort(order[1:][same]), 0, _NONE)
    repeats = _NONE
    starts = np.flatnonzero(np.concatenate(([True], ~same)))
    lengths = np.diff(np.append(starts, len(keys)))
    count = int(lengths.max())
    return _Grams(repeats, count, order[starts[lengths == count]])


def _ngrams(view: PageView) -> _Ngrams:
    """Hash every word n-gram of every size in NGRAM_SIZES with one rolling polynomial hash (uint64 wraps).

    Word ids are Python's cached string hashes, so no Python loop runs over the words.
    """
    words = view.norm_words
    ids = np.fromiter(map(hash, words), dtype=np.int64, count=len(words)).view(np.uint64)
    cum = np.zeros(len(words) + 1, dtype=np.int64)
    cum[1:] = np.cumsum(np.fromiter(map(len, words), dtype=np.int64, count=len(words)))
    by_size: dict[int, _Grams] = {}
    keys = ids.copy()
    for n in range(2, max(NGRAM_SIZES) + 1):
        size = len(ids) - n + 1
        if size <= 0:
            break
        keys = keys[:size] * _MULT + ids[n - 1 : n - 1 + size]
        if n in NGRAM_SIZES:
            by_size[n] = _reduce(keys, top=n in TOP_SIZES)
    return _Ngrams(cum, by_size)


def _top_ngram_char_fraction(view: PageView, n: int) -> float:
    """Characters covered by the most frequent word n-gram (when it occurs twice or more) / all word chars.

    Among equally frequent n-grams the longest counts, so the value does not depend on hash order.
    """
    ngrams = view.memo("repetition.ngrams", _ngrams)
    grams = ngrams.by_size.get(n)
    if grams is None or grams.top_count < 2:
        return 0.0
    cum = ngrams.cum
    chars = int((cum[grams.top_starts + n] - cum[grams.top_starts]).max())
    return _ratio(chars * grams.top_count, int(cum[-1]))


def _dup_ngram_char_fraction(view: PageView, n: int) -> float:
    """Characters in n-grams seen earlier in the text / all word chars, as datatrove's Gopher filter counts them.

    Like datatrove, a repeated n-gram is counted and the scan jumps past it (so overlapping repeats count
    once); the repeats are found vectorised, the greedy jump loop only visits them.
    """
    ngrams = view.memo("repetition.ngrams", _ngrams)
    grams = ngrams.by_size.get(n)
    if grams is None or not len(grams.repeats):
        return 0.0
    cum = ngrams.cum
    repeated = 0
    next_free = 0
    for i in grams.repeats.tolist():
        if i >= next_free:
            repeated += int(cum[i + n] - cum[i])
            next_free = i + n
    return _ratio(repeated, int(cum[-1]))


def _register_ngram_traits() -> None:
    """Register the Gopher n-gram traits (top 2-4-gram, duplicated 5/7/10-gram) without copy-pasted bodies."""
    for n in TOP_SIZES:
        trait(
            name=f"top_{n}gram_char_fraction",
            meaning=f"Share of word characters in the most frequent {n}-gram (Gopher).",
            family=FAMILY,
        )(lambda view, n=n: _top_ngram_char_fraction(view, n))
    for n in DUP_SIZES:
        trait(
            name=f"dup_{n}gram_char_fraction",
            meaning=f"Share of word characters in duplicated {n}-grams (Gopher).",
            family=FAMILY,
        )(lambda view, n=n: _dup_ngram_char_fraction(view, n))


_register_ngram_traits()


KEY_PHRASE_SIZES = (2, 3, 4)
KEY_PHRASE_MIN_REPEATS = 3
#: Texts shorter than this are not read: a 50-word notice naming its subject three times is no stuffing (a real page).
KEY_PHRASE_MIN_WORDS = 80
#: Words of a key phrase that are no function words: "interest rates", "fast personal loans online", not "of the".
KEY_PHRASE_MIN_CONTENT_WORDS = 2


@trait(
    name="key_phrase_share",
    meaning="Share of the main text's word characters in repeats of the title's most repeated 2-4-word phrase.",
    family=FAMILY,
)
def key_phrase_share(view: PageView) -> tuple[float, str | None]:
    """Keyword stuffing: an SEO page repeats its target phrase, which is its title's, over and over ("fast personal
    loans online" 15 times in 268 words: an outside probe's loan page read clean). The Gopher top-n-gram share counts
    any phrase, so a table or a list repeating "per cent of the" weighs as much; this counts the title's phrases
    only (two words or more that are not function words, seen three times or more), every occurrence."""
    title = view.article.title or ""
    words = view.norm_words
    if not title or len(words) < KEY_PHRASE_MIN_WORDS:
        return 0.0, None
    stop = phrasebook().words("stop_words")
    title_words = norm_words_of(title)
    phrases = {
        tuple(title_words[i : i + n])
        for n in KEY_PHRASE_SIZES
        for i in range(len(title_words) - n + 1)
        if sum(w not in stop and any(c.isalpha() for c in w) for w in title_words[i : i + n])
        >= KEY_PHRASE_MIN_CONTENT_WORDS
    }
    if not phrases:
        return 0.0, None
    firsts = {phrase[0] for phrase in phrases}
    counts: dict[tuple[str, ...], int] = {}
    for i, word in enumerate(words):
        if word in firsts:
            for n in KEY_PHRASE_SIZES:
                gram = words[i : i + n]
                if gram in phrases:
                    counts[gram] = counts.get(gram, 0) + 1
    best, best_chars = None, 0
    for phrase, count in counts.items():
        chars = count * sum(map(len, phrase))
        if count >= KEY_PHRASE_MIN_REPEATS and (chars, len(phrase)) > (best_chars, len(best or ())):
            best, best_chars = phrase, chars
    if best is None:
        return 0.0, None
    share = _ratio(best_chars, sum(map(len, words)))
    return share, f"{counts[best]}x in {len(words)} words: {' '.join(best)}"
