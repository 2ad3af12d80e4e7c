"""A news agency on no list is credited as the listed ones are: papers running its story under its credit
("LISBON (Meridian) —", "By Meridian Staff", "Source: Meridian Press Agency") are siblings of its own page and of
one another, never one the uncredited copy of another (an outside probe: three newsrooms flagged as farms)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from detector.agencies import agency_key, shared_agency, wire_keys
from detector.index import Index
from detector.matcher import find_matches
from detector.records import Match, is_wire_copy
from tests.test_wire_and_sources import DAY, _article, _story


def _by_domain(matches: list[Match]) -> dict[str, Match]:
    return {m.domain: m for m in matches}


def _runs(body: list[str]) -> tuple:
    agency = replace(_article("https://meridianpress.org/wire/wind", ["LISBON (Meridian) — " + body[0], *body[1:]]),
                     sitename="Meridian Press Agency", author="Ana Costa, Meridian Press Agency")
    dateline = replace(_article("https://harbourtimes.co.uk/wind", ["LISBON (Meridian) — " + body[0], *body[1:]],
                                published=DAY + timedelta(hours=1)), sitename="The Harbour Times")
    byline = replace(_article("https://midlandcourier.co.uk/wind", body, published=DAY + timedelta(hours=2)),
                     sitename="Midland Courier", author="Meridian Staff")
    credit = replace(_article("https://valleyledger.com/wind", [*body, "Source: Meridian Press Agency"],
                              published=DAY + timedelta(hours=3)),
                     sitename="The Valley Ledger", credited=("Meridian Press Agency",))
    return agency, dateline, byline, credit


def test_every_way_of_crediting_an_unlisted_agency_reads_as_its_wire_copy() -> None:
    agency, dateline, byline, credit = _runs(_story(31))
    assert agency_key("Meridian Press Agency") == agency_key("Meridian Staff") == "meridian"
    for run in (dateline, byline, credit):
        assert "meridian" in wire_keys(run)
    assert shared_agency(dateline, credit) == shared_agency(byline, dateline) == "meridian"


def test_papers_running_an_unlisted_agencys_story_are_its_siblings_and_each_others(tmp_path: Path) -> None:
    agency, dateline, byline, credit = _runs(_story(32))
    with Index(tmp_path / "i.sqlite") as index:
        index.add([agency, dateline, byline, credit])
        for run in (dateline, byline, credit):
            found = _by_domain(find_matches(run, index))
            wire = found["meridianpress.org"]
            assert wire.direction == "unknown" and "wire copy of the agency's own story" in wire.direction_evidence
            assert wire.credited  # the page does credit the agency, as its evidence says
            others = [m for m in found.values() if m.domain != "meridianpress.org"]
            assert len(others) == 2
            assert all(m.direction == "unknown" and m.direction_evidence.startswith("sibling: both derive from")
                       for m in others), [(m.domain, m.direction_evidence) for m in others]


def test_a_newsroom_desk_byline_names_no_agency(tmp_path: Path) -> None:
    """"Staff Writer", "Web Desk", "Redacción": a farm keeping the original's desk byline was read as running
    the same wire story as the original (an outside probe's copies went clean)."""
    body = _story(35)
    for byline in ("Staff Writer", "Staff Reporter", "Web Desk", "Redacción", "Redação", "Redaktion"):
        original = replace(_article("https://valleyherald.example/fire", body), author=byline)
        farm = replace(_article("https://newsflash.example/fire", body, published=DAY + timedelta(hours=6)),
                       author=byline)
        assert not wire_keys(farm) and shared_agency(farm, original) is None
        with Index(tmp_path / f"{len(byline)}{byline[:3]}.sqlite") as index:
            index.add([original])
            (match,) = find_matches(farm, index)
        assert match.direction == "this_copies_other", (byline, match.direction_evidence)


def test_a_copy_of_a_papers_own_staff_story_is_still_its_copy(tmp_path: Path) -> None:
    """"By Herald Staff" names the paper itself: a farm keeping that byline shares no third party with it."""
    body = _story(33)
    paper = replace(_article("https://dailyherald.com/mains", body), sitename="Daily Herald",
                    author="By Herald Staff")
    farm = replace(_article("https://newsflash.example/mains", body, published=DAY + timedelta(hours=5)),
                   author="By Herald Staff")
    assert shared_agency(farm, paper) is None
    with Index(tmp_path / "i.sqlite") as index:
        index.add([paper])
        (match,) = find_matches(farm, index)
    assert match.direction == "this_copies_other" and not match.credited


def test_an_excerpt_crediting_the_agency_is_no_copy_of_a_papers_run_of_its_story(tmp_path: Path) -> None:
    """The excerpt links the agency, not the paper: whatever the dates, it took the text the paper ran from the
    agency (it was called the paper's uncredited copy, the paper its source and origin)."""
    body = _story(34)
    agency, dateline, _, _ = _runs(body)
    excerpt = replace(_article("https://dailyinfo24.example/wind", ["LISBON (Meridian) — " + body[0], *body[1:3]],
                               published=DAY + timedelta(hours=8)),
                      links=("https://meridianpress.org/wire/wind",))
    with Index(tmp_path / "i.sqlite") as index:
        index.add([agency, dateline])
        found = _by_domain(find_matches(excerpt, index))
    assert found["meridianpress.org"].credited
    paper = found["harbourtimes.co.uk"]
    assert paper.direction == "unknown" and paper.direction_evidence.startswith("sibling: both derive from")


def test_an_agency_credited_by_its_acronym_is_credited(tmp_path: Path) -> None:
    """Probe 51: a regional paper ran the Agencia Ibérica de Noticias' story under "JAÉN, 4 Nov. (AIN)" and
    "Noticias de agencia: AIN"; the acronym named no site, so the paper read as the agency's uncredited copy
    (0.999, content_farm). An acronym names a site whose name's initials spell it, linking words aside."""
    from detector.provenance import _names_source

    body = _story(33)
    agency = replace(_article("https://ainoticias.es/economia/aceite", ["JAÉN (AIN) — " + body[0], *body[1:]]),
                     sitename="Agencia Ibérica de Noticias")
    paper = replace(_article("https://lavozdeubeda.es/aceite", ["JAÉN (AIN) — " + body[0], *body[1:],
                                                                 "Noticias de agencia: AIN"],
                             published=DAY + timedelta(hours=2)), sitename="La Voz de Úbeda", credited=("AIN",))
    assert _names_source("AIN", agency) and not _names_source("AI", agency) and not _names_source("Ain", agency)
    with Index(tmp_path / "i.sqlite") as index:
        index.add([agency, paper])
        wire = _by_domain(find_matches(paper, index))["ainoticias.es"]
    assert wire.credited and wire.direction != "this_copies_other", (wire.direction, wire.direction_evidence)


def test_a_pickup_credits_its_source_by_a_part_of_its_site_name_or_a_lowercase_outlet() -> None:
    """A site name in parts ("LN - Lübecker Nachrichten") is credited by its longer part, a registered
    association's "e.V." is a legal form, and a wire byline's capitalised writer is split from an outlet that
    starts in lowercase ("IVANA PETROVIĆ pv magazine International") or in capitals ("JOÃO COSTA FDP
    Bundestagsfraktion"): generated pickups bylined so read as uncredited copies of their sources."""
    from detector.agencies import byline_names
    from detector.provenance import _names_source

    body = _story(34)
    ln = replace(_article("https://www.ln-online.de/lokales/hafen", body), sitename="LN - Lübecker Nachrichten")
    peta = replace(_article("https://www.peta.de/neuigkeiten/tier", body), sitename="PETA Deutschland e.V.")
    pv = replace(_article("https://www.pv-magazine.com/2019/solar", body), sitename="pv magazine International")
    assert _names_source("Lübecker Nachrichten", ln) and not _names_source("Nachrichten", ln)
    assert _names_source("PETA Deutschland", peta)
    assert "pv magazine International" in byline_names("IVANA PETROVIĆ pv magazine International")
    assert any(_names_source(n, pv) for n in byline_names("IVANA PETROVIĆ pv magazine International"))
    assert "FDP Bundestagsfraktion" in byline_names("JOÃO COSTA FDP Bundestagsfraktion")
    assert byline_names("JULIA BECKER") == ["JULIA BECKER"]


def test_a_dateline_under_a_standfirst_credits_the_source() -> None:
    """A pickup printing its dek above the story ("PORTO (TSOS) — ..." as the second long paragraph) credits the
    source by the dateline's initials; read only in the opening, not further down."""
    from detector.provenance import credits

    body = _story(35)
    dek = body[0][:170] + "."
    source = replace(_article("https://soundofscience.fr/hceres", body), sitename="The Sound Of Science")
    pickup = replace(_article("https://porto-diario.pt/hceres", [dek, "PORTO (TSOS) — " + body[0], *body[1:]],
                              published=DAY + timedelta(hours=2)), sitename="Porto Diário")
    late = replace(_article("https://porto-diario.pt/hceres-2", [dek, body[0], body[1], "PORTO (TSOS) — " + body[2],
                                                                    *body[3:]],
                            published=DAY + timedelta(hours=2)), sitename="Porto Diário")
    assert len(dek) >= 150 and credits(pickup, source) == "dateline:tsos"
    assert credits(late, source) is None


# --- probe 56: pickups of agencies on no list --------------------------------------------------------------


def _agency_and_pickup(tag_line: str, author: str | None, sitename: str, domain: str) -> tuple:
    body = _story(36)
    agency = replace(_article(f"https://{domain}/depeche/ligne", [tag_line + body[0], *body[1:]]), sitename=sitename)
    paper = replace(_article("https://echoduval.example/transports/ligne",
                             [tag_line + body[0], *body[1:], "La navette remplacera le train en semaine."],
                             author=author, published=DAY + timedelta(hours=3)), sitename="L'Écho du Val")
    return agency, paper


@pytest.mark.parametrize("tag_line, author, sitename, domain", [
    ("San Evaristo, 5 mar (AAN).- ", None, "AAN - Agencia Austral de Noticias", "agenciaaustral.example"),  # EFE style
    ("Falkenau (zna) - ", None, "Zna Zentral-Nachrichten-Agentur", "zna-nachrichten.example"),  # dpa style
    ("SAINT-ORVAIN, 6 mars 2025 (AVP) - ", None, "Agence Vauclair Presse", "vauclairpresse.example"),  # initials
    ("", "Staff and agencies", "Brennock Press Association", "brennockpress.example"),  # agencies unnamed
])
def test_a_paper_running_an_unlisted_agencys_story_is_its_wire_copy(tmp_path: Path, tag_line: str,
                                                                   author: str | None, sitename: str,
                                                                   domain: str) -> None:
    """Probe 56: six newsroom pickups of three agencies on no list read as the agencies' uncredited copies
    (content_farm, 0.99+): the EFE-style "(AAN).-" and the lower-case "(zna)" went unread, "AVP" named no site
    (the agency's initials), and a "Staff and agencies" byline credited no one."""
    agency, paper = _agency_and_pickup(tag_line, author, sitename, domain)
    with Index(tmp_path / "i.sqlite") as index:
        index.add([agency])
        wire = _by_domain(find_matches(paper, index))[domain]
    assert wire.direction != "this_copies_other" or wire.credited, (wire.direction, wire.direction_evidence)
    assert is_wire_copy(wire.direction_evidence) or wire.credited


def test_dateline_tags_read_efe_and_dpa_styles_and_initials_name_the_agency() -> None:
    from detector.agencies import dateline_tags, initials, names_site

    efe = _article("https://a.example/1", ["San Evaristo, 5 mar (AAN).- " + _story(37)[0]])
    dpa = _article("https://a.example/2", ["Falkenau (zna) - " + _story(37)[0]])
    assert dateline_tags(efe) == ("AAN",) and dateline_tags(dpa) == ("zna",)
    agency = replace(_article("https://vauclairpresse.example/x", _story(37)), sitename="Agence Vauclair Presse")
    assert "avp" in initials("Agence Vauclair Presse") and names_site("avp", agency)
    assert not names_site("afp", agency)


def test_an_agencys_own_source_line_names_its_own_site() -> None:
    """Probe 56: the agency's own story read 0.62, its "Izvor: Vidik" taken for a credit to another outlet."""
    from tests.test_features import html_view, traits_of

    story = "".join(f"<p>Rudnik u Vidikovcu je obustavio rad u smeni {n} zbog kvara na liftu.</p>" for n in range(4))
    own = html_view(f"<article>{story}<p>Izvor: Vidik</p></article>", url="https://vidik-agencija.example/a")
    other = html_view(f"<article>{story}<p>Izvor: Vidik</p></article>", url="https://novostizapad.example/a")
    assert traits_of(own)["credits_other_source"][0] == 0
    assert traits_of(other)["credits_other_source"][0] == 1


def test_a_source_line_naming_the_agency_whose_initials_tag_the_dateline_is_a_wire_credit() -> None:
    """Probe 64: an Indian paper's pickup of an invented agency's story, opening "MANILA (PAW) —" and closing
    "(Source: Pan-Asia Wire)", read as a farm's source line crediting another outlet (content_farm, 0.96, no index)."""
    from tests.test_features import html_view, traits_of

    story = "".join(f"<p>Rice importers cut their orders for quarter {n} after the harvest beat forecasts.</p>"
                    for n in range(2, 6))
    tagged = html_view(f"<article><p>MANILA (PAW) — Importers said on Tuesday that orders fell.</p>{story}"
                       "<p>(Source: Pan-Asia Wire)</p></article>", url="https://eastcoastchronicle.example/a")
    untagged = html_view(f"<article><p>MANILA — Importers said on Tuesday that orders fell.</p>{story}"
                         "<p>(Source: Pan-Asia Wire)</p></article>", url="https://eastcoastchronicle.example/a")
    assert traits_of(tagged)["source_lines"][0] == 0 and traits_of(tagged)["credits_other_source"][0] == 0
    assert traits_of(untagged)["source_lines"][0] == 1  # without the tag nothing says it is an agency


def test_a_source_line_naming_the_dateline_tags_agency_is_a_wire_credit() -> None:
    """Probe 63: a Romanian paper's pickup ("BUCUREȘTI (AgerNova) –" ... "Sursa: AgerNova") read suspicious for a
    farm's source line (0.37)."""
    from tests.test_features import html_view, traits_of

    story = "".join(f"<p>Camera Deputaților a adoptat miercuri proiectul de lege numărul {n} privind averile.</p>"
                    for n in range(2, 6))
    page = html_view(f"<article><p>BUCUREȘTI (AgerNova) – Deputații au votat legea.</p>{story}"
                     "<p>Sursa: AgerNova</p></article>", url="https://ziarulmoldovei.example/a")
    assert traits_of(page)["source_lines"][0] == 0 and traits_of(page)["credits_other_source"][0] == 0


def test_a_site_whose_own_dateline_carries_its_initials_is_an_agency() -> None:
    """Probe 64: the Pan-Asia Wire's own story ("MANILA (PAW) —") on a site whose name says no "agency": a paper
    running it under its credit read as its credited copy (suspicious, 0.72) instead of a wire pickup."""
    from detector.agencies import is_agency_site

    body = _story(38)
    wire = replace(_article("https://pawire.example/rice", ["MANILA (PAW) — " + body[0], *body[1:]]),
                   sitename="Pan-Asia Wire")
    pickup = replace(_article("https://eastcoastchronicle.example/rice", ["MANILA (PAW) — " + body[0], *body[1:]]),
                     sitename="East Coast Chronicle")
    own = replace(_article("https://eastcoastchronicle.example/port", body), sitename="East Coast Chronicle")
    assert is_agency_site(wire)
    assert not is_agency_site(pickup) and not is_agency_site(own)


@pytest.mark.parametrize("first, second", [
    # one bylined with the agency's full name, the other with its initials over "LUANDA (AAN) —" (probe 65)
    (dict(author="Agência Atlântica de Notícias"), dict(author="AAN", tag="LUANDA (AAN) — ")),
    # one datelined "(DNM)", the other closing with "(DNM)" (probe 66)
    (dict(tag="OBERSTAUFEN (DNM) – "), dict(credited=("DNM",))),
])
def test_two_papers_running_an_unlisted_agencys_story_by_its_initials_are_siblings(first: dict, second: dict) -> None:
    body = _story(39)

    def run(url: str, spec: dict, hours: int):  # type: ignore[no-untyped-def]
        text = [spec.get("tag", "") + body[0], *body[1:]]
        return replace(_article(url, text, author=spec.get("author"), published=DAY + timedelta(hours=hours)),
                       credited=spec.get("credited", ()))

    assert shared_agency(run("https://paper-one.example/a", first, 1), run("https://paper-two.example/a", second, 2))
