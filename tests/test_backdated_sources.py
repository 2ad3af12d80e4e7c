"""A farm that backdates its copy is no source of the newsroom's story for its date alone, in every view of the
story: the newsroom's, the farm's and those of the later copies (an outside probe: a clean-looking backdated
farm made the newsroom a content farm for "copying" it, and a farm-looking one stayed the source of later copies
and the newsroom's "sibling" source although its own pair with the newsroom was left undecided)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from detector.index import Index
from detector.matcher import find_matches
from detector.provenance import Doubt, best_source
from detector.records import Match
from tests.test_wire_and_sources import DAY, _article, _story

FARM_CUT, CLEAN_CUT = 0.95, 0.3


def _doubt(own: dict[str, float], url: str) -> Doubt:
    return Doubt(lambda: own.get(url), own.get, FARM_CUT, CLEAN_CUT)


def _by_domain(matches: list[Match]) -> dict[str, Match]:
    return {m.domain: m for m in matches}


def test_a_clean_backdated_farm_gives_way_to_the_page_a_third_page_credits(tmp_path: Path) -> None:
    body = _story(41)
    newsroom = _article("https://harbourtimes.example/dredging", body)
    farm = _article("https://worldnewsflash.example/dredging", body, published=DAY - timedelta(days=2))
    partner = replace(_article("https://coastal.example/dredging", body, published=DAY + timedelta(hours=2)),
                      canonical="https://harbourtimes.example/dredging")
    later = _article("https://buzzhub.example/dredging", body, published=DAY + timedelta(days=1))
    # the farm reads too close to the newsroom for its own reading to doubt the dates; the partner does
    own = {page.url: p for page, p in ((newsroom, 0.04), (farm, 0.07), (partner, 0.02), (later, 0.99))}
    with Index(tmp_path / "i.sqlite") as index:
        index.add([newsroom, farm, partner, later])
        undoubted = _by_domain(find_matches(newsroom, index))
        of_newsroom = _by_domain(find_matches(newsroom, index, doubt=_doubt(own, newsroom.url)))
        of_farm = _by_domain(find_matches(farm, index, doubt=_doubt(own, farm.url)))
        of_later = find_matches(later, index, doubt=_doubt(own, later.url))
    # the dates alone made the newsroom the farm's copy; the partner's canonical link says otherwise
    assert undoubted["worldnewsflash.example"].direction == "this_copies_other"
    pair = of_newsroom["worldnewsflash.example"]
    assert pair.direction == "unknown" and pair.direction_evidence.startswith("undecided: the other page is dated")
    assert "coastal.example credits the later one" in pair.direction_evidence
    assert of_farm["harbourtimes.example"].direction_evidence.startswith("undecided: this page is dated earlier")
    assert of_newsroom["buzzhub.example"].direction == "other_copies_this"  # a later copy stays the newsroom's
    # the later copy's source is the newsroom; the farm is no source of it, nor upstream of the newsroom
    assert best_source(of_later).domain == "harbourtimes.example"
    farm_seen = _by_domain(of_later)["worldnewsflash.example"]
    assert farm_seen.direction == "unknown" and farm_seen.direction_evidence.startswith("sibling: both derive from")
    # and the farm's own view of the later copy agrees: a sibling, not its copy
    assert of_farm["buzzhub.example"].direction == "unknown"


def test_a_backdated_farm_that_reads_as_one_is_doubted_before_the_siblings_are_drawn(tmp_path: Path) -> None:
    """Doubted after the sibling marks, the farm had already made the newsroom's later copies "siblings" of it
    in the newsroom's view, and stayed the source of a reworded farm."""
    body = _story(42)
    newsroom = _article("https://rheinpost.example/bridge", body)
    backdated = _article("https://infoblitz.example/bridge", body, published=DAY - timedelta(days=1))
    later = _article("https://nachrichten.example/bridge", body, published=DAY + timedelta(days=1))
    own = {newsroom.url: 0.09, backdated.url: 0.99, later.url: 0.99}
    with Index(tmp_path / "i.sqlite") as index:
        index.add([newsroom, backdated, later])
        of_newsroom = _by_domain(find_matches(newsroom, index, doubt=_doubt(own, newsroom.url)))
        of_later = find_matches(later, index, doubt=_doubt(own, later.url))
    assert of_newsroom["infoblitz.example"].direction_evidence.startswith("undecided:")
    assert of_newsroom["nachrichten.example"].direction == "other_copies_this"
    assert best_source(of_later).domain == "rheinpost.example"
    assert not any(m.domain == "infoblitz.example" and m.direction == "this_copies_other" for m in of_later)


