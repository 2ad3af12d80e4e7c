"""What probes 87 and 88 found (South Asian and African agency news; live blogs, briefings and press reviews):
"Source: GNA" and "(With inputs from IWS)" unread as agency credits; a press review's "It reports that" and its
ten papers read as unlinked farm credits; a live blog read as its first update; zones, dotted times and slashed
days lost from date lines; and a backdated copy taking the place of an original whose own text names it."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import lxml.html
import pytest

from detector.extract import extract
from detector.index import Index
from detector.matcher import find_matches
from detector.provenance import _unordered
from detector.pubdate import shown_date
from detector.records import SELF_NAMED_EVIDENCE, is_stated
from detector.score import examined
from detector.sources import read_page_bytes
from features import compute_trait
from tests.test_wire_and_sources import DAY, _article, _story


def _view(html: str, url: str = "https://www.northeastchronicle.example/national/flood-plans"):
    page = read_page_bytes(html.encode(), "t.html", url, 10_000_000)
    return examined(extract(page, target="t.html"))


def _news_page(closing: str, body: list[str] | None = None, lang: str = "en") -> str:
    paragraphs = body or _story(87, 5)
    return (f"<html lang='{lang}'><head><title>States told to file flood plans</title></head><body><article>"
            "<h1>States told to file flood plans</h1>" + "".join(f"<p>{p}</p>" for p in paragraphs)
            + closing + "</article></body></html>")


# --- agency credits ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("closing, credited", [
    ("<p>(With inputs from IWS)</p>", "IWS"),
    ("<p>(With IWS inputs)</p>", "IWS"),
    ("<p>(With inputs from Indo-Asian Wire Service)</p>", "Indo-Asian Wire Service"),
    ("<p>(With inputs from agencies)</p>", "agencies"),
    ("<p>Source: GNA</p>", "GNA"),
])
def test_an_agency_credited_the_south_asian_or_african_way_is_no_outlet_without_a_link(closing: str,
                                                                                        credited: str) -> None:
    """Probe 87: "(With inputs from IWS)" was read as crediting "With inputs from IWS", no page's name, and like
    "Source: GNA" as a farm's unlinked credit of another outlet: the newsroom's pickup suspicious (0.78-0.88)."""
    extracted, view = _view(_news_page(closing))
    assert credited in extracted.article.credited
    assert compute_trait(view, "credit_without_link").value == 0.0
    assert compute_trait(view, "credits_other_source").value == 0.0


def test_an_unlisted_outlet_credited_with_inputs_from_still_counts_against_a_page() -> None:
    _, view = _view(_news_page("<p>(With inputs from The Coastal Mirror)</p>"))
    assert compute_trait(view, "credit_without_link").value == 1.0


def test_a_pickup_under_an_agencys_credit_is_no_copy_of_a_farms_earlier_uncredited_run(tmp_path: Path) -> None:
    """Probe 87: a paper's "Source: GNA" run was made the uncredited copy of a farm that had posted the same GNA
    story an hour earlier without credit (content_farm 0.999); and so for an agency on no list credited by its
    acronym alone ("Source: SNA")."""
    body = _story(871)
    farm = replace(_article("https://ghanabuzz.example/floods", body), sitename="Ghana Buzz")
    for tag in ("GNA", "SNA"):
        pickup = replace(_article("https://takoradimail.example/floods", [*body, f"Source: {tag}"],
                                  published=DAY + timedelta(hours=1)), sitename="Takoradi Mail", credited=(tag,))
        with Index(tmp_path / f"{tag}.sqlite") as index:
            index.add([farm])
            (match,) = find_matches(pickup, index)
        assert match.direction == "unknown" and match.sibling, (tag, match.direction_evidence)
        assert "the later page runs it under the agency's credit" in match.direction_evidence


# --- press reviews ---------------------------------------------------------------------------------------------

def _review(items: list[str]) -> str:
    return _news_page("", ["Good morning. Here is what the papers say this Tuesday.", *items,
                           "That's the papers. Stay with us for the news at the top of every hour."])


def test_a_press_review_citing_many_papers_credits_none_as_a_copy_does() -> None:
    """Probe 87: a radio station's review of ten papers ("The Lagos Herald reports that ...") read as crediting
    four outlets without a link, suspicious 0.76."""
    papers = ["The Lagos Herald", "Daily Northern Mirror", "BusinessDay West", "The Kano Chronicle"]
    review = _review([f"{paper} reports that the council met for the {n} time this week to discuss the budget."
                      for n, paper in enumerate(papers, 2)])
    _, view = _view(review, "https://ekocityfm.example/news/papers")
    assert compute_trait(view, "credit_without_link").value == 0.0
    assert compute_trait(view, "credits_other_source").value == 0.0
    rewrite = _review(["The Lagos Herald reports that the council met again this week to discuss the budget."])
    _, one = _view(rewrite, "https://ekocityfm.example/news/papers")
    assert compute_trait(one, "credit_without_link").value == 1.0  # one paper's report retold: its credit counts


@pytest.mark.parametrize("subject", ["It", "He", "They"])
def test_a_pronoun_reporting_names_no_outlet(subject: str) -> None:
    """Probe 88: "It reports that" in a press review was read as crediting an outlet named "It" (suspicious)."""
    _, view = _view(_review([f"{subject} reports that internal documents show the port was told of the risk."]),
                    "https://eastmarshradio.example/papers")
    assert compute_trait(view, "credits_other_source").value == 0.0


# --- live blogs ------------------------------------------------------------------------------------------------

_UPDATES = [
    "South Central Railway has cancelled the Kazipet passenger and the Bhadrachalam Road express for Wednesday as "
    "water is flowing close to the track near Manuguru, a railway spokesperson said on Tuesday afternoon. Passengers "
    "who have booked tickets on either train will get a full refund at the station or online.",
    "Officials said about 6,000 people from 31 villages had been shifted to relief camps as the backwaters of the "
    "river inundated low-lying areas. Food and drinking water are being supplied by boats.",
    "The Chief Minister held a video conference with the collectors of four districts and asked them to make sure "
    "that relief camps had enough food and medicines, according to a statement from his office.",
    "Displaced families at the relief camps say they have lost stored grain and livestock. About 800 people are "
    "staying in the school building at the Chinna Ravigudem camp, our reporter says.",
    "The river has crossed the third warning level. The water level stood at 55.6 feet at 6 am against the third "
    "warning mark of 53 feet, according to the Central Water Commission.",
    "The weather department has issued a red alert for three coastal districts for Tuesday and Wednesday, and an "
    "orange alert for the north of the state, saying a low-pressure area is likely to intensify.",
    "Welcome to our live coverage of the rains. We will bring you updates through the day from the river towns, "
    "the coastal districts and the capital, with reports from our correspondents.",
]


def _live_blog(marks: str, jsonld: bool) -> str:
    updates = "".join(
        f"<article class='{marks}' id='post-{4000 + h}'><time datetime='2026-07-14T{h:02d}:00:00+05:30'>{h}:00</time>"
        f"<h3>Update at {h}:00</h3><p>{text}</p></article>" for h, text in zip(range(14, 7, -1), _UPDATES))
    ld = ("<script type='application/ld+json'>{\"@context\": \"https://schema.org\", \"@type\": "
          "\"LiveBlogPosting\", \"headline\": \"Rains live\"}</script>") if jsonld else ""
    nav = "".join(f"<li><a href='/{w}/'>{w.title()}</a></li>" for w in ("news", "politics", "business", "sports"))
    return (f"<html lang='en'><head><title>Rains live: river crosses third warning level</title>{ld}</head><body>"
            f"<header><a href='/' class='logo'>Hyderabad Now</a><nav><ul>{nav}</ul></nav></header><main>"
            "<h1>Rains live: river crosses third warning level</h1><div class='meta'>By Live Desk</div>"
            "<div class='intro'><p>Heavy rain in the upper catchment has pushed the river above the third warning "
            f"level. Follow the latest updates on floods, rescue operations and road closures.</p></div>"
            f"<div class='feed'>{updates}</div><div class='related'><h3>Related Stories</h3><ul><li>"
            "<a href='/city/control-rooms/'>City opens 12 monsoon control rooms</a></li></ul></div></main>"
            "<footer><a href='/about/'>About Us</a></footer></body></html>")


@pytest.mark.parametrize("marks, jsonld, whole", [("live-post", False, True), ("post", True, True),
                                                  ("post", False, False)])
def test_a_live_blogs_updates_are_read_as_one_article(marks: str, jsonld: bool, whole: bool) -> None:
    """Probe 87: a live blog setting each update in an <article> of its own read as its first update (47 words
    of about 370). A page of <article> teasers that is no live blog keeps trafilatura's reading."""
    page = read_page_bytes(_live_blog(marks, jsonld).encode(), "live.html", "https://hyderabadnow.example/live/rains",
                           10_000_000)
    words = len(extract(page, target="live.html").article.text.split())
    assert (words > 200) is whole, words


