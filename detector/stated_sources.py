"""Where a page says its text came from, when that is not the page it was matched with.

Two cases keep a page from being taken for the copy of another page that holds the same text:

- it prints a press release (``prints_press_release``): a release is written to be run as it stands, so two
  outlets printing one share its text and neither copied the other;
- its credit line names a third site (``credited_site``): "Source: Calder Courier" with a link to
  caldercourier.co.uk. When that site is not among the page's matches (not in the index), the earlier page it
  was matched with is more likely another copy of the credited original than its source.

Both are read where publishers put them, as ``detector.agencies`` reads wire credits: the byline, the first
paragraph and a short line among the last ones.
"""

from __future__ import annotations

import re
from functools import lru_cache

from detector.agencies import CREDIT_LINE_CHARS, LAST_PARAGRAPHS, is_agency_credit
from detector.records import Article
from detector.urls import PLATFORM_DOMAINS, link_domains, registered_domain, site_label

_PRESS = frozenset({"press_release"})
_MARKER = frozenset({"source_marker"})
_PRESS_AND_MARKER = _PRESS | _MARKER
#: Sites a credit line may link without naming where a story came from: social networks, video, photo banks.
_NOT_PUBLISHERS = PLATFORM_DOMAINS | frozenset({
    "facebook.com", "fb.com", "instagram.com", "twitter.com", "x.com", "t.me", "telegram.org", "whatsapp.com",
    "youtube.com", "youtu.be", "tiktok.com", "linkedin.com", "pinterest.com", "reddit.com", "vk.com",
    "google.com", "goo.gl", "bit.ly", "getty.com", "gettyimages.com", "shutterstock.com", "unsplash.com",
    "wikipedia.org", "wikimedia.org", "archive.org",
})
_DOMAIN_TEXT = re.compile(r"(?<![\w@.-])((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,24})(?![\w-])", re.I)


def _credit_spots(article: Article) -> list[str]:
    """The short lines where a page states its source: its first paragraph and its last ones, if short."""
    paragraphs = article.paragraphs or tuple(p for p in article.text.split("\n\n") if p.strip())
    spots = [*paragraphs[:2], *paragraphs[-LAST_PARAGRAPHS:]]
    lines = (" ".join(p.split()) for p in dict.fromkeys(spots))
    return [line for line in lines if line and len(line) <= CREDIT_LINE_CHARS]


def prints_press_release(article: Article) -> bool:
    """Whether the page says it prints a press release: its byline ("Press release"), or a short line opening
    with the phrase ("Press release from NordGrid Energy", "Pressemitteilung der Nordwerk AG") or crediting one
    after a source marker ("Source: NordGrid Energy press release"). A story mentioning one is none."""
    try:
        return _prints_press_release(article)
    except TypeError:  # an Article holding an unhashable value: no caching
        return _prints_press_release.__wrapped__(article)


@lru_cache(maxsize=1024)
def _prints_press_release(article: Article) -> bool:
    from features.phrases import fold, phrasebook, tokenize  # data of the features package, read lazily

    book = phrasebook()
    if article.author and len(article.author) <= CREDIT_LINE_CHARS and book.find(
            tokenize(fold(article.author)), _PRESS):
        return True
    for line in _credit_spots(article):
        tokens = tokenize(fold(line))
        hits = book.find(tokens, _PRESS_AND_MARKER)
        lead = next((i for i, t in enumerate(tokens) if t[0].isalnum()), len(tokens))
        marker_ends = [h.end for h in hits if h.category in _MARKER]
        for hit in hits:
            if hit.category in _PRESS and (hit.start == lead or any(end <= hit.start for end in marker_ends)):
                return True
    return False


def credited_site(article: Article) -> str | None:
    """The registered domain of a third site the page's credit line names ("Source: Calder Courier" beside a
    link to caldercourier.co.uk, or "Via caldercourier.co.uk"), else None. Not the page's own site, not a social
    network or other platform, not a news agency (``detector.agencies`` reads those)."""
    try:
        return _credited_site(article)
    except TypeError:
        return _credited_site.__wrapped__(article)


@lru_cache(maxsize=1024)
def _credited_site(article: Article) -> str | None:
    from features.phrases import TOKEN_PATTERN, fold, phrasebook

    book = phrasebook()
    linked = [d for d in link_domains(article.links) if d and d != article.domain and d not in _NOT_PUBLISHERS]
    for line in _credit_spots(article):
        spans = [m.span() for m in re.finditer(TOKEN_PATTERN, fold(line))]  # fold keeps the text's length
        tokens = [fold(line)[a:b] for a, b in spans]
        lead = next((i for i, t in enumerate(tokens) if t[0].isalnum()), len(tokens))
        marker = next((h for h in book.find(tokens, _MARKER) if h.start == lead), None)
        if marker is None or marker.end >= len(spans):
            continue
        named = line[spans[marker.end][0]:].strip(" :-–—")
        if not named or is_agency_credit(named):
            continue
        for text in _DOMAIN_TEXT.findall(named):
            domain = registered_domain(f"https://{text.lower()}/")
            if domain and domain != article.domain and domain not in _NOT_PUBLISHERS:
                return domain
        squeezed = re.sub(r"\W+", "", fold(named))
        for domain in linked:
            label = re.sub(r"\W+", "", site_label(domain))
            if len(label) >= 4 and label in squeezed:
                return domain
    return None
