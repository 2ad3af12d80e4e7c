"""What probes 61 and 62 found in who-copied-whom and credits: a local time without a UTC offset is read in the
site's zone (a Dutch farm's copy of a university release and an Albanian farm's copy of a fashion report, made
hours later the same day, had no direction); a credit names a paper in the case its sentence asks for ("izvorno
objavljen u Poslovnom tjedniku Jadran"), or with lowercase words in its name ("L'Écho des Salons"); a key phrase
stuffed into an SEO page is a trait of its own."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from detector.extract import extract
from detector.index import Index
from detector.local_zone import local_zone, localized
from detector.matcher import find_matches
from detector.provenance import _names_source
from detector.records import Article, Match, Page
from detector.score import examined
from features import PageView, compute_traits
from features.attribution import credited_names, syndicated_from

STORY = ("Onderzoekers van de universiteit hebben een flexibele zonnecel ontwikkeld die {n} procent van het zonlicht "
         "omzet in elektriciteit, een record voor dit type cel dat op dunne folie wordt gedrukt in plaats van glas.")


def _paragraphs(seed: int, vocabulary: str, count: int, words: int = 40) -> list[str]:
    """``count`` distinct paragraphs of ``words`` numbered words drawn from ``vocabulary`` (no two alike)."""
    rng = random.Random(seed)
    pool = vocabulary.split()
    return [" ".join(f"{rng.choice(pool)}{rng.randint(0, 999)}" for _ in range(words)) + "." for _ in range(count)]


def _dated(url: str, paragraphs: list[str], published: datetime, title: str = "Story", **fields: object) -> Article:
    """An article of ``paragraphs`` on ``url``'s site, published at ``published``."""
    return Article(url=url, domain=url.split("/")[2], title=title, text="\n\n".join(paragraphs),
                   paragraphs=tuple(paragraphs), published=published, **fields)  # type: ignore[arg-type]


def _found(tmp_path: Path, indexed: list[Article], page: Article) -> dict[str, Match]:
    """``page``'s matches, by domain, against an index of ``indexed``."""
    with Index(tmp_path / "i.sqlite") as index:
        index.add(indexed)
        return {m.domain: m for m in find_matches(page, index)}


def _sibling_of(match: Match, source: str) -> bool:
    return match.direction == "unknown" and match.direction_evidence == f"sibling: both derive from {source}"


def _page(url: str, body: str, head: str = "", lang: str = "nl", title: str = "Zonnecel haalt record") -> Page:
    html = (f"<html lang='{lang}'><head><title>{title}</title>{head}</head><body><article><h1>{title}</h1>"
            f"{body}</article></body></html>")
    return Page(url=url, final_url=url, html=html.encode(), charset="utf-8")


@pytest.mark.parametrize("domain, language, zone", [
    ("zonnenieuws.nl", None, "Europe/Amsterdam"),
    ("modaearberit.al", "sq", "Europe/Tirane"),
    ("shqipviral.net", "sq", "Europe/Tirane"),  # a generic domain: the language's one clock
    ("news.co.uk", "en", "Europe/London"),
    ("example.com", "pt-PT", "Europe/Lisbon"),  # the lang tag's region
    ("example.com", "en", None),  # English is written in many zones
    ("example.com", "es", None),
    ("example.co", "sq", "Europe/Tirane"),  # .co is sold as a generic domain: the language decides
    (None, None, None),
])
def test_a_site_keeps_the_clock_of_its_country_or_its_language(domain: str | None, language: str | None,
                                                               zone: str | None) -> None:
    found = local_zone(domain, language)
    assert (str(found) if found else None) == zone


