"""Two pages that each took one story from a third are siblings, whichever index or batch holds the third, and
both ends of the pair say so (an outside probe auditing a URL list over HTTP: a partner's credited reprint
flagged as a farm's copy, a farm's credited excerpt called the copy of another farm's copy)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from detector.index import Index
from detector.matcher import find_matches
from detector.records import Match
from detector.score import merged_matches
from tests.test_wire_and_sources import DAY, _article, _story

SIBLING = "sibling: both derive from harbourgazette.example"


def _by_domain(matches: list[Match]) -> dict[str, Match]:
    return {m.domain: m for m in matches}


def test_a_credited_reprint_is_no_copy_of_a_farm_in_another_index_than_the_original(tmp_path: Path) -> None:
    """The original in the user's index of newsrooms, the farm and the partner in the audit's batch: each index
    alone showed two of the three pages, and the farm (dated a day before the partner) became its source."""
    body = _story(21)
    original = _article("https://harbourgazette.example/mains", body)
    farm = _article("https://dailydigest.example/mains", body, published=DAY + timedelta(days=1))
    partner = _article("https://coastal.example/mains", ["This article first appeared in Harbourgazette.", *body],
                       published=DAY + timedelta(days=2))
    with Index(tmp_path / "news.sqlite") as news, Index(tmp_path / "batch.sqlite") as batch:
        news.add([original])
        batch.add([farm])
        for indexes in ([news, batch], [batch, news]):
            found = _by_domain(merged_matches(partner, indexes))
            assert found["harbourgazette.example"].direction == "this_copies_other"
            assert found["harbourgazette.example"].credited
            assert found["dailydigest.example"].direction == "unknown"
            assert found["dailydigest.example"].direction_evidence == SIBLING
        # the farm's side of the pair says the same
        batch.add([partner])
        seen_by_farm = _by_domain(merged_matches(farm, [news, batch]))
        assert seen_by_farm["coastal.example"].direction_evidence == SIBLING
        assert seen_by_farm["harbourgazette.example"].direction == "this_copies_other"


def test_a_canonical_link_to_a_third_site_is_where_the_text_came_from_when_that_site_is_not_indexed(
        tmp_path: Path) -> None:
    """Scored against an index without the original, the reprint (canonical link to it) was told it copied the
    farm dated before it, and the chain made the farm the story's origin; the farm was told the reprint copied
    it. The canonical link states where the text came from: neither page copied the other."""
    body = _story(22)
    farm = _article("https://dailydigest.example/mains", body, published=DAY + timedelta(days=1))
    partner = replace(_article("https://coastal.example/mains", body, published=DAY + timedelta(days=2)),
                      canonical="https://www.harbourgazette.example/mains", credited=("The Harbour Gazette",))
    with Index(tmp_path / "batch.sqlite") as batch:
        batch.add([farm, partner])
        (seen_by_partner,) = find_matches(partner, batch)
        (seen_by_farm,) = find_matches(farm, batch)
    for match in (seen_by_partner, seen_by_farm):
        assert match.direction == "unknown" and match.direction_evidence.startswith(SIBLING)
    # a canonical link no reader sees, and no credit: a farm pointing it at a third site is still a copy
    # (an outside probe: "canonical to reuters.com" took a clean-looking farm out of its copy relation)
    sly = replace(_article("https://sciencehub.example/mains", body, published=DAY + timedelta(days=2)),
                  canonical="https://www.reuters.com/world/mains")
    with Index(tmp_path / "sly.sqlite") as index:
        index.add([farm])
        (seen_by_sly,) = find_matches(sly, index)
    assert seen_by_sly.direction == "this_copies_other" and seen_by_sly.direction_evidence == "published later"
    # a later copy of the reprint is still its copy: the canonical link speaks only for the page that has it
    later = _article("https://buzz.example/mains", body, published=DAY + timedelta(days=3))
    with Index(tmp_path / "two.sqlite") as two:
        two.add([partner])
        (seen_by_later,) = find_matches(later, two)
    assert seen_by_later.direction == "this_copies_other" and seen_by_later.direction_evidence == "published later"


def test_an_undated_credited_excerpt_is_a_sibling_of_an_undated_whole_copy_on_both_ends(tmp_path: Path) -> None:
    """Two undated farms copied one dated story: one whole, one an excerpt that credits and links the original.
    The excerpt was called the whole copy's copy (containment), and the dated original's reprint was called
    the copy of an undated farm on one end of the pair and its sibling on the other."""
    body = _story(23)
    original = _article("https://harbourgazette.example/bikes", body)
    whole = _article("https://trendbuzz.example/bikes", body, published=None)
    excerpt = replace(_article("https://noticias.example/bikes", body[:3], published=None),
                      links=("https://harbourgazette.example/bikes",))
    reprint = replace(_article("https://coastal.example/bikes", body, published=DAY + timedelta(days=1)),
                      canonical="https://harbourgazette.example/bikes")
    with Index(tmp_path / "i.sqlite") as index:
        index.add([original, whole, excerpt, reprint])
        of_excerpt = _by_domain(find_matches(excerpt, index))
        of_whole = _by_domain(find_matches(whole, index))
        of_reprint = _by_domain(find_matches(reprint, index))
    assert of_excerpt["harbourgazette.example"].credited
    assert of_excerpt["trendbuzz.example"].direction_evidence == SIBLING
    assert of_whole["noticias.example"].direction_evidence == SIBLING
    assert of_reprint["trendbuzz.example"].direction_evidence == SIBLING
    assert of_whole["coastal.example"].direction_evidence == SIBLING
    assert of_whole["harbourgazette.example"].direction == "this_copies_other"


def test_a_copy_crediting_the_reprint_it_took_names_its_source(tmp_path: Path) -> None:
    """Copied from a partner's reprint (canonical to the original) with "Source: Coastal Post": the reprint was
    made a sibling of the original and the page an uncredited copy of the original (an outside probe)."""
    from detector.provenance import best_source

    body = _story(24)
    original = _article("https://harbourgazette.example/ferry", body)
    reprint = replace(_article("https://coastalpost.example/ferry", body, published=DAY + timedelta(hours=3)),
                      canonical="https://harbourgazette.example/ferry", sitename="Coastal Post")
    copy = replace(_article("https://dailybuzz.example/ferry", [*body, "Source: Coastal Post"],
                            published=DAY + timedelta(days=1)), credited=("Coastal Post",))
    with Index(tmp_path / "i.sqlite") as index:
        index.add([original, reprint])
        found = _by_domain(find_matches(copy, index))
    source = best_source(list(found.values()))
    assert source is not None and source.domain == "coastalpost.example" and source.credited
    assert found["harbourgazette.example"].upstream  # where the text comes from, not held against the copy
