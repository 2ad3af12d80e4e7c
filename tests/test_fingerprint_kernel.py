"""The compiled text -> word hashes path gives exactly the pure-Python path's hashes, for any Unicode text."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import detector.fingerprint as fp
import detector.fingerprint_kernel as fk

pytest.importorskip("numba")

CORPORA = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora"
# characters where normalisation is not one-to-one: expansions, ligatures, final sigma, dotted I, compatibility
# forms, combining marks, Hangul, digits of other scripts, both apostrophes and other quotes
_TRICKY = ("ßẞﬁﬀﬃŉǰΐΰİıIiΣσςΑΪϊ¼½²³₂Ⅻⅻ①⑴ﷺ㎏㍱ＡＺａｚ０９ｶﾞ한국어각ÅÄÖåäöéèêëçćčšžđłøæœ"
           "\u0301\u0308\u0327\u0345\u20dd\u093f\u0e31\u0f71٠١٢۳߀०১੧" "'’‘`´ʼ\u02bc-_ \t\n.,;:!?\"“”«»()")


def reference(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]]:
    with fp.python_words():
        hashes, flags = fp.text_word_features(text)
        return hashes, flags, fp.text_terms(text), fp.word_spans(text)


def assert_same(text: str) -> None:
    """Hashes, content flags, terms and word offsets of the compiled path equal the pure-Python path's."""
    hashes, flags, terms, (starts, ends) = reference(text)
    fast_starts, fast_ends = fp.word_spans(text)
    assert np.array_equal(fast_starts, starts) and np.array_equal(fast_ends, ends), text
    assert len(starts) == len(hashes)
    for _ in range(2):  # first call: every word a cache miss; second: every word a hit
        fast_hashes, fast_flags = fp.text_word_features(text)
        assert fast_hashes.dtype == np.uint64 and fast_flags.dtype == np.bool_
        assert np.array_equal(fast_hashes, hashes), text
        assert np.array_equal(fast_flags, flags), text
        assert np.array_equal(fp.text_word_hashes(text), hashes)
        assert np.array_equal(fp.term_mask(text), flags)
        assert np.array_equal(fp.text_terms(text), terms)
    assert np.array_equal(hashes, fp.word_hashes(fp.tokenize(text).words))


def test_the_compiled_path_is_in_use_and_follows_the_same_pattern() -> None:
    assert fp.word_kernel() == "numba"
    assert fp._WORD.pattern == fk.WORD_PATTERN == r"\w+(?:['’]\w+)*"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_any_unicode_text_hashes_the_same(text: str) -> None:
    assert_same(text)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(_TRICKY) | st.characters(), max_size=120))
def test_text_rich_in_expansions_marks_and_apostrophes_hashes_the_same(text: str) -> None:
    assert_same(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(categories=["Cs"]) | st.characters() | st.sampled_from(_TRICKY), max_size=80))
def test_text_with_lone_surrogates_and_any_category_hashes_the_same(text: str) -> None:
    assert_same(text)


def test_every_code_point_alone_after_a_letter_and_across_an_apostrophe() -> None:
    chars = [chr(c) for c in range(0x110000)]
    assert_same(" ".join(chars))
    assert_same(" ".join("a" + c for c in chars[::7]))
    assert_same(" ".join(f"x'{c}’y" for c in chars[::5]))


def test_words_longer_than_the_cache_holds_and_empty_or_wordless_text() -> None:
    for text in ("", "   ", "'’'", "a" * 70_000 + " b", ("ﷺ" * 9_000) + "’s", "’a", "a’", "a'’b", "a''b c'd'e"):
        assert_same(text)


def test_the_cache_grows_and_starts_again_without_changing_a_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fk, "_FIRST_SLOTS", 4)
    monkeypatch.setattr(fk, "_MAX_ENTRIES", 300)
    hasher = fk.WordHasher(fk.compile_kernels(), fp._hasher()._t, fp._word_hash.__wrapped__, fp.is_term)
    rng = np.random.default_rng(7)
    for trial in range(40):
        text = " ".join(f"w{i}ß" for i in rng.integers(0, 2000, 120))
        hashes, flags, _, _ = reference(text)
        got = hasher.features(text)
        assert np.array_equal(got[0], hashes) and np.array_equal(got[1], flags), trial
        assert len(hasher) <= 300 + 120


def test_threads_sharing_one_hasher_get_the_same_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    from concurrent.futures import ThreadPoolExecutor

    monkeypatch.setattr(fk, "_FIRST_SLOTS", 4)
    monkeypatch.setattr(fk, "_MAX_ENTRIES", 500)  # resets and growth while other threads scan
    hasher = fk.WordHasher(fk.compile_kernels(), fp._hasher()._t, fp._word_hash.__wrapped__, fp.is_term)
    rng = np.random.default_rng(11)
    texts = [" ".join(f"wörd{i}x{'y' * int(i % 13)}" for i in rng.integers(0, 5000, 200)) for _ in range(64)]
    expected = [reference(t)[:2] for t in texts]
    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(hasher.features, texts * 4))
    for (hashes, flags), (want, want_flags) in zip(got, expected * 4):
        assert np.array_equal(hashes, want) and np.array_equal(flags, want_flags)


def _corpus_texts() -> Iterator[str]:
    truth = CORPORA / "scrapinghub-aeb" / "ground-truth.json"
    if truth.exists():
        yield from (str(v.get("articleBody") or "") for v in json.loads(truth.read_text(encoding="utf-8")).values())
    for page in sorted((CORPORA / "scrapinghub-aeb" / "html").glob("*.html.gz"))[::6]:
        yield gzip.decompress(page.read_bytes()).decode("utf-8", "surrogateescape")  # lone surrogates too
    for page in sorted((CORPORA / "htmldate-dev" / "pages").glob("*.html"))[::8]:
        yield page.read_bytes().decode("utf-8", "surrogateescape")
    for story in sorted((CORPORA / "meter-courts" / "PA" / "rawtexts").rglob("*.txt"))[::10]:
        yield story.read_bytes().decode("utf-8", "surrogateescape")


@pytest.mark.skipif(not (CORPORA / "scrapinghub-aeb").is_dir(), reason="shared corpora not available")
def test_real_pages_in_many_languages_hash_the_same() -> None:
    texts = [t for t in _corpus_texts() if t]
    assert len(texts) > 300
    for text in texts:
        assert_same(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 2**64 - 1), min_size=1, max_size=40), st.integers(1, 12))
def test_compiled_shingle_hashes_equal_the_numpy_ones(values: list[int], size: int) -> None:
    hashes = np.array(values, dtype=np.uint64)
    assert np.array_equal(fp.shingle_hashes(hashes, size), fp._numpy_shingles(hashes, min(size, len(values))))
    backwards = hashes[::-1]  # a strided view
    assert np.array_equal(fp.shingle_hashes(backwards, size), fp._numpy_shingles(backwards, min(size, len(values))))