def test_only_a_time_of_day_without_an_offset_gets_the_zone() -> None:
    naive = datetime(2025, 3, 7, 15, 30)
    assert localized(naive, "zonnenieuws.nl", "nl").utcoffset() == timedelta(hours=1)
    assert localized(datetime(2025, 7, 7, 15, 30), "zonnenieuws.nl", "nl").utcoffset() == timedelta(hours=2)  # DST
    stated = datetime(2025, 3, 7, 15, 30, tzinfo=timezone(timedelta(hours=-5)))
    assert localized(stated, "zonnenieuws.nl", "nl") is stated  # the page's own offset wins
    day = datetime(2025, 3, 7)
    assert localized(day, "zonnenieuws.nl", "nl") is day  # a day alone has no time to place
    assert localized(naive, "example.com", "en") is naive


def test_a_copy_dated_by_a_visible_local_time_hours_later_the_same_day_copies_the_original(tmp_path: Path) -> None:
    """Probe 61's B19: the release at 09:00+01:00, the farm's copy shown as "Gepubliceerd: 07.03.2025 15:30" (no
    offset). Read as any of 26 hours of zones the two were too close to order: no direction, no source."""
    body = "".join(f"<p>{STORY.format(n=n)}</p>" for n in range(20, 28))
    release = extract(_page("https://www.uveldhoven.nl/nieuws/zonnecel", body,
                            head='<meta property="article:published_time" content="2025-03-07T09:00:00+01:00">'))
    copy = extract(_page("https://zonnenieuws.nl/zonnecel-record", "<p>Gepubliceerd: 07.03.2025 15:30</p>" + body))
    assert copy.article.published == datetime(2025, 3, 7, 14, 30, tzinfo=timezone.utc)
    with Index(tmp_path / "i.sqlite") as index:
        index.add([release.article])
        (match,) = find_matches(copy.article, index)
    assert match.direction == "this_copies_other" and match.direction_evidence == "published later"
    assert not match.credited


def test_a_jsonl_documents_local_time_takes_its_domains_zone() -> None:
    from detector.extract import article_from_text

    doc = article_from_text("https://www.dnevnik.hr/vijesti/a", "Tekst članka. " * 10, published="2025-03-05T16:40:00")
    assert doc.published is not None and doc.published.utcoffset() == timedelta(hours=1)


@pytest.mark.parametrize("said, sitename, credits", [
    ("Poslovnom tjedniku Jadran", "Poslovni Tjednik Jadran", True),
    ("Večernjem listu", "Večernji list", True),
    ("Novom listu", "Novi list", True),
    ("Gazety Wyborczej", "Gazeta Wyborcza", True),
    ("L'Écho des Salons", "L'Écho des Salons", True),
    ("Novom Sadu", "Novi list", False),
    ("Danas", "Dan", False),  # one-word names match as written
    ("Daily Mail", "Daily Mirror", False),
])
def test_a_credit_names_a_paper_in_the_case_its_sentence_asks_for(said: str, sitename: str, credits: bool) -> None:
    source = Article(url="https://paper.example/a", domain="paper.example", title=None, text="", sitename=sitename)
    assert _names_source(said, source) is credits


def _view(body: str, url: str = "https://reprint.example/a", title: str = "Jadranka turizam") -> PageView:
    ex = extract(_page(url, body, lang="hr", title=title))
    return PageView(ex.article, ex.dom)


PARAS = "".join(f"<p>Jadranka turizam objavila je rezultate za godinu {y}, s rastom prihoda i dobiti u svim "
                f"segmentima poslovanja, od hotela do kampova na otocima.</p>" for y in range(2015, 2022))


@pytest.mark.parametrize("line, name", [
    ("Članak je izvorno objavljen u <a href='https://www.poslovnitjednik.hr/a'>Poslovnom tjedniku Jadran</a>.",
     "Poslovnom tjedniku Jadran"),
    ("Cette chronique a d'abord paru dans <a href='https://echo.example/a'>L'Écho des Salons</a>.",
     "L'Écho des Salons"),
    ("This review first ran in <a href='https://ledger.example/a'>The Ashford Ledger</a> in January.",
     "The Ashford Ledger"),
])
def test_a_republication_note_credits_the_name_after_its_wording(line: str, name: str) -> None:
    view = _view(PARAS + f"<p>{line}</p>")
    assert compute_traits_of(view)["syndication_credit"] == 1
    assert name in syndicated_from(view) or name in credited_names(view)


