"""What probes 81 and 82 (US and Canadian broadcast and newspaper groups; licensed news portals and crawl
artifacts) found: sister stations of one owner running one another's stories uncredited were read as copies, a
licensed portal's "Content licensed to" note went unread, a page served by an AMP cache became a site
"ampproject.org", and a saved page without an address left blank names in the score table."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from detector.audit_tables import build_pages_and_page_edges
from detector.index import Index
from detector.matcher import find_matches
from detector.provenance import shared_owner
from detector.records import Match, Passage, Verdict
from detector.urls import domain_of
from features.ownership import owners
from tests.test_features import html_view, traits_of
from tests.test_wire_and_sources import DAY, _article, _story


@pytest.mark.parametrize("footer, expected", [
    ("<p>A Pinnacle Media station. &copy; 2026 Pinnacle Media Inc.</p>", ("Pinnacle Media Inc",)),
    ("<p>Part of the Wessex &amp; Severn Newspapers group. © 2026 Severn Vale Mercury.</p>",
     ("Wessex & Severn Newspapers group",)),
    ("<p>The Corrabeg Nationalist is a member of Shannonside Regional Media. © 2026 All rights reserved.</p>",
     ("Shannonside Regional Media",)),
    ("<p>Ein Angebot der Mediengruppe Nordland GmbH &amp; Co. KG</p>", ("Mediengruppe Nordland GmbH & Co",)),
    ("<p>Published by Harbour Newspapers DAC, 12 Main Street, Cork</p>", ("Harbour Newspapers DAC",)),
    ("<p>© Copyright 2024 Hearst Newspapers, LLC</p>", ("Hearst Newspapers, LLC",)),
    ("<p>Copyright © 2019-2026 Harbour Newspapers Ltd | Privacy | Terms</p>", ("Harbour Newspapers Ltd",)),
    ("<p>© 2026 Vox Media, LLC. All Rights Reserved</p>", ("Vox Media, LLC",)),
    ("<p>© 2026 La Voz de Almenara · Grupo Editorial Meridiano S.A. Todos los derechos reservados.</p>",
     ("Grupo Editorial Meridiano S.A",)),
    ("<p>Heraldo de Sierra Alta. Una publicación de Grupo Editorial Meridiano. © 2026</p>",
     ("Grupo Editorial Meridiano",)),
    ("<p>© 2026 Rádio Vale FM 104,7 — Empresa do Grupo Serrano de Comunicação. Política de Privacidade</p>",
     ("Grupo Serrano de Comunicação",)),
    ("<p>© 2026 Jornal do Mondego — Propriedade de Edições Mondego, Lda. | Estatuto editorial</p>",
     ("Edições Mondego, Lda",)),
    ("<p>© 2026 The Daily Star</p>", ()),  # a site's own name, no company's
    ("<p>© Newspaper by tagDiv</p>", ()),  # a theme's notice
    ("<p>Forum software by XenForo® © 2010-2024 XenForo Ltd.</p>", ()),  # the software's vendor owns no site
    ("<p>Points (a), (b) and (c) 2026 apply to Example Media Group members.</p>", ()),  # a list, no notice
])
def test_the_owner_a_page_names_is_a_company_in_its_copyright_or_ownership_line(
        footer: str, expected: tuple[str, ...]) -> None:
    story = "The council met on Tuesday to vote on the budget."
    view = html_view(f"<article><p>{story}</p></article><footer>{footer}</footer>", text=story)
    assert owners(view) == expected


def test_a_company_the_story_names_is_no_owner() -> None:
    """A story saying a paper "is part of the Harbour Media Group" names a company its copies carry too."""
    story = "The Ledger, which is part of the Harbour Media Group, closed its print edition on Friday."
    view = html_view(f"<article><p>{story}</p></article>", text=story)
    assert owners(view) == ()


def _station(url: str, body: list[str], owned_by: tuple[str, ...], hours: int = 0, sitename: str | None = None):
    return replace(_article(url, body, published=DAY + timedelta(hours=hours)), owners=owned_by, sitename=sitename)


def test_sister_stations_of_one_owner_running_one_story_are_siblings_not_copies(tmp_path: Path) -> None:
    """Probe 81: three stations of one group ran one station's story whole, in one template, with no credit line:
    read as its uncredited copies (content_farm 0.99); one of them ranked the audit's second-worst farm domain."""
    body = _story(82)
    kbtr = _station("https://www.kbtr7.example/fire", body, ("Pinnacle Media Inc.",), sitename="KBTR 7")
    wgln = _station("https://www.wgln12.example/fire", body, ("Pinnacle Media, Inc",), hours=3, sitename="WGLN 12")
    farm = _station("https://newsbreak24.example/fire", body, ("Newsbreak24",), hours=5)
    assert shared_owner(kbtr, wgln) == "Pinnacle Media Inc." and shared_owner(farm, kbtr) is None
    with Index(tmp_path / "i.sqlite") as index:
        index.add([kbtr])
        (sister,) = find_matches(wgln, index)
        (copy,) = find_matches(farm, index)
    assert sister.sibling and sister.direction_evidence == (
        "sibling: both derive from their owner, Pinnacle Media, Inc (sister sites)")
    assert copy.direction == "this_copies_other" and not copy.credited


