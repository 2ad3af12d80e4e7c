"""Whether a page says it prints a press release: a release is written to be run as it stands, so two outlets
that both print one as such share its text and neither copied the other (``provenance.direction``).

Read where publishers put it, as ``detector.agencies`` reads wire credits: the byline, the first paragraphs
and a short line among the last ones. One page's label alone decides nothing: a farm can put "Press release"
over a newspaper's story it copied (an outside probe did, and the copy went unseen).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from detector.agencies import CREDIT_LINE_CHARS, LAST_PARAGRAPHS
from detector.records import Article, per_article_cache

_PRESS = frozenset({"press_release"})
_PRESS_AND_MARKER = frozenset({"press_release", "source_marker"})


def credits_press_release(tokens: Sequence[str], press_starts: Iterable[int], marker_ends: Iterable[int]) -> bool:
    """Whether a line's press-release phrase (starting at token ``press_starts``) credits a release: the phrase
    opens the line (only punctuation before it: "Press release from X") or follows a source marker on it
    (``marker_ends``, where those end: "Source: X press release"). The rule of both this module and the
    ``press_release_credit`` trait (``features.attribution``)."""
    ends = list(marker_ends)
    return any(opens_line(tokens, start) or any(end <= start for end in ends) for start in press_starts)


def opens_line(tokens: Sequence[str], start: int) -> bool:
    """Whether token ``start`` opens its line: only punctuation before it ("Press release from X", "— Media
    contact:")."""
    return not any(t[:1].isalnum() for t in tokens[:start])


def _credit_spots(article: Article) -> list[str]:
    """The short lines where a page states its source: its first paragraphs and its last ones, if short."""
    paragraphs = article.text_paragraphs()
    spots = [*paragraphs[:2], *paragraphs[-LAST_PARAGRAPHS:]]
    lines = (" ".join(p.split()) for p in dict.fromkeys(spots))
    return [line for line in lines if line and len(line) <= CREDIT_LINE_CHARS]


@per_article_cache(maxsize=1024)
def prints_press_release(article: Article) -> bool:
    """Whether the page says it prints a press release: its byline ("Press release"), or a short line opening
    with the phrase ("Press release from NordGrid Energy", "Pressemitteilung der Nordwerk AG") or crediting one
    after a source marker ("Source: NordGrid Energy press release"), or a release's own page's marks anywhere on it
    (``Article.release``: a release wire's page, "Media contact: ..."). A story mentioning one is none."""
    if article.release:
        return True
    from features.phrases import fold, phrasebook, tokenize  # data of the features package, read lazily

    book = phrasebook()
    if article.author and len(article.author) <= CREDIT_LINE_CHARS and book.find(
            tokenize(fold(article.author)), _PRESS):
        return True
    for line in _credit_spots(article):
        tokens = tokenize(fold(line))
        hits = book.find(tokens, _PRESS_AND_MARKER)
        if credits_press_release(tokens, [h.start for h in hits if h.category in _PRESS],
                                 [h.end for h in hits if h.category not in _PRESS]):
            return True
    return False
