"""Whether a page is signed by a person (``detector.person_byline``): the date doubt trusts a signed original."""

from __future__ import annotations

import pytest

from detector.person_byline import signed_by_person
from detector.records import Article


def _signed(author: str | None, domain: str = "paper.example", sitename: str | None = None) -> bool:
    return signed_by_person(Article(url=f"https://{domain}/a", domain=domain, title="T", text="Text.", author=author,
                                    sitename=sitename))


@pytest.mark.parametrize(("author", "expected"), [
    ("Evelyn Tremblay", True), ("By Katarzyna Woźniak", True), ("Mark Jensen and Ana Li", True),
    ("Jean-Luc de la Tour", True), ("منى الحارثي", True), ("Lejla Hadžiomerović", True),
    ("Admin", False), ("Staff", False), ("News Desk", False), ("Rail Desk", False), ("EPD Editors", False),
    ("La rédaction", False), ("Redacción Judicial", False), ("Equipe ANB", False), ("Haber Merkezi", False),
    ("Agencia Austral de Noticias", False), ("AFP", False), ("Tanjug", False), ("admin", False), (None, False),
    ("Posted by admin on March 12, 2025", False), ("Tech Digest Daily", False),
])
def test_a_byline_names_a_person_or_not(author: str | None, expected: bool) -> None:
    assert _signed(author) is expected


def test_the_site_signing_its_own_story_is_no_person() -> None:
    """Farms sign with their own name ("Terrace Talk", "Metro Coast" on metrocoastnews.com)."""
    assert not _signed("Terrace Talk", "terracetalk.com")
    assert not _signed("Metro Coast", "metrocoastnews.com")
    assert not _signed("Emerald Buzz", "emeraldbuzz.ie", "Emerald Buzz")
    assert _signed("Maren Tolliver", "metrocoastnews.com")
