"""The demo corpus (datasets/demo/CARD.md): every page's chain, directions and credits from a real SQLite index."""

from __future__ import annotations

from pathlib import Path

import pytest

from detector.demo import build_demo_index
from detector.index import Index
from detector.records import Match, Verdict
from detector.score import Scorer

PAGES = Path(__file__).resolve().parent.parent / "datasets" / "demo" / "pages"

# page -> expected chain of domains, original first (empty: the page copies nothing)
CHAINS: dict[str, list[str]] = {
    "thetimes": [],
    "balkanweb": ["thetimes.co.uk", "balkanweb.com"],
    "botasot": ["thetimes.co.uk", "balkanweb.com", "botasot.al"],
    "kyivpost": [],
    "riverton-gazette": [],
    "dailybuzzhub": ["riverton-gazette.example", "dailybuzzhub.example"],
    "valley-courier-syndicated": ["riverton-gazette.example", "valleycourier.example"],
    "newsroundup": ["riverton-gazette.example", "heartlandroundup.example"],
    "krvt7": [],
    "valley-courier-millbrook": [],
    "correo-almendral": [],
    "noticiasaldia24": ["correodelalmendral.example", "noticiasaldia24.example"],
    "valdeornahoy": ["correodelalmendral.example", "valdeornahoy.example"],
    "ondavaldeorna": [],
    "tiranasot": [],
    "lajmeshpejt": ["tiranasot.example", "lajmeshpejt.example"],
    "infoalbania24": ["tiranasot.example", "lajmeshpejt.example", "infoalbania24.example"],
    "tiranapost": [],
}
MATCH_NOTHING = {"kyivpost", "krvt7", "valley-courier-millbrook", "ondavaldeorna", "tiranapost"}
# (page, source domain, derivations allowed, credited) for the page's own source
SOURCES = [
    ("balkanweb", "thetimes.co.uk", {"quotes_only"}, True),
    ("botasot", "balkanweb.com", {"whole"}, True),
    ("dailybuzzhub", "riverton-gazette.example", {"whole"}, False),
    ("valley-courier-syndicated", "riverton-gazette.example", {"whole"}, True),
    ("newsroundup", "riverton-gazette.example", {"partial", "whole"}, True),
    ("noticiasaldia24", "correodelalmendral.example", {"whole"}, True),
    ("valdeornahoy", "correodelalmendral.example", {"quotes_only", "partial"}, True),
    ("lajmeshpejt", "tiranasot.example", {"whole"}, True),
    ("infoalbania24", "lajmeshpejt.example", {"whole"}, False),  # its "Lajme Shpejt" is a copied promo footer
]
# (page, other page's domain): siblings, both derived from the same original; neither copied the other
SIBLINGS = [
    ("valley-courier-syndicated", "dailybuzzhub.example"),
    ("newsroundup", "dailybuzzhub.example"),
    ("newsroundup", "valleycourier.example"),
    ("dailybuzzhub", "valleycourier.example"),
    ("dailybuzzhub", "heartlandroundup.example"),
    ("noticiasaldia24", "valdeornahoy.example"),
    ("valdeornahoy", "noticiasaldia24.example"),
]


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Verdict]:
    path = build_demo_index(tmp_path_factory.mktemp("demo") / "demo.sqlite")
    with Index(path, readonly=True) as index, Scorer(index) as scorer:
        assert len(index) == 18
        found = list(scorer.score_all([str(p) for p in sorted(PAGES.glob("*.html"))]))
    return {Path(v.target).stem: v for v in found}


def _domain(url: str) -> str:
    return url.split("/")[2].removeprefix("www.")


def _match(verdict: Verdict, domain: str) -> Match:
    found = [m for m in verdict.matches if m.domain == domain]
    assert found, f"{verdict.target}: no match to {domain} in {[m.domain for m in verdict.matches]}"
    return found[0]


@pytest.mark.parametrize("page", sorted(CHAINS))
def test_every_demo_page_has_the_chain_the_card_expects(verdicts: dict[str, Verdict], page: str) -> None:
    verdict = verdicts[page]
    assert verdict.error is None
    assert [_domain(u) for u in verdict.chain] == CHAINS[page]
    if CHAINS[page]:
        assert verdict.origin is not None and verdict.origin.domain == CHAINS[page][0]
    else:
        assert verdict.origin is None
    if page in MATCH_NOTHING:
        assert verdict.matches == ()


@pytest.mark.parametrize(("page", "source", "derivations", "credited"), SOURCES)
def test_each_copy_names_its_source_direction_derivation_and_credit(
        verdicts: dict[str, Verdict], page: str, source: str, derivations: set[str], credited: bool) -> None:
    verdict = verdicts[page]
    match = _match(verdict, source)
    assert match.direction == "this_copies_other"
    assert match.derivation in derivations
    assert match.credited is credited
    assert f"copied_from:{source}" in verdict.reasons
    assert (f"uncredited_copy:{source}" in verdict.reasons) is (not credited and match.derivation != "quotes_only")


@pytest.mark.parametrize(("page", "other"), SIBLINGS)
def test_pages_copying_the_same_original_are_siblings_not_sources(
        verdicts: dict[str, Verdict], page: str, other: str) -> None:
    verdict = verdicts[page]
    match = _match(verdict, other)
    assert match.direction == "unknown"
    assert match.direction_evidence is not None and match.direction_evidence.startswith("sibling: both derive from")
    assert not any(r.endswith(f":{other}") for r in verdict.reasons if r.split(":")[0] in
                   ("copied_from", "uncredited_copy", "copied_by"))


def test_originals_are_copied_by_their_copies_and_copy_nothing(verdicts: dict[str, Verdict]) -> None:
    expected = {
        "riverton-gazette": {"valleycourier.example", "dailybuzzhub.example", "heartlandroundup.example"},
        "correo-almendral": {"noticiasaldia24.example", "valdeornahoy.example"},
        "tiranasot": {"lajmeshpejt.example", "infoalbania24.example"},
        "thetimes": set(),
    }
    for page, copiers in expected.items():
        verdict = verdicts[page]
        assert all(m.direction == "other_copies_this" for m in verdict.matches), page
        assert {r.split(":", 1)[1] for r in verdict.reasons if r.startswith("copied_by:")} == copiers, page
    syndicated = _match(verdicts["riverton-gazette"], "valleycourier.example")
    assert syndicated.credited and syndicated.direction_evidence == "canonical"
    assert _match(verdicts["riverton-gazette"], "dailybuzzhub.example").credited is False