def compute_traits_of(view: PageView) -> dict[str, float]:
    return {t.name: t.value for t in compute_traits(view)}


def test_a_partner_reprint_crediting_the_paper_in_the_locative_is_a_credited_copy(tmp_path: Path) -> None:
    """Probe 61's C10: "izvorno objavljen u Poslovnom tjedniku Jadran" read as an uncredited copy (0.74)."""
    head = '<meta property="og:site_name" content="Poslovni Tjednik Jadran">'
    original = extract(_page("https://www.poslovnitjednik.hr/jadranka", PARAS, lang="hr", head=head,
                             title="Jadranka turizam"))
    reprint = extract(_page("https://www.dalmatinskiglasnik.hr/jadranka", PARAS + "<p>Članak je izvorno objavljen "
                            "u Poslovnom tjedniku Jadran. Prenosimo uz dopuštenje.</p>", lang="hr",
                            title="Jadranka turizam"))
    with Index(tmp_path / "i.sqlite") as index:
        index.add([original.article])
        (match,) = find_matches(examined(reprint)[0].article, index)
    assert match.credited and match.credit == "named:poslovnom tjedniku jadran"


def test_a_key_phrase_stuffed_into_a_page_is_measured_and_an_ordinary_story_is_not() -> None:
    """Probe 61's E03: "fast personal loans online" 15 times in 268 words read clean at 0.23."""
    title = "Fast Personal Loans Online With Instant Approval"
    stuffed = "".join(f"<p>Fast personal loans online are the best way to get cash {n}. Apply for fast personal "
                      f"loans online today and compare lenders near you in minutes.</p>" for n in range(12))
    ordinary = ("<p>The lender said on Tuesday that personal loans rose 4 percent in the quarter.</p>"
                + "".join(f"<p>Households borrowed more to cover rising bills and rent in district {n}, where "
                          f"wages have stalled for three years and savings ran down after the winter.</p>"
                          for n in range(10))
                + "<p>Regulators want lenders of personal loans online to check incomes more closely.</p>")
    found = {}
    for name, body in (("stuffed", stuffed), ("ordinary", ordinary)):
        ex = extract(_page("https://loans.example/a", body, lang="en", title=title))
        found[name] = next((t.value, t.evidence) for t in compute_traits(PageView(ex.article, ex.dom))
                           if t.name == "key_phrase_share")
    assert found["stuffed"][0] > 0.2 and found["stuffed"][1].endswith(": fast personal loans online")
    assert found["ordinary"][0] < 0.05


def test_an_excerpt_sharing_the_headline_line_with_a_copy_is_its_sibling_not_its_source(tmp_path: Path) -> None:
    """Probe 61's B04 (all pages indexed): a copy of a copy keeps the headline as its first line, as an excerpt farm
    of the same newsroom story does, where the newsroom's text leaves it out; the excerpt's 13 headline words were
    not in what the copy shares with the newsroom, so the excerpt read as the copy's uncredited source."""
    title = "Bond traders bet on two rate cuts as inflation cools faster than expected"
    body = _paragraphs(5, "yields bonds traders inflation central bank futures curve rate cut quarter market prices "
                          "economists forecast region consumer energy wages survey policy", 8)
    day = datetime(2025, 3, 10, 7, 30, tzinfo=timezone.utc)
    newsroom = _dated("https://northgate.example/rates", body, day, title)
    excerpt = _dated("https://hub.example/rates", [title, *body[:2]], day + timedelta(hours=2), title)
    copy = _dated("https://wire.example/rates", [title, "Source: CoinPulse Daily", *body], day + timedelta(hours=20),
                  title)
    found = _found(tmp_path, [newsroom, excerpt], copy)
    assert found["northgate.example"].direction == "this_copies_other"
    assert _sibling_of(found["hub.example"], "northgate.example")


