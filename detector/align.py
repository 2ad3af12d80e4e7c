"""Exact verification of a candidate pair: which passages two texts share, and how much of each they cover.

Matching runs of short word shingles are chained along the diagonal, tolerating small gaps (edits, an inserted
ad line), so shuffled paragraphs come out as separate passages and a lightly edited sentence stays one.
Shared boilerplate is set aside before anything is counted: a passage made of promo/subscribe/share phrases,
or a block that closes both texts (an identical footer) while covering little of either, is not copying.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np

from detector.fingerprint import distinct, shingle_hashes, text_word_features, word_spans
from detector.records import Passage

# A quotation: paired typographic or straight quotes around 2+ words (a mismatched closing quote is allowed,
# since copies often mangle them).
_QUOTE = re.compile(
    r"(?:``|[\"“”„«»‹›])([^\"“”„«»‹›`\n]{8,2500}?)(?:''|[\"“”„«»‹›]|'(?=[\s,.;:!?]|$))", re.UNICODE
)
_BOILERPLATE = frozenset({"promo_cta", "subscribe_push", "share_widget", "join_group", "related_heading"})
_TAIL_SLACK = 3  # words after a block that still count as "closing the text"
_TAIL_MAX_SHARE = 0.25
_MIN_REWRITE_TERMS = 6  # shared content words below which no pair is a rewrite, however short
#: Share of the longer text's content words a rewrite must hold too: a 100-word notice finds 38% of its words
#: in any 3,000-word post (14 common words of 693), and was taken for a rewrite of it.
_MIN_LONGER_CONTAINMENT = 0.05


@dataclass(frozen=True)
class Text:
    """A text prepared for alignment once: its word and shingle hashes (and their distinct values, for the set
    overlaps) and its content words. Word offsets, the quotation mask and word pairs are computed on first use:
    most candidates of a query share no passage, and then none of them is needed."""

    text: str
    hashes: np.ndarray
    shingles: np.ndarray
    terms: np.ndarray
    distinct_hashes: np.ndarray
    distinct_shingles: np.ndarray

    @property
    def words(self) -> int:
        return len(self.hashes)

    @cached_property
    def _spans(self) -> tuple[np.ndarray, np.ndarray]:
        return word_spans(self.text)

    @property
    def starts(self) -> np.ndarray:
        """Character offset where each word starts."""
        return self._spans[0]

    @property
    def ends(self) -> np.ndarray:
        """Character offset where each word ends."""
        return self._spans[1]

    @cached_property
    def in_quote(self) -> np.ndarray:
        return quote_mask(self.text, self.starts)

    @cached_property
    def bigrams(self) -> np.ndarray:
        """Distinct hashes of consecutive word pairs."""
        return distinct(shingle_hashes(self.hashes, 2)) if self.words >= 2 else np.zeros(0, dtype=np.uint64)


@dataclass(frozen=True, slots=True)
class Alignment:
    """Shared passages of two texts, the words of each that they cover, and pair-level overlap measures.

    ``unigram_this`` is the share of this text's distinct words found in the other (and vice versa);
    ``terms_this`` the same over content words (names, rare words), ``shared_terms`` their number;
    ``jaccard`` the exact Jaccard similarity of the two texts' alignment-shingle sets; ``boilerplate_words``
    the words of this text in shared passages set aside as boilerplate (not counted anywhere else).
    """

    passages: tuple[Passage, ...]
    this_covered: int
    other_covered: int
    this_words: int
    other_words: int
    quote_words: int
    longest: int = 0
    unigram_this: float = 0.0
    unigram_other: float = 0.0
    jaccard: float = 0.0
    boilerplate_words: int = 0
    terms_this: float = 0.0
    terms_other: float = 0.0
    shared_terms: int = 0

    @property
    def share_of_this(self) -> float:
        return self.this_covered / self.this_words if self.this_words else 0.0

    @property
    def share_of_other(self) -> float:
        return self.other_covered / self.other_words if self.other_words else 0.0

    @property
    def non_quote_words(self) -> int:
        return self.this_covered - self.quote_words

    def rewritten(self, containment: float, min_terms: int) -> bool:
        """Whether the pair shares so many content words that one is a rewrite of the other (``is_rewrite``)."""
        return is_rewrite(self.terms_this, self.terms_other, self.shared_terms, containment, min_terms)


def is_rewrite(terms_this: float, terms_other: float, shared_terms: int, containment: float, min_terms: int) -> bool:
    """Whether two texts share so many content words that one is a rewrite of the other.

    ``min_terms`` shared content words are asked of ordinary texts; a short text (a 25-word brief has
    about 15 content words) cannot share that many, so for it half of its own content words will do,
    never fewer than ``_MIN_REWRITE_TERMS``. The longer text must hold a few of its own in the shorter one too
    (``_MIN_LONGER_CONTAINMENT``): a long text contains a short one's common words by chance.
    """
    if max(terms_this, terms_other) < containment or not shared_terms:
        return False
    if min(terms_this, terms_other) < _MIN_LONGER_CONTAINMENT:
        return False
    fewer = shared_terms / max(terms_this, terms_other)
    needed = min(min_terms, max(_MIN_REWRITE_TERMS, math.ceil(0.5 * fewer)))
    return shared_terms >= needed


@dataclass(frozen=True, slots=True)
class Overlap:
    """How much of a copy's vocabulary its source (or a source site's documents together) cover.

    Shares of the copy's distinct words, word pairs and content words found in the source text(s). A wire
    story comes in several versions and a rewrite draws on more than one, so the overlap with all verified
    documents of the source's site says more about derivation than any single pair (METER: ROC-AUC of
    word containment 0.78 against the best single version, 0.87 against all versions of the story).
    """

    unigram: float = 0.0
    bigram: float = 0.0
    terms: float = 0.0


def overlap(copy: Text, sources: list[Text]) -> Overlap:
    """Containment of ``copy``'s distinct words, word pairs and content words in the union of ``sources``."""
    if not sources or not copy.words:
        return Overlap()
    words = distinct(np.concatenate([s.distinct_hashes for s in sources]))
    pairs = distinct(np.concatenate([s.bigrams for s in sources]))
    mine = copy.bigrams

    def share(part: np.ndarray, whole: np.ndarray) -> float:
        return float(np.isin(part, whole, assume_unique=True).mean()) if len(part) else 0.0

    return Overlap(share(copy.distinct_hashes, words), share(mine, pairs), share(copy.terms, words))


