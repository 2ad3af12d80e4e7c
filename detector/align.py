"""Exact verification of a candidate pair: which passages two texts share, and how much of each they cover.

Matching runs of short word shingles are chained along the diagonal, tolerating small gaps (edits, an inserted
ad line), so shuffled paragraphs come out as separate passages and a lightly edited sentence stays one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from detector.fingerprint import Tokens, shingle_hashes, tokenize, word_hashes
from detector.records import Passage

# A quotation: paired typographic or straight quotes around 2+ words (a mismatched closing quote is allowed,
# since copies often mangle them).
_QUOTE = re.compile(
    r"[\"“”„«»‹›]([^\"“”„«»‹›\n]{8,800}?)(?:[\"“”„«»‹›]|'(?=[\s,.;:!?]|$))", re.UNICODE
)


@dataclass(frozen=True, slots=True)
class Text:
    """A text prepared for alignment once: its tokens, their hashes and its quotation mask."""

    text: str
    tokens: Tokens
    shingles: np.ndarray
    in_quote: np.ndarray

    @property
    def words(self) -> int:
        return len(self.tokens)


@dataclass(frozen=True, slots=True)
class Alignment:
    """Shared passages of two texts and the words of each that they cover."""

    passages: tuple[Passage, ...]
    this_covered: int
    other_covered: int
    this_words: int
    other_words: int
    quote_words: int

    @property
    def share_of_this(self) -> float:
        return self.this_covered / self.this_words if self.this_words else 0.0

    @property
    def share_of_other(self) -> float:
        return self.other_covered / self.other_words if self.other_words else 0.0

    @property
    def non_quote_words(self) -> int:
        return self.this_covered - self.quote_words


def quote_mask(text: str, tokens: Tokens) -> np.ndarray:
    """True for every token that stands inside a quotation."""
    mask = np.zeros(len(tokens), dtype=bool)
    if not len(tokens):
        return mask
    for match in _QUOTE.finditer(text):
        lo = np.searchsorted(tokens.starts, match.start(1), side="left")
        hi = np.searchsorted(tokens.starts, match.end(1), side="left")
        mask[lo:hi] = True
    return mask


def prepare(text: str, shingle: int) -> Text:
    """Tokens, alignment shingles and quotation mask of a text."""
    tokens = tokenize(text)
    return Text(text, tokens, shingle_hashes(word_hashes(tokens.words), shingle), quote_mask(text, tokens))


def _positions(other: np.ndarray, wanted: np.ndarray) -> dict[int, list[int]]:
    where: dict[int, list[int]] = {}
    for j in np.flatnonzero(np.isin(other, wanted)).tolist():
        where.setdefault(int(other[j]), []).append(j)
    return where


def _chains(this: np.ndarray, other: np.ndarray, gap: int) -> list[list[tuple[int, int]]]:
    """Matched shingle pairs (i, j), chained along diagonals with gaps of at most ``gap`` shingles."""
    common = np.intersect1d(this, other, assume_unique=False)
    if not len(common):
        return []
    where = _positions(other, common)
    chains: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    for i in np.flatnonzero(np.isin(this, common)).tolist():
        options = where[int(this[i])]
        if current:
            pi, pj = current[-1]
            expected = pj + (i - pi)
            j = min(options, key=lambda c: abs(c - expected))
            if i - pi <= gap + 1 and abs(j - expected) <= gap:
                current.append((i, j))
                continue
            chains.append(current)
        current = [(i, options[0])]
    if current:
        chains.append(current)
    return chains


def align(this: Text, other: Text, shingle: int, gap: int, min_words: int) -> Alignment:
    """Shared passages between two prepared texts, each at least ``min_words`` long."""
    this_cov = np.zeros(this.words, dtype=bool)
    other_cov = np.zeros(other.words, dtype=bool)
    quote_cov = np.zeros(this.words, dtype=bool)
    size = min(shingle, this.words, other.words) or 1
    passages: list[Passage] = []
    for chain in _chains(this.shingles, other.shingles, gap):
        i0, i1 = chain[0][0], chain[-1][0] + size
        js = [j for _, j in chain]
        j0, j1 = min(js), max(js) + size
        if i1 - i0 < min_words:
            continue
        run_this = np.zeros(this.words, dtype=bool)
        run_other = np.zeros(other.words, dtype=bool)
        for i, j in chain:
            run_this[i:i + size] = True
            run_other[j:j + size] = True
        quoted = this.in_quote[run_this].mean() >= 0.6 or other.in_quote[run_other].mean() >= 0.6
        this_cov |= run_this
        other_cov |= run_other
        if quoted:
            quote_cov |= run_this
        start, end = int(this.tokens.starts[i0]), int(this.tokens.ends[i1 - 1])
        passages.append(Passage(
            this_start=start,
            this_end=end,
            other_start=int(other.tokens.starts[j0]),
            other_end=int(other.tokens.ends[j1 - 1]),
            text=this.text[start:end],
        ))
    return Alignment(
        passages=tuple(passages),
        this_covered=int(this_cov.sum()),
        other_covered=int(other_cov.sum()),
        this_words=this.words,
        other_words=other.words,
        quote_words=int((quote_cov & this_cov).sum()),
    )