@pytest.mark.parametrize("line, trait", [
    ("Csatlakozz Facebook-csoportunkhoz és Telegram-csatornánkhoz, hogy elsőként értesülj!", "join_group_prompt"),
    ("Töltsd le az alkalmazást, és kövess minket a Facebookon!", "promo_cta_lines"),
    ("Ezek is érdekelhetnek", "related_blocks"),
])
def test_hungarian_farm_furniture_is_read(line: str, trait: str) -> None:
    """Probe 62's B15: a Hungarian farm's copy (group invite, similar posts, clickbait titles) read clean at 0.16:
    no phrase list covered Hungarian."""
    related = ("<ul class='hasonlo'><li><a href='/a'>Nem fogod elhinni, mi történt ezután</a></li>"
               "<li><a href='/b'>Így néz ki ma a híres színésznő</a></li></ul>")
    view = _view(PARAS + f"<h3>{line}</h3>" + related if trait == "related_blocks" else PARAS + f"<p>{line}</p>",
                 url="https://hirek.example/a")
    plain = _view(PARAS, url="https://hirek.example/a")
    assert compute_traits_of(view)[trait] > compute_traits_of(plain)[trait]


@pytest.mark.parametrize("line, expected", [
    ("Published 8:10 PM EST, March 4, 2025", "2025-03-04T20:10:00-05:00"),
    ("March 4, 2025 at 10:30am AEDT", "2025-03-04T10:30:00+11:00"),
    ("Updated 4 March 2025 09:12 IST", "2025-03-04T09:12:00+05:30"),
    ("14.03.2025, 11:20 WITA", "2025-03-14T11:20:00+08:00"),  # probe 67: Indonesia's central zone
    ("04.03.2025 14:05 (GMT+2)", "2025-03-04T14:05:00+02:00"),
    ("March 4, 2025 9:30 a.m. ET", "2025-03-04T09:30:00-05:00"),
    ("July 4, 2025 9:30 a.m. ET", "2025-07-04T09:30:00-04:00"),  # ET is EDT in summer
    ("4 March 2025, 09:12", "2025-03-04T09:12:00"),  # no zone written: local
    ("March 4, 2025, 9:15 AM Manila", "2025-03-04T09:15:00"),  # a place is no zone abbreviation
])
def test_a_zone_written_after_the_time_of_a_date_line_is_read(line: str, expected: str) -> None:
    """Probe 64: "Published 8:10 PM EST, March 4, 2025" was read as a local time without offset, so a US farm's
    copy of an Australian story, 3 hours later in UTC, looked older than it and got no direction."""
    import lxml.html

    from detector.pubdate import shown_date

    dom = lxml.html.fromstring(f"<html><body><h1>Storm hits the coast</h1><p class='date'>{line}</p>"
                               "<p>The storm reached the coast overnight.</p></body></html>")
    assert shown_date(dom).isoformat() == expected


def test_a_public_body_seated_in_a_town_is_no_outlet_the_page_credits() -> None:
    """Probe 63's D03: "Państwowa Komisja Wyborcza w Nadborzu podaje, że" (the electoral commission in Nadborze
    reports that) was read as crediting an outlet called "Nadborzu" without a link (a live blog, suspicious 0.63)."""
    from tests.test_features import html_view, traits_of

    story = "".join(f"<p>Frekwencja w okręgu {n} wyniosła ponad sześćdziesiąt procent, podali członkowie komisji.</p>"
                    for n in range(2, 6))
    page = html_view(f"<article>{story}<p>23:58 – Państwowa Komisja Wyborcza w Nadborzu podaje, że policzono głosy "
                     "z 87 procent obwodów.</p></article>", url="https://kuriernadborza.example/a")
    assert traits_of(page)["credits_other_source"][0] == 0
    assert traits_of(page)["credit_without_link"][0] == 0


