"""Whether a page says it prints a press release: a release is written to be run as it stands, so two outlets
that both print one as such share its text and neither copied the other (``provenance.direction``).

Read where publishers put it, as ``detector.agencies`` reads wire credits: the byline, the first paragraphs
and a short line among the last ones. One page's label alone decides nothing: a farm can put "Press release"
over a newspaper's story it copied (an outside probe did, and the copy went unseen).
"""

from __future__ import annotations

from functools import lru_cache

from detector.agencies import CREDIT_LINE_CHARS, LAST_PARAGRAPHS
from detector.records import Article

_PRESS = frozenset({"press_release"})
_MARKER = frozenset({"source_marker"})
_PRESS_AND_MARKER = _PRESS | _MARKER


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
