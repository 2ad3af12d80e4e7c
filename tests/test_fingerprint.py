"""Fingerprints: datasketch-identical MinHash rows, stable hashes, winnowing's guarantee."""

from __future__ import annotations

import numpy as np
from datasketch import MinHash

from detector.config import DEFAULT
from detector.docprint import docprint
from detector.fingerprint import (minhash_input, minhash_signatures, posting_keys, shingle_hashes, text_shingles,
                                  text_word_hashes, tokenize, winnow, word_hashes)


def test_signatures_equal_datasketch_affine32_row_for_row() -> None:
    rng = np.random.default_rng(0)
    sets = [np.unique(rng.integers(0, 2**32, size=n, dtype=np.uint64).astype(np.uint32)) for n in (0, 1, 50, 700)]
    ours = minhash_signatures(sets, 128, 1)
    theirs = MinHash.bulk([s.tolist() for s in sets], num_perm=128, seed=1, scheme="affine32", hashfunc=int)
    for row, ref in zip(ours, theirs):
        assert np.array_equal(row, ref.hashvalues.astype(np.uint32))


def test_fast_word_hashes_equal_the_tokenised_ones() -> None:
    text = "Kërkesa e Lukashenkos: Ëshë it's “quoted” 2024 words"
    assert np.array_equal(text_word_hashes(text), word_hashes(tokenize(text).words))


def test_winnowing_is_symmetric_a_shared_run_is_found_with_both_sides_winnowed() -> None:
    """Both sides winnowed with the same window: any shared run of window + shingle - 1 words shares a key."""
    rng = np.random.default_rng(2)
    for trial in range(200):
        run = rng.integers(0, 2**63, DEFAULT.winnow_window + DEFAULT.shingle_size - 1, dtype=np.uint64)
        left = rng.integers(0, 2**63, int(rng.integers(0, 400)), dtype=np.uint64)
        right = rng.integers(0, 2**63, int(rng.integers(0, 400)), dtype=np.uint64)
        a = shingle_hashes(np.concatenate([left, run, right]), DEFAULT.shingle_size)
        b = shingle_hashes(np.concatenate([right[::-1], run, left[::-1]]), DEFAULT.shingle_size)
        assert np.intersect1d(winnow(a, DEFAULT.winnow_window), winnow(b, DEFAULT.winnow_window)).size >= 1, trial


def test_a_shared_run_of_window_plus_shingle_words_always_shares_a_posting() -> None:
    rng = np.random.default_rng(1)
    run = " ".join(f"w{i}" for i in rng.integers(0, 10**6, DEFAULT.winnow_window + DEFAULT.shingle_size - 1))
    for seed in range(20):
        r = np.random.default_rng(seed + 10)
        a = " ".join(f"a{i}" for i in r.integers(0, 10**6, 200)) + " " + run
        b = run + " " + " ".join(f"b{i}" for i in r.integers(0, 10**6, 300))
        stored = docprint(b, DEFAULT).postings
        assert np.intersect1d(stored, docprint(a, DEFAULT).keys).size >= 1


def test_postings_are_a_subset_of_the_query_keys() -> None:
    dp = docprint("one two three four five six seven eight nine ten eleven twelve thirteen " * 5, DEFAULT)
    assert np.isin(dp.postings, dp.keys).all()
    assert len(dp.bands) == 9 and dp.signature.dtype == np.uint32
    shingles = text_shingles("a b c d e f g", 5)
    assert np.isin(posting_keys(winnow(shingles, 4)), posting_keys(shingles)).all()
    assert len(shingle_hashes(np.zeros(0, dtype=np.uint64), 5)) == 0
    assert len(minhash_input(shingles)) <= len(shingles)


def test_the_numpy_fallback_gives_the_same_signatures_as_the_numba_kernel(monkeypatch) -> None:
    import detector.fingerprint as fp

    rng = np.random.default_rng(3)
    sets = [rng.integers(0, 2**32, size=n, dtype=np.uint64).astype(np.uint32) for n in (0, 3, 650, 2000, 0, 17)]
    fast = minhash_signatures(sets, 128, 1)
    monkeypatch.setattr(fp, "_KERNEL", [None])
    assert fp.signature_kernel() == "numpy"
    assert np.array_equal(minhash_signatures(sets, 128, 1), fast)
    theirs = MinHash.bulk([s.tolist() for s in sets], num_perm=128, seed=1, scheme="affine32", hashfunc=int)
    assert all(np.array_equal(row, ref.hashvalues.astype(np.uint32)) for row, ref in zip(fast, theirs))


def test_the_query_record_a_checkpoint_keeps_gives_back_the_same_search_keys() -> None:
    """Stage 2 of an audit reads a page's fingerprint from its stage-1 line instead of computing it again."""
    import json

    from detector.config import Config
    from detector.docprint import from_query_record, query_record

    texts = ["", "Short text.", " ".join(f"word{i % 97} Name{i % 13} said" for i in range(900))]
    for text, cfg in [(t, DEFAULT) for t in texts] + [(texts[2], Config(term_sample=120, name_terms=60))]:
        dp = docprint(text, cfg)
        back = from_query_record(json.loads(json.dumps(query_record(dp, cfg.fingerprint))), cfg.fingerprint)
        assert back is not None and back.words == dp.words
        for field in ("keys", "postings", "bands", "shingle_keys"):
            assert np.array_equal(getattr(back, field), getattr(dp, field)), field
            assert getattr(back, field).dtype == getattr(dp, field).dtype
    record = query_record(docprint(texts[2], DEFAULT), DEFAULT.fingerprint)
    assert from_query_record(record, "another-config") is None  # made under another config: computed afresh
    assert from_query_record({**record, "flags": "AA=="}, DEFAULT.fingerprint) is None  # damaged line
    assert from_query_record(None, DEFAULT.fingerprint) is None  # a line from before the record existed