_OPENING_QUOTES = "\"“„«‹"
_QUOTE_CHARS = "\"“”„«»‹›"


def _continued_quotes(text: str) -> Iterator[tuple[int, int]]:
    """Spans of paragraphs inside a quotation of several paragraphs: by the printers' convention each opens
    with a quotation mark and only the last one closes, so the pairs ``_QUOTE`` looks for never close in them."""
    paragraphs: list[tuple[int, int, str]] = []  # (start, end, stripped text) of each non-empty line
    offset = 0
    for line in text.split("\n"):
        if line.strip():
            paragraphs.append((offset, offset + len(line), line.strip()))
        offset += len(line) + 1
    for (start, end, line), (_, _, following) in zip(paragraphs, paragraphs[1:]):
        if line[0] in _OPENING_QUOTES and sum(line.count(c) for c in _QUOTE_CHARS) == 1 and (
                following[0] in _OPENING_QUOTES):
            yield start, end


def quote_mask(text: str, starts: np.ndarray) -> np.ndarray:
    """True for every word (given by its start offset) that stands inside a quotation (one of several
    paragraphs included)."""
    mask = np.zeros(len(starts), dtype=bool)
    if not len(starts):
        return mask
    spans = [(m.start(1), m.end(1)) for m in _QUOTE.finditer(text)]
    for lo_char, hi_char in [*spans, *_continued_quotes(text)]:
        lo = np.searchsorted(starts, lo_char, side="left")
        hi = np.searchsorted(starts, hi_char, side="left")
        mask[lo:hi] = True
    return mask


@lru_cache(maxsize=512)
def prepare(text: str, shingle: int) -> Text:
    """Word and alignment-shingle hashes and content words of a text (tokens and quotations when first asked).

    Cached (by text): a candidate source comes back in many queries and in every chain walk through it.
    """
    hashes, content = text_word_features(text)
    shingles = shingle_hashes(hashes, shingle)
    return Text(text, hashes, shingles, distinct(hashes[content]), distinct(hashes), distinct(shingles))


def _promo(text: str) -> bool:
    """Whether a passage contains promo, subscribe, share or related-posts phrases (any packaged language)."""
    try:
        from features.phrases import fold, phrasebook, tokenize as phrase_tokens
    except ImportError:  # the features package is optional for the copy engine
        return False
    return bool(phrasebook().find(phrase_tokens(fold(text)), _BOILERPLATE))