# --- dates -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("line, lang, expected", [
    ("Sarah Lim, PPN 3 November 2025, 10:15am AEDT 312 comments", "en", "2025-11-03T10:15:00+11:00"),
    ("November 3, 2025 8:10 PM EST · 4 min read", "en", "2025-11-03T20:10:00-05:00"),
    ("Mon 3 Nov 2025 06.00 GMT", "en", "2025-11-03T06:00:00+00:00"),
    ("Mon 3 Nov 2025 6.30pm", "en", "2025-11-03T18:30:00"),
    ("03/11/2025 à 15:40", "fr", "2025-11-03T15:40:00"),
    ("Nga Ilir Gashi | 03/11/2025 11:30", "sq", "2025-11-03T11:30:00"),
    ("Updated: 11/05/2025", "en-US", "2025-11-05T00:00:00"),
    ("Updated: 11/05/2025", "en-GB", "2025-05-11T00:00:00"),
    ("Updated: 25/05/2025", "en", "2025-05-25T00:00:00"),  # a number over 12 tells the order
])
def test_date_lines_keep_their_zone_time_and_day_order(line: str, lang: str, expected: str) -> None:
    """Probe 88: "10:15am AEDT" lost its zone when a number followed it (the sign of "GMT+2" read any character);
    "06.00 GMT" and "03/11/2025 11:30" lost their time; a French "03/11/2025 à 15:40" went unread (a theme's
    "today" took its place); "11/05/2025" on an en-US page was read as 11 May."""
    dom = lxml.html.fromstring(f"<html lang='{lang}'><body><h1>Ferry slams into wharf</h1>"
                               f"<div class='post-meta'>{line}</div><p>The ferry was carrying 140 people.</p>"
                               "</body></html>")
    assert shown_date(dom, language=lang).isoformat() == expected


