"""Text fingerprints: normalised word tokens, 64-bit shingle hashes, winnowed postings and MinHash signatures.

Postings are the winnowed shingle hashes cut to their high 32 bits (``posting_keys``): SQLite stores them in
4 bytes instead of 8, and a chance collision only adds a stray posting that the two-posting vote and the exact
verification discard.

Signatures follow datasketch 2.x's ``affine32`` scheme bit for bit (same seed, same permutations, same
pre-mix), so a row of ``minhash_signatures`` equals ``datasketch.MinHash`` fed the same 32-bit shingle
hashes; the batch version is vectorised over many documents at once instead of one MinHash per document.

With numba installed (the ``fast`` extra), text -> word hashes and word hashes -> shingle hashes run compiled
(``detector.fingerprint_kernel``), hash for hash the same as the pure-Python path kept here as the fallback.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

import numpy as np
from datasketch import MinHash, LeanMinHash
from datasketch.lsh import _optimal_param

from detector.fingerprint_kernel import WORD_PATTERN, WordHasher, build_tables, compile_kernels

_WORD = re.compile(WORD_PATTERN, re.UNICODE)
_M32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))
_M64 = (np.uint64(33), np.uint64(0xFF51AFD7ED558CCD), np.uint64(33), np.uint64(0xC4CEB9FE1A85EC53), np.uint64(33))
_SHINGLE_MULT = np.uint64(0x9E3779B97F4A7C15)
_ROWS_PER_CHUNK = 32768


@dataclass(frozen=True, slots=True)
class Tokens:
    """Normalised words of a text with their character spans in the original text."""

    words: tuple[str, ...]
    starts: np.ndarray
    ends: np.ndarray

    def __len__(self) -> int:
        return len(self.words)


#: Cyrillic letters in their Latin spelling (Serbian Gaj's Latin alphabet; Macedonian and Russian letters by
#: their usual Latin forms), applied after case-folding: Serbian is written in both scripts, and farms copy a
#: Cyrillic story in Latin letters (an outside probe's copy of a Cyrillic story went unmatched). One letter maps
#: to one string whatever its neighbours, so a word's form is still its letters' forms joined (the compiled
#: hasher's tables rely on it).
_CYRILLIC_TO_LATIN = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "đ", "е": "e", "ж": "ž", "з": "z", "и": "i", "ј": "j",
    "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n", "њ": "nj", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "ћ": "ć", "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "č", "џ": "dž", "ш": "š",
    "ѓ": "ǵ", "ќ": "ḱ", "ѕ": "dz", "й": "j", "ы": "y", "э": "e", "ю": "ju", "я": "ja", "щ": "šč", "ъ": "",
    "ь": "", "ё": "e", "є": "je", "і": "i", "ї": "ji", "ґ": "g", "ў": "u",
})


@lru_cache(maxsize=200_000)
def normalise_word(word: str) -> str:
    """Case-folded, Cyrillic in Latin letters, diacritics stripped (copies often drop them: ë -> e, ć -> c),
    apostrophes unified."""
    folded = unicodedata.normalize("NFKD", word.casefold().translate(_CYRILLIC_TO_LATIN))
    return "".join(ch for ch in folded if not unicodedata.combining(ch)).replace("’", "'")


#: Greek and Cyrillic letters that look like Latin ones, as a farm slips them into Latin words to hide a copy
#: from word hashes ("сity", "οn", "thҽ"); only words that mix them with Latin letters are rewritten
#: (``unconfused``), so Greek and Serbian text keep their own letters.
_LOOKALIKES = str.maketrans({
    "а": "a", "в": "b", "е": "e", "ѕ": "s", "і": "i", "ј": "j", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ҽ": "e", "ӏ": "l", "һ": "h", "ү": "y",
    "А": "A", "В": "B", "Е": "E", "Ѕ": "S", "І": "I", "Ј": "J", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
    "С": "C", "Т": "T", "У": "Y", "Х": "X",
    "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P",
    "Τ": "T", "Υ": "Y", "Χ": "X", "ɑ": "a", "ɡ": "g", "ı": "i",
})
_MIXED = re.compile(r"[A-Za-z][\u0370-\u03ff\u0400-\u04ff\u0500-\u052f\u0250-\u02af\u0131]"
                    r"|[\u0370-\u03ff\u0400-\u04ff\u0500-\u052f\u0250-\u02af\u0131][A-Za-z]")
_MIXED_WORD = re.compile(r"\w*(?:[A-Za-z][^\W\x00-\x7f]|[^\W\x00-\x7f][A-Za-z])\w*")


def unconfused(text: str) -> str:
    """``text`` with the look-alike letters of words that mix scripts made Latin ("сity" -> "city"); same length,
    so word spans stay where they were. Text in one script is returned as it is."""
    if text.isascii() or not _MIXED.search(text):
        return text
    return _MIXED_WORD.sub(lambda m: m.group().translate(_LOOKALIKES), text)


def tokenize(text: str) -> Tokens:
    """Words of ``text`` with their spans; numbers count as words."""
    text = unconfused(text)
    spans = [m.span() for m in _WORD.finditer(text)]
    bounds = np.asarray(spans, dtype=np.int64).reshape(-1, 2)
    words = tuple(map(normalise_word, (text[a:b] for a, b in spans)))
    return Tokens(words, bounds[:, 0].copy(), bounds[:, 1].copy())


def word_spans(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Start and end offsets of the words of ``text`` (as ``tokenize`` finds them), without normalising them."""
    hasher = _hasher()
    if hasher is not None:
        return hasher.spans(text)
    bounds = np.fromiter((i for m in _WORD.finditer(text) for i in m.span()), dtype=np.int64)
    return bounds[0::2].copy(), bounds[1::2].copy()


