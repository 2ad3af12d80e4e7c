"""Lines of visible text as traits read them: as shown (NFC), folded, and tokenized on demand.

A page has a few hundred lines and most traits only read their text or folded text, so lines are built in a
batch: one NFC normalisation over all lines joined by newlines (it never composes across a newline), then
one split. Tokens and link targets are derived per line only when a
trait asks for them (phrase hits, credited hosts), which is a few lines a page.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from lxml.html import HtmlElement

from features.phrases import fold_many, tokenize

#: A link record the DOM stylesheet leaves where an ``<a>`` starts: its href, then its text.
RECORD = re.compile("\ue005([^\ue003]*)\ue003([^\ue007]*)\ue007")


@dataclass(frozen=True, slots=True)
class Line:
    """One visible line of text: as shown (NFC, whitespace collapsed), folded, and where it came from.

    ``source`` is the stylesheet's raw segment of a DOM line, with its link records (empty for main-text
    lines); ``element`` is the block element when known (DOM lines find theirs through ``PageView``).
    """

    text: str
    norm: str
    source: str = ""
    element: HtmlElement | None = None

    @property
    def tokens(self) -> tuple[str, ...]:
        """Tokens of the folded text (see ``features.phrases.tokenize``)."""
        return tuple(tokenize(self.norm))

    @property
    def hrefs(self) -> tuple[str, ...]:
        """Targets of the links that start in this line (DOM lines only)."""
        if "\ue005" not in self.source:
            return ()
        return tuple(h.strip() for h, _ in RECORD.findall(self.source) if h.strip())


def collapse(texts: Iterable[str]) -> list[str]:
    """Each text with its whitespace collapsed, ``" ".join(text.split())``, as C-level maps.

    (Link texts are short: splitting each is about three times faster than one regex pass over them all.)
    """
    return list(map(" ".join, map(str.split, texts)))


def make_lines(texts: list[str], sources: list[str] | None = None) -> tuple[Line, ...]:
    """Lines from non-empty, whitespace-collapsed texts (no newlines in them), normalised to NFC and folded.

    Equal, line for line, to normalising each text on its own: NFC never composes across a newline.
    """
    if not texts:
        return ()
    shown = unicodedata.normalize("NFC", "\n".join(texts)).split("\n")
    norms = fold_many(shown)
    if sources is None:
        return tuple(map(Line, shown, norms))
    return tuple(map(Line, shown, norms, sources))


def non_space_chars(lines: tuple[Line, ...]) -> int:
    """Characters of the lines' texts that are not spaces (their only whitespace), counted on one joined text."""
    joined = "".join([line.text for line in lines])
    return len(joined) - joined.count(" ")
