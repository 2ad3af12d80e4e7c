"""Scoring: one target in, one verdict out (copies, origin, chain, traits, farm probability and reasons).

I/O stays at the edges: ``Scorer`` owns the fetcher and the index handle; the verdict is assembled from pure
steps (matching, provenance, traits, classifier).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from detector import arguments
from detector.classify import RESTATED_RELATIONS, FarmModel, load_model
from detector.config import DEFAULT, Config
from detector.docprint import DocPrint
from detector.errors import DetectorError, InputError
from detector.extract import Extracted
from detector.politeness import PoliteFetcher, named_page_fetcher
from detector.index import Index
from detector.matcher import find_matches
from detector.provenance import (UNDATED_EVIDENCE, Doubt, counts_as_source, is_copy, origin_and_chain, page_p,
                                 reuses)
from detector.records import Article, Match, Origin, Trait, Verdict
from detector.sources import Target, expand, load, read_page_bytes
from detector.urls import domain_of, is_http_url
from features import PageView, compute_traits
from features.registry import with_match_traits
from features.attribution import credited_names, shows_release_marks, syndicated_from
from features.ownership import owners


@dataclass(frozen=True, slots=True)
class ScoreOptions:
    """How targets are read and scored.

    ``jsonl``: read file targets as JSONL documents whatever their suffix (``.jsonl`` files always are);
    ``stdin_url``: the URL of the page read from stdin (target ``-``); ``allow_private``: let URL targets on
    private, loopback or link-local addresses be fetched (refused by default).
    """

    jsonl: bool = False
    stdin_url: str | None = None
    allow_private: bool = False

    def __post_init__(self) -> None:
        arguments.flag("jsonl", self.jsonl)
        arguments.flag("allow_private", self.allow_private)
        if self.stdin_url is not None and not isinstance(self.stdin_url, str):
            raise TypeError(f"stdin_url: expected a URL (str) or None, got {arguments.shown(self.stdin_url)}")

    @classmethod
    def of(cls, options: dict[str, object]) -> "ScoreOptions":
        """The options from keyword arguments; an unknown name is a ``TypeError`` listing the known ones."""
        arguments.known_options("score", options, cls.__slots__)  # type: ignore[attr-defined]
        return cls(**options)  # type: ignore[arg-type]


def copy_reasons(matches: Sequence[Match]) -> tuple[str, ...]:
    """Short snake_case reasons from copy evidence (``copied_from:balkanweb.com``, ``uncredited_copy:...``)."""
    reasons: list[str] = []
    for match in matches:
        name = match.site
        if counts_as_source(match):
            reasons.append(f"copied_from:{name}")
            if not match.credited and is_copy(match) and not match.upstream:
                reasons.append(f"uncredited_copy:{name}")
        elif match.direction == "other_copies_this" and reuses(match):
            reasons.append(f"copied_by:{name}")
    return tuple(dict.fromkeys(reasons))


def verdict_reasons(relations: Sequence[str], trait_reasons: Sequence[str]) -> tuple[str, ...]:
    """The copy relations, then the trait reasons but those restating a relation listed ("copied_text (<url>)"
    beside "copied_from:<domain>"; a probe read the same fact three times)."""
    listed = {r.split(":", 1)[0] for r in relations}
    restated = {trait for trait, relation in RESTATED_RELATIONS.items() if relation in listed}
    kept = [r for r in trait_reasons if r.split(" ", 1)[0] not in restated]
    return tuple(dict.fromkeys([*relations, *kept]))


def examined(extracted: Extracted) -> tuple[Extracted, PageView]:
    """The page with the names it credits (on any line of it: ``features.attribution.credited_names``, and the
    licensed-republication notes of ``syndicated_from``), whether it is a press release's own page and the companies
    it names as its site's owner (``features.ownership``) filled into its article, for the copy engine, and the
    view of it without matches that they were read from (its DOM summary and phrase hits are then shared by the
    traits, ``PageView.with_matches``)."""
    page = PageView(extracted.article, extracted.dom, ())
    names = tuple(dict.fromkeys((*credited_names(page), *syndicated_from(page))))
    release = shows_release_marks(page)
    owned_by = owners(page)
    if not names and not release and not owned_by:
        return extracted, page
    article = replace(extracted.article, credited=names, release=release, owners=owned_by)
    return Extracted(article, extracted.dom), page.with_matches((), article)


def own_probability(page: PageView) -> float | None:
    """A page's farm probability on its own (no copy evidence), as an index keeps it; None for a document
    without HTML (its text alone reads lower than the page would) or when the classifier cannot be loaded."""
    if page.dom is None:
        return None
    try:
        return load_model().assess(compute_traits(page)).probability
    except DetectorError:
        return None
    except Exception:  # noqa: BLE001 - a trait failing on one hostile page must not stop an index build
        return None


def indexable(extracted: Extracted) -> tuple[Article, float | None]:
    """What an index keeps of a page: its article with the names it credits (``examined``) and its own farm
    probability (``own_probability``)."""
    extracted, page = examined(extracted)
    return extracted.article, own_probability(page)


def stored_probability(indexes: Sequence[Index], url: str) -> float | None:
    """The farm probability a page had on its own when one of ``indexes`` added it (the first that knows)."""
    return next((p for p in (index.farm_probability(url) for index in indexes) if p is not None), None)


def merged_matches(article: Article, indexes: Sequence[Index], exclude: frozenset[str] = frozenset(),
                   doubt: Doubt | None = None, dp: DocPrint | None = None) -> list[Match]:
    """Matches of an article across several indexes, verified together (``matcher.verify``: a URL stored in
    more than one counts once, the first index winning; the article is fingerprinted once for all of them, or
    ``dp`` is its fingerprint under the first index's config; ``doubt``: see ``matcher.verify_against``)."""
    return find_matches(article, list(indexes), exclude=exclude, dp=dp, doubt=doubt)


def stored_source_matches(indexes: Sequence[Index], url: str, seen: frozenset[str],
                          doubt_of: Callable[[str], Doubt | None] | None = None) -> list[Match]:
    """Matches of a document stored in one of ``indexes`` (a source met while walking a chain), else none;
    ``doubt_of(url)`` weighs its dates as its own page's are."""
    for index in indexes:
        doc = index.get(url)
        if doc is not None:
            return merged_matches(doc.article, indexes, exclude=seen, doubt=doubt_of(url) if doubt_of else None)
    return []


class Scorer:
    """Scores targets against indexes (none, one, or several: every one is searched) with one fetcher; use as
    a context manager."""

    def __init__(self, index: Index | Sequence[Index] | None = None, config: Config = DEFAULT,
                 options: ScoreOptions = ScoreOptions(), model: FarmModel | None = None) -> None:
        self.indexes: tuple[Index, ...] = (() if index is None else (index,) if isinstance(index, Index)
                                           else tuple(index))
        self.index = self.indexes[0] if self.indexes else None  # the first index (its parameters win)
        self.model = model
        self.config = self.index.config if self.index is not None else config
        self.options = options
        self._fetcher: PoliteFetcher | None = None

    @property
    def fetcher(self) -> PoliteFetcher:
        if self._fetcher is None:
            self._fetcher = named_page_fetcher(self.config, allow_private=self.options.allow_private)
        return self._fetcher

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()

    def __enter__(self) -> "Scorer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def matches(self, extracted: Extracted, doubt: Doubt | None = None) -> list[Match]:
        return merged_matches(extracted.article, self.indexes, doubt=doubt)  # one index: its ``find_matches``

    def verdict(self, name: str, extracted: Extracted, page: PageView | None = None) -> Verdict:
        """The verdict for an already-extracted page (``page``: its ``examined`` view, when already made)."""
        if page is None:
            extracted, page = examined(extracted)
        article = extracted.article
        bare: list[tuple[Trait, ...]] = []  # the page's traits without matches, once the doubt needed them
        own: list[float] = []

        def own_p() -> float | None:
            if not own:
                bare.append(compute_traits(page))
                own.append(self._farm_model().assess(bare[0]).probability)
            return own[0]

        matches = self.matches(extracted, self._doubt(lambda: page_p(own_p(), self._stored_probability(article.url))))
        chain: tuple[str, ...] = ()
        origin: Origin | None = None
        if self.indexes:  # the sources met along the chain weigh their dates as this page does
            origin, chain = origin_and_chain(article.url, matches, lambda url, seen: stored_source_matches(
                self.indexes, url, seen, lambda source: self._doubt(lambda: self._stored_probability(source))))
        view = page.with_matches(tuple(matches), article)
        traits = with_match_traits(bare[0], view) if bare else compute_traits(view)
        assessment = self._farm_model().assess(traits)
        return Verdict(
            target=name,
            url=article.url,
            domain=article.domain,
            title=article.title,
            published=article.published,
            matches=tuple(matches),
            origin=origin,
            chain=chain,
            traits=traits,
            farm_probability=assessment.probability,
            label=assessment.label,
            reasons=verdict_reasons(copy_reasons(matches), assessment.reasons),
            signals=assessment.signals,
        )

    def _farm_model(self) -> FarmModel:
        """The classifier, loaded at first use."""
        if self.model is None:
            self.model = load_model()
        return self.model

    def _stored_probability(self, url: str) -> float | None:
        """The farm probability a page had on its own when one of this scorer's indexes added it."""
        return stored_probability(self.indexes, url)

    def _doubt(self, this_p: Callable[[], float | None]) -> Doubt | None:
        """How this scorer weighs directions only the dates gave (``provenance.Doubt``): a page's own farm
        probability (``this_p``) against the one the other page had when it was indexed
        (``Index.farm_probability``; unknown for pages indexed without it). None without an index."""
        if not self.indexes:
            return None
        cuts = self._farm_model().thresholds
        return Doubt(this_p, self._stored_probability, cuts.content_farm, cuts.suspicious)

    def score_target(self, target: Target) -> Verdict:
        """The verdict for one target; an unreadable target gives a verdict with ``error`` set."""
        try:
            extracted = load(target, self.fetcher if target.kind == "url" else None, self.config,
                             stdin_url=self.options.stdin_url)
        except InputError as err:
            url = target.name if target.kind == "url" else None
            return Verdict(target=target.name, url=url, domain=domain_of(url), error=err.message)
        try:
            return self.verdict(target.name, extracted)
        except (DetectorError, sqlite3.DatabaseError):
            raise  # a broken index or model concerns the whole run, not this page
        except Exception as err:  # noqa: BLE001 - one hostile page must not stop a batch: report it, go on
            return Verdict(target=target.name, url=extracted.article.url,
                           error=f"internal error while scoring ({type(err).__name__}: {err})")

    def score_all(self, targets: Iterable[str]) -> Iterator[Verdict]:
        for target in expand(targets, jsonl=self.options.jsonl):
            yield self.score_target(target)


def score(targets: str | Path | Sequence[str | Path],
          index: str | Path | Index | Sequence[str | Path | Index] | None = None,
          config: Config = DEFAULT, **options: object) -> list[Verdict]:
    """Score pages against copy indexes: the library entry point for notebooks.

    ``targets``: one target or a list of them, each a path (``str`` or ``Path``) or an http(s) URL: ``.html``/
    ``.htm``/``.html.gz`` files, folders of them (recursively, sorted), WARC files (each HTML response), URL
    lists, JSONL files of extracted documents, or ``-`` for one page on stdin. A target given twice is scored once. An empty string or ``bytes`` is refused
    (``ValueError``/``TypeError``).

    ``index``: where copies are looked for: an index path, an open ``Index``, or a list of them (every one is
    searched, as ``audit(index=[...])`` does). Without ``index`` no copies are looked for: verdicts have no
    matches, origin or chain, and the farm probability is judged on the page alone. (The ``detector score``
    command uses the bundled demo index instead; here pass ``index=detector.demo.demo_index()`` for it.) A
    missing or unreadable index path raises ``IndexError_`` naming it.

    ``config``: a ``detector.config.Config`` (an index's own fingerprint parameters win over it).
    ``options`` (``ScoreOptions``): ``jsonl=True`` reads file targets as JSONL documents whatever their
    suffix; ``stdin_url="https://..."`` names the page read from ``-``; ``allow_private=True`` lets URL targets
    on private or loopback addresses be fetched (refused by default). Flags must be ``True``/``False``.

    Returns one ``Verdict`` per page, in the order given (a folder gives one per file, a JSONL file one per
    line). An input that cannot be read, fetched or extracted is not an exception: its verdict has ``error``
    set (one line) and the rest are still scored.

    >>> verdicts = score("page.html", index="copies.sqlite")  # doctest: +SKIP
    >>> verdicts[0].farm_probability, verdicts[0].chain        # doctest: +SKIP
    """
    names = arguments.names("targets", targets)
    arguments.of_type("config", config, Config)
    opts = ScoreOptions.of(options)
    with _opened_scorer(index, config, opts) as scorer:
        return list(scorer.score_all(names))


def score_html(html: str | bytes, url: str | None = None,
               index: str | Path | Index | Sequence[str | Path | Index] | None = None,
               config: Config = DEFAULT, *, name: str | None = None) -> Verdict:
    """Score one page held in memory (a notebook's string, a crawler's response body), as ``score`` scores a file.

    ``html``: the page as ``str`` (read as the text it is, whatever charset its markup declares) or ``bytes``
    (decoded as a file is: by its byte-order mark, its declared charset, else detected). ``url``: the http(s)
    address it came from, which names its site (without it the page is named ``html:``, with no site, unless its
    canonical link gives one). ``index`` and ``config`` as for ``score``; ``name`` is the verdict's ``target``
    (default: the URL). A page that cannot be read (empty, binary, too large) gives a verdict with ``error`` set.

    >>> verdict = score_html("<html>...</html>", "https://news.example/story", index="copies.sqlite")  # doctest: +SKIP
    """
    if isinstance(html, (bytes, bytearray, memoryview)):
        data, charset = bytes(html), None
    elif isinstance(html, str):
        if _names_a_file_or_url(html):
            raise TypeError(f"html: {arguments.shown(html)} is a path or URL, not a page's HTML "
                            "(files and URLs: score())")
        data, charset = html.encode("utf-8", "surrogatepass"), "utf-8"
    else:
        raise TypeError(f"html must be str or bytes, not {type(html).__name__} (files and URLs: score())")
    if url is not None and not (isinstance(url, str) and is_http_url(url.strip())):
        raise ValueError(f"url must be an http(s) URL, not {url!r}")
    arguments.of_type("config", config, Config)
    label = name or (url.strip() if url else "html:")
    with _opened_scorer(index, config, ScoreOptions()) as scorer:
        try:
            page = read_page_bytes(data, label, url.strip() if url else "html:", config.max_bytes)
        except InputError as err:
            return Verdict(target=label, url=url, domain=domain_of(url), error=err.message)
        if charset is not None:
            page = replace(page, charset=charset)
        return scorer.score_target(Target(label, "page", page=page))


def _names_a_file_or_url(text: str) -> bool:
    """Whether a markup-free one-line string names an existing file or an http(s) URL (a mix-up with score())."""
    name = text.strip()
    if "<" in name or "\n" in name or not name or len(name) > 4096:
        return False
    try:
        return is_http_url(name) or Path(name).expanduser().is_file()
    except (OSError, ValueError):  # a name too long for the file system, or with a NUL
        return False


@contextmanager
def _opened_scorer(index: str | Path | Index | Sequence[str | Path | Index] | None, config: Config,
                   opts: ScoreOptions) -> Iterator[Scorer]:
    """A scorer over ``index`` (a path, an open Index, a list of them, or None), the paths opened read-only."""
    if isinstance(index, Index) or index is None:
        with Scorer(index, config, opts) as scorer:
            yield scorer
        return
    given = arguments.one_or_many("index", index, "an index path or an open Index", (Index,))
    with ExitStack() as stack:
        with Scorer(open_indexes(stack, given, config), config, opts) as scorer:
            yield scorer


def open_indexes(stack: ExitStack, given: Sequence[str | Path | Index], config: Config = DEFAULT) -> list[Index]:
    """The indexes to score against, in the order given (the first wins a URL several hold,
    ``merged_matches``): an open ``Index`` as it is, a path opened read-only and closed with ``stack``. A path
    that cannot be opened raises ``IndexError_`` naming it (those opened before it are closed by ``stack``)."""
    return [item if isinstance(item, Index) else
            stack.enter_context(Index(arguments.paths("index", item)[0], config, readonly=True))
            for item in given]
