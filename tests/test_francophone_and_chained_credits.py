"""What probes 79 and 80 (French, Romanian, Italian, German and Dutch news; a domain audit) found: an agency's
tag between slashes ("Chișinău, 11 noiembrie /MOLDPRES/."), a column two papers publish together, French times
written "10 h 12", a public body named by a compound ("Landeswarnzentrale"), and what the table and the domain edges say about undecided and half-credited copies
(a farm crediting the farm it copied: ``test_backdated_sources``)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import lxml.html
import polars as pl
import pytest
from rich.console import Console

from detector.agencies import dateline_tags
from detector.audit_tables import build_pages_and_page_edges, edges_table
from detector.index import Index
from detector.matcher import find_matches
from detector.provenance import joint_publication
from detector.pubdate import shown_date
from detector.records import Match, Passage, Verdict
from detector.render import verdict_table
from features.attribution import is_public_body
from tests.test_wire_and_sources import DAY, _article, _story

@pytest.mark.parametrize("opening, tags", [
    ("Chișinău, 11 noiembrie /NORDPRES/. Guvernul a aprobat astăzi regulamentul.", ("NORDPRES",)),
    ("TIRANË, 12 shkurt /Agjencia Veriu/ – Qeveria miratoi buxhetin.", ("Agjencia Veriu",)),
    ("LISBON (Meridian) — The government said.", ("Meridian",)),
    ("Read it at example.com/news/. The government said.", ()),  # a path is no tag
    ("Prices rose 3/4 of a point / analysts said.", ()),
])
def test_a_datelines_agency_tag_is_read_between_slashes_too(opening: str, tags: tuple[str, ...]) -> None:
    assert dateline_tags(_article("https://a.example/1", [opening, "The rest of the story."])) == tags


def test_two_papers_running_an_unlisted_agencys_story_tagged_between_slashes_are_siblings(tmp_path: Path) -> None:
    """Probe 79: a Moldpres story run by a Drupal paper ("/MOLDPRES/" dateline) and a newsroom's Blogger site
    ("Sursa: MOLDPRES" too) read as the second's uncredited copy of the first, content_farm 0.999."""
    body = _story(79)
    body[0] = "Chișinău, 11 noiembrie /NORDPRES/. " + body[0]
    first = _article("https://ecoulnordului.example/energie", body)
    second = replace(_article("https://baltiazi.example/energie", [*body, "Sursa: NORDPRES"],
                              published=DAY + timedelta(hours=2)), credited=("NORDPRES",))
    with Index(tmp_path / "i.sqlite") as index:
        index.add([first])
        (match,) = find_matches(second, index)
    assert match.direction == "unknown" and match.sibling
    assert match.direction_evidence.startswith("sibling: both derive from nordpres")


def test_a_column_both_papers_publish_together_makes_no_copy(tmp_path: Path) -> None:
    """Probe 79: "Cette chronique paraît simultanément dans Le Courrier du Lac et L'Arc jurassien." on both runs;
    with the second run posted hours later it read as the first's uncredited copy (content_farm 0.9975)."""
    note = "Cette chronique paraît simultanément dans Le Courrier du Lac et L'Arc jurassien."
    body = [*_story(80), note]
    lac = replace(_article("https://www.courrierdulac.example/chronique", body), sitename="Le Courrier du Lac")
    arc = replace(_article("https://www.arcjurassien.example/chronique", body, published=DAY + timedelta(hours=3)),
                  sitename="L'Arc jurassien")
    farm = replace(_article("https://infos-flash.example/chronique", body, published=DAY + timedelta(hours=5)),
                   sitename="Infos Flash")
    assert joint_publication(lac, arc) and joint_publication(arc, lac)
    assert not joint_publication(farm, lac)  # a copy names its own site nowhere in what it took
    with Index(tmp_path / "i.sqlite") as index:
        index.add([lac])
        (pair,) = find_matches(arc, index)
        (copy,) = find_matches(farm, index)
    assert pair.direction == "unknown" and pair.sibling and "joint publication" in pair.direction_evidence
    assert copy.direction == "this_copies_other" and not copy.credited


