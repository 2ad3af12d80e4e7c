"""Spam traits on the seed case (botasot copy, BalkanWeb rewrite, clean Times and Kyiv Post pages) and on
small hand-written pages in every supported language."""

from __future__ import annotations

import math
import time
from datetime import datetime, timezone
from pathlib import Path

import lxml.html
import pytest

from detector.records import Article, Match, Passage
from features import FAMILIES, TRAITS, PageView, compute_traits, feature_names, trait_specs
from features.phrases import CATEGORIES, WORD_SET_CATEGORIES, fold, load_phrasebook, phrasebook, tokenize
from features.view import host_of

SEED = Path(__file__).parent / "fixtures" / "seed-case"
BODY_XPATH = {
    "botasot": "//div[@class='entry-content']/p",
    "balkanweb": "//div[@class='entry-content']/p",
    "thetimes": "//div[@class='article-body']/p",
    "kyivpost": "//section[@class='post-body']/p",
}
PROMO_TRAITS = (
    "promo_cta_lines",
    "join_group_prompt",
    "share_widget_labels",
    "share_links",
    "share_widget_markup",
    "related_clickbait_share",
    "subscribe_prompts",
    "push_notification_scripts",
)
ATTRIBUTION_TO_OTHER_TRAITS = (
    "source_lines",
    "read_more_lines",
    "agency_tag_at_end",
    "reports_that_credits",
    "credits_other_source",
    "credit_points_to_own_site",
    "credit_without_link",
)
DOM_ONLY_TRAITS = (
    "share_links",
    "share_widget_markup",
    "push_notification_scripts",
    "clickbait_link_share",
    "ad_slots",
    "ad_slots_per_1k_words",
    "ad_networks",
    "iframes",
    "tracker_scripts",
    "third_party_scripts",
    "link_density",
    "outbound_link_share",
    "missing_structured_data",
)


def _meta(dom: lxml.html.HtmlElement, key: str) -> str | None:
    values = dom.xpath(f"//meta[@property='{key}' or @name='{key}']/@content")
    return values[0] if values else None


def seed_article(name: str, dom: lxml.html.HtmlElement, keep: slice = slice(None)) -> Article:
    """An Article as an extractor would give it: the body paragraphs (optionally a slice) and the meta tags."""
    paragraphs = tuple(" ".join(p.text_content().split()) for p in dom.xpath(BODY_XPATH[name]))
    paragraphs = tuple(p for p in paragraphs if p)[keep]
    canonical = dom.xpath("//link[@rel='canonical']/@href")[0]
    published = _meta(dom, "article:published_time")
    return Article(
        url=canonical,
        domain=host_of(canonical),
        title=_meta(dom, "og:title"),
        text="\n\n".join(paragraphs),
        paragraphs=paragraphs,
        published=datetime.fromisoformat(published) if published else None,
        author=_meta(dom, "author"),
        sitename=_meta(dom, "og:site_name"),
        canonical=canonical,
        description=_meta(dom, "description"),
    )


def seed_view(name: str, with_dom: bool = True, keep: slice = slice(None)) -> PageView:
    dom = lxml.html.fromstring((SEED / f"{name}.html").read_bytes())
    return PageView(seed_article(name, dom, keep), dom if with_dom else None)


def traits_of(view: PageView) -> dict[str, tuple[float, str | None]]:
    return {t.name: (t.value, t.evidence) for t in compute_traits(view)}


def html_view(body: str, url: str = "https://news.example.org/a/1", text: str | None = None) -> PageView:
    """A view of a small hand-written page; the main text defaults to the page's paragraphs."""
    page = f"<html><head><meta charset='utf-8'><title>t</title></head><body>{body}</body></html>"
    dom = lxml.html.fromstring(page.encode())
    paragraphs = tuple(" ".join(p.text_content().split()) for p in dom.iter("p"))
    main = text if text is not None else "\n\n".join(paragraphs)
    article = Article(url=url, domain=host_of(url), title="A headline about the budget", text=main,
                      paragraphs=tuple(p for p in main.split("\n\n") if p))
    return PageView(article, dom)


# --- the registry -----------------------------------------------------------------------------------


def test_at_least_30_traits_each_with_a_one_line_meaning_and_a_known_family() -> None:
    specs = trait_specs()
    assert len(specs) >= 30
    for spec in specs:
        assert spec.meaning.strip() and "\n" not in spec.meaning, spec.name
        assert spec.family in FAMILIES, spec.name
    assert {s.family for s in specs} == set(FAMILIES)


def test_feature_names_are_unique_stable_and_in_compute_order() -> None:
    names = feature_names()
    assert len(names) == len(set(names)) == len(TRAITS)
    assert names == feature_names()
    assert [t.name for t in compute_traits(seed_view("kyivpost"))] == names


def test_every_trait_is_a_finite_float_with_short_evidence_on_every_seed_page() -> None:
    for name in BODY_XPATH:
        for t in compute_traits(seed_view(name)):
            assert isinstance(t.value, float) and math.isfinite(t.value), (name, t.name)
            assert t.evidence is None or 0 < len(t.evidence) <= 200, (name, t.name)


def test_traits_are_pure_same_page_same_values() -> None:
    assert compute_traits(seed_view("botasot")) == compute_traits(seed_view("botasot"))
    view = seed_view("balkanweb")
    assert compute_traits(view) == compute_traits(view)


# --- the seed case ----------------------------------------------------------------------------------


def test_botasot_shows_the_copy_farm_traits() -> None:
    t = traits_of(seed_view("botasot"))
    assert t["title_repeated"][0] == 2
    assert "criminal orders of the regime" in t["title_repeated"][1]
    assert t["join_group_prompt"][0] >= 1 and "Join Group" in t["join_group_prompt"][1]
    assert t["promo_cta_lines"][0] >= 1
    assert t["share_widget_labels"][0] >= 1 and "Spread the love" in t["share_widget_labels"][1]
    assert t["share_links"] == (4.0, "facebook, twitter, whatsapp, viber")
    assert t["share_widget_markup"][0] >= 1
    assert t["related_blocks"][0] >= 1 and t["related_blocks"][1] == "Similar posts"
    assert t["related_clickbait_share"][0] >= 0.5 and "you won't believe" in t["related_clickbait_share"][1]
    assert t["push_notification_scripts"] == (1.0, "onesignal")
    assert t["duplicate_line_fraction"][0] > 0


def test_an_autoblog_feed_note_naming_the_original_reporting_is_a_source_line() -> None:
    """Probe 71: an autoblog's note under the story, "This article was produced automatically from a syndicated
    news feed ... Original reporting: Accra Ledger.", names its source; its copy was read as uncredited."""
    story = "".join(f"<p>Paragraph {i} of the report on the traders' march over the new stall levy.</p>" for i in range(6))
    t = traits_of(html_view(f'<article><div class="content">{story}</div><p><em>Note: This article was produced '
                            "automatically from a syndicated news feed and has not been edited by our staff. "
                            "Original reporting: Accra Ledger.</em></p></article>"))
    assert t["source_lines"][0] == 1 and "Original reporting: Accra Ledger" in t["source_lines"][1]
    assert t["credits_other_source"][1] == "Accra Ledger"


