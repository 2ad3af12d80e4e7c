"""What probe 89 found (AI-era farms: chatbot rewrites of newsroom stories): a chatbot's reply, refusal or prompt
left in a farm's text went unread, and an explainer quoting a farm's "Quelle: Lokalpresse" as an example read as
crediting "Lokalpresse" without a link (suspicious, 0.84)."""

from __future__ import annotations

import pytest

from detector.extract import extract
from detector.sources import read_page_bytes
from features import PageView, compute_trait
from tests.test_wire_and_sources import _story


def _view(paragraphs: list[str], lang: str = "en") -> PageView:
    html = (f"<html lang='{lang}'><head><title>Port strike ballot</title></head><body><article><h1>Port strike "
            "ballot</h1>" + "".join(f"<p>{p}</p>" for p in paragraphs) + "</article></body></html>")
    done = extract(read_page_bytes(html.encode(), "t.html", "https://usadailyinsider.example/port", 10_000_000),
                   target="t.html")
    return PageView(done.article, done.dom, ())


@pytest.mark.parametrize("line, lang", [
    ("Certainly! Here is a rewritten version of the article in a unique, SEO-friendly style:", "en"),
    ("As an AI language model, I cannot browse the internet, but here is the story:", "en"),
    ("I hope this helps! Let me know if you need any changes.", "en"),
    ("Voici une version réécrite de l'article, optimisée pour le référencement :", "fr"),
    ("Sigurisht! Ja një version i rishkruar i artikullit:", "sq"),
    ("Als KI-Sprachmodell kann ich keine aktuellen Zahlen prüfen.", "de"),
])
def test_a_chatbots_line_left_in_a_pasted_text_is_read(line: str, lang: str) -> None:
    """Probe 89: 17 of 20 AI-rewritten farm copies read clean without an index; their leftover lines changed
    nothing (one read farmier without its line)."""
    body = _story(89, 4)
    trait = compute_trait(_view([line, *body], lang), "ai_chat_leftovers")
    assert trait.value == 1.0 and trait.evidence and line[:20] in trait.evidence


@pytest.mark.parametrize("sentence", [
    'One site\'s story opened with "Certainly! Here is a rewritten version of the article:" and closed with '
    '"I hope this helps!", the marks of a chatbot answer pasted whole.',
    "Die Texte beginnen oft mit „Als KI-Sprachmodell kann ich“ und enden mit Werbung.",
    "The giveaway is a line such as “As an AI language model, I cannot browse the internet” left in the text.",
])
def test_a_leftover_quoted_in_a_report_about_such_sites_is_not_one(sentence: str) -> None:
    """Probe 89: a newsroom's report on AI content farms quotes their leftover lines."""
    assert compute_trait(_view([*_story(891, 3), sentence]), "ai_chat_leftovers").value == 0.0


def test_a_source_line_quoted_as_an_example_credits_no_one() -> None:
    """Probe 89: 'Eine Quelle wird ... nur als "Quelle: Lokalpresse" ohne Link' read as the page's own source line."""
    quoted = 'Eine Quelle wird entweder gar nicht genannt oder nur als "Quelle: Lokalpresse" ohne Link.'
    view = _view([*_story(892, 3), quoted], "de")
    assert compute_trait(view, "source_lines").value == 0.0
    assert compute_trait(view, "credit_without_link").value == 0.0
    plain = _view([*_story(892, 3), "Quelle: Lokalpresse"], "de")
    assert compute_trait(plain, "source_lines").value == 1.0
