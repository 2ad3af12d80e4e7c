"""The fingerprint of one document as the index stores and queries it, computed in vectorised batches.

Two candidate sources, both stored per document:

- *winnowed postings* (about ``2 / (window + 1)`` of its shingles, cut to 32-bit keys) plus a bottom-k sample
  of its content words. Winnowing's guarantee is symmetric: when both sides are winnowed with the same window,
  any run of ``window + shingle_size - 1`` words the two share contains a fingerprint both selected, however
  the runs are embedded. So a query is looked up with its own winnowed keys (not all its shingles), which
  serves containment in both directions (an excerpt inside a longer page, or a cut-down original) with about
  a ninth of the lookups. Shorter shared runs are found less often than with all shingles (METER, 100k
  background: wholly derived sources found 0.91 vs 0.935 with all shingles); ``query_winnowed=False`` restores
  that;
- *names first*: a rewritten story keeps its names (people, places, courts, organisations) while its wording
  changes, and names are what sets one story apart from others on the same beat. So up to ``name_terms``
  capitalised content words that stand mid-sentence (the most mentioned first) are stored beside the random
  sample, and a query looks up ``query_names`` of its own (METER, 100k background: see benchmarks/RESULTS.md);
- *MinHash LSH band keys*: the datasketch-identical affine32 signature of the shingle set, cut into
  ``bands x rows`` (datasketch's ``_optimal_param`` for ``lsh_threshold``), one 32-bit key per band. They find
  near-duplicates (Jaccard above the threshold) whatever the winnowing picked, in ``bands`` lookups.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from detector.config import Config
from detector.fingerprint import (
    band_keys,
    distinct,
    lsh_params,
    minhash_signatures,
    posting_keys,
    shingle_hashes,
    shingle_minhash_input,
    term_keys,
    text_word_features,
    text_word_hashes,
    winnow,
)

_UPPER = re.escape("".join(chr(c) for c in range(0x10000) if chr(c).isupper()))
# A capitalised word not opening a sentence, a paragraph or the text (fixed-width look-behinds: one each).
# The capital is looked ahead for first: the other tests, at the same position, then run at few places.
_NAME = re.compile(
    r"(?=[" + _UPPER + r"])\b(?<=[\s\S])(?<![.!?:…]\s)(?<![.!?:…][\"”’'»)]\s)(?<!\n)(?<![\"“«‘(]\n)[" + _UPPER
    + r"]\w+(?:['’]\w+)*"
)


def name_keys(text: str) -> np.ndarray:
    """Distinct posting keys of the names in ``text`` (capitalised content words standing mid-sentence), the
    most mentioned first (ties by key): the people and places a story is about come first on both sides."""
    found = _NAME.findall(text)
    if not found:
        return np.zeros(0, dtype=np.int64)
    hashes, content = text_word_features(" ".join(found))
    keys, counts = np.unique(term_keys(hashes[content]), return_counts=True)
    return keys[np.lexsort((keys, -counts))]


@dataclass(frozen=True, slots=True)
class DocPrint:
    """A text's word count, its query keys, its stored postings, its MinHash signature and LSH band keys.

    ``postings``: winnowed shingle keys plus the ``term_sample`` smallest content-word keys (stored);
    ``keys``: what a query looks up, the winnowed shingle keys plus its ``query_terms`` smallest content-word
    keys (a bottom-k sample larger than the stored one, so the stored samples of similar texts are covered);
    ``signature``: uint32 MinHash row (datasketch affine32); ``bands``: one 32-bit key per LSH band;
    ``shingle_keys``: the shingle part of ``keys`` (the rest are content words, weaker evidence one by one).
    """

    words: int
    keys: np.ndarray
    postings: np.ndarray
    signature: np.ndarray
    bands: np.ndarray
    shingle_keys: np.ndarray


def lsh_shape(config: Config) -> tuple[int, int]:
    """Bands and rows of the LSH table for this config (as datasketch's MinHashLSH would pick them)."""
    return lsh_params(config.lsh_threshold, config.num_perm)


def docprints(texts: Sequence[str], config: Config) -> list[DocPrint]:
    """Fingerprints of many texts; the MinHash signatures are computed for the whole batch at once."""
    shingle_sets: list[np.ndarray] = []
    parts: list[tuple[int, np.ndarray, np.ndarray]] = []
    for text in texts:
        hashes, content = text_word_features(text)
        shingles = shingle_hashes(hashes, config.shingle_size)
        terms = distinct(term_keys(distinct(hashes[content])))
        names = name_keys(text) if config.name_terms else np.zeros(0, dtype=np.int64)
        shingle_sets.append(shingle_minhash_input(shingles))
        winnowed = posting_keys(winnow(shingles, config.winnow_window))
        parts.append((len(hashes), winnowed, posting_keys(shingles) if not config.query_winnowed else winnowed,
                      terms, names))
    sigs = minhash_signatures(shingle_sets, config.num_perm, config.seed)
    bands, rows = lsh_shape(config)
    keys = posting_keys(band_keys(sigs, bands, rows).reshape(-1)).reshape(len(texts), bands)
    out: list[DocPrint] = []
    for (words, winnowed, queried, terms, names), sig, band in zip(parts, sigs, keys):
        empty = words == 0
        out.append(DocPrint(
            words=words,
            keys=np.union1d(np.union1d(queried, terms[:config.query_terms]), names[:config.query_names]),
            postings=np.union1d(np.union1d(winnowed, terms[:config.term_sample]), names[:config.name_terms]),
            signature=sig,
            bands=np.zeros(0, dtype=np.int64) if empty else distinct(band),
            shingle_keys=distinct(queried),
        ))
    return out


def docprint(text: str, config: Config) -> DocPrint:
    """Fingerprint of one text."""
    return docprints([text], config)[0]


def posting_density(config: Config) -> float:
    """Expected share of a text's shingles that winnowing keeps as postings."""
    return 2.0 / (config.winnow_window + 1)


def signatures(texts: Sequence[str], config: Config) -> np.ndarray:
    """MinHash signatures (rows, datasketch affine32) of many texts' shingle sets, vectorised over the batch."""
    sets = [shingle_minhash_input(shingle_hashes(text_word_hashes(t), config.shingle_size)) for t in texts]
    return minhash_signatures(sets, config.num_perm, config.seed)


# --------------------------------------------------------------------------- the query half, as a checkpoint keeps it

def _packed(keys: np.ndarray) -> str:
    return base64.b64encode(keys.astype("<i4").tobytes()).decode("ascii")


def _unpacked(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype="<i4").astype(np.int64)


def query_record(dp: DocPrint, fingerprint: str) -> dict[str, Any]:
    """What a search for this text's copies needs of its fingerprint (not the MinHash signature), compact enough to
    ride in a checkpoint line (about a kilobyte for a 700-word page): an audit's copy search then reads it
    instead of fingerprinting every page a second time. Every key is a signed 32-bit value (``posting_keys``);
    postings and shingle keys are mostly query keys, so they are flags on those, plus any postings beyond them.
    ``fingerprint``: the config's (``Config.fingerprint``), so a reader with another config computes its own."""
    flags = (np.isin(dp.keys, dp.postings).astype(np.uint8) | (np.isin(dp.keys, dp.shingle_keys).astype(np.uint8) << 1))
    return {"fingerprint": fingerprint, "words": int(dp.words), "keys": _packed(dp.keys),
            "flags": base64.b64encode(flags.tobytes()).decode("ascii"),
            "more_postings": _packed(np.setdiff1d(dp.postings, dp.keys)), "bands": _packed(dp.bands)}


def from_query_record(data: Any, fingerprint: str) -> DocPrint | None:
    """The ``DocPrint`` of a ``query_record`` (an empty signature), or None when it is missing, unreadable, or was
    made under another config than ``fingerprint``."""
    if not isinstance(data, dict) or data.get("fingerprint") != fingerprint:
        return None
    try:
        keys = _unpacked(data["keys"])
        flags = np.frombuffer(base64.b64decode(data["flags"]), dtype=np.uint8)
        if len(flags) != len(keys):
            return None
        postings = np.union1d(keys[(flags & 1) == 1], _unpacked(data["more_postings"]))
        return DocPrint(words=int(data["words"]), keys=keys, postings=postings,
                        signature=np.zeros(0, dtype=np.uint32), bands=_unpacked(data["bands"]),
                        shingle_keys=keys[(flags & 2) == 2])
    except (KeyError, TypeError, ValueError):
        return None