def test_a_story_built_on_a_credited_police_statement_is_no_copy(tmp_path: Path) -> None:
    """Probe 64's A08: a newsroom's robbery story quoting the police district's statement (credited by name) read
    as a credited partial copy, suspicious (0.66), once the police release was indexed."""
    from dataclasses import replace

    from detector.provenance import is_copy

    paras = _paragraphs(9, "suspects firearms raid barangay house dawn operation seized rifles pistols officers "
                           "arrested", 8, words=45)
    statement, own = paras[:3], paras[3:]
    day = datetime(2025, 3, 4, 1, 30, tzinfo=timezone.utc)
    police = _dated("https://police-district.example/releases/raid", statement, day, "Raid",
                    sitename="Marikina Heights Police District")
    story = _dated("https://morningpost.example/raid", own[:2] + statement + own[2:], day + timedelta(hours=2), "Raid",
                   credited=("Marikina Heights Police District",))
    with Index(tmp_path / "i.sqlite") as index:
        index.add([police])
        (match,) = find_matches(story, index)
        (uncredited,) = find_matches(replace(story, credited=()), index)
    assert match.credited and match.direction == "this_copies_other" and not is_copy(match)
    assert is_copy(uncredited)  # the same text taken without the credit is a copy


def test_a_sister_papers_story_credited_as_first_reported_by_our_news_partner_is_syndication() -> None:
    """Probe 64's C06: a TV station's web story closing "This story was first reported by our news partner and
    sister paper, the Harbor Courier." read suspicious (0.74) once the paper's story was indexed."""
    from tests.test_features import html_view, traits_of

    story = "".join(f"<p>The county closed the Miller Street bridge after inspectors found crack number {n}.</p>"
                    for n in range(2, 6))
    page = html_view(f"<article>{story}<p>This story was first reported by our news partner and sister paper, the "
                     "Harbor Courier.</p></article>", url="https://whcb7.example/a")
    assert traits_of(page)["syndication_credit"][0] == 1


def test_a_bare_share_label_in_a_long_line_of_another_languages_prose_is_no_share_widget() -> None:
    """Every phrase list is searched on every page: Macedonian's share label "Сподели:" is Bulgarian prose for
    "(someone) shared:", and a Bulgarian statement quoted after it read as a share bar."""
    from tests.test_features import html_view, traits_of

    story = "".join(f"<p>Парламентът прие бюджета за година {n} след дълъг дебат в пленарната зала.</p>"
                    for n in range(4))
    prose = html_view(f"<article>{story}<p>Опозицията сподели: „Този бюджет е лош за хората, защото не предвижда "
                      "пари за болниците и училищата в малките градове“.</p></article>", url="https://bg.example/a")
    bar = html_view(f"<article>{story}</article><div class='share'>Сподели: Facebook Twitter</div>",
                    url="https://mk.example/a")
    assert traits_of(prose)["share_widget_labels"][0] == 0
    assert traits_of(bar)["share_widget_labels"][0] == 1


def test_an_outlet_named_in_quotation_marks_is_the_one_credited() -> None:
    """Probe 63's D06: a Bulgarian press review's "Радио „Северозапад“ съобщава, че Централната избирателна
    комисия ..." credited "Централната" (the first word of the electoral commission the radio reported on)."""
    from features.attribution import credited_names
    from tests.test_features import html_view

    story = "".join(f"<p>Изборите за кметове в община {n} ще се проведат през април, съобщиха от общината.</p>"
                    for n in range(2, 6))
    page = html_view(f"<article>{story}<p>Радио „Северозапад“ съобщава, че Централната избирателна комисия е "
                     "утвърдила бюлетините за частичните избори.</p></article>", url="https://pregled.example/a")
    assert "Радио Северозапад" in credited_names(page)
    assert "Централната" not in credited_names(page)