def test_an_owner_naming_one_site_alone_is_that_sites_notice_carried_by_a_scrape(tmp_path: Path) -> None:
    """A whole-page scrape keeps the newsroom's footer, "© 2026 Harbour Times Media Ltd": the notice names the
    newsroom's own site, not the scraper's, so the two are no sister sites."""
    body = _story(83)
    newsroom = _station("https://harbourtimes.example/port", body, ("Harbour Times Media Ltd",),
                        sitename="Harbour Times")
    scrape = _station("https://topnews24.example/port", body, ("Harbour Times Media Ltd",), hours=6)
    assert shared_owner(scrape, newsroom) is None
    with Index(tmp_path / "i.sqlite") as index:
        index.add([newsroom])
        (match,) = find_matches(scrape, index)
    assert match.direction == "this_copies_other" and not match.sibling


def test_owners_are_kept_in_the_index(tmp_path: Path) -> None:
    page = _station("https://www.kbtr7.example/fire", _story(84), ("Pinnacle Media Inc.",))
    with Index(tmp_path / "i.sqlite") as index:
        index.add([page])
    with Index(tmp_path / "i.sqlite") as index:
        stored = index.get(page.url)
    assert stored is not None and stored.article.owners == ("Pinnacle Media Inc.",)


def test_a_licensed_portals_licence_note_is_a_syndication_credit() -> None:
    """Probe 82: a NewsBreak-like portal's "Provided by The Coastal Star. Content licensed to LocalBurst." with a
    link to the original read as a farm's source line (suspicious, 0.45; content_farm 0.998 once indexed)."""
    view = html_view("<article><p>The council met on Tuesday to vote on the shark nets.</p></article>"
                     "<p>Original source: <a href='https://thecoastalstar.example/nets'>thecoastalstar.example</a> "
                     "Provided by The Coastal Star. Content licensed to LocalBurst.</p>",
                     url="https://www.localburst.example/news/nets")
    assert traits_of(view)["syndication_credit"][0] == 1


@pytest.mark.parametrize("url, domain", [
    ("https://www-rheinkurier-de.cdn.ampproject.org/c/s/www.rheinkurier.de/amp/streik", "rheinkurier.de"),
    ("https://the--daily-co-uk.cdn.ampproject.org/v/s/x", "the-daily.co.uk"),
    ("https://www-example-com.bing-amp.com/c/s/www.example.com/a", "example.com"),
    ("https://cdn.ampproject.org/v0.js", "ampproject.org"),  # the cache's own scripts
])
def test_a_page_served_by_an_amp_cache_belongs_to_its_publisher(url: str, domain: str) -> None:
    """Probe 82: a newsroom's AMP page captured from the cache became a page of a site "ampproject.org"."""
    assert domain_of(url) == domain


def test_a_page_without_a_site_is_named_by_its_file_in_tables() -> None:
    """Probe 82: an original saved without an address showed as "copies : whole" in the table, and as an empty
    string in pages.csv's source_domain where other rows had none."""
    match = Match(url="file:///tmp/pages/A04_thecoastalstar.html", domain="", published=None, share_of_this=0.9,
                  share_of_other=1.0, jaccard=0.9, derivation="whole", direction="this_copies_other",
                  credited=False, passages=(Passage(0, 10, 0, 10, "a copied passage"),))
    assert match.site == "A04_thecoastalstar.html"
    verdict = Verdict(target="c.html", url="https://copy.example/c", domain="copy.example", farm_probability=0.9,
                      label="suspicious", matches=(match,))
    pages, _ = build_pages_and_page_edges([verdict.to_dict()])
    row = pages.row(0, named=True)
    assert row["source_url"] == match.url and row["source_domain"] is None


@pytest.mark.parametrize("line, expected", [
    ("Posted 11/06/2026 8:30 a.m.", "2026-11-06T08:30:00"),
    ("Published: 11/06/2026 at 4:05 PM EST", "2026-11-06T16:05:00-05:00"),
    ("Posted 11/06/2026 08:30", None),  # no American mark: not read here (htmldate reads it day first)
])
def test_an_american_date_line_with_slashes_is_read_month_first(line: str, expected: str | None) -> None:
    """Probe 81: a station's "Posted 11/06/2026 8:30 a.m." was read as 11 June, with no time."""
    import lxml.html

    from detector.pubdate import shown_date

    dom = lxml.html.fromstring(f"<html><body><h1>Fire destroys historic feed mill</h1><p class='date'>{line}</p>"
                               "<p>The fire started early on Thursday.</p></body></html>")
    found = shown_date(dom, language="en")
    assert (found.isoformat() if found else None) == expected