def test_botasot_credits_balkanweb_while_read_more_points_at_itself() -> None:
    t = traits_of(seed_view("botasot"))
    assert t["source_lines"][0] == 1 and "Information source @BalkanWeb" in t["source_lines"][1]
    assert t["read_more_lines"][0] == 1
    assert t["credit_points_to_own_site"] == (1.0, "Information source @BalkanWeb: Read more at: www.botasot.al")
    assert t["agency_tag_at_end"] == (1.0, "(BalkanWeb)")
    assert "BalkanWeb" in t["credits_other_source"][1].split(", ")
    assert "botasot" not in t["credits_other_source"][1].lower()
    assert t["credit_without_link"][0] == 1


@pytest.mark.parametrize(("credit", "expected"), [
    ('Con información de <a href="https://www.correodelalmendral.example/r/1.html">El Correo del Almendral</a>.', 0),
    ('Fuente: El Correo del Almendral. <a href="https://www.correodelalmendral.example/">Portada</a>', 0),
    ("Fuente: El Correo del Almendral.", 1),
    ('Fuente: El Correo del Almendral. <a href="https://www.elpais.example/">El País</a>', 1),
])
def test_a_credit_counts_as_linked_by_the_link_text_or_the_site_label(credit: str, expected: int) -> None:
    view = html_view("<p>Los embalses del Almendral caen al 18 por ciento de su capacidad, informan los regantes "
                     f"de la vega baja.</p><p>{credit}</p>", url="https://valdeornahoy.example/a/1")
    t = traits_of(view)
    assert t["credits_other_source"][0] >= 1
    assert t["credit_without_link"][0] == expected


def test_botasot_has_dense_ad_slots() -> None:
    t = traits_of(seed_view("botasot"))
    assert t["ad_slots"][0] == 5  # header, three in-article code blocks, sidebar; each ins counted once
    assert t["ad_slots_per_1k_words"][0] > 10
    assert t["ad_networks"] == (1.0, "adsense")
    assert t["missing_author"][0] == 1


@pytest.mark.parametrize("name", ["thetimes", "kyivpost"])
def test_clean_pages_show_no_promo_share_or_attribution_to_others(name: str) -> None:
    t = traits_of(seed_view(name))
    for trait_name in PROMO_TRAITS + ATTRIBUTION_TO_OTHER_TRAITS:
        assert t[trait_name] == (0.0, None), (name, trait_name, t[trait_name])
    assert t["title_repeated"][0] == 0
    assert t["ad_slots"][0] == 0
    assert t["missing_author"][0] == 0
    assert t["missing_date"][0] == 0
    assert t["lines_end_punct_fraction"][0] == 1.0


def test_thetimes_related_block_is_not_clickbait() -> None:
    t = traits_of(seed_view("thetimes"))
    assert t["related_blocks"] == (1.0, "Related articles")
    assert t["related_clickbait_share"][0] == 0
    assert t["missing_structured_data"][0] == 0


def test_balkanweb_rewrite_credits_the_times_and_carries_the_promo_footer() -> None:
    t = traits_of(seed_view("balkanweb"))
    assert t["join_group_prompt"][0] >= 1
    assert t["reports_that_credits"][0] == 1 and t["reports_that_credits"][1].startswith("The Times reports that")
    assert t["credits_other_source"] == (1.0, "The Times")
    assert t["credit_points_to_own_site"][0] == 0
    assert t["title_repeated"][0] == 0
    assert t["ad_slots"][0] == 4 and t["ad_networks"] == (1.0, "gpt")
    assert t["share_links"][0] == 0


@pytest.mark.parametrize("pasted, expected", [
    ("the early reviews for googles stadia are here and theyre not great", 1),  # apostrophes dropped
    ("The Early Reviews For Google’s Stadia Are Here — And They’re Not Great", 0),  # the headline itself
    ("Early reviews of the Stadia console are in and they are mixed", 0),
])
def test_a_title_pasted_without_its_apostrophes_is_still_the_title(pasted: str, expected: int) -> None:
    title = "The Early Reviews For Google's Stadia Are Here — And They're Not Great"
    text = f"{pasted}\n\nStadia, Google's streaming platform, launches today with a dozen games and a controller."
    article = Article(url="https://farm.example/x", domain="farm.example", title=title, text=text,
                      paragraphs=tuple(text.split("\n\n")))
    assert traits_of(PageView(article, None))["title_repeated"][0] == expected


_JAM = "Spiced honey pear jam keeps for a year in a cool cupboard, and it needs no pectin at all."


@pytest.mark.parametrize("title, heading, body_lines, expected", [
    # the kept headline is the title without the site's name: one real page in ten read as repeating its title
    ("Spiced Honey Pear Jam Recipe | The Anti-June Cleaver", "Spiced Honey Pear Jam Recipe",
     ["Spiced Honey Pear Jam Recipe"], 0),
    ("Anti-June Cleaver - Spiced Honey Pear Jam Recipe", "Spiced Honey Pear Jam Recipe",
     ["Spiced Honey Pear Jam Recipe"], 0),
    # the headline worded apart from the title (the slug's words), shown as the page's heading
    ("Spiced Honey Pear Jam Recipe | The Anti-June Cleaver", "Spiced Honey Pear Jam", ["Spiced Honey Pear Jam"], 0),
    # ...but a farm's lowercased paste under it still counts, and so does the headline pasted twice
    ("Spiced Honey Pear Jam Recipe | The Anti-June Cleaver", "Spiced Honey Pear Jam Recipe",
     ["Spiced Honey Pear Jam Recipe", "spiced honey pear jam recipe"], 1),
    ("Spiced Honey Pear Jam Recipe | The Anti-June Cleaver", "Spiced Honey Pear Jam Recipe",
     ["Spiced Honey Pear Jam Recipe", "Spiced Honey Pear Jam Recipe"], 1),
])
def test_the_kept_headline_is_not_a_repeated_title(title: str, heading: str, body_lines: list[str],
                                                    expected: int) -> None:
    paragraphs = (*body_lines, _JAM, _JAM.replace("year", "month"))
    html = (f"<html><head><title>{title}</title></head><body><h1>{heading}</h1>"
            + "".join(f"<div class='lead'>{p}</div>" for p in paragraphs) + "</body></html>")
    text = "\n\n".join(paragraphs)
    article = Article(url="https://jam.example/2024/spiced-honey-pear-jam", domain="jam.example", title=title,
                      text=text, paragraphs=paragraphs)
    assert traits_of(PageView(article, lxml.html.fromstring(html)))["title_repeated"][0] == expected


def test_a_title_glued_to_the_first_paragraph_is_a_repeat() -> None:
    """Probe 46: a farm printed its headline, then pasted the title again in front of the first paragraph with
    no break ("... od ponedjeljka Opća bolnica ..."); as one long line it was never compared with the title. A page
    whose extraction ran its only headline into the text is not counted."""
    title = "Velike promjene u koprivničkoj bolnici: evo što čeka pacijente od ponedjeljka"
    body = f"{title} {_JAM} {_JAM}"
    for paragraphs, expected in (((title, body, _JAM), 1), ((body, _JAM), 0)):
        article = Article(url="https://hronika.example/2024/bolnica", domain="hronika.example", title=title,
                          text="\n\n".join(paragraphs), paragraphs=paragraphs)
        assert traits_of(PageView(article, None))["title_repeated"][0] == expected, paragraphs