def _is_boilerplate(this: Text, other: Text, i0: int, i1: int, j0: int, j1: int) -> bool:
    """A shared block that is promo text, or that closes both texts while covering little of either."""
    words = i1 - i0
    closes_both = i1 >= this.words - _TAIL_SLACK and j1 >= other.words - _TAIL_SLACK
    if closes_both and words < _TAIL_MAX_SHARE * min(this.words, other.words):
        return True
    return words < 80 and _promo(this.text[int(this.starts[i0]):int(this.ends[i1 - 1])])


def _overlap(ua: np.ndarray, ub: np.ndarray) -> tuple[float, float, float]:
    """|A & B| / |A|, |A & B| / |B| and |A & B| / |A | B| of two sets given as sorted distinct arrays."""
    common = len(np.intersect1d(ua, ub, assume_unique=True))
    union = len(ua) + len(ub) - common
    return common / max(len(ua), 1), common / max(len(ub), 1), common / max(union, 1)


def rewritten_outside_quotes(this: Text, other: Text, containment: float, min_terms: int) -> bool:
    """Whether the two texts share so many content words outside their quotations that one rewrites the other
    (``is_rewrite`` on the content words each prints outside quotes): two stories printing one long statement
    share its words, and are no rewrite of each other for it."""
    own = np.intersect1d(distinct(this.hashes[~this.in_quote]), this.terms, assume_unique=True)
    theirs = np.intersect1d(distinct(other.hashes[~other.in_quote]), other.terms, assume_unique=True)
    share_this, share_other, _ = _overlap(own, theirs)
    shared_terms = len(np.intersect1d(own, theirs, assume_unique=True))
    return is_rewrite(share_this, share_other, shared_terms, containment, min_terms)


@dataclass(frozen=True, slots=True)
class Shared:
    """What two prepared texts share, computed once per pair for ``may_match`` and ``align``."""

    shingles: np.ndarray  # the distinct shingle values both hold
    terms_this: float  # share of this text's content words found in the other
    terms_other: float
    terms: int  # content words they share


def shared(this: Text, other: Text) -> Shared:
    """The shingles and content words two texts have in common."""
    terms = len(np.intersect1d(this.terms, other.terms, assume_unique=True))
    return Shared(np.intersect1d(this.distinct_shingles, other.distinct_shingles, assume_unique=True),
                  terms / max(len(this.terms), 1), terms / max(len(other.terms), 1), terms)


def may_match(this: Text, other: Text, shingle: int, min_words: int, containment: float, min_terms: int,
              both: Shared | None = None) -> bool:
    """False when ``align`` cannot find ``min_words`` shared words of ``this`` and the pair is no rewrite.

    A cheap necessary condition checked before aligning: each position of ``this`` whose shingle occurs in
    ``other`` covers at most ``shingle`` words, so fewer such positions than ``min_words / shingle`` cannot
    cover ``min_words``. Most candidates of a query share no passage and are set aside here. ``both``:
    ``shared(this, other)``, when the caller has it (it then passes the same to ``align``).
    """
    both = both or shared(this, other)
    if is_rewrite(both.terms_this, both.terms_other, both.terms, containment, min_terms):
        return True
    needed = math.ceil(min_words / max(shingle, 1))
    common = both.shingles
    if not len(common):
        return needed <= 0
    return len(common) >= needed or int(np.isin(this.shingles, common).sum()) >= needed


def _positions(other: np.ndarray, wanted: np.ndarray) -> dict[int, list[int]]:
    where: dict[int, list[int]] = {}
    for j in np.flatnonzero(np.isin(other, wanted)).tolist():
        where.setdefault(int(other[j]), []).append(j)
    return where


