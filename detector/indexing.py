"""Building a copy index from pages as a user names them (files, folders, URLs, JSONL documents).

``add_pages`` is what ``detector index add`` runs: every target is read or fetched and extracted, and the
articles are committed ``batch`` at a time (a URL already in the index is replaced). A target that cannot be
read is refused (``on_error(name, message)``, counted in the report) and the rest are still added.

Example:
    >>> from detector.indexing import add_pages                       # doctest: +SKIP
    >>> add_pages("copies.sqlite", ["pages/", "https://example.com/story.html"])   # doctest: +SKIP
    PagesAdded(added=18, replaced=0, refused=0, documents=18)
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from detector import arguments
from detector.config import DEFAULT, Config
from detector.errors import InputError
from detector.politeness import named_page_fetcher
from detector.index import Index
from detector.records import Article
from detector.score import indexable
from detector.sources import expand, load


@dataclass(frozen=True, slots=True)
class PagesAdded:
    """What ``add_pages`` did: documents added, replaced (a URL stored before this call), refused, and the index's
    size after; ``skipped``: targets reading as the URL of an earlier target of the same call (kept: the first)."""

    added: int
    replaced: int
    refused: int
    documents: int
    skipped: int = 0


def add_pages(index: str | Path | Index, targets: str | Path | Sequence[str | Path], *, config: Config = DEFAULT,
              jsonl: bool = False, allow_private: bool = False, batch: int = 500,
              on_error: Callable[[str, str], None] | None = None,
              on_commit: Callable[[list[Article]], None] | None = None,
              on_skip: Callable[[str, str], None] | None = None) -> PagesAdded:
    """Read, extract and add pages to ``index`` (a path, created when missing, or an ``Index`` open for writing).

    ``targets`` are what ``detector score`` takes: URLs, ``.html``/``.htm``/``.html.gz`` files, folders of them
    (recursively), JSONL files of extracted documents (``.jsonl``, or any file with ``jsonl=True``).
    ``allow_private`` lets URLs on private or loopback addresses be fetched. ``on_error(name, message)`` hears
    of each refused target (without it, each is named on stderr in one line); ``on_commit(articles)`` of each
    batch once it is on disk.

    One page per URL: a target whose page reads as the URL of an earlier target of this call (a newsroom's AMP
    or print edition, whose canonical link names the article) is skipped, not stored over it (an outside probe's
    index held two AMP and print editions in place of their articles, unnamed); ``on_skip(name, message)``
    hears of each (without it, each is named on stderr). A URL stored by an earlier call is replaced: a page
    fetched again is its newer state.
    """
    names = arguments.names("targets", targets)
    arguments.flag("jsonl", jsonl)
    arguments.flag("allow_private", allow_private)
    if not isinstance(batch, int) or isinstance(batch, bool) or batch < 1:
        raise ValueError(f"batch: expected a whole number of documents >= 1, got {arguments.shown(batch)}")
    with ExitStack() as stack:
        opened = index if isinstance(index, Index) else stack.enter_context(Index(index, config))
        fetcher = stack.enter_context(named_page_fetcher(opened.config, allow_private=allow_private))
        added = replaced = refused = skipped = 0
        first_of: dict[str, str] = {}  # URL -> the target of this call it was first read from
        pending: list[Article] = []
        owns: list[float | None] = []

        def flush() -> None:
            nonlocal added, replaced
            if pending:
                report = opened.add(pending, probabilities=owns)
                added, replaced = added + report.added, replaced + report.replaced
                if on_commit:
                    on_commit(list(pending))
                pending.clear()
                owns.clear()

        for target in expand(names, jsonl=jsonl):
            try:
                article, own = indexable(load(target, fetcher, opened.config))
                if article.url in first_of:
                    skipped += 1
                    message = (f"reads as {article.url}, as {first_of[article.url]} did: not added (one page per "
                               "URL, the first kept; an AMP or print edition names its article as canonical, a saved "
                               "or archived copy the page it saved)")
                    if on_skip:
                        on_skip(target.name, message)
                    else:
                        print(f"{target.name}: {message}", file=sys.stderr)
                    continue
                first_of[article.url] = target.name
                pending.append(article)
                owns.append(own)
            except InputError as err:
                refused += 1
                if on_error:
                    on_error(target.name, err.message)
                else:  # a notebook's call must not drop a refusal unseen (the counts alone name nothing)
                    print(f"{target.name}: {err.message}", file=sys.stderr)
            if len(pending) >= batch:
                flush()
        flush()
        return PagesAdded(added, replaced, refused, len(opened), skipped)