def test_dom_finds_the_footer_that_extraction_dropped() -> None:
    # Main text without the title lines and the trailing credit/promo/source paragraphs.
    view = seed_view("botasot", keep=slice(2, -3))
    assert "Join Group" not in view.article.text
    t = traits_of(view)
    assert t["join_group_prompt"][0] >= 1
    assert t["credit_points_to_own_site"][0] == 1
    assert t["title_repeated"][0] == 0  # that one is a main-text trait
    text_only = traits_of(PageView(view.article, None))
    assert text_only["join_group_prompt"] == (0.0, None)
    assert text_only["share_widget_labels"] == (0.0, None)


# --- without a DOM ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(BODY_XPATH))
def test_dom_none_gives_neutral_dom_traits_and_keeps_text_traits(name: str) -> None:
    t = traits_of(seed_view(name, with_dom=False))
    assert len(t) == len(feature_names())
    for trait_name in DOM_ONLY_TRAITS:
        assert t[trait_name][0] == 0, (name, trait_name)
    assert t["main_text_share"][0] == 1.0
    if name == "botasot":  # the promo, source line and title lines are inside its extracted text
        assert t["title_repeated"][0] == 2
        assert t["join_group_prompt"][0] >= 1
        assert t["credit_points_to_own_site"][0] == 1
        assert t["agency_tag_at_end"][0] == 1


def test_empty_article_without_dom_computes_every_trait() -> None:
    t = traits_of(PageView(Article(url="https://x.example/", domain="x.example", title=None, text="")))
    assert t["word_count"] == (0.0, None)
    assert all(math.isfinite(v) for v, _ in t.values())


# --- phrases in every language ----------------------------------------------------------------------


def test_every_language_file_has_several_phrasings_per_category() -> None:
    book = phrasebook()
    assert set(book.languages) >= {"en", "sq", "sr", "es", "pt", "de", "fr", "ro"}
    for language in book.languages:
        for category in CATEGORIES:
            if category in WORD_SET_CATEGORIES:
                continue
            assert book.count(category, language) >= 3, (language, category)


@pytest.mark.parametrize(
    "footer",
    [
        "Për t'u bashkuar me grupin \"Lajme\" thjesht klikoni: Bashkohu me grupin dhe kërkesa juaj do të "
        "aprovohet menjëherë.",
        "PER T'U BASHKUAR ME GRUPIN thjesht klikoni, kerkesa juaj do te aprovohet menjehere",  # no diacritics
    ],
)
def test_albanian_join_group_promo_is_detected_case_and_accent_insensitively(footer: str) -> None:
    view = html_view(f"<article><p>Qeveria miratoi buxhetin e ri.</p></article><p class='promo'>{footer}</p>")
    t = traits_of(view)
    assert t["join_group_prompt"][0] == 1
    assert t["promo_cta_lines"][0] == 1
    assert {f.hit.language for f in view.found["join_group"]} == {"sq"}


@pytest.mark.parametrize(
    ("language", "body", "trait_name"),
    [
        ("sq", "<p>Burimi: Top Channel</p>", "source_lines"),
        ("sr", "<p>Pridružite se grupi i vaš zahtev će biti odobren odmah.</p>", "join_group_prompt"),
        ("sr", "<p>Izvor: Blic Online</p>", "source_lines"),
        ("es", "<section><h3>Noticias relacionadas</h3><ul><li><a href='/b'>Otra nota</a></li></ul></section>",
         "related_blocks"),
        ("es", "<p>Fuente: Diario del Sur</p>", "source_lines"),
        ("pt", "<p>Leia mais em: www.outrosite.com.br</p>", "read_more_lines"),
        ("pt", "<div><span>Compartilhe:</span> <a href='#'>Facebook</a></div>", "share_widget_labels"),
        ("de", "<p>Quelle: Rundschau Online</p>", "source_lines"),
        ("de", "<p>Jetzt Newsletter abonnieren und Benachrichtigungen aktivieren!</p>", "subscribe_prompts"),
        ("fr", "<div><h4>Lire aussi</h4><a href='/x'>Un autre article</a></div>", "related_blocks"),
        ("fr", "<p>Cliquez ici pour rejoindre le groupe.</p>", "promo_cta_lines"),
        ("ro", "<p>Sursa: Ziarul Nou</p>", "source_lines"),
        ("ro", "<p>Alătură-te grupului nostru, cererea ta va fi aprobată imediat.</p>", "join_group_prompt"),
        # app and channel calls to action, the site's name in the middle
        ("de", "<p>Lade die Tagesblick-App herunter: Google Play</p>", "promo_cta_lines"),
        ("es", "<p>Descarga la app de Diario Hoy y recibe alertas.</p>", "promo_cta_lines"),
        ("fr", "<p>Toute l'actu sur votre téléphone : téléchargez l'appli.</p>", "promo_cta_lines"),
        ("pt", "<p>Instale grátis o nosso aplicativo.</p>", "promo_cta_lines"),
        ("pt", "<p>Participe do canal do Portal Sul no Telegram.</p>", "join_group_prompt"),
        ("it", "<p>Scarica l'app di Notizie Oggi.</p>", "promo_cta_lines"),
    ],
)
def test_a_phrasing_in_each_language_is_detected(language: str, body: str, trait_name: str) -> None:
    view = html_view(f"<article><p>Some unrelated opening sentence of the story.</p></article>{body}")
    assert traits_of(view)[trait_name][0] >= 1, (language, trait_name)
    languages = {f.hit.language for hits in view.found.values() for f in hits}
    assert language in languages


@pytest.mark.parametrize("credit", [
    "<p>Izvor: Tanjug</p>", "<p>Fuente: EFE</p>", "<p>Quelle: dpa / eigene Recherche</p>", "<p>Sursa: AGERPRES</p>",
    "<p>Con información de Agencia EFE y Europa Press.</p>", "<p>The inquiry continues. (AP)</p>",
])
def test_a_news_agency_credit_is_wire_copy_not_a_copied_source(credit: str) -> None:
    """Newspapers print agency copy with the agency's credit; it names no outlet whose story was taken."""
    traits = traits_of(html_view(f"<article><p>Some unrelated opening sentence of the story.</p>{credit}</article>"))
    for name in ("source_lines", "credits_other_source", "credit_without_link", "agency_tag_at_end"):
        assert traits[name][0] == 0, (credit, name, traits[name])
    outlet = traits_of(html_view("<article><p>Some unrelated opening sentence of the story.</p>"
                                 "<p>Izvor: Blic Online</p></article>"))
    assert outlet["source_lines"][0] == 1 and outlet["credit_without_link"][0] == 1


def test_phrases_match_whole_words_only() -> None:
    view = html_view(
        "<p>The reporters that covered it used SharePoint tools. Resource: none.</p>"
        "<p>Cliquez icicle.</p>"
    )
    t = traits_of(view)
    assert t["reports_that_credits"][0] == 0
    assert t["share_widget_labels"][0] == 0
    assert t["source_lines"][0] == 0
    assert t["promo_cta_lines"][0] == 0


