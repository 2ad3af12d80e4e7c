"""The fingerprint of one document as the index stores and queries it, computed in vectorised batches.

A document is stored under its *winnowed* postings (about ``2 / (window + 1)`` of its shingles) and queried
with *all* of its shingles: any run of ``window + shingle_size - 1`` words that a query shares with an indexed
document then contains one of that document's postings, whichever side is the longer one. That serves
containment in both directions (an excerpt inside a longer page, or a cut-down original) with one lookup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from detector.config import Config
from detector.fingerprint import (
    minhash_input,
    minhash_signatures,
    posting_keys,
    shingle_hashes,
    term_keys,
    text_terms,
    text_word_hashes,
    winnow,
)


@dataclass(frozen=True, slots=True)
class DocPrint:
    """A text's word count, its distinct query keys and its postings (stored).

    ``keys``: every shingle and every content word; ``postings``: the winnowed shingles plus a bottom-k
    sample of the content words (``term_sample`` smallest keys), which finds rewritten copies that keep the
    names and rare words of their source but few verbatim runs.
    """

    words: int
    keys: np.ndarray
    postings: np.ndarray


def docprint(text: str, config: Config) -> DocPrint:
    """Fingerprint of one text."""
    hashes = text_word_hashes(text)
    shingles = shingle_hashes(hashes, config.shingle_size)
    terms = np.unique(term_keys(text_terms(text)))
    return DocPrint(
        words=len(hashes),
        keys=np.union1d(posting_keys(shingles), terms),
        postings=np.union1d(posting_keys(winnow(shingles, config.winnow_window)), terms[:config.term_sample]),
    )


def posting_density(config: Config) -> float:
    """Expected share of a text's shingles that winnowing keeps as postings."""
    return 2.0 / (config.winnow_window + 1)


def docprints(texts: Sequence[str], config: Config) -> list[DocPrint]:
    """Fingerprints of many texts."""
    return [docprint(text, config) for text in texts]


def signatures(texts: Sequence[str], config: Config) -> np.ndarray:
    """MinHash signatures (rows, datasketch affine32) of many texts' shingle sets, vectorised over the batch."""
    sets = [minhash_input(shingle_hashes(text_word_hashes(t), config.shingle_size)) for t in texts]
    return minhash_signatures(sets, config.num_perm, config.seed)
