"""The case the tool was born from: the Times -> BalkanWeb -> botasot.al, and Kyiv Post reporting on its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from detector.index import Index
from detector.records import Verdict
from detector.score import Scorer

TIMES = "thetimes.co.uk"
BALKANWEB = "balkanweb.com"
BOTASOT = "botasot.al"


def _score(index_path: Path, page: Path) -> Verdict:
    with Index(index_path, readonly=True) as index, Scorer(index) as scorer:
        (verdict,) = list(scorer.score_all([str(page)]))
    assert verdict.error is None
    return verdict


def _match(verdict: Verdict, domain: str):
    found = [m for m in verdict.matches if m.domain == domain]
    assert found, f"no match to {domain} in {[m.domain for m in verdict.matches]}"
    return found[0]


def test_botasot_is_a_credited_near_verbatim_copy_of_balkanweb(seed_index: Path, seed_dir: Path) -> None:
    verdict = _score(seed_index, seed_dir / "botasot.html")
    match = _match(verdict, BALKANWEB)
    assert match.share_of_this >= 0.8
    assert match.direction == "this_copies_other"
    assert match.credited is True
    assert match.derivation == "whole"
    assert match.passages and all(p.this_end > p.this_start for p in match.passages)
    assert f"copied_from:{BALKANWEB}" in verdict.reasons


def test_botasot_is_traced_back_to_the_times(seed_index: Path, seed_dir: Path) -> None:
    verdict = _score(seed_index, seed_dir / "botasot.html")
    domains = [url.split("/")[2].removeprefix("www.") for url in verdict.chain]
    assert domains == ["thetimes.co.uk", "balkanweb.com", "botasot.al"]
    assert verdict.origin is not None and verdict.origin.domain == TIMES
    assert verdict.origin.published is not None and verdict.origin.published.isoformat() == "2022-10-16T17:00:00+01:00"


def test_balkanweb_shares_only_two_credited_quotations_with_the_times(seed_index: Path, seed_dir: Path) -> None:
    verdict = _score(seed_index, seed_dir / "balkanweb.html")
    match = _match(verdict, TIMES)
    assert match.derivation == "quotes_only"
    assert match.credited is True
    assert match.direction == "this_copies_other"
    assert len(match.passages) == 2
    texts = " ".join(p.text for p in match.passages)
    assert "dragging Belarus into an all-out war" in texts
    assert "criminal orders of the regime" in texts
    assert match.share_of_this < 0.2
    assert [u.split("/")[2] for u in verdict.chain] == ["www.thetimes.co.uk", "www.balkanweb.com"]


def test_kyivpost_matches_nothing(seed_index: Path, seed_dir: Path) -> None:
    verdict = _score(seed_index, seed_dir / "kyivpost.html")
    assert verdict.matches == ()
    assert verdict.origin is None and verdict.chain == ()


def test_the_times_is_the_original(seed_index: Path, seed_dir: Path) -> None:
    verdict = _score(seed_index, seed_dir / "thetimes.html")
    assert verdict.origin is None and verdict.chain == ()
    assert all(m.direction == "other_copies_this" for m in verdict.matches)


def test_verdict_json_contract(seed_index: Path, seed_dir: Path) -> None:
    data = _score(seed_index, seed_dir / "botasot.html").to_dict()
    for key in ("target", "url", "domain", "title", "published", "matches", "origin", "chain", "traits",
                "farm_probability", "label", "reasons", "error"):
        assert key in data
    assert data["published"] == "2022-10-17T19:05:00+02:00"
    assert data["url"].startswith("https://www.botasot.al/")
    match = data["matches"][0]
    for key in ("url", "domain", "published", "share_of_this", "share_of_other", "jaccard", "derivation",
                "direction", "credited", "passages"):
        assert key in match
    passage = match["passages"][0]
    assert set(passage) == {"this_start", "this_end", "other_start", "other_end", "text"}


@pytest.mark.parametrize("page", ["botasot.html", "balkanweb.html"])
def test_page_never_matches_itself(seed_index: Path, seed_dir: Path, page: str) -> None:
    verdict = _score(seed_index, seed_dir / page)
    assert verdict.url not in {m.url for m in verdict.matches}
