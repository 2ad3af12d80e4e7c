"""Properties over arbitrary bytes and mutated real pages (hypothesis): reading, decoding, extraction and
scoring either give an answer or refuse the input with one line naming it; they never raise anything else.
"""

from __future__ import annotations

import random
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks._hostile import MUTATORS, charset_pages, generated_page, model_or_neutral, mutate
from detector.charset import declared_charset, decode_html, normalise_charset
from detector.config import Config
from detector.errors import InputError
from detector.extract import Extracted, _trim_attributes, extract
from detector.index import Index
from detector.pubdate import parse_datetime
from detector.records import Page
from detector.score import Scorer
from detector.sources import Target, expand, load, read_page_bytes

SEED = Path(__file__).parent / "fixtures" / "seed-case"
SEED_PAGES = {p.name: p.read_bytes() for p in sorted(SEED.glob("*.html"))}
CFG = Config(extract_timeout_s=10)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def scorer(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("idx") / "seed.sqlite"
    with Index(path) as index:
        index.add([load(t).article for t in expand([str(SEED)])])
    with Index(path, readonly=True) as opened, Scorer(opened, model=model_or_neutral()) as scorer:  # type: ignore[arg-type]
        yield scorer


def _extract_or_refuse(data: bytes) -> Extracted | None:
    """Extract through the same path as a local file; None when the input was refused (one clean line)."""
    try:
        page = read_page_bytes(data, "fuzz.html", "file:///fuzz.html", CFG.max_bytes)
        return extract(page, CFG, target="fuzz.html")
    except InputError as err:
        assert str(err).startswith("fuzz.html: ") and "\n" not in str(err)
        return None


@st.composite
def mutated_pages(draw: st.DrawFn) -> bytes:
    name = draw(st.sampled_from(sorted(SEED_PAGES)))
    mutators = draw(st.lists(st.sampled_from(sorted(MUTATORS)), min_size=1, max_size=4))
    rng = random.Random(draw(st.integers(0, 2**32)))
    data = SEED_PAGES[name]
    for mutator in mutators:
        data = MUTATORS[mutator](data, rng)
    return data


@given(st.binary(max_size=4096), st.one_of(st.none(), st.sampled_from(
    ["utf-8", "cp1250", "iso-8859-2", "cp1251", "utf-16", "utf-16-le", "latin-1", "bogus", "rot13", "base64"])))
@settings(max_examples=300, deadline=None)
def test_decoding_any_bytes_never_raises(data: bytes, charset: str | None) -> None:
    text = decode_html(data, charset)
    assert isinstance(text, str)
    declared = declared_charset(f"text/html; charset={charset}", data)
    assert declared is None or normalise_charset(declared) == declared


@given(st.text(max_size=200))
@settings(max_examples=100, deadline=None)
def test_timestamps_parse_or_give_none(value: str) -> None:
    parsed = parse_datetime(value)
    assert parsed is None or isinstance(parsed, datetime)


@given(st.binary(max_size=20_000))
@FAST
def test_extraction_of_arbitrary_bytes_answers_or_refuses(data: bytes) -> None:
    extracted = _extract_or_refuse(data)
    if extracted is not None:
        assert extracted.article.text.strip()


@given(mutated_pages())
@FAST
def test_extraction_of_mutated_real_pages_answers_or_refuses(data: bytes) -> None:
    extracted = _extract_or_refuse(data)
    if extracted is not None:
        assert len(extracted.article.text.split()) >= 5
        assert extracted.article.to_dict()["url"]


@given(data=mutated_pages())
@FAST
def test_scoring_mutated_real_pages_gives_a_verdict_or_one_refusal(scorer: Scorer, data: bytes, tmp_path_factory) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "page.html"
    path.write_bytes(data)
    verdict = scorer.score_target(Target(str(path), "file", path=path))
    record = verdict.to_dict()
    assert record["target"] == str(path)
    assert verdict.error is None or ("\n" not in verdict.error and verdict.error)


@given(seed=st.integers(0, 2**32))
@FAST
def test_scoring_generated_pages_gives_a_verdict_or_one_refusal(scorer: Scorer, seed: int, tmp_path_factory) -> None:
    path = tmp_path_factory.mktemp("gen") / "page.html"
    path.write_bytes(generated_page(random.Random(seed)))
    verdict = scorer.score_target(Target(str(path), "file", path=path))
    assert verdict.to_dict()["target"] == str(path)


@given(st.text(alphabet=st.sampled_from(list("<>ab =\"' \n/")), max_size=3000))
@settings(max_examples=200, deadline=None)
def test_trimming_attributes_keeps_ordinary_markup_as_it_is(text: str) -> None:
    trimmed = _trim_attributes(text)
    if len(text) < 4096:
        assert trimmed == text
    assert len(trimmed) <= len(text) + 1


def test_trimming_attributes_only_touches_tags_with_too_many() -> None:
    page = "<html><body><img src='data:" + "A" * 10_000 + "'><div " + " ".join(f"a{i}=x" for i in range(2000)) + ">hi"
    trimmed = _trim_attributes(page)
    assert "A" * 10_000 in trimmed and "a511=x" in trimmed and "a600=x" not in trimmed and trimmed.endswith(">hi")


@pytest.mark.parametrize("name", sorted(charset_pages()))
def test_every_charset_page_keeps_its_letters(name: str) -> None:
    body, content_type, word = charset_pages()[name]
    page = Page(url="https://x.example/", final_url="https://x.example/", html=body,
                charset=declared_charset(content_type, body))
    assert word in extract(page, CFG).article.text


def test_a_page_mutated_many_times_still_answers_or_refuses() -> None:
    rng = random.Random(5)
    for _ in range(40):
        _extract_or_refuse(mutate(SEED_PAGES["botasot.html"], rng, rounds=8))


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(["http://", "https://", "HTTPS://", "x+y.-z://", "//", "", "mailto:"]),
       st.text(alphabet="aZ09.-_:/@[]?#%\t\n ", max_size=24))
def test_the_plain_host_fast_path_agrees_with_urlsplit(scheme: str, rest: str) -> None:
    from urllib.parse import urlsplit

    from detector.urls import host

    url = scheme + rest
    try:
        name = (urlsplit(url.strip()).hostname or "").lower().rstrip(".")
    except ValueError:
        name = ""
    assert host(url) == (name[4:] if name.startswith("www.") else name)


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(["http://", "https://", "//", "", "www.", "mailto:", " "]),
       st.text(alphabet="aZ09.-_:/@[]?#%\t\n ", max_size=24))
def test_the_traits_host_of_is_urls_host_with_bare_domains_read_as_hosts(prefix: str, rest: str) -> None:
    """``features.view.host_of`` takes ``detector.urls.host``'s answer; a bare domain is read as ``//domain``
    (the reference: urlsplit on the URL, or on ``//`` + it when it has no scheme or ``//``)."""
    from urllib.parse import urlsplit

    from features.view import host_of

    url = (prefix + rest).strip()
    try:
        parts = urlsplit(url if "//" in url or ":" in url.split("/", 1)[0] else "//" + url)
        name = (parts.hostname or "").lower().rstrip(".") if url else ""
    except ValueError:
        name = ""
    assert host_of(prefix + rest) == (name[4:] if name.startswith("www.") else name)
