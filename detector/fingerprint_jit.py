"""The numba kernels behind ``fingerprint_kernel`` (imported only when numba is installed).

Module-level functions, so that numba's on-disk cache (``cache=True``) finds them again in every process.

The word cache is one uint64 array of 4-word slots, one cache line fetch per lookup: ``key`` (FNV-1a of the
normalised word's bytes, 0 = empty), ``value`` (its hash), ``meta`` (byte length in bits 0-15, content
word in bit 16, offset of its bytes in ``pool`` from bit 17) and its first 8 bytes, packed little-endian.
Words of up to 8 bytes are compared without touching ``pool``.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from detector.fingerprint_kernel import LEN_MASK, WORD_BIT

_FNV_OFFSET, _FNV_PRIME = np.uint64(0xCBF29CE484222325), np.uint64(0x100000001B3)
_WORD, _LEN = np.uint32(WORD_BIT), np.uint32(LEN_MASK)


@njit(cache=True, inline="always")
def slot_of(key, slots):  # type: ignore[no-untyped-def]
    """Home slot of a key (half of MurmurHash3's finaliser; ``slots`` is a power of two)."""
    v = key ^ (key >> np.uint64(33))
    v = v * np.uint64(0xFF51AFD7ED558CCD)
    v = v ^ (v >> np.uint64(33))
    return np.int64(v & np.uint64(slots - 1))


@njit(cache=True, inline="always")
def in_word(cps, info, i):  # type: ignore[no-untyped-def]
    """Whether code point ``i`` belongs to a word: a word character, or an apostrophe between word characters
    (the rule of the regex ``\\w+(?:['’]\\w+)*``, shared by ``scan`` and ``spans``)."""
    if info[cps[i]] & _WORD:
        return True
    return (cps[i] == 0x27 or cps[i] == 0x2019) and i + 1 < cps.shape[0] and info[cps[i + 1]] & _WORD != 0


@njit(cache=True, inline="always")
def next_word(cps, info, i):  # type: ignore[no-untyped-def]
    """Where the next word starts at or after ``i`` (its first character is a word character), or the end."""
    n = cps.shape[0]
    while i < n and info[cps[i]] & _WORD == 0:
        i += 1
    return i


@njit(cache=True, inline="always")
def find(table, pool, key, packed, buf, lo, hi):  # type: ignore[no-untyped-def]
    """Slot holding bytes ``buf[lo:hi]`` (``key``, first 8 bytes ``packed``), or ``-1 - empty slot``."""
    slots = table.shape[0] // 4
    slot = slot_of(key, slots)
    length = hi - lo
    while True:
        at = 4 * slot
        k = table[at]
        if k == 0:
            return -1 - slot
        meta = table[at + 2]
        if k == key and np.int64(meta & np.uint64(0xFFFF)) == length and table[at + 3] == packed:
            if length <= 8:
                return slot
            start = np.int64(meta >> np.uint64(17))
            same = True
            for j in range(8, length):
                if pool[start + j] != buf[lo + j]:
                    same = False
                    break
            if same:
                return slot
        slot = (slot + 1) & (slots - 1)


@njit(cache=True)
def scan(cps, info, fold_bytes, table, pool):  # type: ignore[no-untyped-def]
    """Every word of ``cps``: its cached hash and content flag, or a miss.

    Returns (hashes, flags, misses, miss_keys, buf): a miss is a row (word index, start, end of its bytes in
    ``buf``) of ``misses`` and a row (key, first 8 bytes) of ``miss_keys``; a missed word's hash is 0 here.
    (Folding all words first and looking them up in a second loop measured 1.5-2x slower.)
    """
    n = cps.shape[0]
    cap = n // 2 + 1
    out_hash = np.zeros(cap, np.uint64)
    out_term = np.zeros(cap, np.bool_)
    miss = np.empty((cap, 3), np.int64)
    miss_key = np.empty((cap, 2), np.uint64)
    size = 0
    for i in range(n):  # the bytes of every normalised word fit (growing it in the loop costs 3x)
        size += np.int64(info[cps[i]] & _LEN)
    buf = np.empty(size, np.uint8)
    top = 0  # buf[:top] holds the bytes of missed words; the current word is written after them
    words = 0
    misses = 0
    i = 0
    while True:
        i = next_word(cps, info, i)
        if i == n:
            break
        pos = top
        key = _FNV_OFFSET
        packed = np.uint64(0)
        while i < n and in_word(cps, info, i):
            c = info[cps[i]]
            length = np.int64(c & _LEN)
            start = np.int64(c >> np.uint32(8))
            for j in range(length):
                b = fold_bytes[start + j]
                if pos - top < 8:
                    packed |= np.uint64(b) << np.uint64(8 * (pos - top))
                buf[pos] = b
                pos += 1
                key = (key ^ np.uint64(b)) * _FNV_PRIME
            i += 1
        if key == 0:
            key = np.uint64(1)  # 0 marks an empty slot
        slot = find(table, pool, key, packed, buf, top, pos)
        if slot >= 0:
            out_hash[words] = table[4 * slot + 1]
            out_term[words] = (table[4 * slot + 2] >> np.uint64(16)) & np.uint64(1)
        else:
            miss[misses, 0] = words
            miss[misses, 1] = top
            miss[misses, 2] = pos
            miss_key[misses, 0] = key
            miss_key[misses, 1] = packed
            misses += 1
            top = pos
        words += 1
    return out_hash[:words].copy(), out_term[:words].copy(), miss[:misses], miss_key[:misses], buf  # exact size


@njit(cache=True)
def spans(cps, info):  # type: ignore[no-untyped-def]
    """Start and end (``str`` indices) of every word of ``cps``, by the same rule as ``scan``."""
    n = cps.shape[0]
    cap = n // 2 + 1
    starts = np.empty(cap, np.int64)
    ends = np.empty(cap, np.int64)
    words = 0
    i = 0
    while True:
        i = next_word(cps, info, i)
        if i == n:
            break
        starts[words] = i
        while i < n and in_word(cps, info, i):
            i += 1
        ends[words] = i
        words += 1
    return starts[:words].copy(), ends[:words].copy()


@njit(cache=True)
def insert(table, pool, used, miss, miss_key, buf, values, terms):  # type: ignore[no-untyped-def]
    """Insert missed words (duplicates once); the caller made room. Returns (entries added, pool used)."""
    added = 0
    for m in range(miss.shape[0]):
        lo, hi = miss[m, 1], miss[m, 2]
        if hi - lo > 0xFFFF:
            continue  # not cached: such a word is hashed in Python each time
        slot = find(table, pool, miss_key[m, 0], miss_key[m, 1], buf, lo, hi)
        if slot >= 0:
            continue
        at = 4 * (-1 - slot)
        for j in range(hi - lo):
            pool[used + j] = buf[lo + j]
        table[at] = miss_key[m, 0]
        table[at + 1] = values[m]
        table[at + 2] = np.uint64(hi - lo) | (np.uint64(terms[m]) << np.uint64(16)) | (
            np.uint64(used) << np.uint64(17))
        table[at + 3] = miss_key[m, 1]
        used += hi - lo
        added += 1
    return added, used


@njit(cache=True)
def rehash(table, new):  # type: ignore[no-untyped-def]
    """Every entry of ``table`` moved into the larger, empty ``new`` (linear probing, as ``find``)."""
    slots = new.shape[0] // 4
    for s in range(table.shape[0] // 4):
        if table[4 * s] == 0:
            continue
        slot = slot_of(table[4 * s], slots)
        while new[4 * slot] != 0:
            slot = (slot + 1) & (slots - 1)
        new[4 * slot:4 * slot + 4] = table[4 * s:4 * s + 4]


@njit(cache=True)
def shingles(hashes, size):  # type: ignore[no-untyped-def]
    """``fingerprint.shingle_hashes`` for ``1 <= size <= len(hashes)``: the same uint64 arithmetic, fused."""
    count = hashes.shape[0] - size + 1
    out = np.empty(count, np.uint64)
    mult = np.uint64(0x9E3779B97F4A7C15)
    for i in range(count):
        v = np.uint64(0)
        for j in range(size):
            v = v * mult + hashes[i + j]
        v += np.uint64(size)
        v ^= v >> np.uint64(33)
        v *= np.uint64(0xFF51AFD7ED558CCD)
        v ^= v >> np.uint64(33)
        v *= np.uint64(0xC4CEB9FE1A85EC53)
        out[i] = v ^ (v >> np.uint64(33))
    return out