def test_a_bad_phrase_file_is_refused_with_its_name(tmp_path: Path) -> None:
    (tmp_path / "xx.toml").write_text('language = "xx"\n[phrases]\npromo = ["click"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="xx.toml: unknown category 'promo'"):
        load_phrasebook(tmp_path)


# --- copy evidence ----------------------------------------------------------------------------------


def _match(domain: str, share: float, direction: str, credited: bool, derivation: str = "partial") -> Match:
    """A match sharing one passage when ``share`` > 0 (content words alone when it is 0)."""
    passages = (Passage(0, 40, 0, 40, "a passage both pages print word for word"),) if share else ()
    return Match(url=f"https://www.{domain}/a", domain=domain, published=datetime(2022, 10, 17, tzinfo=timezone.utc),
                 share_of_this=share, share_of_other=0.9, jaccard=0.5, derivation=derivation,  # type: ignore[arg-type]
                 direction=direction, credited=credited, passages=passages)  # type: ignore[arg-type]


def test_copy_evidence_from_matches() -> None:
    base = seed_view("botasot")
    matches = (
        _match("balkanweb.com", 0.93, "this_copies_other", credited=False, derivation="whole"),
        _match("thetimes.co.uk", 0.12, "unknown", credited=True, derivation="quotes_only"),
        _match("copycat.example", 0.95, "other_copies_this", credited=False),
    )
    t = traits_of(PageView(base.article, base.dom, matches))
    assert t["max_share_copied"] == (0.93, "https://www.balkanweb.com/a")
    assert t["uncredited_share_copied"][0] == 0.93
    assert t["copied_without_credit"] == (1.0, "balkanweb.com")
    assert t["source_domains"] == (1.0, "balkanweb.com")
    assert t["whole_copy"][0] == 1
    assert t["copied_by_others"] == (1.0, "copycat.example")
    others = (matches[1], _match("mirror.example", 0.5, "unknown", False),
              _match("quoter.example", 0.2, "this_copies_other", False, derivation="quotes_only"))
    unknown = traits_of(PageView(base.article, base.dom, others))
    words = traits_of(PageView(base.article, base.dom, (_match("sametopic.example", 0.0, "this_copies_other", False),)))
    lines = traits_of(PageView(base.article, base.dom, (_match("template.example", 0.06, "this_copies_other", False),)))
    for name in ("max_share_copied", "uncredited_share_copied", "copied_without_credit", "source_domains",
                 "whole_copy"):
        assert unknown[name] == (0.0, None)  # a twin of unknown direction, or shared quotations, accuse no one
        assert words[name] == (0.0, None)  # nor do content words without a passage in common, "partial" or not
        assert lines[name] == (0.0, None)  # nor a few shared sentences (6% of the page: under MIN_COPY_SHARE)
    empty = traits_of(base)
    for name in ("max_share_copied", "uncredited_share_copied", "copied_without_credit", "source_domains",
                 "whole_copy", "copied_by_others"):
        assert empty[name] == (0.0, None)


# --- cost -------------------------------------------------------------------------------------------


def test_all_traits_of_a_seed_page_take_a_few_milliseconds() -> None:
    pages = {name: (seed_view(name).article, lxml.html.fromstring((SEED / f"{name}.html").read_bytes()))
             for name in BODY_XPATH}
    compute_traits(PageView(*pages["botasot"]))  # warm the phrase book
    rounds = 20
    start = time.perf_counter()
    for _ in range(rounds):
        for article, dom in pages.values():
            compute_traits(PageView(article, dom))
    per_page = (time.perf_counter() - start) / (rounds * len(pages))
    assert per_page < 0.010, f"{per_page * 1000:.2f} ms per page"  # ~1.5 ms measured; loose for slow CI


# --- regression: trait values on the seed pages --------------------------------------------------------
EXPECTED_VALUES = Path(__file__).parent / "fixtures" / "seed_trait_values.json"


@pytest.mark.parametrize("name", ["botasot", "balkanweb", "thetimes", "kyivpost"])
def test_all_trait_values_on_the_seed_pages_match_the_stored_values(name: str) -> None:
    """Speed work must not move the traits: every value on the seed pages equals the stored one (rel. 1e-6).

    The stored values were computed before the trait code was optimised. To change a trait on purpose,
    regenerate the file (the values of ``compute_traits(seed_view(name))``) and say why in the commit.
    """
    import json

    expected = json.loads(EXPECTED_VALUES.read_text("utf-8"))[name]
    got = {t.name: t.value for t in compute_traits(seed_view(name))}
    assert set(got) == set(expected), "trait set changed: regenerate the stored values"
    moved = {k: (expected[k], got[k]) for k in expected if not math.isclose(got[k], expected[k], rel_tol=1e-6, abs_tol=1e-9)}
    assert not moved, f"trait values moved: {moved}"


# --- rare characters that send the fast paths to their exact fallbacks ------------------------------


def test_private_use_marks_and_length_changing_case_in_a_page_give_the_same_promo_traits() -> None:
    """The DOM summary separates lines with private-use characters and folds ASCII runs on a fast path; a page
    that itself contains those characters, or a letter whose lower case is longer (İ), takes the exact
    per-line path and must see the same promo footer and share widget."""
    footer = ("<p>To join the group \"AOL\" just click: Join Group and your request will be approved "
              "immediately.</p><div class='sharedaddy'><h3>Spread the love</h3><a href='https://facebook.com/"
              "sharer.php?u=x'>Facebook</a></div>")
    plain = traits_of(html_view(f"<p>The council met on Monday to vote on the budget.</p>{footer}"))
    odd = traits_of(html_view(
        f"<p class='İnfo'>The council met on Monday \ue002 to vote \ue005 on the \ue007 budget. İstanbul.</p>{footer}"))
    for name in ("promo_cta_lines", "join_group_prompt", "share_widget_labels", "share_links"):
        assert odd[name][0] == plain[name][0] > 0, name
    assert all(math.isfinite(v) for v, _ in odd.values())


def test_serbian_phrasings_are_found_in_cyrillic_too() -> None:
    """Most Serbian outlets publish in Cyrillic: a verbatim farm copy in Cyrillic scored 0.12 with no reason,
    its Latin transliteration 0.98."""
    view = html_view("<article><p>Текст вести о врућини у Београду и Новом Саду данас.</p>"
                     "<p>Придружите се нашој групи на Вајберу и први сазнајте вести.</p>"
                     "<p>Извор: Блиц</p></article>")
    traits = traits_of(view)
    assert traits["join_group_prompt"][0] == 1 and traits["source_lines"] == (1.0, "Извор: Блиц")
    assert traits["credits_other_source"] == (1.0, "Блиц")
    wire = traits_of(html_view("<article><p>Текст вести о врућини у Београду данас.</p><p>Извор: Танјуг</p></article>"))
    assert wire["source_lines"][0] == 0 and wire["credits_other_source"][0] == 0


def test_a_source_word_inside_a_headline_is_no_credit_line() -> None:
    """'Olio, prezzi record alla fonte: cosa succede' (a related headline) credited 'cosa succede'."""
    inside = traits_of(html_view("<article><p>Some unrelated opening sentence of the story.</p></article>"
                                 "<aside><p>Olio, prezzi record alla fonte: cosa succede</p></aside>"))
    assert inside["source_lines"][0] == 0 and inside["credits_other_source"][0] == 0
    after_separator = traits_of(html_view("<article><p>Some unrelated opening sentence of the story.</p>"
                                          "<p>Desk · 13 March · Source: The Riverton Gazette</p></article>"))
    assert after_separator["source_lines"][0] == 1


def test_a_question_headline_is_no_clickbait_but_an_exclamation_is() -> None:
    from features.boilerplate import clickbait_signals

    assert clickbait_signals("What changes for renters in Tirana from next month?") == []
    assert clickbait_signals("Renters in Tirana will pay more from next month!") == ["ends with !"]


def test_a_phrase_file_asking_for_a_script_its_language_lacks_is_refused_by_name(tmp_path) -> None:
    from features.phrases import load_phrasebook, serbian_cyrillic

    assert serbian_cyrillic("pridružite se ... grupi za {n} dana") == "придружите се ... групи за {n} дана"
    assert serbian_cyrillic("obaveštenja na viber") == "обавештења на вибер"
    (tmp_path / "de.toml").write_text('language = "de"\nscripts = ["cyrillic"]\n[phrases]\npromo_cta = ["klick"]\n')
    with pytest.raises(ValueError, match="de.toml: no transliteration to 'cyrillic'"):
        load_phrasebook(tmp_path)


@pytest.mark.parametrize("credit", [
    "Fuente de la información @BalkanWeb: Leer más en: <a href='https://news.example.org/'>www.news.example.org</a>",
    "Izvor informacije @BalkanWeb: Pročitajte više na: <a href='https://news.example.org/'>news.example.org</a>",
])
def test_a_handle_on_a_read_more_line_to_the_pages_own_site_is_a_credit(credit: str) -> None:
    """botasot's line in other wordings: its "read more" links the page's own site, but the @handle names the
    source, so the line is a source pointer crediting BalkanWeb (not a newsroom's link to its own story)."""
    traits = traits_of(html_view(f"<p>{'Tekst i vijesti o budžetu. ' * 30}</p><p>{credit}</p>"))
    assert traits["read_more_lines"][0] == 1
    assert traits["credits_other_source"] == (1.0, "BalkanWeb")
    assert traits["credit_points_to_own_site"][0] == 1


@pytest.mark.parametrize("box, expected", [
    ("<div class='src'>(India Post)</div>", (1.0, "(India Post)")),
    ("<div class='src'>Via hpd.de</div>", (1.0, "(hpd.de)")),
    ("<div class='src'>(VIDEO)</div>", (0.0, None)),
    ("<div class='src'>(Photo: Reuters)</div>", (0.0, None)),
    ("<div class='src'>Via Roma 12, Milano</div>", (0.0, None)),
    ("<div class='src'>via engadget</div>", (1.0, "(engadget)")),
    ("<div class='src'>Via email</div>", (0.0, None)),
    ("<div class='src'>Avec Gizmodo</div>", (1.0, "(Gizmodo)")),
    ("<div class='src'>Preluare Space.com</div>", (1.0, "(Space.com)")),
])
def test_a_credit_in_its_own_box_under_the_text_is_read_where_it_stands(box: str, expected: tuple) -> None:
    """Extraction leaves a credit printed in its own box under the article out of the main text; the line
    right after the article's last paragraph is read for it. Template words and labels credit no one."""
    story = [f"The council approved the budget for {n} schools after a long debate on Tuesday night." for n in
             range(5)]
    body = "".join(f"<p>{p}</p>" for p in story) + box + "<footer><p>About us</p></footer>"
    view = html_view(body, text="\n\n".join(story))
    assert traits_of(view)["agency_tag_at_end"] == expected


@pytest.mark.parametrize("opening", ["Via macrumors.com", "(SlashGear)", "Preluare Adevărul"])
def test_a_credit_line_opening_the_text_is_read(opening: str) -> None:
    """A farm may print its credit as the article's first paragraph ("Via macrumors.com"); that credits the source
    as one closing the text does (the training set's farms had it there one time in five, unread)."""
    story = [opening] + [f"The council approved the budget for {n} schools after a long debate on Tuesday night."
                         for n in range(5)]
    view = html_view("".join(f"<p>{p}</p>" for p in story), text="\n\n".join(story))
    assert traits_of(view)["agency_tag_at_end"][0] == 1.0


def test_a_sponsored_feed_is_an_ad_not_related_posts_nor_the_sites_clickbait() -> None:
    """Probe 25: a rendered Taboola block ("Sponsored Content", class ``trc_related_container``, links to an ad
    network) made two newsroom pages read as farms with 'similar posts' and 'clickbait links'."""
    feed = "".join(f"<a class='trc_item' href='https://promo.adnet.example/c?id={i}' rel='sponsored nofollow'>"
                   f"<span>{t}</span></a>" for i, t in enumerate(
                       ["Surgeons in Texas stunned by this shocking knee treatment",
                        "You won't believe what these SUV dealers don't advertise",
                        "Doctors are shocked: this one trick melts fat overnight"]))
    own = "".join(f"<li><a href='/2024/10/story-{i}'>{t}</a></li>" for i, t in enumerate(
        ["Council approves budget after late-night session", "Rail strike: what changes for commuters"]))
    body = (f"<p>{'The council approved the budget on Tuesday. ' * 20}</p><section class='related-articles'>"
            f"<h3>Related stories</h3><ul>{own}</ul></section><div id='taboola-below-article-thumbnails' "
            f"class='trc_related_container'><div class='trc_header'>Sponsored Content</div>{feed}</div>")
    traits = traits_of(html_view(body))
    assert traits["clickbait_link_share"][0] == 0.0
    assert traits["related_clickbait_share"][0] == 0.0
    assert traits["related_blocks"][0] == 1.0


@pytest.mark.parametrize("tag", ["(Symbolbild)", "(Getty Images)", "(Foto: dpa)", "(Ledger file photo)",
                                 "(AP Photo/Jane Roe)", "Email thread (PDF)"])
def test_an_images_label_or_photo_credit_closing_the_text_credits_no_source(tag: str) -> None:
    story = [f"Die Polizei sperrte die Straße am Montag für {n} Stunden wegen eines Unfalls." for n in range(5)]
    view = html_view("".join(f"<p>{p}</p>" for p in story) + f"<p>{tag}</p>", text="\n\n".join([*story, tag]))
    traits = traits_of(view)
    assert traits["agency_tag_at_end"] == (0.0, None) and traits["credits_other_source"][0] == 0.0


@pytest.mark.parametrize("tag, other", [
    ("(FR mit dpa)", None), ("(red/AFP)", None), ("(Staff and Reuters)", None), ("(Kurier mit dpa)", "Kurier mit dpa"),
])
def test_the_own_newsroom_with_an_agency_credits_no_other_outlet(tag: str, other: str | None) -> None:
    """A real fr.de story closing "(FR mit dpa)" read as crediting another source (0.69 out of fold): its own
    newsroom with wire material. Another paper named beside the agency still counts."""
    story = [f"Die Polizei sperrte die Straße am Montag für {n} Stunden wegen eines Unfalls." for n in range(5)]
    story[-1] += f" {tag}"
    view = html_view("".join(f"<p>{p}</p>" for p in story), url="https://www.fr.de/politik/a-1.html")
    assert traits_of(view)["credits_other_source"] == ((1.0, other) if other else (0.0, None))


@pytest.mark.parametrize("byline, signed", [
    ("<b>By Gordon Pyle</b><br><i>Ledger Staff Writer</i>", True),
    ("<p>By Hannah Groves, Health Reporter</p>", True),
    ("<div>Piše: Marko Marić</div>", True),
    ("<p>By the end of the week the council had voted.</p>", False),
    ("<p>by admin</p>", False),
])
def test_a_byline_line_without_markup_signs_the_article(byline: str, signed: bool) -> None:
    """Probe 53: a 2000s table-layout paper's ``<b>By Gordon Pyle</b>`` inside ``<font>`` read as unsigned."""
    story = "".join(f"<p>The council approved the budget for {n} schools on Tuesday night.</p>" for n in range(4))
    view = html_view(f"<table><tr><td><font><h1>Budget</h1>{byline}</font></td></tr></table>{story}")
    assert traits_of(view)["missing_author"][0] == (0.0 if signed else 1.0)


@pytest.mark.parametrize("title, bait", [
    ("A Paris-8, un peu de tension – 😱", True),
    ("Zagreb: počinje obnova tramvajske pruge 👇👇", True),
    ("VIDEO: the flood in Doboj", False),
    ("Council approves the budget after a late-night session", False),
])
def test_an_emoji_dressing_a_headline_is_bait(title: str, bait: bool) -> None:
    """Probe 25: farm titles ending in an emoji went unread; newsrooms do not dress headlines so."""
    from features.boilerplate import clickbait_signals

    assert bool(clickbait_signals(title)) is bait


def test_a_credit_line_hidden_from_readers_credits_no_one() -> None:
    """Probe 27: "Source: cityam.com" inside ``display:none`` made a copy credited; hidden text is no page text."""
    from features.attribution import credited_names

    story = "".join(f"<p>The council approved the budget for {n} schools on Tuesday night.</p>" for n in range(5))
    hidden = html_view(story + "<p style='display: none'>Source: cityam.com</p>")
    shown = html_view(story + "<p>Source: cityam.com</p>")
    assert credited_names(hidden) == () and credited_names(shown) == ("cityam",)


@pytest.mark.parametrize("credit", [
    "This article was originally published by <a href='https://source.example/a'>The Northfield Courier</a>, a "
    "nonprofit newsroom, and is republished here under a Creative Commons license.",
    "Published in partnership with the <a href='https://source.example/a'>Northfield Courier</a>.",
    "Artículo publicado originalmente por <a href='https://source.example/a'>Diario Austral</a>.",
    "Este conteúdo foi publicado originalmente pelo <a href='https://source.example/a'>Jornal do Planalto</a>.",
    "Cet article a été initialement publié par <a href='https://source.example/a'>Le Courrier</a>.",
    "Tekst je prvotno objavljen na portalu <a href='https://source.example/a'>Jadranski vjesnik</a>.",
])
def test_a_partners_credit_in_other_wordings_is_a_syndication_credit(credit: str) -> None:
    """An outside probe's partner reprints (credit line and link, no canonical) read suspicious once their
    source was indexed: these wordings were no syndication credit."""
    traits = traits_of(html_view(f"<article><p>Some unrelated opening sentence of the story.</p><p>{credit}</p>"
                                 "</article>"))
    assert traits["syndication_credit"][0] == 1, credit


@pytest.mark.parametrize("line", [
    "First published on November 19, 2019 / 8:16 AM",
    "Objavljeno prvobitno objavljeno 14.03.2025.",
    "It first appeared in 2014, when families fleeing the fighting settled at the border crossing.",
    "Cases of the virus first appeared in West Michigan at the end of August, and the county health department "
    "has since reported cases in Barry, Berrien, Calhoun, Cass and Kalamazoo counties, with more expected as "
    "mosquito season goes on, officials said on Tuesday after a meeting with the state.",
])
def test_a_date_stamp_or_a_storys_history_is_no_syndication_credit(line: str) -> None:
    """Real pages of the corpora carried CBS's "First published on <date>" stamp and a body sentence saying when
    a camp or an outbreak "first appeared in": each read as a licensed reprint's credit, and farm copies of them
    took the credit's push towards clean (0.39 with a join-group footer and four ad slots)."""
    story = "".join(f"<p>The council approved the budget for {n} schools on Tuesday night.</p>" for n in range(4))
    traits = traits_of(html_view(f"<article>{story}<p>{line}</p></article>"))
    assert traits["syndication_credit"] == (0.0, None), line


@pytest.mark.parametrize("credit", [
    "This article originally appeared on 9to5Mac.",
    "Acest articol a apărut inițial pe NBC 5 Dallas-Fort Worth.",
    "Long before the vote, the council had argued for months about the cost of the new schools, the bus routes, "
    "the teachers it would need and the land it would buy. This story was first published in the Northfield "
    "Courier, a nonprofit newsroom, and is republished here with permission.",
])
def test_a_credit_naming_a_source_with_digits_or_in_a_paragraph_still_counts(credit: str) -> None:
    """The date test reads only a day or a year after the wording, not a name holding digits; in a paragraph a
    credit after a short subject ("This story was") still counts."""
    story = "".join(f"<p>The council approved the budget for {n} schools on Tuesday night.</p>" for n in range(4))
    traits = traits_of(html_view(f"<article>{story}<p>{credit}</p></article>"))
    assert traits["syndication_credit"][0] == 1, credit


def test_evidence_quotes_the_phrase_a_long_line_holds_not_the_lines_start() -> None:
    """A probe's share-widget reason quoted "Of course, you should always talk to your doctor before mak…": the
    phrase was the paragraph's last sentence, past what a reason shows."""
    long = ("Of course, you should always talk to your doctor before making changes to your diet. But with so many "
            "happy readers, it might be worth a try. Share this with a friend who needs to hear it!")
    value, evidence = traits_of(html_view(f"<article><p>{long}</p></article>"))["share_widget_labels"]
    assert value == 1 and evidence is not None and evidence.startswith("…")
    assert "Share this with a friend" in evidence[:60] and evidence[1:] in long
    short = traits_of(html_view("<div><p>Spread the love Facebook Twitter</p></div>"))["share_widget_labels"]
    assert short == (1.0, "Spread the love Facebook Twitter")


@pytest.mark.parametrize("line, promo", [
    ("Hier klicken, um die Antwort abzubrechen.", False),  # a WordPress comment form
    ("We use cookies to improve our site. Click here for more information.", False),
    ("Click here to sign in with your account", False),
    ("Click here to join our group and get the news first", True),
    ("Kliko këtu dhe bashkohu me grupin tonë", True),
])
def test_a_site_utility_line_is_no_promo(line: str, promo: bool) -> None:
    """A real page in seven had a promo call to action that was the site's own utility: a comment form's 'click
    here to cancel reply', a sign-in link, a cookie notice."""
    html = f"<html><body><article><p>{_JAM}</p><p>{_JAM}</p></article><p>{line}</p></body></html>"
    article = Article(url="https://jam.example/x", domain="jam.example", title="Jam", text=f"{_JAM}\n\n{_JAM}",
                      paragraphs=(_JAM, _JAM))
    value, evidence = traits_of(PageView(article, lxml.html.fromstring(html)))["promo_cta_lines"]
    assert (value > 0) is promo and (evidence == line if promo else evidence is None)


def test_an_ellipsis_in_a_phrase_file_is_a_gap() -> None:
    """Phrase files write a gap as "..." or "…"; folding made "…" a plain "." to be matched, so a phrasing such
    as "continue a ler … em" never matched (an outside probe's "Continue a ler em folhadoplanalto.pt")."""
    from features.phrases import GAP

    book = load_phrasebook()
    written = [p for p in book.phrases if "…" in p.text]
    assert written and all(GAP in p.tokens and "." not in p.tokens for p in written)
    found = book.find(tokenize(fold("Continue a ler a notícia completa em folhadoplanalto.pt")))
    assert [(h.category, h.phrase) for h in found] == [("read_more", "continue a ler … em")]


@pytest.mark.parametrize("slug, lines, expected", [
    # a short slug plus one word is no repeat of it (a keyword page's subheadings, probe 47)...
    ("significado-sonar-serpientes-negras", ["Significado de soñar serpientes negras",
                                             "Soñar serpientes negras: el significado"], 0),
    # ...the slug pasted whole still is
    ("significado-sonar-serpientes-negras", ["significado sonar serpientes negras"], 1),
])
def test_a_short_slug_must_be_repeated_whole(slug: str, lines: list[str], expected: int) -> None:
    title = "Soñar con serpientes: significado y todo lo que debes saber"
    paragraphs = (*lines, _JAM, _JAM.replace("year", "month"))
    article = Article(url=f"https://suenos.example/{slug}/", domain="suenos.example", title=title,
                      text="\n\n".join(paragraphs), paragraphs=paragraphs)
    assert traits_of(PageView(article, None))["title_repeated"][0] == expected


@pytest.mark.parametrize("second, expected", [
    ("<h2>{t}</h2>", 1),  # the headline again as the body's first heading (probe 47)
    ("<aside><h3>{t}</h3></aside>", 0),  # a sidebar's teaser of the same story is the site's, not a paste
    ("", 0),
])
def test_a_headline_shown_as_two_headings_is_a_repeat(second: str, expected: int) -> None:
    title = "Contractul de salubrizare din Cluj-Napoca, atacat în instanță de firma care a pierdut licitația"
    html = (f"<html><head><title>{title}</title></head><body><h1 class='entry-title'>{title}</h1>"
            f"<div class='entry-content'>{second.format(t=title)}<p>{_JAM}</p><p>{_JAM}</p></div></body></html>")
    paragraphs = (title, _JAM, _JAM.replace("year", "month"))
    article = Article(url="https://stiri.example/contractul-de-salubrizare/", domain="stiri.example", title=title,
                      text="\n\n".join(paragraphs), paragraphs=paragraphs)
    assert traits_of(PageView(article, lxml.html.fromstring(html)))["title_repeated"][0] == expected


@pytest.mark.parametrize("byline, missing", [
    ('<div class="amp-wp-meta amp-wp-byline"></div>', 1),  # an empty byline box names no author (probe 47)
    ('<div class="amp-wp-meta amp-wp-byline">Ana Ruiz</div>', 0),
])
def test_an_empty_byline_box_is_no_author(byline: str, missing: int) -> None:
    html = f"<html><head><title>T</title></head><body><article>{byline}<p>{_JAM}</p></article></body></html>"
    article = Article(url="https://amp.example/a", domain="amp.example", title="T", text=_JAM, paragraphs=(_JAM,))
    assert traits_of(PageView(article, lxml.html.fromstring(html)))["missing_author"][0] == missing


def test_a_kicker_reading_part_of_the_title_is_not_the_headline() -> None:
    """Probe 48: a court notice's kicker "Citație prin publicitate" (one part of its title) was taken for the kept
    headline, and the headline itself, the whole title, for a repeat of it. A pasted copy still counts."""
    title = "Citație prin publicitate – Dosar nr. 4817/271/2025"
    body = "Judecătoria Oradea citează pe pârâtul Popescu Ionel-Dan să se prezinte la această instanță la termen."
    for lines, expected in ((["Citație prin publicitate", title, body], 0),
                            (["Citație prin publicitate", title, title.lower(), body], 1)):
        article = Article(url="https://portal.example/citatie-4817", domain="portal.example", title=title,
                          text="\n\n".join(lines), paragraphs=tuple(lines))
        assert traits_of(PageView(article, None))["title_repeated"][0] == expected, lines


def test_a_class_naming_what_a_wrapper_holds_marks_no_slot_nor_widget() -> None:
    """Probe 50: a WordPress theme's ``<body class="... has-header-ad ... has-mobile-share">`` made the whole page
    an ad slot (quoted as the body's class list) and a share block. ``has-``/``no-``/``with-`` classes name
    what an element holds or lacks; the header ad and the share bar inside are still read, each once."""
    story = "".join(f"<p>The council approved the budget for {n} schools on Tuesday night.</p>" for n in range(6))
    body = ("<div class='site post-template-default has-header-ad has-mobile-share no-sidebar with-ads'>"
            "<div class='header-ad'><ins class='adsbygoogle'></ins></div>"
            f"<article>{story}</article>"
            "<div class='share-bar'><a href='https://www.facebook.com/sharer/sharer.php?u=x'>Facebook</a></div></div>")
    traits = traits_of(html_view(body))
    assert traits["ad_slots"] == (1.0, "header-ad")
    assert traits["share_widget_markup"][0] == 1.0
    bare = traits_of(html_view(f"<div class='has-header-ad has-mobile-share'><article>{story}</article></div>"))
    assert bare["ad_slots"][0] == 0.0 and bare["share_widget_markup"][0] == 0.0


def test_a_bait_phrase_several_languages_hold_is_one_marker() -> None:
    """Probe 50: "horoskop" is in the German, Polish and Serbian lists, and a horoscope title read as three
    markers ("horoskop, horoskop, horoskop"), its ``title_clickbait`` 3 where one bait phrase is 1."""
    from features.boilerplate import clickbait_signals

    assert clickbait_signals("Dnevni horoskop za utorak: jedan znak očekuje veliki novac") == ["horoskop"]
    assert clickbait_signals("Horoskop: die Sterne sagen dir heute alles") == ["horoskop"]


def test_a_share_plugins_script_is_quoted_by_its_file_name() -> None:
    """Probe 50: an AMP page's share reason quoted "https://cdn.ampproject.org/v0/amp-social-share-0.1.js"."""
    view = html_view("<script async custom-element='amp-social-share' "
                     "src='https://cdn.ampproject.org/v0/amp-social-share-0.1.js?f=sxg'></script>"
                     "<p>The council approved the budget on Tuesday night after a long debate.</p>")
    assert traits_of(view)["share_widget_markup"] == (1.0, "amp-social-share-0.1.js")


@pytest.mark.parametrize("markup", [
    "<script type='application/ld+json'>{\"@context\": \"https://schema.org\", \"@type\": \"Recipe\", \"name\": \"Cornbread\"}</script>",
    "<script type='application/ld+json'>{\"@type\": \"LiveBlogPosting\", \"headline\": \"Election night\"}</script>",
    "<div itemscope itemtype='https://schema.org/Recipe'><span itemprop='name'>Cornbread</span></div>",
])
def test_a_recipe_or_a_live_blog_described_in_structured_data_carries_it(markup: str) -> None:
    """Probe 54: a recipe page with Recipe structured data read as carrying none ("missing structured data")."""
    story = "".join(f"<p>Mix the flour with the milk and bake it for {n} minutes until golden.</p>" for n in range(4))
    assert traits_of(html_view(markup + story))["missing_structured_data"][0] == 0.0
    assert traits_of(html_view(story))["missing_structured_data"][0] == 1.0


def test_gpt_slots_named_by_the_script_and_ad_words_of_other_languages_are_ad_slots() -> None:
    """Probe 55: 15 pages whose Google Publisher Tag slots had ids of their own ("as-0", named in
    ``googletag.defineSlot(..., "as-0")`` and ``googletag.display("as-0")``) or wrappers named in the site's
    language ("np-oglas", "gn-reklama", "hv-publi") counted no ad slot; a horoscope farm's six among them. A
    "pub-date" is a publication date, and an id the script names that no element has is no slot."""
    story = "".join(f"<p>The council approved the budget for {n} schools on Tuesday night.</p>" for n in range(4))
    gpt = ("<script>googletag.cmd.push(function(){googletag.defineSlot('/2167/site/story',[[300,250],[336,280]],"
           "'as-0').addService(googletag.pubads());});</script><div id='as-0'></div>"
           "<div id='as-1'><script>googletag.cmd.push(function(){googletag.display('as-1');});</script></div>"
           "<script>googletag.display('missing-slot');</script>")
    local = "<div class='np-oglas'>Oglas</div><div class='gn-reklama'></div><div class='hv-publi'></div>"
    plain = "<div class='pub-date'>12.03.2025.</div><div class='reklamacije'>Reklamacije</div>"
    assert traits_of(html_view(f"<article>{story}</article>{gpt}"))["ad_slots"][0] == 2
    assert traits_of(html_view(f"<article>{story}</article>{local}"))["ad_slots"][0] == 3
    assert traits_of(html_view(f"<article>{story}</article>{plain}"))["ad_slots"][0] == 0


def test_a_source_legend_under_a_data_table_is_no_credit() -> None:
    """Probes 54 and 55: a league table's "Izvor:" legend and a forecast table's "Quelle: Messstation ..." read
    as a copy's source line (0.70 and 0.54, suspicious); a source line after the story's last paragraph stays
    one."""
    story = "".join(f"<p>The council approved the budget for {n} schools on Tuesday night.</p>" for n in range(4))
    table = "<table><tr><th>Klub</th><th>Bod</th></tr><tr><td>Jadran</td><td>50</td></tr></table>"
    legend = traits_of(html_view(f"<article>{story}{table}<p>Izvor: Regionalni nogometni savez</p></article>"))
    wrapped = traits_of(html_view(f"<article>{story}<div class='tbl'>{table}</div><p>Quelle: Messstation Nord</p>"
                                  "</article>"))
    credit = traits_of(html_view(f"<article>{story}<p>Izvor: Regionalni nogometni savez</p></article>"))
    assert legend["source_lines"][0] == 0 and wrapped["source_lines"][0] == 0
    assert credit["source_lines"][0] == 1


@pytest.mark.parametrize("opening, closing", [
    ("JAÉN, 4 Nov. (AIN) - El precio del aceite de oliva en origen cayó un 40 % en un año.", "Así lo prevé el sector. (AIN)"),
    ("HUELVA, 3 Nov. (ALN) - Las lluvias siguen por debajo de lo normal en la provincia.",
     "Fuente: Agencia Litoral de Noticias (ALN)"),
])
def test_an_unlisted_agencys_tag_in_its_dateline_or_initials_is_a_wire_credit(opening: str, closing: str) -> None:
    """A regional agency on no list credited as wire copy is: its tag in the dateline and closing the text, or its
    full name and initials in the credit line. That is no other outlet's story (two outside probes' pickups read as
    crediting one without a link, suspicious); the same tag closing a text with no such dateline still credits one."""
    headline = ["Economía", "El precio del aceite cae", "La cosecha récord empuja los precios", "AIN", "Jaén"]
    story = [opening] + [f"Las cooperativas de la provincia calculan {n} escenarios para la campaña de este año."
                         for n in range(4)] + [closing]
    view = html_view("".join(f"<p>{p}</p>" for p in [*headline, *story]), text="\n\n".join([*headline, *story]))
    traits = traits_of(view)
    assert traits["credits_other_source"] == (0.0, None) and traits["credit_without_link"] == (0.0, None)
    assert traits["agency_tag_at_end"] == (0.0, None)
    undated = [f"Las cooperativas de la provincia calculan {n} escenarios para la campaña de este año."
               for n in range(5)] + ["Así lo prevé el sector. (AIN)"]
    traits = traits_of(html_view("".join(f"<p>{p}</p>" for p in undated), text="\n\n".join(undated)))
    assert traits["agency_tag_at_end"] == (1.0, "(AIN)") and traits["credits_other_source"][0] == 1.0


@pytest.mark.parametrize("line, public", [
    ("Source: Harmon County Clerk’s Office", True), ("Quelle: Polizeipräsidium Falkenau", True),
    ("Izvor: MUP Srbije", True), ("Fuente: Ayuntamiento de Úbeda", True), ("Burimi: Policia e Shtetit", True),
    ("Source: Harmon County Gazette", False), ("Izvor: Novosti Podunavlja", False),
])
def test_a_source_line_naming_a_public_body_credits_no_outlet(line: str, public: bool) -> None:
    """A statement or record of an authority is published to be reported: a newsroom's "Source: ... Office" under
    a live-blog entry is no copy of another outlet's story (an outside probe's live blog read as suspicious)."""
    story = [f"Turnout in precinct {n} was on pace to beat the last election, the clerk said on Tuesday night."
             for n in range(5)]
    view = html_view("".join(f"<p>{p}</p>" for p in [*story, line]), text="\n\n".join([*story, line]))
    traits = traits_of(view)
    assert (traits["credits_other_source"][0] == 0.0) is public
    assert (traits["source_lines"][0] == 0.0) is public


def test_amp_ads_shares_and_runtime_are_read_from_amps_own_elements() -> None:
    """An AMP page's ads are ``amp-ad`` elements, its share bar ``amp-social-share`` buttons, its runtime scripts
    the format's own (probe 57: every AMP farm counted no ad, and every AMP page's share evidence was a script's file
    name)."""
    runtime = "".join(f'<script async custom-element="{c}" src="https://cdn.ampproject.org/v0/{c}-0.1.js"></script>'
                      for c in ("amp-ad", "amp-social-share", "amp-analytics"))
    story = "".join(f"<p>The harbour board met for the {n}th time this year to discuss the new ferry timetable.</p>"
                    for n in range(6))
    body = (f'<script async src="https://cdn.ampproject.org/v0.js"></script>{runtime}{story}'
            '<amp-ad width="300" height="250" type="doubleclick" data-slot="/123/amp_news"></amp-ad>'
            '<amp-ad width="300" height="250" type="adsense" data-ad-client="ca-pub-1"></amp-ad>'
            '<amp-social-share type="facebook"></amp-social-share><amp-social-share type="whatsapp"></amp-social-share>'
            '<amp-analytics type="gtag"></amp-analytics>')
    traits = traits_of(html_view(body))
    assert traits["ad_slots"][0] == 2.0 and "amp-ad type=doubleclick" in traits["ad_slots"][1]
    assert traits["ad_networks"] == (2.0, "gpt, adsense")
    assert traits["share_widget_markup"][1] == "amp-social-share: facebook, whatsapp"
    assert traits["third_party_scripts"] == (0.0, None)
    assert "amp_analytics" in traits["tracker_scripts"][1]


def test_an_outlets_reporter_reporting_credits_the_outlet() -> None:
    """"Lakeshore Public Radio's Colm Ferris reports that ..." credits the radio, which the digest links, not the
    reporter as an outlet without a link (probe 57's newsletter digest)."""
    lines = ["Lakeshore Public Radio’s Colm Ferris reports that the state board has put the bridge back on its plan.",
             *[f"The county approved {n} new bus routes after a long debate on Tuesday night." for n in range(4)]]
    body = ("".join(f"<p>{p}</p>" for p in lines)
            + '<p><a href="https://lakeshorepublicradio.example/bridge">Lakeshore Public Radio</a></p>')
    traits = traits_of(html_view(body, text="\n\n".join(lines)))
    assert traits["reports_that_credits"][0] == 1.0
    assert traits["credits_other_source"] == (1.0, "Lakeshore Public Radio")
    assert traits["credit_without_link"] == (0.0, None)
