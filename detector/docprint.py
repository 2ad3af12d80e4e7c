"""The fingerprint of one document as the index stores and queries it, computed in vectorised batches."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from detector.config import Config
from detector.fingerprint import (
    band_keys,
    lsh_params,
    minhash_input,
    minhash_signatures,
    shingle_hashes,
    tokenize,
    winnow,
    word_hashes,
)

WINNOW_WINDOW = 8


@dataclass(frozen=True, slots=True)
class DocPrint:
    """Winnowed shingle postings (containment candidates), MinHash signature and LSH band keys of a text."""

    words: int
    postings: np.ndarray
    signature: np.ndarray
    bands: np.ndarray


def winnow_window(config: Config) -> int:
    """Window of the winnowing: ``sample_mod`` doubles as the density knob (density ~ 2 / (window + 1))."""
    return max(2, 2 * config.sample_mod)


def docprints(texts: Sequence[str], config: Config) -> list[DocPrint]:
    """Fingerprints of many texts at once (signatures are computed for the whole batch in one pass)."""
    shingle_sets: list[np.ndarray] = []
    words: list[int] = []
    for text in texts:
        tokens = tokenize(text)
        words.append(len(tokens))
        shingle_sets.append(shingle_hashes(word_hashes(tokens.words), config.shingle_size))
    signatures = minhash_signatures([minhash_input(s) for s in shingle_sets], config.num_perm, config.seed)
    bands, rows = lsh_params(config.lsh_threshold, config.num_perm)
    keys = band_keys(signatures, bands, rows)
    window = winnow_window(config)
    return [
        DocPrint(words=n, postings=winnow(s, window), signature=sig, bands=k if n else np.zeros(0, dtype=np.uint64))
        for n, s, sig, k in zip(words, shingle_sets, signatures, keys)
    ]
