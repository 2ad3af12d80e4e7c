"""Compiled text -> word hashes: ``fingerprint``'s tokeniser, word normalisation and word hashes in one numba pass.

The pure-Python path finds words with the regex ``\\w+(?:['’]\\w+)*``, normalises each one (casefold, NFKD,
combining marks dropped, ’ -> ') and hashes the UTF-8 bytes of the result with blake2b. Here the text's code
points are walked once by a numba kernel instead, hash for hash the same:

- ``\\w`` is a per-code-point table built from Python's own ``re`` (so it follows this Python's Unicode data);
- normalisation is per code point: casefold is context-free, NFKD decomposes each character on its own and
  only reorders combining marks, which are all dropped, so ``normalise(word)`` is the concatenation of
  ``normalise(ch)`` over its characters. The table holds the UTF-8 bytes of ``normalise(ch)`` for every word
  character (and the two apostrophes), built with the very function ``fingerprint`` uses;
- the word hash is looked up by the normalised word's bytes in an open-addressing table the kernel reads.
  A word it has not seen comes back as a miss; Python computes its hash and content-word flag with
  ``fingerprint``'s own functions and inserts it. So blake2b and the stop list are never re-implemented, and
  a warm cache answers a document without a Python call per word.

The kernels themselves are in ``fingerprint_jit`` (module-level, so numba's disk cache serves every process).
Without numba, ``compile_kernels`` returns None and ``fingerprint`` keeps its pure-Python path. Speed: ~40 us
per 650-word document against ~250-350 us for the Python path (benchmarks/RESULTS.md, "Copy-engine speed").
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

WORD_PATTERN = r"\w+(?:['’]\w+)*"  # the regex this kernel reproduces (fingerprint checks it uses the same)
_APOSTROPHES = (0x27, 0x2019)
_CODE_POINTS = 0x110000
WORD_BIT, LEN_MASK = 0x80, 0x7F  # in FoldTables.info
_FIRST_SLOTS = 1 << 16
_MAX_ENTRIES = 1 << 20  # then the cache starts again (as fingerprint's Python caches do)
_MAX_POOL = 1 << 26  # bytes of cached words


@dataclass(frozen=True, slots=True)
class FoldTables:
    """Per-code-point ``info`` (bits 0-6: byte length of the normalised form, bit 7: a ``\\w`` character,
    bits 8-31: where its bytes start in ``fold_bytes``) and the UTF-8 bytes of every normalised form."""

    info: np.ndarray  # uint32, one per code point
    fold_bytes: np.ndarray  # uint8


def build_tables(normalise: Callable[[str], str]) -> FoldTables:
    """Tables for every code point, from Python's ``re`` (``\\w``) and ``normalise`` (about 0.3 s, once)."""
    chars = "".join(map(chr, range(0xD800))) + "".join(map(chr, range(0xE000, _CODE_POINTS)))
    words = [ord(m.group()) for m in re.finditer(r"\w", chars)]
    info = np.zeros(_CODE_POINTS, dtype=np.uint32)
    pieces: list[bytes] = []
    offset = 0
    for cp in [*words, *_APOSTROPHES]:
        folded = normalise(chr(cp)).encode("utf-8")
        if len(folded) > LEN_MASK or offset >= 1 << 24:
            raise ValueError(f"normalised form of U+{cp:04X} does not fit the table ({len(folded)} bytes)")
        info[cp] = (offset << 8) | len(folded)
        pieces.append(folded)
        offset += len(folded)
    info[np.asarray(words, dtype=np.int64)] |= np.uint32(WORD_BIT)
    fold_bytes = np.frombuffer(b"".join(pieces) or b"\0", dtype=np.uint8).copy()
    return FoldTables(info, fold_bytes)


def code_points(text: str) -> np.ndarray:
    """The code points of ``text``, one per ``str`` index (uint8 for ASCII, else uint32; lone surrogates kept)."""
    if text.isascii():
        return np.frombuffer(text.encode("ascii"), dtype=np.uint8)
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


