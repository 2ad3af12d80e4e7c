"""Farm marks read from markup and fixed tokens, in any language: a DMCA notice (features/site_marks.py), a CMS's
default account signing the article, and a headline shouting a word the story writes in small letters
(features/boilerplate.py ``title_clickbait``). Each page goes through the real extraction."""

from __future__ import annotations

import pytest

from detector.extract import extract
from detector.sources import read_page_bytes
from features import PageView, compute_trait, feature_names

URL = "https://site.example/2025/03/12/story/"
STORY = ("<p>Residents of the eastern wards are paying nearly double last year's rate for a water tanker after the "
         "lake that feeds the town's pumping station dried up six weeks early, the council said on Tuesday.</p>"
         "<p>The council has asked the district to cap tanker prices and to requisition two private borewells, "
         "and engineers are repairing the old pipeline, which has been shut since January.</p>"
         "<p>Officials from NATO and the regional water board will meet on Friday to discuss the shortage, "
         "according to a statement from the mayor's office.</p>")


def _page(title: str = "Water tanker rates rise as the lake dries up", byline: str = "",
          footer: str = "<a href='/privacy/'>Privacy</a>", head: str = "", story: str = STORY) -> str:
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title>{head}</head><body>"
            f"<header class='site-header'><a href='/'>Site</a> <a href='/news/'>News</a></header>"
            f"<main><article><h1>{title}</h1>{byline}{story}</article></main>"
            f"<footer class='site-footer'><p>© 2025 Site. {footer}</p></footer></body></html>")


def _trait(html: str, name: str) -> tuple[float, str | None]:
    page = read_page_bytes(html.encode(), "test.html", URL, 10_000_000)
    done = extract(page, target="test.html")
    trait = compute_trait(PageView(done.article, done.dom, ()), name)
    return trait.value, trait.evidence


@pytest.mark.parametrize("footer, evidence", [
    ("<a href='/dmca/'>DMCA</a> | <a href='/privacy/'>Privacy</a>", "/dmca/"),
    ("<a href='https://site.example/dmca-policy/'>Politique DMCA</a>", "https://site.example/dmca-policy/"),
    ("<a href='https://www.dmca.com/Protection/Status.aspx?ID=1234' title='DMCA.com Protection Status'>"
     "<img src='https://images.dmca.com/Badges/dmca_protected_sml_120n.png' alt='DMCA.com Protection Status'></a>",
     "https://www.dmca.com/Protection/Status.aspx?ID=1234"),
])
def test_a_dmca_link_in_the_footer_is_read_in_any_form(footer: str, evidence: str) -> None:
    assert _trait(_page(footer=footer), "dmca_notice") == (1.0, evidence)


@pytest.mark.parametrize("footer", [
    "<a href='/copyright/'>Copyright policy</a> <a href='/legal/'>Legal notice</a>",
    "<a href='/admcast/'>Admcast</a> <a href='/dmcapital/'>DM Capital</a>",
])
def test_a_copyright_notice_or_a_word_holding_the_letters_is_no_dmca_notice(footer: str) -> None:
    assert _trait(_page(footer=footer), "dmca_notice") == (0.0, None)


@pytest.mark.parametrize("byline, head", [
    ("<div class='entry-meta'><span class='posted-on'>March 12, 2025</span> <span class='byline'>admin</span></div>",
     ""),
    ("<p class='meta'>Posted by Administrator on 12/03/2025</p>", ""),
    ("", '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "x", '
         '"author": {"@type": "Person", "name": "admin"}}</script>'),
    ("", '<meta name="author" content="webmaster">'),
])
def test_an_article_signed_by_a_cms_default_account_is_read(byline: str, head: str) -> None:
    value, evidence = _trait(_page(byline=byline, head=head), "default_byline")
    assert value == 1.0
    assert evidence is not None and any(w in evidence.lower() for w in ("admin", "webmaster"))


@pytest.mark.parametrize("byline, head, footer", [
    ("<p class='byline'>By Shobha Naik, Staff Reporter</p>", "", ""),
    # the author page's address names the login; the shown name is a person's
    ("<p class='byline'>By Shobha Naik</p>", '<script type="application/ld+json">{"@type": "NewsArticle", '
     '"author": {"@id": "https://site.example/author/admin/#author", "name": "Shobha Naik"}}</script>', ""),
    ("", "", "<a href='/wp-admin/'>Site Admin</a> Send corrections to webmaster@site.example"),
])
def test_a_named_writer_an_author_address_or_site_chrome_is_no_default_byline(byline: str, head: str,
                                                                             footer: str) -> None:
    assert _trait(_page(byline=byline, head=head, footer=footer), "default_byline") == (0.0, None)


def test_a_headline_shouting_a_word_the_story_writes_small_is_bait() -> None:
    value, evidence = _trait(_page(title="Tanker prices DOUBLE as the lake dries up"), "title_clickbait")
    assert (value, evidence) == (1.0, "shouted word (DOUBLE)")


@pytest.mark.parametrize("title", [
    "NATO and water board to meet over tanker prices",  # an acronym: the story writes it so too
    "LIVE: tanker prices double as the lake dries up",  # a label
    "ÚLTIMA HORA: tanker prices double in the eastern wards",  # a label of two words
    "WATER CRISIS: TANKER PRICES DOUBLE AS LAKE DRIES",  # a headline set in capitals
    "Tanker rates rise as the lake dries up - PUMPING",  # the site's name closing the title
    "Tanker prices SOAR as the lake dries up",  # capitals, but no word of the story
])
def test_acronyms_labels_capitalised_headlines_and_site_names_do_not_shout(title: str) -> None:
    story = STORY.replace("pumping station", "pumping plant") + "<p>The pumping company declined to comment.</p>"
    assert _trait(_page(title=title, story=story), "title_clickbait") == (0.0, None)


def test_the_marks_are_classifier_columns() -> None:
    names = feature_names()
    assert names[-3:] == ["dmca_notice", "default_byline", "ai_chat_leftovers"]