@pytest.mark.parametrize("farm_p, newsroom_p, doubted", [
    (0.125, 0.014, True),   # probe 53: a bare verbatim copy, backdated a day
    (0.083, 0.013, True),   # the same pages after a retraining
    (0.161, 0.055, True),   # probe 54: the same on a tidy template, against a 2008-style portal
    (0.21, 0.04, True),
    (0.047, 0.012, True),   # probe 53's copy and original after a later retraining (the gap lowered to 0.03)
    (0.04, 0.02, False),    # two clean pages: too close, the dates decide
    (0.10, 0.05, False),    # under 2.5 times the odds
])
def test_a_backdated_copy_reading_farmier_at_higher_odds_leaves_the_pair_undecided(
        tmp_path: Path, farm_p: float, newsroom_p: float, doubted: bool) -> None:
    body = _story(43)
    newsroom = _article("https://northgate.example/rovers", body)
    copy = _article("https://terracetalk.example/rovers", body, published=DAY - timedelta(days=1))
    own = {newsroom.url: newsroom_p, copy.url: farm_p}
    with Index(tmp_path / "i.sqlite") as index:
        index.add([newsroom, copy])
        pair = _by_domain(find_matches(newsroom, index, doubt=_doubt(own, newsroom.url)))["terracetalk.example"]
    if doubted:
        assert pair.direction == "unknown" and pair.direction_evidence.startswith("undecided: the other page is dated")
    else:
        assert pair.direction == "this_copies_other"


def test_an_amp_edition_weighs_dates_with_its_articles_indexed_score(tmp_path: Path) -> None:
    """Probe 53: a newsroom's AMP edition reads as its article's URL (canonical) and farmier than the article (a
    bare template); against a backdated copy it became that copy's content-farm copy, while the article, indexed
    at 0.014, had the pair undecided. The index's page at the edition's URL weighs the dates, if lower."""
    from detector.score import Scorer
    from detector.sources import expand

    body = _story(44)
    url = "https://northgate.example/sport/rovers-1"
    article = _article(url, body)
    copy = _article("https://terracetalk.example/rovers", body, published=DAY - timedelta(days=1))
    amp = tmp_path / "amp.html"
    amp.write_text(f"<html amp><head><title>Rovers</title><link rel='canonical' href='{url}'>"
                   f"<meta property='article:published_time' content='{DAY.isoformat()}'></head><body><h1>Rovers</h1>"
                   + "".join(f"<p>{p}</p>" for p in body) + "</body></html>", encoding="utf-8")
    with Index(tmp_path / "i.sqlite") as index:
        index.add([article, copy], probabilities=[0.001, 0.10])
    with Index(tmp_path / "i.sqlite", readonly=True) as index, Scorer(index) as scorer:
        verdict = scorer.score_target(next(iter(expand([str(amp)]))))
    pair = _by_domain(list(verdict.matches))["terracetalk.example"]
    assert verdict.url == url
    assert pair.direction == "unknown" and pair.direction_evidence.startswith("undecided: the other page is dated")
    assert verdict.label == "clean"