def test_an_undecided_pairs_clock_gap_is_read_on_the_clocks_the_pages_show() -> None:
    """Probe 88: 07:30-05:00 and 08:15 (no zone) were "4.2 hours apart by the clock"."""
    evidence = _unordered(datetime(2025, 11, 3, 7, 30, tzinfo=timezone(timedelta(hours=-5))),
                          datetime(2025, 11, 3, 8, 15))
    assert "published 0.8 hours apart by the clocks the pages show" in evidence


# --- the text naming its site ----------------------------------------------------------------------------------

def test_a_copy_backdated_before_an_original_naming_itself_is_still_the_copy(tmp_path: Path) -> None:
    """Probe 88: a verbatim copy dated 26 hours before its original was taken for the original (undecided, the
    copy suspicious) though the text says "reviewed by the Bayfront Courier"; probe 87's farm copying a farm kept
    the first farm's "Stay tuned with News India Today 24" and was left undecided."""
    body = _story(881)
    body[1] = "The filing, reviewed by the Bayfront Courier, says an unauthorized party gained access. " + body[1]
    original = replace(_article("https://www.bayfrontcourier.example/business/breach", body,
                                published=DAY + timedelta(hours=26)), sitename="Bayfront Courier")
    backdated = replace(_article("https://cyberalertsdaily.example/breach", body), sitename="Cyber Alerts Daily")
    with Index(tmp_path / "i.sqlite") as index:
        index.add([original])
        (match,) = find_matches(backdated, index)
    assert match.direction == "this_copies_other" and not match.credited
    assert match.direction_evidence.startswith(SELF_NAMED_EVIDENCE) and is_stated(match.direction_evidence)
    plain = [_story(882)[0], *body[2:]]  # the same without the name: the dates decide, as before
    with Index(tmp_path / "j.sqlite") as index:
        index.add([replace(original, text="\n\n".join(plain), paragraphs=tuple(plain))])
        (dated,) = find_matches(replace(backdated, text="\n\n".join(plain), paragraphs=tuple(plain)), index)
    assert dated.direction == "other_copies_this" and dated.direction_evidence == "published earlier"


@pytest.mark.parametrize("linked", [True, False])
def test_a_credit_written_with_an_article_is_linked_by_the_site_it_names(linked: bool) -> None:
    """Probe 88: a fact-check linking the Keystone Tribune's story, then writing "The Tribune reported that ...",
    read as crediting "The Tribune" without a link."""
    link = ("<p>The claim traces back to <a href='https://www.keystonetribune.example/news/charity'>an investigation"
            " by the Keystone Tribune</a> published on Monday.</p>") if linked else ""
    page = _news_page(link + "<p>The Tribune reported that the charity spent 41 percent of the money on fees.</p>")
    _, view = _view(page, "https://factline.example/fact-checks/charity")
    assert compute_trait(view, "credit_without_link").value == (0.0 if linked else 1.0)
