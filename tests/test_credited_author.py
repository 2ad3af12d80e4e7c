"""A page's structured-data author when trafilatura reads none (``detector.credited_author``): how wire and
partner pickups credit the agency (probe 56: six pickups read as uncredited copies for want of it)."""

from __future__ import annotations

import lxml.html
import pytest

from detector.credited_author import structured_author


def _page(jsonld: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(f"<html><head><script type='application/ld+json'>{jsonld}</script></head>"
                                "<body><p>Text.</p></body></html>")


@pytest.mark.parametrize("jsonld, expected", [
    ('{"@type": "NewsArticle", "author": {"@type": "Organization", "name": "Agencia Austral de Noticias"}}',
     "Agencia Austral de Noticias"),
    ('{"@type": "NewsArticle", "author": {"@type": "Organization", "name": "zna"}}', "zna"),
    ('{"@graph": [{"@type": "NewsArticle", "author": [{"@type": "Person", "name": [{"@type": "Person", '
     '"name": "Staff and agencies"}]}]}]}', "Staff and agencies"),
    ('{"@type": "NewsArticle", "author": {"@type": "Organization", "name": "La Voz de San Evaristo"}}', None),
    ('{"@type": "NewsArticle", "author": {"@type": "Organization", "name": "lavozsanevaristo"}}', None),
    # the site's own name spelled with or without its accents is still the site
    ('{"@type": "NewsArticle", "author": {"@type": "Organization", "name": "La Voz de Sán Evaristo"}}', None),
    ('{"@type": "NewsArticle", "author": ', None),  # broken JSON: nothing, no error
    ('{"@type": "NewsArticle", "publisher": {"@type": "Organization", "name": "Agencia X"}}', None),
])
def test_the_structured_author_names_a_body_other_than_the_site(jsonld: str, expected: str | None) -> None:
    assert structured_author(_page(jsonld), "La Voz de San Evaristo", "lavozsanevaristo.example") == expected


def test_extraction_takes_the_structured_author_only_when_trafilatura_reads_none() -> None:
    from detector.extract import extract
    from detector.records import Page

    story = "".join(f"<p>Los estibadores del puerto iniciaron la huelga número {n} de la temporada esta mañana "
                    f"en protesta por los turnos nocturnos que la empresa quiere ampliar.</p>" for n in range(6))
    org = ('<script type="application/ld+json">{"@type": "NewsArticle", "author": {"@type": "Organization", '
           '"name": "Agencia Austral de Noticias"}}</script>')
    person = ('<script type="application/ld+json">{"@type": "NewsArticle", "author": {"@type": "Person", '
              '"name": "Ana Costa"}}</script>')

    def author_of(head: str) -> str | None:
        html = f"<html><head><title>Huelga</title>{head}</head><body><article>{story}</article></body></html>"
        page = Page(url="https://lavozsanevaristo.example/huelga", final_url="https://lavozsanevaristo.example/huelga",
                    html=html.encode(), charset="utf-8")
        return extract(page).article.author

    assert author_of(org) == "Agencia Austral de Noticias"
    assert author_of(person) == "Ana Costa"


@pytest.mark.parametrize("byline, expected", [
    ("Ana Robles · Diario del Altiplano Sur", "Ana Robles, Diario del Altiplano Sur"),
    ("Por Ana Robles | Diario del Altiplano Sur", "Ana Robles, Diario del Altiplano Sur"),
    ("Ana Robles for the Valley Herald", "Ana Robles, the Valley Herald"),
    ("Ana Robles", "Ana Robles"),
    ("Ana Robles · 4 de noviembre de 2025", "Ana Robles"),  # a date is no outlet
    ("Ana Robles writes about energy, water and the coast for us", "Ana Robles"),  # a bio, not a byline
])
def test_the_shown_byline_adds_the_outlet_the_metadata_leaves_out(byline: str, expected: str) -> None:
    """A partner reprint's metadata names the writer alone; its visible byline names the outlet the story comes from
    ("Ana Robles · Diario del Altiplano Sur"), which is its credit (probe 57: read as an uncredited copy, 0.998)."""
    from detector.extract import extract
    from detector.records import Page

    story = "".join(f"<p>Los regantes del valle pidieron {n} veces más agua a la confederación esta semana, "
                    f"según fuentes del sector consultadas por este diario.</p>" for n in range(6))
    html = (f"<html><head><title>Agua</title><meta name='author' content='Ana Robles'></head><body><article>"
            f"<h1>Agua</h1><div class='story__author'>{byline}</div>{story}</article></body></html>")
    page = Page(url="https://heraldoserrano.example/agua", final_url="https://heraldoserrano.example/agua",
                html=html.encode(), charset="utf-8")
    assert extract(page).article.author == expected


def test_a_post_meta_line_with_its_date_is_a_shown_byline() -> None:
    """Probe 73: a sister paper credited only in its theme's meta line, "Nuria Soler | Crónica del Levante Sur
    <time>20/02/2025 15:29 h</time>", read as an uncredited copy (0.997): the line is no "author" element and the
    date followed the outlet."""
    import lxml.html as html

    from detector.credited_author import shown_byline

    meta = html.fromstring('<div><div class="entry-meta">Nuria Soler | Crónica del Levante Sur <time datetime='
                           '"2025-02-20T15:29:00+01:00">20/02/2025 15:29 h</time></div></div>')
    assert shown_byline(meta, "Nuria Soler") == "Nuria Soler, Crónica del Levante Sur"
    dated = html.fromstring('<div><div class="entry-meta">Nuria Soler <time>20/02/2025</time></div></div>')
    assert shown_byline(dated, "Nuria Soler") is None  # a date alone is no outlet


def test_the_shown_byline_is_read_around_markup_and_after_a_writers_link() -> None:
    """The name may be a link or follow an icon (a tail text), the byline mark may sit on a parent."""
    import lxml.html as html

    from detector.credited_author import shown_byline

    linked = html.fromstring("<div class='meta'><span class='byline'><a href='/autor/ana'>Ana O'Neill</a> · "
                             "Diario del Altiplano Sur</span></div>")
    tail = html.fromstring("<div itemprop='author'><i class='icon'></i>Ana O'Neill | Diario del Altiplano Sur</div>")
    bare = html.fromstring("<p>Ana O'Neill · Diario del Altiplano Sur</p>")  # no byline mark: a line of text
    assert shown_byline(linked, "Ana O'Neill") == "Ana O'Neill, Diario del Altiplano Sur"
    assert shown_byline(tail, "Ana O'Neill") == "Ana O'Neill, Diario del Altiplano Sur"
    assert shown_byline(bare, "Ana O'Neill") is None