def _python_chain_pairs(this: np.ndarray, other: np.ndarray, common: np.ndarray,
                        gap: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``align_jit.chain_pairs`` in Python (the path without numba): matched (i, j) and chain starts."""
    where = _positions(other, common)
    ii: list[int] = []
    jj: list[int] = []
    starts: list[bool] = []
    for i in np.flatnonzero(np.isin(this, common)).tolist():
        options = where[int(this[i])]
        if ii:
            pi, pj = ii[-1], jj[-1]
            expected = pj + (i - pi)
            j = min(options, key=lambda c: abs(c - expected))
            if i - pi <= gap + 1 and abs(j - expected) <= gap:
                ii.append(i)
                jj.append(j)
                starts.append(False)
                continue
        ii.append(i)
        jj.append(options[0])
        starts.append(True)
    return np.asarray(ii, dtype=np.int64), np.asarray(jj, dtype=np.int64), np.asarray(starts, dtype=bool)


_ChainKernel = Callable[[np.ndarray, np.ndarray, int], tuple[np.ndarray, np.ndarray, np.ndarray]]


@lru_cache(maxsize=1)  # imported once per process
def _chain_kernel() -> _ChainKernel | None:
    try:
        from detector.align_jit import chain_pairs
    except ImportError:  # numba is the optional ``fast`` extra
        return None
    return chain_pairs  # type: ignore[no-any-return]


def _chains(this: np.ndarray, other: np.ndarray, common: np.ndarray, gap: int,
            compiled: bool = True) -> list[tuple[np.ndarray, np.ndarray]]:
    """Matched shingle positions (i, j) of ``this`` and ``other``, chained along diagonals with gaps of at most
    ``gap`` shingles, as one (i positions, j positions) pair of arrays per chain (``common``: the shingle
    values the two share). A match continues the chain when the occurrence nearest the diagonal is at most
    ``gap`` off it; ``compiled=False`` takes the pure-Python path (for comparisons)."""
    if not len(common):
        return []
    kernel = _chain_kernel() if compiled else None
    if kernel is not None and this.dtype == other.dtype == np.uint64:
        ii, jj, starts = kernel(np.ascontiguousarray(this), np.ascontiguousarray(other), int(gap))
    else:
        ii, jj, starts = _python_chain_pairs(this, other, common, gap)
    cuts = np.flatnonzero(starts).tolist()[1:]
    return list(zip(np.split(ii, cuts), np.split(jj, cuts)))


def align(this: Text, other: Text, shingle: int, gap: int, min_words: int, both: Shared | None = None) -> Alignment:
    """Shared passages between two prepared texts, each at least ``min_words`` long, boilerplate set aside
    (``both``: ``shared(this, other)``, when the caller computed it already)."""
    both = both or shared(this, other)
    this_cov = np.zeros(this.words, dtype=bool)
    other_cov = np.zeros(other.words, dtype=bool)
    quote_cov = np.zeros(this.words, dtype=bool)
    boiler_cov = np.zeros(this.words, dtype=bool)
    size = min(shingle, this.words, other.words) or 1
    passages: list[Passage] = []
    longest = 0
    common = both.shingles
    for ii, jj in _chains(this.shingles, other.shingles, common, gap):
        i0, i1 = int(ii[0]), int(ii[-1]) + size
        j0, j1 = int(jj.min()), int(jj.max()) + size
        if i1 - i0 < min_words:
            continue
        run_this = np.zeros(this.words, dtype=bool)
        run_other = np.zeros(other.words, dtype=bool)
        for offset in range(size):  # position i covers words i .. i + size - 1
            run_this[ii + offset] = True
            run_other[jj + offset] = True
        if _is_boilerplate(this, other, i0, i1, j0, j1):
            boiler_cov |= run_this
            continue
        quoted = this.in_quote[run_this].mean() >= 0.6 or other.in_quote[run_other].mean() >= 0.6
        this_cov |= run_this
        other_cov |= run_other
        longest = max(longest, int(run_this.sum()))
        if quoted:
            quote_cov |= run_this
        start, end = int(this.starts[i0]), int(this.ends[i1 - 1])
        passages.append(Passage(
            this_start=start,
            this_end=end,
            other_start=int(other.starts[j0]),
            other_end=int(other.ends[j1 - 1]),
            text=this.text[start:end],
        ))
    uni_this, uni_other, _ = _overlap(this.distinct_hashes, other.distinct_hashes)
    jaccard = len(common) / max(len(this.distinct_shingles) + len(other.distinct_shingles) - len(common), 1)
    return Alignment(
        passages=tuple(passages),
        this_covered=int(this_cov.sum()),
        other_covered=int(other_cov.sum()),
        this_words=this.words,
        other_words=other.words,
        quote_words=int((quote_cov & this_cov).sum()),
        longest=longest,
        unigram_this=uni_this,
        unigram_other=uni_other,
        jaccard=jaccard,
        boilerplate_words=int((boiler_cov & ~this_cov).sum()),
        terms_this=both.terms_this,
        terms_other=both.terms_other,
        shared_terms=both.terms,
    )
