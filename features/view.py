"""The input of every trait: one page's article, DOM and copy matches, with derived views computed once.

Traits are pure functions of a ``PageView``. Everything several traits need (the whole page's visible text
as lines, the phrase hits, the main text's words) is a ``cached_property``: computed on first use, then shared,
so adding a trait costs its own arithmetic only. ``dom`` may be None (a JSONL document has no HTML): the
page-wide views then fall back to the main text and the DOM summary is None.
"""

from __future__ import annotations

import string
from bisect import bisect_right
import unicodedata
from dataclasses import dataclass, replace
from collections.abc import Callable
from functools import cached_property, lru_cache
from itertools import repeat
from typing import Any, TypeVar

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from detector.agencies import agency_key, names_site
from detector.records import Article, Match
from detector.urls import host as url_host
from features.dom_summary import DomSummary, block_of_line, summarize_dom
from features.lines import Line, collapse, make_lines, non_space_chars
from features.phrases import PhraseHit, fold, phrasebook, token_start, token_stream

__all__ = [
    "Found",
    "Line",
    "PageView",
    "alnum",
    "host_of",
    "norm_words_of",
    "parse_html",
    "same_site",
    "site_label",
]

T = TypeVar("T")
_PUNCT = string.punctuation + "“”‘’«»„…–—"


@lru_cache(maxsize=8192)
def host_of(url: str) -> str:
    """Lowercase host of a URL or bare domain, without ``www.`` and port ("" when there is none or it is invalid).

    ``detector.urls.host`` with a bare domain read as ``//domain``. Cached: a page asks for the hosts of its links
    several times, and sites repeat their links.
    """
    url = url.strip()
    return url_host(url if "//" in url or ":" in url.split("/", 1)[0] else "//" + url) if url else ""


def same_site(a: str, b: str) -> bool:
    """Whether two hosts are one site (equal, or one a subdomain of the other)."""
    if not a or not b:
        return False
    return a == b or a.endswith("." + b) or b.endswith("." + a)


def site_label(host: str) -> str:
    """The name part of a host: ``botasot`` for ``www.botasot.al``, ``thetimes`` for ``thetimes.co.uk``."""
    parts = [p for p in host.split(".") if p]
    if len(parts) >= 3 and len(parts[-1]) == 2 and len(parts[-2]) <= 3:
        return parts[-3]
    return parts[-2] if len(parts) >= 2 else (parts[0] if parts else "")


def alnum(text: str) -> str:
    """Folded letters and digits only, to compare names: ``"The Times"`` -> ``"thetimes"``."""
    return "".join(c for c in fold(text) if c.isalnum())


def parse_html(html: bytes | str) -> HtmlElement | None:
    """Parse a page for the DOM traits; None for empty or unparseable input (traits then use text only)."""
    if not html or not html.strip():
        return None
    try:
        return lxml.html.fromstring(html)
    except (ValueError, etree.ParserError):
        return None


def _strip_words(tokens: list[str]) -> tuple[str, ...]:
    """Whitespace-split tokens with their edge punctuation stripped, empty ones dropped (one C-level map)."""
    return tuple(filter(None, map(str.strip, tokens, repeat(_PUNCT, len(tokens)))))


def norm_words_of(text: str) -> tuple[str, ...]:
    """The words of ``text`` as ``PageView.norm_words`` reads the main text's: NFC, folded, whitespace split, edge
    punctuation stripped (for comparing a title's words with the text's)."""
    return _strip_words(fold(unicodedata.normalize("NFC", text)).split())


_FIELDS = frozenset({"article", "dom", "matches"})


@dataclass(frozen=True, slots=True)
class Found:
    """A phrase hit on one line of ``PageView.lines``."""

    line: int
    hit: PhraseHit


#: A phrase starting further into its line than this is quoted from a little before it (reasons show ~60 chars).
_EVIDENCE_LEAD = 40