class WordHasher:
    """Word hashes and content-word flags of texts through the compiled scan and its cache of word hashes.

    ``word_hash(norm)`` (the unsigned 64-bit hash of a normalised word) and ``is_term(norm)`` are only called
    for words the cache has not seen, so results are exactly theirs. A lock keeps a scan from seeing the cache
    half-updated (the table and its byte pool change together), so threads may share one hasher.
    """

    def __init__(self, kernels: dict[str, Callable[..., Any]], tables: FoldTables,
                 word_hash: Callable[[str], int], is_term: Callable[[str], bool]) -> None:
        self._k = kernels
        self._t = tables
        self._word_hash = word_hash
        self._is_term = is_term
        self._lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self._table = np.zeros(4 * _FIRST_SLOTS, dtype=np.uint64)
        self._pool = np.zeros(1 << 16, dtype=np.uint8)
        self._used = 0
        self._entries = 0

    def __len__(self) -> int:
        return self._entries

    def features(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(uint64 word hashes, bool content-word flags) of ``text``, as ``fingerprint.text_word_features``."""
        cps = code_points(text)
        with self._lock:
            hashes, flags, miss, miss_keys, buf = self._k["scan"](cps, self._t.info, self._t.fold_bytes,
                                                                  self._table, self._pool)
        if len(miss):
            self._learn(hashes, flags, miss, miss_keys, buf)
        return hashes, flags

    def spans(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Start and end offsets of the words of ``text``, as ``fingerprint.word_spans`` finds them."""
        return self._k["spans"](code_points(text), self._t.info)

    def _learn(self, hashes: np.ndarray, flags: np.ndarray, miss: np.ndarray, miss_keys: np.ndarray,
               buf: np.ndarray) -> None:
        """Compute the missed words with the Python functions, fill them in, and add them to the cache."""
        raw = buf.tobytes()
        known: dict[bytes, tuple[int, bool]] = {}
        values = np.empty(len(miss), dtype=np.uint64)
        terms = np.empty(len(miss), dtype=np.bool_)
        for m, (a, b) in enumerate(miss[:, 1:].tolist()):
            word = raw[a:b]
            if word not in known:
                norm = word.decode("utf-8")
                known[word] = (self._word_hash(norm), self._is_term(norm))
            values[m], terms[m] = known[word]
        hashes[miss[:, 0]] = values
        flags[miss[:, 0]] = terms
        with self._lock:
            self._insert(miss, miss_keys, buf, values, terms, len(known))

    def _insert(self, miss: np.ndarray, miss_keys: np.ndarray, buf: np.ndarray, values: np.ndarray,
                terms: np.ndarray, distinct: int) -> None:
        """Make room (grow, or start again past the limits), then add the words to the table."""
        need = int((miss[:, 2] - miss[:, 1]).sum())
        if self._entries + distinct > _MAX_ENTRIES or self._used + need > _MAX_POOL:
            self._reset()
        while 2 * (self._entries + distinct) > len(self._table) // 4:
            new = np.zeros(2 * len(self._table), dtype=np.uint64)
            self._k["rehash"](self._table, new)
            self._table = new
        if self._used + need > len(self._pool):
            self._pool = np.concatenate([self._pool, np.zeros(max(len(self._pool), need), dtype=np.uint8)])
        added, self._used = self._k["insert"](self._table, self._pool, self._used, miss, miss_keys, buf,
                                               values, terms)
        self._entries += added


@lru_cache(maxsize=1)
def compile_kernels() -> dict[str, Callable[..., Any]] | None:
    """The numba functions, or None when numba is not installed (the optional ``fast`` extra)."""
    try:
        from detector import fingerprint_jit as jit
    except ImportError:
        return None
    return {"scan": jit.scan, "insert": jit.insert, "rehash": jit.rehash, "shingles": jit.shingles,
            "spans": jit.spans}