def test_a_page_its_later_reprint_credits_stays_upstream_however_farmy_it_reads(tmp_path: Path) -> None:
    """Probe 55: a newsroom story (0.37 for its Viber-community box), a partner's reprint canonical to it (0.001)
    and a reworded copy that took more from the reprint than from the story. The story read "farmier" than its
    reprint, so its earlier date was doubted against the reprint, and the copy called it a sibling deriving from
    its own reprint; the reprint's credit says where the text comes from: the story is upstream of the copy."""
    body = _story(43)
    newsroom = _article("https://novosti.example/voda", body)
    note = ("Water board engineers from the river district told our partner desk on Tuesday evening that the pumps "
            "at the old station would stay under watch through the weekend while tankers serve six places.")
    reprint = replace(_article("https://glasnik.example/voda", [note, *body], published=DAY + timedelta(hours=4)),
                      canonical="https://novosti.example/voda")
    copy = _article("https://podunavlje-info.example/voda", [note, *body[1:]], published=DAY + timedelta(days=1))
    own = {newsroom.url: 0.37, reprint.url: 0.001, copy.url: 0.99}
    with Index(tmp_path / "i.sqlite") as index:
        index.add([newsroom, reprint, copy])
        of_copy = _by_domain(find_matches(copy, index, doubt=_doubt(own, copy.url)))
    assert best_source(list(of_copy.values())).domain == "glasnik.example"
    story = of_copy["novosti.example"]
    assert story.direction == "this_copies_other" and story.direction_evidence.startswith("upstream, via glasnik"), (
        story.direction, story.direction_evidence)


def test_a_reprint_crediting_a_newsroom_keeps_it_its_source_however_farmy_it_reads(tmp_path: Path) -> None:
    """Probe 67: a content-sharing reprint ("republished from Deccan Ledger") of a newsroom story that reads 0.19 on
    its own; a farm's copy of the story, dated between them, reads 0.08, so the newsroom's date was doubted against
    the farm, and the reprint was made the farm's uncredited copy (content_farm, 0.995). The reprint's credit says
    where its text comes from."""
    body = _story(47)
    newsroom = replace(_article("https://deccanledger.example/tankers", body), sitename="Deccan Ledger")
    farm = _article("https://indiatrending.example/tankers", body, published=DAY + timedelta(hours=5))
    reprint = replace(_article("https://konkanchronicle.example/tankers", body, published=DAY + timedelta(hours=9)),
                      credited=("Deccan Ledger",))
    own = {newsroom.url: 0.19, farm.url: 0.08, reprint.url: 0.05}
    with Index(tmp_path / "i.sqlite") as index:
        index.add([newsroom, farm])
        found = _by_domain(find_matches(reprint, index, doubt=_doubt(own, reprint.url)))
    assert found["deccanledger.example"].direction == "this_copies_other" and found["deccanledger.example"].credited
    assert found["indiatrending.example"].sibling, found["indiatrending.example"].direction_evidence


def test_a_farm_crediting_the_farm_it_copied_leaves_that_farm_the_newsrooms_copier(tmp_path: Path) -> None:
    """Probe 79: a Blogger farm copied a farm's uncredited copy of a newsroom story and credited that farm with a
    link; the credit doubted the newsroom's earlier date as a partner's credit doubts a backdated farm's, and the
    newsroom lost its copier. A page crediting a farm says where it took the text, not where the farm took it."""
    body = _story(81)
    newsroom = _article("https://dakarhorizon.example/peche", body)
    farm = _article("https://senactu.example/peche", body, published=DAY + timedelta(hours=4))
    chained = replace(_article("https://kebetu.example/peche", body, published=DAY + timedelta(hours=9)),
                      links=("https://senactu.example/peche",))
    with Index(tmp_path / "i.sqlite") as index:
        index.add([newsroom, chained])
        found = {p: _by_domain(find_matches(farm, index, doubt=_doubt(
            {newsroom.url: 0.02, farm.url: p, chained.url: 0.2}, farm.url))) for p in (0.99, 0.05)}
    copied = found[0.99]["dakarhorizon.example"]
    assert copied.direction == "this_copies_other" and not copied.credited
    # the same credit still doubts the date against a later page that reads clean (a partner crediting a newsroom)
    tidy = found[0.05]["dakarhorizon.example"]
    assert tidy.direction == "unknown" and "kebetu.example credits the later one" in tidy.direction_evidence
