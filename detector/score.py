"""Scoring: one target in, one verdict out (copies, origin, chain, traits, farm probability and reasons).

I/O stays at the edges: ``Scorer`` owns the fetcher and the index handle; the verdict is assembled from pure
steps (matching, provenance, traits, classifier).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from detector.classify import FarmModel, load_model
from detector.config import DEFAULT, Config
from detector.errors import DetectorError, InputError
from detector.extract import Extracted
from detector.fetch import Fetcher
from detector.index import Index
from detector.matcher import find_matches, stored_matches
from detector.provenance import counts_as_source, origin_and_chain
from detector.records import Match, Origin, Verdict
from detector.sources import Target, expand, load
from features import PageView, compute_traits


@dataclass(frozen=True, slots=True)
class ScoreOptions:
    """How targets are read and scored."""

    jsonl: bool = False
    stdin_url: str | None = None
    allow_private: bool = False


def copy_reasons(matches: Sequence[Match]) -> tuple[str, ...]:
    """Short snake_case reasons from copy evidence (``copied_from:balkanweb.com``, ``uncredited_copy:...``)."""
    reasons: list[str] = []
    for match in matches:
        if counts_as_source(match):
            reasons.append(f"copied_from:{match.domain}")
            if not match.credited and match.derivation != "quotes_only":
                reasons.append(f"uncredited_copy:{match.domain}")
        elif match.direction == "other_copies_this" and match.derivation != "quotes_only":
            reasons.append(f"copied_by:{match.domain}")
    return tuple(dict.fromkeys(reasons))


class Scorer:
    """Scores targets against an index (optional) with one fetcher; use as a context manager."""

    def __init__(self, index: Index | None = None, config: Config = DEFAULT, options: ScoreOptions = ScoreOptions(),
                 model: FarmModel | None = None) -> None:
        self.index = index
        self.model = model
        self.config = index.config if index is not None else config
        self.options = options
        self._fetcher: Fetcher | None = None

    @property
    def fetcher(self) -> Fetcher:
        if self._fetcher is None:
            self._fetcher = Fetcher(self.config, allow_private=self.options.allow_private)
        return self._fetcher

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()

    def __enter__(self) -> "Scorer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def matches(self, extracted: Extracted) -> list[Match]:
        if self.index is None:
            return []
        return find_matches(extracted.article, self.index)

    def verdict(self, name: str, extracted: Extracted) -> Verdict:
        """The verdict for an already-extracted page."""
        article = extracted.article
        matches = self.matches(extracted)
        chain: tuple[str, ...] = ()
        origin: Origin | None = None
        if self.index is not None:
            index = self.index
            origin, chain = origin_and_chain(article.url, matches,
                                             lambda url, seen: stored_matches(index, url, exclude=seen))
        traits = compute_traits(PageView(article, extracted.dom, tuple(matches)))
        if self.model is None:
            self.model = load_model()
        assessment = self.model.assess(traits)
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
            reasons=copy_reasons(matches) + assessment.reasons,
        )

    def score_target(self, target: Target) -> Verdict:
        """The verdict for one target; an unreadable target gives a verdict with ``error`` set."""
        try:
            extracted = load(target, self.fetcher if target.kind == "url" else None, self.config,
                             stdin_url=self.options.stdin_url)
        except InputError as err:
            return Verdict(target=target.name, url=target.name if target.kind == "url" else None, error=err.message)
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


def score(targets: str | Path | Sequence[str | Path], index: str | Path | Index | None = None,
          config: Config = DEFAULT, **options: object) -> list[Verdict]:
    """Score pages (paths, URLs, folders) against an index: the library entry point for notebooks.

    >>> verdicts = score("page.html", index="copies.sqlite")  # doctest: +SKIP
    """
    names = [str(targets)] if isinstance(targets, (str, Path)) else [str(t) for t in targets]
    opts = ScoreOptions(**options)  # type: ignore[arg-type]
    if isinstance(index, Index) or index is None:
        with Scorer(index, config, opts) as scorer:
            return list(scorer.score_all(names))
    with Index(index, config, readonly=True) as opened, Scorer(opened, config, opts) as scorer:
        return list(scorer.score_all(names))
