"""Credits an outside probe of Russian, Arabic, Vietnamese, Central European and Nordic news read wrong: a Swedish
paper's TT wire story made another paper's uncredited copy; a Czech reprint's "taken, with the newsroom's
permission" note read as a farm's source line; a headline of two sentences taken for the site's name, so that a
verbatim copy repeating it read as crediting the site; Vietnamese "chia sẻ:" ("said:") inside a quote's sentence
read as a share bar's label."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import lxml.html
import pytest

from detector.agencies import wire_keys
from detector.extract import extract
from detector.index import Index
from detector.matcher import find_matches
from detector.page_metadata import page_metadata
from detector.provenance import credits
from detector.sources import read_page_bytes
from features import PageView, compute_trait
from tests.test_wire_and_sources import DAY, _article, _story


@pytest.mark.parametrize("first, second", [
    ({"lead": "ÄLVSTRÄSK (TT) "}, {"author": "Anna Lund/TT"}),
    ({"lead": "ÄLVSTRÄSK (TT) "}, {"tail": "TT"}),
    ({"author": "NTB"}, {"lead": "TROMSØ (NTB) "}),
])
def test_two_papers_running_a_nordic_agencys_story_are_siblings(tmp_path: Path, first: dict, second: dict) -> None:
    body = _story(69)

    def run(url: str, hours: int, how: dict) -> object:
        paragraphs = [how.get("lead", "") + body[0], *body[1:]] + ([how["tail"]] if "tail" in how else [])
        return replace(_article(url, paragraphs, author=how.get("author"), published=DAY + timedelta(hours=hours)),
                       sitename=url.split("/")[2])

    one, two = run("https://norrbladet.se/strandbadet", 1, first), run("https://lappmarksbladet.se/badet", 3, second)
    assert wire_keys(one) and wire_keys(one) == wire_keys(two)
    with Index(tmp_path / "i.sqlite") as index:
        index.add([one])
        [match] = find_matches(two, index)
    assert match.direction == "unknown" and match.direction_evidence.startswith("sibling: both derive from"), \
        match.direction_evidence


def _page(lines: str, title: str = "Starosta rezignoval kvůli sporu o les") -> str:
    return (f"<html lang='cs'><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            + "".join(f"<p>{p}</p>" for p in _story(70, 4)) + lines + "</article></body></html>")


def _trait(html: str, name: str, url: str = "https://posazavskelisty.cz/zpravy/starosta") -> float:
    page = read_page_bytes(html.encode(), "t.html", url, 10_000_000)
    done = extract(page, target="t.html")
    return compute_trait(PageView(done.article, done.dom, ()), name).value


def test_a_licensed_reprint_note_is_no_source_line_but_a_bare_taken_from_line_is() -> None:
    licensed = _page("<p>Převzato z Deníku Podhradí se svolením redakce.</p>")
    bare = _page("<p>Převzato z Deníku Podhradí.</p>")
    assert _trait(licensed, "source_lines") == 0.0 and _trait(licensed, "syndication_credit") == 1.0
    assert _trait(bare, "source_lines") == 1.0 and _trait(bare, "syndication_credit") == 0.0


def test_a_headline_of_two_sentences_is_not_the_site_name_and_a_copy_repeating_it_credits_nothing() -> None:
    headline = "Starosta Horní Lhoty rezignoval. Kvůli sporu o prodej obecního lesa"
    tree = lxml.html.fromstring(f"<html><head><title>{headline} | Deník Podhradí</title></head><body></body></html>")
    assert page_metadata(tree, "https://denikpodhradi.cz/a").sitename != headline
    named = lxml.html.fromstring("<html><head><title>Zprávy | example.cz</title></head><body></body></html>")
    assert page_metadata(named, None).sitename == "example.cz"
    source = replace(_article("https://denikpodhradi.cz/starosta", _story(71), title=headline),
                     sitename=page_metadata(tree, "https://denikpodhradi.cz/a").sitename)
    copy = _article("https://zpravyzregionu.eu/starosta", _story(71), title=headline,
                    published=DAY + timedelta(hours=5))
    assert credits(copy, source) is None


def test_vietnamese_said_before_a_quote_is_no_share_bar() -> None:
    quote = ("<p>Bà Lê Thị Ngọc, 67 tuổi, ở ấp Phước Lợi chia sẻ: “Sống ở đây bốn mươi năm, chưa bao giờ "
             "thấy nước lên nhanh như vậy.”</p>")
    bar = "<div class='share'>Chia sẻ bài viết này: <a href='https://www.facebook.com/sharer.php?u=x'>Facebook</a></div>"
    assert _trait(_page(quote), "share_widget_labels") == 0.0
    assert _trait(_page(quote + bar), "share_widget_labels") == 1.0