def test_a_copy_keeping_a_shuffled_copys_order_is_that_copys_copy(tmp_path: Path) -> None:
    """Probe 62's B17 copied a farm's shuffled copy of a restaurant review: it covered the review and the shuffled
    copy alike, so the review, earlier, was named its source and the shuffled copy its sibling. The paragraph
    order it shares with the shuffled copy, and not with the review, says which it took."""
    from detector.provenance import best_source, order_breaks

    paras = _paragraphs(11, "trattoria menu pasta wine chef dessert terrace prices service bread soup risotto", 6)
    day = datetime(2024, 4, 12, 7, 30, tzinfo=timezone.utc)

    def article(url: str, order: list[int], hours: int) -> Article:
        return _dated(url, [paras[i] for i in order], day + timedelta(hours=hours), "Trattoria")

    review = article("https://gazzetta.example/review", [0, 1, 2, 3, 4, 5], 0)
    shuffled = article("https://notizie.example/review", [0, 2, 1, 3, 5, 4], 4)
    copy = article("https://cucina.example/review", [0, 2, 1, 3, 5, 4], 24)
    with Index(tmp_path / "i.sqlite") as index:
        index.add([review, shuffled, copy])
        of_copy = {m.domain: m for m in find_matches(copy, index, exclude=[copy.url])}
        of_shuffled = {m.domain: m for m in find_matches(shuffled, index, exclude=[shuffled.url])}
    assert order_breaks(of_copy["gazzetta.example"]) > 0 and order_breaks(of_copy["notizie.example"]) == 0
    assert best_source(list(of_copy.values())).domain == "notizie.example"
    assert of_copy["gazzetta.example"].upstream
    assert of_shuffled["cucina.example"].direction == "other_copies_this"


@pytest.mark.parametrize("line, expected", [
    ("<p class='boletin-fecha'>17 de marzo de 2025</p>", "2025-03-17T00:00:00"),  # a date class in Spanish
    ("<p>Lunes, 17 de marzo de 2025</p>", "2025-03-17T00:00:00"),  # unmarked, a day and its weekday only
    ("<p>El 17 de marzo de 2025 se abrió el registro.</p>", None),  # a sentence is no date line
])
def test_a_day_shown_alone_under_the_headline_is_the_pages_date(line: str, expected: str | None) -> None:
    """Probe 65's D02: a government bulletin showed "17 de marzo de 2025" under its headline and nothing in its
    markup; undated, it was made the uncredited copy of a dated farm (content_farm, 0.999)."""
    import lxml.html

    from detector.pubdate import shown_date

    dom = lxml.html.fromstring(f"<html><body><h1>Boletín 047/2025. Inicia el registro al programa</h1>{line}"
                               "<p>La Secretaría informó que el registro abre hoy.</p></body></html>")
    found = shown_date(dom)
    assert (found.isoformat() if found else None) == expected


@pytest.mark.parametrize("line, expected", [
    ("Publicerad 4 mars 2025 kl. 14.05", "2025-03-04T14:05:00"),
    ("Publiceret 4. marts 2025 kl. 09.30", "2025-03-04T09:30:00"),
    ("4. maaliskuuta 2025 klo 9.30", "2025-03-04T09:30:00"),
    ("04.03.2025, 14.05 Uhr", "2025-03-04T14:05:00"),
    ("4 maart 2025 om 14 uur", "2025-03-04T14:00:00"),
    ("14.05.2025", "2025-05-14T00:00:00"),  # a dotted date is no time of day
])
def test_nordic_finnish_german_and_dutch_times_with_a_dot_are_read(line: str, expected: str) -> None:
    """Probe 66: "kl. 14.05", "klo 14.05" and "om ... uur" date lines were read as a day without its time (and a
    Danish or Dutch month's name not at all), so same-day copies went unordered."""
    import lxml.html

    from detector.pubdate import shown_date

    dom = lxml.html.fromstring(f"<html><body><h1>Bron stängs i helgen</h1><p class='date'>{line}</p>"
                               "<p>Bron stängs för reparation.</p></body></html>")
    assert shown_date(dom).isoformat() == expected


