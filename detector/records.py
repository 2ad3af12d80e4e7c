"""The records that cross module borders: a fetched page, an extracted article, a copy match, a trait, a verdict.

Every record is a frozen, slotted dataclass with a JSON-safe ``to_dict()``; batch code turns lists of them
into polars frames. Field names of ``Verdict.to_dict()`` are the public JSON contract: add, never rename.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache, wraps
from typing import Any, Literal, TypeVar

Derivation = Literal["whole", "partial", "quotes_only"]
Direction = Literal["this_copies_other", "other_copies_this", "unknown"]
Label = Literal["content_farm", "suspicious", "clean"]


def iso(value: datetime | None) -> str | None:
    """ISO 8601 text of a datetime (keeps its offset); a bare day (naive midnight) as ``YYYY-MM-DD``."""
    if value is None:
        return None
    if value.tzinfo is None and (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
        return value.date().isoformat()
    return value.isoformat()


@dataclass(frozen=True, slots=True)
class Page:
    """Raw bytes of one page as fetched or read, before any parsing.

    ``url`` is the address as given, ``final_url`` the one after redirects (or a ``file://`` URL),
    ``charset`` the encoding declared by headers, BOM or ``<meta>`` (None when nothing declared one);
    ``captured`` the time a crawl recorded it (a WARC record's date; None for a page read or fetched now).
    """

    url: str
    final_url: str
    html: bytes
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    charset: str | None = None
    fetched_at: datetime | None = None
    captured: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "final_url": self.final_url,
            "status": self.status,
            "headers": dict(self.headers),
            "charset": self.charset,
            "fetched_at": iso(self.fetched_at),
            "bytes": len(self.html),
        }


@dataclass(frozen=True, slots=True)
class Article:
    """Main text and metadata of a page, as extracted (or as given in a JSONL document).

    ``paragraphs`` are the text's paragraphs in order (``text`` is them joined by blank lines);
    ``links`` are the absolute outbound link targets of the whole page, kept for attribution checks;
    ``credited`` the names and hosts the whole page credits as its source (a source line, a "read more" pointer,
    a closing credit: often outside the extracted text), found by ``features.attribution.credited_names``;
    ``release`` whether the whole page shows the marks of a press release's own page (a "Media contact" line,
    "Public Release:", "News provided by"), found by ``features.attribution.shows_release_marks``;
    ``seen`` when a crawl recorded the page (``Page.captured``): it was published by then, whatever it states;
    ``owners`` the companies the whole page names as its site's owner (a copyright notice, "A Pinnacle Media
    station"), found by ``features.ownership.owners``: sister sites of one owner run one another's stories.
    """

    url: str
    domain: str
    title: str | None
    text: str
    paragraphs: tuple[str, ...] = ()
    published: datetime | None = None
    author: str | None = None
    sitename: str | None = None
    canonical: str | None = None
    language: str | None = None
    description: str | None = None
    links: tuple[str, ...] = ()
    credited: tuple[str, ...] = ()
    seen: datetime | None = None
    release: bool = False
    owners: tuple[str, ...] = ()

    def text_paragraphs(self) -> tuple[str, ...]:
        """``paragraphs``, or for an article made without them its text split at blank lines (empty ones out)."""
        return self.paragraphs or tuple(p for p in self.text.split("\n\n") if p.strip())

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "domain": self.domain,
            "title": self.title,
            "text": self.text,
            "paragraphs": list(self.paragraphs),
            "published": iso(self.published),
            "author": self.author,
            "sitename": self.sitename,
            "canonical": self.canonical,
            "language": self.language,
            "description": self.description,
            "links": list(self.links),
            "credited": list(self.credited),
            "seen": iso(self.seen),
            "release": self.release,
            "owners": list(self.owners),
        }


@dataclass(frozen=True, slots=True)
class Passage:
    """One span of text shared by two documents, as character offsets into each document's text."""

    this_start: int
    this_end: int
    other_start: int
    other_end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "this_start": self.this_start,
            "this_end": self.this_end,
            "other_start": self.other_start,
            "other_end": self.other_end,
            "text": self.text,
        }