@pytest.mark.parametrize("line, expected", [
    ("Publié le 11 novembre 2026 à 10 h 12", "2026-11-11T10:12:00"),
    ("11 novembre 2026 - 16 h 05", "2026-11-11T16:05:00"),
    ("11 novembre 2026, 8h30", "2026-11-11T08:30:00"),
    ("Semaine du 11 novembre 2026 - 3 h de lecture", "2026-11-11T00:00:00"),  # an hour count, no minutes: no time
])
def test_french_times_written_with_spaced_h_are_read(line: str, expected: str) -> None:
    """Probe 79: Quebec date lines ("à 10 h 12") were read as a day without its time."""
    dom = lxml.html.fromstring(f"<html><body><h1>L'essence grimpe de 8 cents</h1><p class='date'>{line}</p>"
                               "<p>Le prix de l'essence a augmenté.</p></body></html>")
    assert shown_date(dom).isoformat() == expected


@pytest.mark.parametrize("name, body", [
    ("Landeswarnzentrale Steiermark", True),
    ("Landespolizeidirektion Tirol", True),
    ("Veiligheidsregio Utrecht", True),
    ("Polizei", True),
    ("Kurier am Sonntag", False),
    ("Radio Alpenfunk", False),
    ("Gesamtschau", False),  # ends in no body's word
])
def test_a_public_body_is_known_by_a_compound_ending_in_a_bodys_word(name: str, body: bool) -> None:
    """Probe 80: a broadcaster's storm ticker crediting "Quelle: Landeswarnzentrale Steiermark" read as a farm's
    source line (suspicious, 0.58)."""
    assert is_public_body(name) is body


def _page_verdict(url: str, source: str, credited: bool) -> Verdict:
    match = Match(url=source, domain=source.split("/")[2], published=None, share_of_this=0.9, share_of_other=0.9,
                  jaccard=0.8, derivation="whole", direction="this_copies_other", credited=credited,
                  passages=(Passage(0, 10, 0, 10, "a copied passage"),))
    return Verdict(target=url, url=url, domain=url.split("/")[2], farm_probability=0.99, label="content_farm",
                   matches=(match,))


@pytest.mark.parametrize("credited_pages, credited", [(1, False), (2, False), (3, True)])
def test_a_domain_edge_is_credited_only_when_most_of_its_copies_credit(credited_pages: int, credited: bool) -> None:
    """Probe 80: an edge whose farm credited one copy of two read ``credited = true``."""
    verdicts = [_page_verdict(f"https://farm.example/{i}", f"https://news.example/{i}", i < credited_pages)
                for i in range(4)]
    pages, page_edges = build_pages_and_page_edges(v.to_dict() for v in verdicts)
    edge = edges_table(page_edges, pages).filter(pl.col("kind") == "domain").row(0, named=True)
    assert edge["credited_share"] == credited_pages / 4 and edge["credited"] is credited


def test_the_table_says_when_who_copied_whom_is_undecided() -> None:
    """Probes 79 and 80: an undecided pair read "shares text with X: whole, ..., uncredited" as if a copy."""
    match = Match(url="https://news.example/a", domain="news.example", published=None, share_of_this=0.96,
                  share_of_other=1.0, jaccard=0.9, derivation="whole", direction="unknown", credited=False,
                  direction_evidence="undecided: the other page is dated earlier, but reads as a content farm",
                  passages=(Passage(0, 10, 0, 10, "a copied passage"),))
    verdict = Verdict(target="b.html", url="https://copy.example/b", domain="copy.example", farm_probability=0.2,
                      label="clean", matches=(match,))
    console = Console(width=200, record=True)
    console.print(verdict_table(verdict, searched=True))
    text = console.export_text()
    assert "shares text with news.example" in text
    assert "who copied whom is undecided (undecided: the other page is dated earlier" in text