def test_a_digest_of_cut_off_snippets_from_several_sites_copies_none_of_them(tmp_path: Path) -> None:
    """Probe 82: a portal's topic page of six cards, each a cut-off snippet naming its publisher, read as the
    uncredited copy of every story it teased (suspicious, 0.886). A farm's excerpt of one story, cut off before
    its "Read more", is still a copy."""
    ledger, tribune = _story(85), _story(86)
    sources = [_article("https://ledger.example/water", ledger), _article("https://tribune.example/orchard", tribune)]

    def snippet(paragraphs: list[str]) -> str:
        return " ".join(paragraphs[0].split()[:40]) + "…"

    cards = [snippet(ledger), snippet(tribune), "Three roads were closed Tuesday after a rapid snowmelt…",
             "High schools will start later next fall after a vote…"]
    digest = _article("https://portal.example/topic/local", cards, published=DAY + timedelta(hours=3))
    excerpt = _article("https://farm.example/water", [*ledger[:2], snippet(ledger[2:]), "Read more"],
                       published=DAY + timedelta(hours=3))
    with Index(tmp_path / "i.sqlite") as index:
        index.add(sources)
        teased = find_matches(digest, index)
        copied = find_matches(excerpt, index)
    assert {m.domain for m in teased} == {"ledger.example", "tribune.example"}
    assert all(m.derivation == "quotes_only" and m.direction == "unknown" for m in teased)
    assert teased[0].direction_evidence.startswith("teaser: a snippet of its story on a digest of 2 sites")
    (copy,) = copied
    assert copy.direction == "this_copies_other" and copy.derivation != "quotes_only"


def test_links_in_a_list_of_other_stories_credit_no_one() -> None:
    """Probe 84: a sister title's "Auch interessant" list, inside its <article>, linked a different story of the
    sister site; the link was read as crediting that site for a story the page ran uncredited (and an earlier
    original as the later run's copy). A "Read more at" link in the story still credits."""
    from detector.extract import extract
    from detector.records import Page

    story = " ".join(f"Der Gemeinderat hat am Dienstag über den Hafen beraten, Satz {i}." for i in range(40))
    html = (f"<html><head><title>Hafen</title></head><body><article><h1>Hafen wird ausgebaut</h1><p>{story}</p>"
            "<p>Mehr dazu: <a href='https://www.source.example/hafen'>Weiterlesen bei der Quelle</a></p>"
            "<div class='teaser-list teaser-list--auch'><h2>Auch interessant</h2>"
            "<a href='https://www.sister.example/andere-geschichte'>Eine andere Geschichte aus der Region</a></div>"
            "</article></body></html>")
    page = Page(url="https://www.paper.example/hafen", final_url="https://www.paper.example/hafen",
                html=html.encode())
    links = extract(page).article.links
    assert "https://www.source.example/hafen" in links
    assert not any("sister.example" in link for link in links)


def test_a_mexican_legal_form_is_left_out_when_owners_are_compared() -> None:
    from detector.provenance import owner_key

    assert owner_key("Multimedios Cumbre S.A. de C.V.") == owner_key("Multimedios Cumbre") == "multimedios cumbre"


def test_a_column_run_under_its_syndicates_credit_is_no_copy_of_the_columnists_home_paper(tmp_path: Path) -> None:
    """Probe 86: a client paper ran a syndicated column bylined "By Margaret Okafor-Lind | Lakeline Content
    Agency" two days after the columnist's home paper, which credits no syndicate: read as the home paper's
    uncredited copy (content_farm 0.996). A farm's copy, crediting no one, stays a copy."""
    body = _story(87)
    home = _article("https://harbourreview.example/column", body, author="Margaret Okafor-Lind")
    client = _article("https://millbrookgazette.example/column", body, published=DAY + timedelta(days=2),
                      author="By Margaret Okafor-Lind | Lakeline Content Agency")
    farm = _article("https://trendz24.example/column", body, published=DAY + timedelta(days=2), author="admin")
    with Index(tmp_path / "i.sqlite") as index:
        index.add([home])
        (run,) = find_matches(client, index)
        (copy,) = find_matches(farm, index)
    assert run.sibling and "lakeline content (the later page runs it under the agency's credit)" in (
        run.direction_evidence or "")
    assert copy.direction == "this_copies_other" and not copy.credited