@dataclass(frozen=True, eq=False)
class PageView:
    """One page as traits see it; build it once per page, then call ``compute_traits`` on it.

    Example:
        >>> from detector.records import Article
        >>> view = PageView(Article(url="https://a.example/x", domain="a.example", title="T", text="Hello there."))
        >>> view.words
        ('Hello', 'there')
    """

    article: Article
    dom: HtmlElement | None = None
    matches: tuple[Match, ...] = ()

    def with_matches(self, matches: tuple[Match, ...], article: Article | None = None) -> "PageView":
        """The same page with copy matches (and, if given, its article record with more fields filled): what was
        already derived from the page (its DOM summary, lines, phrase hits, memos) is shared, not recomputed;
        none of it depends on the matches, which only the copy-evidence traits read."""
        view = replace(self, matches=tuple(matches), article=article or self.article)
        view.__dict__.update({k: v for k, v in self.__dict__.items() if k not in _FIELDS})
        return view

    # --- main text -------------------------------------------------------------------------------
    @cached_property
    def main_lines(self) -> tuple[Line, ...]:
        """Non-empty lines of the extracted main text, whitespace collapsed."""
        return make_lines(list(filter(None, collapse(self.article.text.splitlines()))))

    @cached_property
    def paragraphs(self) -> tuple[str, ...]:
        """The article's paragraphs (or its text split on blank lines), whitespace collapsed."""
        return tuple(filter(None, collapse(self.article.text_paragraphs())))

    @cached_property
    def words(self) -> tuple[str, ...]:
        """Words of the main text as the Gopher rules count them: whitespace split, edge punctuation stripped."""
        return _strip_words(self.article.text.split())

    @cached_property
    def norm_words(self) -> tuple[str, ...]:
        """``words`` folded (lowercase, no diacritics), for counting and n-grams.

        Folding keeps lengths and never turns a letter into punctuation or space, so folding the whole text
        once and splitting it the same way gives the folded ``words``, one for one.
        """
        return norm_words_of(self.article.text)

    @cached_property
    def main_chars(self) -> int:
        """Characters of the main text, whitespace excluded."""
        return non_space_chars(self.main_lines)

    # --- whole page ------------------------------------------------------------------------------
    @cached_property
    def summary(self) -> DomSummary | None:
        """One walk over the DOM (visible lines, links, ad slots, scripts, meta); None without a DOM."""
        return summarize_dom(self.dom) if self.dom is not None else None

    @cached_property
    def lines(self) -> tuple[Line, ...]:
        """Visible lines of the whole page (main text, widgets, footers), or the main text's without a DOM."""
        summary = self.summary
        if summary is not None and summary.lines:
            return summary.lines
        return self.main_lines

    @cached_property
    def found(self) -> dict[str, tuple[Found, ...]]:
        """Phrase hits on the page's lines, by category (every category of every language, one pass)."""
        # All lines as one token stream with separators: one tokenizer and one matcher call for the page.
        stream, starts = token_stream([line.norm for line in self.lines])
        grouped: dict[str, list[Found]] = {}
        for hit in phrasebook().find(stream):
            index = bisect_right(starts, hit.start) - 1
            base = starts[index]
            local = PhraseHit(hit.category, hit.language, hit.phrase, hit.start - base, hit.end - base)
            grouped.setdefault(hit.category, []).append(Found(index, local))
        return {k: tuple(v) for k, v in grouped.items()}

    def line_element(self, index: int) -> HtmlElement | None:
        """The block element that line ``index`` of ``lines`` starts in (looked up on demand, then kept)."""
        line = self.lines[index]
        summary = self.summary
        if line.element is not None or summary is None or summary.lines is not self.lines:
            return line.element
        found = self._memo.setdefault("view.line_elements", {})
        if index not in found:
            found[index] = block_of_line(summary, index)
        return found[index]

    def hit_lines(self, category: str) -> tuple[int, ...]:
        """Indexes of the distinct lines holding a phrase of ``category``, in page order."""
        return tuple(dict.fromkeys(f.line for f in self.found.get(category, ())))

    def evidence(self, category: str, limit: int = 160) -> str | None:
        """The first line holding a phrase of ``category`` (trimmed), as trait evidence; a phrase deep in a long
        line is shown from a few words before it, after an ellipsis (a probe's share-widget reason quoted the
        start of a paragraph whose last sentence said "Share this with a friend")."""
        found = self.found.get(category)
        return self.evidence_of(found[0], limit) if found else None

    def evidence_of(self, found: Found, limit: int = 160) -> str:
        """``evidence`` of one hit."""
        line = self.lines[found.line]
        at = token_start(line.norm, found.hit.start)
        if at <= _EVIDENCE_LEAD:
            return line.text[:limit]
        start = line.text.rfind(" ", 0, at - _EVIDENCE_LEAD // 2) + 1
        return "…" + line.text[start:start + limit - 1]

    # --- shared results of one family -----------------------------------------------------------
    @cached_property
    def _memo(self) -> dict[str, Any]:
        return {}

    def memo(self, key: str, compute: Callable[[PageView], T]) -> T:
        """``compute(self)`` once per view under ``key``: a family's shared intermediate result."""
        memo = self._memo
        if key not in memo:
            memo[key] = compute(self)
        return memo[key]

    # --- identity of the page's own site ---------------------------------------------------------
    @cached_property
    def own_hosts(self) -> frozenset[str]:
        """Hosts that are this page's own site (its domain and URL host; not its canonical, which may credit)."""
        hosts = {host_of(self.article.domain), host_of(self.article.url)}
        return frozenset(h for h in hosts if h)

    @cached_property
    def own_names(self) -> frozenset[str]:
        """Folded alphanumeric names this site goes by: ``botasot``, ``botasotal``, its site name."""
        names = set()
        for host in self.own_hosts:
            names.add(alnum(host))
            names.add(alnum(site_label(host)))
        sitename = self.article.sitename or (self.summary.meta.get("og:site_name") if self.summary else None)
        if sitename:
            names.add(alnum(sitename))
        return frozenset(n for n in names if n)

    @cached_property
    def _own_host_cache(self) -> dict[str, bool]:
        return {}

    def is_own_host(self, host: str) -> bool:
        """Whether ``host`` belongs to this page's own site (kept per host: a page repeats its links' hosts)."""
        cache = self._own_host_cache
        own = cache.get(host)
        if own is None:
            own = cache[host] = any(same_site(host, h) for h in self.own_hosts)
        return own

    def is_own_name(self, name: str) -> bool:
        """Whether a credited name (``"@Botasot"``, ``"botasot.al"``) is this page's own site."""
        key = alnum(name)
        if not key:
            return False
        if key in self.own_names:
            return True
        if "." in name:
            return self.is_own_host(host_of(name))
        # a distinctive word of the site's name: "Izvor: Vidik" on the site of the Novinska agencija Vidik
        own_key = agency_key(name)
        return bool(own_key) and names_site(own_key, self.article)