@lru_cache(maxsize=500_000)
def _word_hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


def _signed(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


_STOP = frozenset("""
that this with from have were been their there they them then than what when where which while will would
could should about after also into over such some more most other only very just like your said says
dass eine einer einem einen nicht auch sich sind wird wurde werden haben oder aber nach noch mehr sein
dans pour avec sont cette plus mais comme leur elle nous vous para como pero esta este esos sobre
""".split())
_TERM_TAG = np.uint64(0x5851F42D4C957F2D)


def is_term(word: str) -> bool:
    """A content word (normalised): four letters or more, not a stop word, not a bare number."""
    return len(word) >= 4 and word not in _STOP and not word.isdigit()


_RAW: dict[str, tuple[int, bool]] = {}  # raw word -> (signed hash of its normalised form, content word?)
_RAW_MAX = 1_000_000


def _raw_word(word: str) -> tuple[int, bool]:
    norm = normalise_word(word)
    return _signed(_word_hash(norm)), is_term(norm)  # signed: numpy converts it without the slow path


def _python_features(text: str) -> tuple[np.ndarray, np.ndarray]:
    """``text_word_features`` without numba: raw words through the ``_RAW`` cache (a plain dict, one C-level
    ``map`` when every word is known)."""
    words = _WORD.findall(text)
    try:
        pairs = list(map(_RAW.__getitem__, words))
    except KeyError:
        if len(_RAW) > _RAW_MAX:
            _RAW.clear()
        for word in words:
            if word not in _RAW:
                _RAW[word] = _raw_word(word)
        pairs = list(map(_RAW.__getitem__, words))
    hashes = np.array([h for h, _ in pairs], dtype=np.int64).view(np.uint64)
    return hashes, np.array([t for _, t in pairs], dtype=bool)


_HASHER: list[WordHasher | None] = []


def _hasher() -> WordHasher | None:
    """The compiled word hasher (built once per process: ~0.4 s of tables), or None without numba."""
    if not _HASHER:
        kernels = compile_kernels()
        _HASHER.append(None if kernels is None else WordHasher(
            kernels, build_tables(normalise_word.__wrapped__), _word_hash.__wrapped__, is_term))
    return _HASHER[0]


@contextmanager
def python_words() -> Iterator[None]:
    """Within the block, words are hashed by the pure-Python path, as without numba (for comparisons)."""
    saved = _HASHER[:]
    _HASHER[:] = [None]
    try:
        yield
    finally:
        _HASHER[:] = saved


def word_kernel() -> str:
    """Which implementation turns text into word hashes: ``numba`` or ``python``."""
    return "numba" if _hasher() is not None else "python"


def distinct(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values of a 1-D array: ``np.unique`` without its overhead (about 3x faster on the
    few hundred hashes of a text, which every query does dozens of times)."""
    if len(values) < 2:
        return values.copy()
    ordered = np.sort(values)
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


def text_word_features(text: str) -> tuple[np.ndarray, np.ndarray]:
    """In one pass: the 64-bit hashes of the normalised words of ``text`` (as ``word_hashes(tokenize(text).words)``,
    without spans) and which of them are content words (see ``is_term``)."""
    text = unconfused(text)
    hasher = _hasher()
    return hasher.features(text) if hasher is not None else _python_features(text)


def text_word_hashes(text: str) -> np.ndarray:
    """Hashes of the normalised words of ``text`` (see ``text_word_features``)."""
    return text_word_features(text)[0]


def term_mask(text: str) -> np.ndarray:
    """For every word of ``text`` (as ``text_word_hashes`` yields them), whether it is a content word."""
    return text_word_features(text)[1]


def text_terms(text: str) -> np.ndarray:
    """Distinct 64-bit hashes of the content words of ``text``, ordered as signed values (0 never occurs)."""
    hashes, content = text_word_features(text)
    values = hashes[content].view(np.int64)
    return distinct(values[values != 0]).view(np.uint64)


def term_keys(terms: np.ndarray) -> np.ndarray:
    """Posting keys of content words, in a key space apart from shingle keys (tagged before the cut)."""
    with np.errstate(over="ignore"):
        return posting_keys(fmix64(terms ^ _TERM_TAG))


def word_hashes(words: tuple[str, ...] | list[str]) -> np.ndarray:
    """Stable 64-bit hash of every word (the same in every process and run)."""
    return np.fromiter((_signed(_word_hash(w)) for w in words), dtype=np.int64, count=len(words)).view(np.uint64)


def fmix64(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser: an avalanching bijection, applied element-wise."""
    s1, m1, s2, m2, s3 = _M64
    values = values ^ (values >> s1)
    values = values * m1
    values = values ^ (values >> s2)
    values = values * m2
    return values ^ (values >> s3)


def fmix32(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finaliser (datasketch's affine32 pre-mix)."""
    s1, m1, s2, m2, s3 = _M32
    values = values ^ (values >> s1)
    values = values * m1
    values = values ^ (values >> s2)
    values = values * m2
    return values ^ (values >> s3)


def shingle_hashes(hashes: np.ndarray, size: int) -> np.ndarray:
    """64-bit hash of every run of ``size`` consecutive words (position i covers words i..i+size-1).

    A text shorter than ``size`` words yields one shingle over all of it; an empty text yields none.
    """
    n = len(hashes)
    if n == 0:
        return np.zeros(0, dtype=np.uint64)
    size = min(size, n)
    if size >= 1 and hashes.dtype == np.uint64 and (kernels := compile_kernels()) is not None:
        return kernels["shingles"](np.ascontiguousarray(hashes), size)
    return _numpy_shingles(hashes, size)


def _numpy_shingles(hashes: np.ndarray, size: int) -> np.ndarray:
    """``shingle_hashes`` without numba, for ``size <= len(hashes)`` (a pass over the array per word)."""
    count = len(hashes) - size + 1
    combined = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(size):
            combined = combined * _SHINGLE_MULT + hashes[offset:offset + count]
        return fmix64(combined + np.uint64(size))


def text_shingles(text: str, size: int) -> np.ndarray:
    """Shingle hashes of a text (convenience for callers that do not need the token spans)."""
    return shingle_hashes(text_word_hashes(text), size)


def posting_keys(shingles: np.ndarray) -> np.ndarray:
    """The 32-bit posting key (signed, as SQLite stores it in 4 bytes) of every shingle hash."""
    return (shingles >> np.uint64(32)).astype(np.uint32).view(np.int32).astype(np.int64)


def winnow(shingles: np.ndarray, window: int) -> np.ndarray:
    """Winnowing fingerprints (Schleimer et al. 2003): the distinct minima of every window of shingles.

    Any passage shared by two texts that spans at least ``window + shingle_size - 1`` words yields at least one
    fingerprint common to both, whatever surrounds it: the guarantee that makes excerpts findable.
    """
    if len(shingles) == 0:
        return shingles
    if len(shingles) <= window:
        return np.unique(shingles[[int(np.argmin(shingles))]])
    view = np.lib.stride_tricks.sliding_window_view(shingles, window)
    return distinct(view.min(axis=1))


def as_sql_ints(values: np.ndarray) -> list[int]:
    """uint64 hashes as signed 64-bit ints (SQLite INTEGER)."""
    return values.view(np.int64).tolist()


def minhash_input(shingles: np.ndarray) -> np.ndarray:
    """The distinct 32-bit values a MinHash sees for a set of 64-bit shingle hashes (their high half)."""
    return distinct((shingles >> np.uint64(32)).astype(np.uint32))


@lru_cache(maxsize=16)
def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine32 permutation parameters (a, b) for these settings."""
    a, b = MinHash(num_perm=num_perm, seed=seed, scheme="affine32").permutations
    return a.astype(np.uint32), b.astype(np.uint32)


def _numpy_signatures(values: np.ndarray, offsets: np.ndarray, a: np.ndarray, b: np.ndarray,
                      out: np.ndarray) -> None:
    """Fallback kernel: one ``values x permutations`` block per group of documents, minimum per document."""
    doc, n = 0, len(offsets) - 1
    with np.errstate(over="ignore"):
        while doc < n:
            stop = doc + 1
            while stop < n and offsets[stop + 1] - offsets[doc] <= _ROWS_PER_CHUNK:
                stop += 1
            lo, hi = offsets[doc], offsets[stop]
            block = values[lo:hi, None] * a
            block += b
            out[doc:stop] = np.minimum.reduceat(block, offsets[doc:stop] - lo, axis=0)
            doc = stop


def _compile_kernel() -> Callable[..., None] | None:
    """The numba kernel (fmix32 pre-mix, affine permutations, running minimum), or None without numba."""
    try:
        from numba import njit
    except ImportError:  # optional: ``pip install numba`` makes signatures several times faster
        return None

    @njit(cache=True, nogil=True)
    def kernel(values, offsets, a, b, out):  # type: ignore[no-untyped-def]
        mask = np.uint64(0xFFFFFFFF)
        perms = a.shape[0]
        for d in range(offsets.shape[0] - 1):
            row = out[d]
            for i in range(offsets[d], offsets[d + 1]):
                v = np.uint64(values[i])
                v ^= v >> np.uint64(16)
                v = (v * np.uint64(0x85EBCA6B)) & mask
                v ^= v >> np.uint64(13)
                v = (v * np.uint64(0xC2B2AE35)) & mask
                v ^= v >> np.uint64(16)
                for k in range(perms):
                    h = np.uint32((np.uint64(a[k]) * v + np.uint64(b[k])) & mask)
                    if h < row[k]:
                        row[k] = h
    return kernel


_KERNEL: list[Callable[..., None] | None] = []


def signature_kernel() -> str:
    """Which implementation ``minhash_signatures`` uses: ``numba`` or ``numpy``."""
    if not _KERNEL:
        _KERNEL.append(_compile_kernel())
    return "numba" if _KERNEL[0] is not None else "numpy"


def minhash_signatures(sets: list[np.ndarray], num_perm: int = 128, seed: int = 1) -> np.ndarray:
    """MinHash signatures (rows, uint32) of many sets of 32-bit values at once, datasketch affine32 scheme.

    Row ``i`` equals ``datasketch.MinHash(num_perm, seed, scheme="affine32")`` updated with ``sets[i]``
    (``hashfunc=int``); repeated values do not change a minimum, so sets need not be de-duplicated. An empty
    set gets the all-max signature, as datasketch gives it. Uses a numba kernel when numba is installed.
    """
    a, b = permutations(num_perm, seed)
    out = np.full((len(sets), num_perm), np.uint32(0xFFFFFFFF), dtype=np.uint32)
    if not sets:
        return out
    lengths = np.fromiter((len(s) for s in sets), dtype=np.int64, count=len(sets))
    offsets = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    values = np.concatenate([np.asarray(s, dtype=np.uint32) for s in sets])
    if signature_kernel() == "numba":
        _KERNEL[0](values, offsets, a, b, out)  # type: ignore[misc]
        return out
    nonempty = np.flatnonzero(lengths)
    if len(nonempty):
        part = out[nonempty]
        _numpy_signatures(fmix32(values), np.concatenate(([0], np.cumsum(lengths[nonempty]))), a, b, part)
        out[nonempty] = part
    return out


def shingle_minhash_input(shingles: np.ndarray) -> np.ndarray:
    """The 32-bit values a MinHash sees for 64-bit shingle hashes (their high half, not de-duplicated)."""
    return (shingles >> np.uint64(32)).astype(np.uint32)


def lean_minhash(signature: np.ndarray, seed: int = 1) -> LeanMinHash:
    """A datasketch LeanMinHash over a stored signature (for Jaccard estimates and datasketch interop)."""
    return LeanMinHash(seed=seed, hashvalues=signature.astype(np.uint32), scheme="affine32")


@lru_cache(maxsize=16)
def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """Bands and rows that datasketch's MinHashLSH would choose for this threshold (equal FP/FN weights)."""
    bands, rows = _optimal_param(threshold, num_perm, 0.5, 0.5)
    return int(bands), int(rows)


def band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """One 64-bit key per (document, band): the band's ``rows`` values hashed together (shape docs x bands)."""
    n = signatures.shape[0]
    cut = signatures[:, : bands * rows].astype(np.uint64).reshape(n, bands, rows)
    keys = np.zeros((n, bands), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for r in range(rows):
            keys = keys * _SHINGLE_MULT + cut[:, :, r]
        keys = fmix64(keys + np.arange(bands, dtype=np.uint64))
    return keys


def jaccard_estimate(a: np.ndarray, b: np.ndarray) -> float:
    """Share of equal signature slots: the MinHash estimate of Jaccard similarity."""
    return float(np.count_nonzero(a == b)) / max(len(a), 1)