SIBLING_EVIDENCE = "sibling: both derive from"  # ``direction_evidence`` of a match with a sibling copy
UPSTREAM_EVIDENCE = "upstream, via"  # ``direction_evidence`` opening of a source's own source (see ``Match.upstream``)
KNOWN_ORIGINAL_EVIDENCE = "known original ("  # a direction the user's list of original sites gives
#: a direction the shared text gives by naming one of the two sites as its own ("told Cape Meridian")
SELF_NAMED_EVIDENCE = "the shared text names its site ("
#: openings of a direction one of the pages states itself, or the user does (``Config.originals``)
STATED_EVIDENCE = ("canonical", "credit (", KNOWN_ORIGINAL_EVIDENCE, SELF_NAMED_EVIDENCE)
DOUBTED_EVIDENCE = "undecided:"  # ``direction_evidence`` of a direction the dates gave and the pages contradict
TEASER_EVIDENCE = "teaser:"  # ``direction_evidence`` of a snippet a digest page shows of another site's story


#: Inside the ``direction_evidence`` of a page's match with the news agency whose story it runs under its credit.
WIRE_COPY_EVIDENCE = "(wire copy of the agency's own story"


def is_wire_copy(evidence: str | None) -> bool:
    """Whether a match is a page running the agency's own story under its credit (either end of the pair)."""
    return WIRE_COPY_EVIDENCE in (evidence or "")


def is_sibling(evidence: str | None) -> bool:
    """Whether a match's ``direction_evidence`` says the other page is a sibling (neither copied the other)."""
    return (evidence or "").startswith(SIBLING_EVIDENCE)


def is_upstream(evidence: str | None) -> bool:
    """Whether a match's ``direction_evidence`` says the other page is the source of this page's source."""
    return (evidence or "").startswith(UPSTREAM_EVIDENCE)


def is_stated(evidence: str | None) -> bool:
    """Whether a match's direction was stated by one of the pages (a canonical link or one-sided credit), not
    inferred from publication times."""
    return (evidence or "").startswith(STATED_EVIDENCE)


@dataclass(frozen=True, slots=True)
class Match:
    """Verified text reuse between this page and one other indexed document.

    ``share_of_this`` is the fraction of this page's words found in the other; ``share_of_other`` the
    fraction of the other's words found in this page. ``credited`` says whether the copy (as given by
    ``direction``) names or links its source, and ``credit`` how, when the copy engine read it: "canonical",
    "link:<domain>", "named:<name>" (text or a credit line), "byline:<name>", "dateline:<tag>", "wire" (None
    whenever ``credited`` is false: a match the provenance marks set uncredited drops it). ``quoted_only``: every word the pages share word for word lies in quotation marks
    (whatever the rest shares by its content words): no copy (``provenance.is_copy``).
    """

    url: str
    domain: str
    published: datetime | None
    share_of_this: float
    share_of_other: float
    jaccard: float
    derivation: Derivation
    direction: Direction
    credited: bool
    passages: tuple[Passage, ...] = ()
    direction_evidence: str | None = None
    quoted_only: bool = False
    credit: str | None = None

    def __post_init__(self) -> None:
        if not self.credited and self.credit is not None:
            object.__setattr__(self, "credit", None)

    @property
    def site(self) -> str:
        """What to call the other page's site: its domain, or for a page with no site (a saved file without a
        canonical link) its file name (an outside probe's table read "copies : whole" with the name blank)."""
        return self.domain or self.url.rstrip("/").rsplit("/", 1)[-1] or self.url

    @property
    def sibling(self) -> bool:
        """Whether the other page took the shared text from this page's own source (neither copied the other)."""
        return is_sibling(self.direction_evidence)

    @property
    def upstream(self) -> bool:
        """Whether the other page is the source of this page's source: its text reached this page through the
        nearer copy (``provenance.mark_upstream``), so crediting it or not was that copy's doing."""
        return is_upstream(self.direction_evidence)

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "domain": self.domain,
            "published": iso(self.published),
            "share_of_this": round(self.share_of_this, 4),
            "share_of_other": round(self.share_of_other, 4),
            "jaccard": round(self.jaccard, 4),
            "derivation": self.derivation,
            "direction": self.direction,
            "direction_evidence": self.direction_evidence,
            "credited": self.credited,
            "credit": self.credit,
            "quoted_only": self.quoted_only,
            "passages": [p.to_dict() for p in self.passages],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Match":
        """A Match back from its ``to_dict()`` (audit checkpoints and the Spark engine carry matches as JSON)."""
        from detector.pubdate import parse_datetime

        return cls(url=data["url"], domain=data["domain"], published=parse_datetime(data.get("published")),
                   share_of_this=data["share_of_this"], share_of_other=data["share_of_other"],
                   jaccard=data.get("jaccard", 0.0), derivation=data["derivation"], direction=data["direction"],
                   credited=data["credited"], passages=tuple(Passage(**p) for p in data.get("passages") or ()),
                   direction_evidence=data.get("direction_evidence"), quoted_only=bool(data.get("quoted_only")),
                   credit=data.get("credit"))