def test_a_canonical_reprint_carrying_the_originals_lead_stays_a_sibling(tmp_path: Path) -> None:
    """Probe 66's B10: the original's extracted text lacked its lead paragraph (a standfirst box), the partner's
    canonical reprint printed it, and a farm's copy of the whole story was traced through the reprint."""
    paras = _paragraphs(13, "tram line council vote extension depot trains euros years residents station route", 7)
    day = datetime(2025, 4, 8, 12, 5, tzinfo=timezone.utc)
    original = _dated("https://rheintal.example/linie-4", paras[1:], day)  # its lead stood in a standfirst box
    reprint = _dated("https://moseltal.example/linie-4", paras, day + timedelta(hours=3),
                     canonical="https://rheintal.example/linie-4")
    copy = _dated("https://aktuell.example/linie-4", paras, day + timedelta(hours=5))
    found = _found(tmp_path, [original, reprint], copy)
    assert _sibling_of(found["moseltal.example"], "rheintal.example")
    assert found["rheintal.example"].direction == "this_copies_other"


@pytest.mark.parametrize("line, language, expected", [
    ("14 shtator 2023", "sq", "2023-09-14T00:00:00"),
    ("24. avgusta 2023", "sl", "2023-08-24T00:00:00"),  # Slovenian genitive: dateparser knows "avgust" only
    ("5. januarja 2024", None, "2024-01-05T00:00:00"),
    ("1. новембра 2024.", "sr", "2024-11-01T00:00:00"),  # Serbian Cyrillic genitive of "новембар"
    ("17. listopada 2022.", "hr", "2022-10-17T00:00:00"),  # October in Croatian...
    ("17. listopada 2022.", "pl", "2022-11-17T00:00:00"),  # ...November in Polish
])
def test_a_date_line_under_the_story_headline_is_read_past_a_masthead_h1(line: str, language: str | None,
                                                                        expected: str) -> None:
    """Probe 75: three farm themes set the site's name in the first <h1> (a home link) and the story's date under
    the story's own <h1>, with a month's name in Albanian or in the South Slavic genitive: all read undated. A
    month's name that means two months in two languages is read in the page's own language first."""
    import lxml.html

    from detector.pubdate import shown_date

    dom = lxml.html.fromstring(
        "<html><body><header><h1 class='brand'><a href='/' rel='home'>Lajme 365</a></h1>"
        "<p>Reklamë</p></header><main><h1>Qeveria miraton projektligjin</h1>"
        f"<div class='meta'><span class='post-date'>{line}</span></div><p>Teksti i lajmit.</p></main></body></html>")
    assert shown_date(dom, language=language).isoformat() == expected


def test_a_word_for_the_newspaper_opening_a_sentence_credits_no_outlet() -> None:
    """Probe 75: "Gazeta shkruan se ..." (the newspaper writes that) in a credited Albanian rewrite was read as a
    credit to an outlet "Gazeta", given without a link (suspicious, 0.41). A name of two words still credits."""
    from detector.records import Article
    from features import PageView, compute_traits

    def traits(sentence: str) -> dict[str, tuple[float, str | None]]:
        text = f"Liqeni po thahet.\n\n{sentence} shkruan se niveli i ujit ra me dy metra.\n\nBanorët janë të shqetësuar."
        article = Article(url="https://lajme.example/a", domain="lajme.example", title="Liqeni", text=text)
        return {t.name: (t.value, t.evidence) for t in compute_traits(PageView(article))}

    assert traits("Gazeta")["reports_that_credits"][0] == 0
    assert traits("Gazeta")["credit_without_link"][0] == 0
    named = traits("Gazeta Express")
    assert named["reports_that_credits"][0] == 1 and named["credit_without_link"][0] == 1
