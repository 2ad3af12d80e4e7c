"""Metadata traits: missing byline, date, description, site name and structured data; canonical to another host.

Newsrooms sign and date their work and describe it to search engines; copy sites skip what they cannot
copy (a byline) or what would give them away. Each trait looks at the extracted ``Article`` first and at the
DOM (meta tags, JSON-LD, ``<time datetime>``, byline markup) second. Without a DOM (an extracted document, such
as a JSONL line) nothing is missing: a document format without the field says nothing about the page, and an
outside probe's JSONL documents all read "missing author" (a one-word text 0.58, suspicious).
"""

from __future__ import annotations

from collections.abc import Callable

from detector.agencies import after_byline_word, wire_agencies
from features.registry import trait
from features.view import PageView, host_of

FAMILY = "metadata"
AUTHOR_META = ("author", "article:author", "dc.creator", "parsely-author", "sailthru.author")
DATE_META = ("article:published_time", "og:published_time", "datepublished", "pubdate", "dc.date", "date")
DESCRIPTION_META = ("description", "og:description", "twitter:description")
#: Schema.org types describing a page's story: articles, blog posts and live blogs, and recipes (a food site's
#: article is its recipe: probe 54's recipe page with Recipe structured data read as carrying none).
ARTICLE_TYPES = ('"newsarticle"', '"article"', '"reportagenewsarticle"', '"analysisnewsarticle"', '"blogposting"',
                 '"liveblogposting"', '"recipe"')


def _meta(view: PageView, keys: tuple[str, ...]) -> str | None:
    summary = view.summary
    if summary is None:
        return None
    for key in keys:
        value = summary.meta.get(key)
        if value:
            return value
    return None


def _missing(view: PageView, found: Callable[[], bool]) -> float:
    """1.0 when the page lacks what ``found`` looks for; 0.0 without a DOM (a document format without the field
    says nothing about the page)."""
    return 0.0 if view.summary is None or found() else 1.0


def _jsonld_has(view: PageView, needle: str) -> bool:
    return view.summary is not None and any(needle in block for block in view.summary.jsonld)


@trait(
    name="missing_author",
    meaning="No author: none extracted, no author meta, JSON-LD author, rel/itemprop author or byline markup.",
    family=FAMILY,
)
def missing_author(view: PageView) -> float:
    """Unsigned articles are the norm on copy sites and rare at newspapers. A wire story names its author in
    its agency credit ("RUMA (Tanjug) –", "Izvor: Tanjug"): a paper runs it without a byline (an outside probe's
    Tanjug pickup read as unsigned)."""
    summary = view.summary
    return _missing(view, lambda: bool(view.article.author or _meta(view, AUTHOR_META)
                                       or _jsonld_has(view, '"author"') or summary and summary.byline_markup
                                       or wire_agencies(view.article) or byline_line(view) is not None))


BYLINE_NAME_WORDS = (2, 4)  # "By Gordon Pyle", "Von Anna Maria Schmidt"
BYLINE_MAX_WORDS = 8  # "By Gordon Pyle, Ledger Staff Writer" and no more
BYLINE_SEEN_LINES = 80  # the byline stands near the headline, among the page's first lines


def byline_line(view: PageView) -> str | None:
    """A visible line signing the article with no markup saying so: "By Gordon Pyle" in a ``<b>`` of a table
    layout (an outside probe's 2000s newspaper read as unsigned), "Piše: Marko Marić": a byline word
    (``detector.agencies.BYLINE_WORDS``), then two to four capitalised words, then at most a short title after a
    comma or bar."""
    for line in view.lines[:BYLINE_SEEN_LINES]:
        signed = after_byline_word(line.text)
        words = signed.split() if signed else []
        if not 2 <= len(words) <= BYLINE_MAX_WORDS:
            continue
        name = []
        for word in words:
            if not word[:1].isupper():
                break
            name.append(word)
            if word[-1:] in ",|":
                break
        low, high = BYLINE_NAME_WORDS
        rest = words[len(name):]
        if low <= len(name) <= high and (not rest or name[-1][-1:] in ",|" or rest[0] in ",|"):
            return line.text
    return None


@trait(
    name="missing_date",
    meaning="No publication time: none extracted, no published-time meta, JSON-LD date or <time datetime>.",
    family=FAMILY,
)
def missing_date(view: PageView) -> float:
    """Without a date a copy cannot be ordered against its source; farms often omit it."""
    summary = view.summary
    return _missing(view, lambda: bool(view.article.published is not None or _meta(view, DATE_META)
                                       or _jsonld_has(view, '"datePublished"') or summary and summary.has_time))


@trait(
    name="missing_description",
    meaning="No description: none extracted and no description/og:description meta.",
    family=FAMILY,
)
def missing_description(view: PageView) -> float:
    """Edited pages carry a standfirst or SEO description; bulk copies often do not."""
    return _missing(view, lambda: bool(view.article.description or _meta(view, DESCRIPTION_META)))


@trait(
    name="missing_sitename",
    meaning="No site name: none extracted and no og:site_name / application-name meta.",
    family=FAMILY,
)
def missing_sitename(view: PageView) -> float:
    """Throwaway sites skip branding metadata."""
    return _missing(view, lambda: bool(view.article.sitename or _meta(view, ("og:site_name", "application-name"))))


@trait(
    name="missing_structured_data",
    meaning="No schema.org Article/NewsArticle, live blog or recipe (JSON-LD or microdata) on the page (0 without "
            "a DOM).",
    family=FAMILY,
)
def missing_structured_data(view: PageView) -> float:
    """Publishers describe articles for news aggregators; copy templates rarely bother."""
    summary = view.summary
    if summary is None:
        return 0.0
    if summary.microdata_article:
        return 0.0
    lowered = " ".join(summary.jsonld).lower()
    return 0.0 if any(t in lowered for t in ARTICLE_TYPES) else 1.0


@trait(
    name="canonical_to_other_host",
    meaning="The canonical link or og:url points to another site (declared syndication).",
    family=FAMILY,
)
def canonical_to_other_host(view: PageView) -> tuple[float, str | None]:
    """Licensed syndication points search engines at the original; farms keep the canonical for themselves."""
    candidates = [view.article.canonical, _meta(view, ("og:url",))]
    if view.summary is not None:
        candidates.append(view.summary.canonical)
    for url in candidates:
        host = host_of(url) if url and url.startswith(("http", "//")) else ""
        if host and not view.is_own_host(host):
            return 1.0, url
    return 0.0, None
