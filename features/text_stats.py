"""Text-statistics traits of the main text, after the Gopher, C4 and FineWeb quality rules.

These rules were written to keep low-quality web text out of training corpora; the same measures separate
scraped, padded or machine-rewritten pages from edited journalism. Each trait returns the raw measure (not
the rule's pass/fail), so the classifier learns its own thresholds. Words are counted as Gopher does
(whitespace split, edge punctuation stripped); lines are the main text's non-empty lines.
"""

from __future__ import annotations

import re

from features.phrases import phrasebook
from features.registry import trait
from features.view import PageView

FAMILY = "text_stats"
TERMINAL_PUNCT = (".", "!", "?", '"', "'", "”", "’", "»")  # C4 keeps lines ending in these
BULLETS = ("•", "‣", "◦", "▪", "●", "►", "→", "✓", "✔", "◆", "-", "*", "·")
C4_BAD = ("javascript", "lorem ipsum", "{", "cookie", "terms of use", "privacy policy")
SHORT_LINE_CHARS = 30  # FineWeb's short line length
_LETTER = re.compile(r"[^\W\d_]")


def _word_classes(view: PageView) -> tuple[int, int]:
    """(words holding a letter, of those the ones in capitals with 2+ characters), in one pass."""
    alpha = [w for w in view.words if w.isalpha() or _LETTER.search(w)]
    return len(alpha), sum(1 for w in alpha if len(w) >= 2 and w.isupper())


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


@trait(name="word_count", meaning="Words in the main text (Gopher keeps 50 to 100,000).", family=FAMILY)
def word_count(view: PageView) -> float:
    """Stubs and padded pages sit at the extremes; copies cut to a teaser are short."""
    return float(len(view.words))


@trait(name="mean_word_length", meaning="Mean characters per word (Gopher keeps 3 to 10).", family=FAMILY)
def mean_word_length(view: PageView) -> float:
    """Word salad, URLs and keyword lists move the mean word length out of the natural range."""
    words = view.words
    return _ratio(sum(map(len, words)), len(words))


@trait(
    name="symbol_to_word_ratio",
    meaning="Hash signs and ellipses per word (Gopher drops pages above 0.1).",
    family=FAMILY,
)
def symbol_to_word_ratio(view: PageView) -> float:
    """Hashtag-stuffed and truncated teaser text is rich in '#' and '...'."""
    text = view.article.text
    symbols = text.count("#") + text.count("...") + text.count("…")
    return _ratio(symbols, len(view.words))


@trait(
    name="lines_end_punct_fraction",
    meaning="Fraction of main-text lines ending in terminal punctuation (C4, FineWeb).",
    family=FAMILY,
)
def lines_end_punct_fraction(view: PageView) -> tuple[float, str | None]:
    """Headlines pasted into the body, link lists and promo lines do not end in a full stop."""
    lines = view.main_lines
    bad = [line.text for line in lines if not line.text.endswith(TERMINAL_PUNCT)]
    return _ratio(len(lines) - len(bad), len(lines)), (bad[0][:120] if bad else None)


@trait(name="bullet_line_fraction", meaning="Fraction of main-text lines starting with a bullet (Gopher).", family=FAMILY)
def bullet_line_fraction(view: PageView) -> float:
    """List-shaped pages (link farms, SEO listicles) are mostly bullets."""
    lines = view.main_lines
    return _ratio(sum(1 for line in lines if line.text.startswith(BULLETS)), len(lines))


@trait(name="ellipsis_line_fraction", meaning="Fraction of main-text lines ending in an ellipsis (Gopher).", family=FAMILY)
def ellipsis_line_fraction(view: PageView) -> float:
    """Teaser copies cut every paragraph off with '...' to send readers elsewhere."""
    lines = view.main_lines
    return _ratio(sum(1 for line in lines if line.text.endswith(("...", "…"))), len(lines))


@trait(
    name="stop_word_fraction",
    meaning="Fraction of words that are function words of a supported language (Gopher stop-word rule).",
    family=FAMILY,
)
def stop_word_fraction(view: PageView) -> float:
    """Real prose is about a third function words; keyword lists and tag clouds have almost none."""
    stop = phrasebook().words("stop_words")
    words = view.norm_words
    return _ratio(sum(map(stop.__contains__, words)), len(words))


@trait(
    name="alpha_word_fraction",
    meaning="Fraction of words holding at least one letter (Gopher keeps >= 0.8).",
    family=FAMILY,
)
def alpha_word_fraction(view: PageView) -> float:
    """Tables of numbers, codes and symbols are not articles."""
    alpha, _ = view.memo("text_stats.word_classes", _word_classes)
    return _ratio(alpha, len(view.words))


@trait(
    name="short_line_fraction",
    meaning="Fraction of main-text lines shorter than 30 characters (FineWeb short-line rule).",
    family=FAMILY,
)
def short_line_fraction(view: PageView) -> float:
    """Menus, credits and promo lines that leaked into the text are short lines."""
    lines = view.main_lines
    return _ratio(sum(1 for line in lines if len(line.text) < SHORT_LINE_CHARS), len(lines))


@trait(
    name="uppercase_word_fraction",
    meaning="Fraction of words with letters that are written in capitals (2+ characters).",
    family=FAMILY,
)
def uppercase_word_fraction(view: PageView) -> float:
    """Shouting ('SHOCK', 'WATCH') is a clickbait habit; acronyms keep it small in news prose."""
    alpha, upper = view.memo("text_stats.word_classes", _word_classes)
    return _ratio(upper, alpha)


@trait(
    name="exclamations_per_100_words",
    meaning="Exclamation marks per 100 words of main text.",
    family=FAMILY,
)
def exclamations_per_100_words(view: PageView) -> float:
    """Sensational rewrites lean on '!' where news prose almost never does."""
    return 100.0 * _ratio(view.article.text.count("!"), len(view.words))


@trait(
    name="c4_bad_line_fraction",
    meaning="Fraction of main-text lines C4 would drop (javascript, cookie, policy, lorem ipsum, curly brace).",
    family=FAMILY,
)
def c4_bad_line_fraction(view: PageView) -> tuple[float, str | None]:
    """Template residue in the extracted text means a careless scrape."""
    lines = view.main_lines
    bad = [line.text for line in lines if any(marker in line.norm for marker in C4_BAD)]
    return _ratio(len(bad), len(lines)), (bad[0][:120] if bad else None)