def match_order(match: Match) -> tuple[float, float, float, str]:
    """Sort key of a page's matches: most of this page first, then most of the other, then the nearest text
    (exact Jaccard: of two versions of a story covering the same, the closer one), then by URL, so that ties
    come out in the same order whatever found them first (either engine, any index order)."""
    return -match.share_of_this, -match.share_of_other, -match.jaccard, match.url


@dataclass(frozen=True, slots=True)
class Origin:
    """The first known publisher of a page's text."""

    url: str
    domain: str
    published: datetime | None

    def to_dict(self) -> dict[str, Any]:
        return {"url": self.url, "domain": self.domain, "published": iso(self.published)}


@dataclass(frozen=True, slots=True)
class Trait:
    """One measured spam trait: its registered name, its value, and the text that shows it (if any)."""

    name: str
    value: float
    evidence: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "value": self.value, "evidence": self.evidence}


@dataclass(frozen=True, slots=True)
class Verdict:
    """Everything the tool says about one target: copies, origin, chain, traits, score and reasons.

    ``target`` is the input as given (path, URL or ``-``); ``url`` the page's own URL.
    A verdict with ``error`` set describes an input that could not be scored. ``signals``: the farm furniture a
    page labelled clean carries (share bar, ads...), too weak to flag it; a flagged page has them in ``reasons``.
    """

    target: str
    url: str | None
    domain: str | None = None
    title: str | None = None
    published: datetime | None = None
    matches: tuple[Match, ...] = ()
    origin: Origin | None = None
    chain: tuple[str, ...] = ()
    traits: tuple[Trait, ...] = ()
    farm_probability: float | None = None
    label: Label | None = None
    reasons: tuple[str, ...] = ()
    error: str | None = None
    signals: tuple[str, ...] = ()

    def trait_values(self) -> dict[str, float]:
        """The traits by name (``verdict.trait_values()["word_count"]``), as ``to_dict()["traits"]`` holds them;
        ``traits`` keeps each one's evidence too."""
        return {t.name: t.value for t in self.traits}

    def to_dict(self) -> dict[str, Any]:
        return {
            "target": self.target,
            "url": self.url,
            "domain": self.domain,
            "title": self.title,
            "published": iso(self.published),
            "matches": [m.to_dict() for m in self.matches],
            "origin": self.origin.to_dict() if self.origin else None,
            "chain": list(self.chain),
            "traits": self.trait_values(),
            "farm_probability": None if self.farm_probability is None else round(self.farm_probability, 4),
            "label": self.label,
            "reasons": list(self.reasons),
            "signals": list(self.signals),
            "error": self.error,
        }

    def _repr_html_(self) -> str:
        """How a notebook shows a verdict: label, origin and chain, reasons, matches with passages."""
        from detector.report import verdict_html

        return verdict_html(self)


_F = TypeVar("_F", bound=Callable[..., Any])


def per_article_cache(maxsize: int) -> Callable[[_F], _F]:
    """``lru_cache`` for a pure function of ``Article`` values, asked again for one pair or page (a match's
    direction, then its credit): an Article holding an unhashable value (a list where a tuple belongs) is
    computed without the cache instead of failing."""
    def wrap(fn: _F) -> _F:
        cached = lru_cache(maxsize=maxsize)(fn)

        @wraps(fn)
        def call(*args: Any) -> Any:
            try:
                return cached(*args)
            except TypeError:  # unhashable: no caching
                return fn(*args)

        return call  # type: ignore[return-value]
    return wrap

