"""Domain audits: many pages in, per-page verdicts, per-domain scores, a copy graph and an offline report out.

``audit(sources, out)`` is the one entry point the CLI (``detector audit``) and notebooks call. Stages:
1. read/fetch every page (polite fetching for URLs) and extract it in worker processes, indexing each page
   into ``OUT/state/index.sqlite`` and checkpointing it to ``OUT/state/extracted.jsonl``;
2. once the whole batch is indexed, find every page's copies across the batch (and ``index``), in workers;
3. build ``pages``, ``domains`` and ``edges`` tables (parquet + CSV), ``copy_graph.graphml`` and ``report.html``.
A rerun with the same ``out`` skips the pages already done; a killed run loses at most the pages in flight.

Example:
    >>> result = audit(["datasets/demo/pages"], "out/demo")          # doctest: +SKIP
    >>> pl.read_parquet(result.domains).select("rank", "domain", "verdict")  # doctest: +SKIP
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

import polars as pl

from detector.audit_inputs import Item, audit_items
from detector.audit_output import write_graphml, write_table
from detector.audit_progress import Progress
from detector.audit_state import Checkpoint, digest, read_marker, write_marker
from detector.audit_tables import build_pages_and_page_edges, domains_table, edges_table
from detector.audit_worker import (Extraction, article_from_dict, init_stage1, init_stage2,
                                   run_stage1, run_stage2)
from detector.config import DEFAULT, Config
from detector.docprint import docprints
from detector.domain_lists import DomainLists
from detector.index import Index
from detector.politeness import Politeness, PoliteFetcher

Engine = Literal["local", "spark"]
T, R = TypeVar("T"), TypeVar("R")
INDEX_BATCH = 256


@dataclass(frozen=True, slots=True)
class AuditResult:
    """Where an audit wrote its outputs, and a summary (counts, top domains, timings)."""

    out: Path
    pages: Path
    domains: Path
    edges: Path
    graphml: Path
    report: Path | None
    summary: dict[str, Any] = field(default_factory=dict)

    def tables(self) -> dict[str, pl.DataFrame]:
        """The three tables as polars frames."""
        return {name: pl.read_parquet(getattr(self, name)) for name in ("pages", "domains", "edges")}


@dataclass(frozen=True, slots=True)
class AuditOptions:
    """Everything besides sources and ``out`` that shapes an audit (the CLI builds one from its flags)."""

    index: tuple[Path, ...] = ()
    workers: int | None = None
    engine: Engine = "local"
    lists: tuple[Path, ...] = ()
    politeness: Politeness = Politeness()
    allow_private: bool = False
    jsonl: bool = False
    progress: bool = False
    report: bool = True
    config: Config = DEFAULT


def _pool_map(func: Callable[[T], R], items: Iterable[T], workers: int, initializer: Callable[..., None],
              initargs: tuple[Any, ...]) -> Iterator[R]:
    """Results of ``func`` over ``items`` as they finish, with at most ``4 * workers`` items in flight.

    One worker runs in this process (no pickling, no start-up); more use forked processes.
    """
    if workers <= 1:
        initializer(*initargs)
        yield from map(func, items)
        return
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=initializer, initargs=initargs) as pool:
        source = iter(items)
        pending: set[Future[R]] = set()
        for item in source:
            pending.add(pool.submit(func, item))
            if len(pending) >= 4 * workers:
                break
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()
            for item in source:
                pending.add(pool.submit(func, item))
                if len(pending) >= 4 * workers:
                    break


def _items(sources: Sequence[str], options: AuditOptions, skip: set[str]) -> Iterator[Item]:
    """Local items first, then URLs fetched politely (each as a page, or as an error)."""
    urls: list[str] = []
    for item in audit_items(sources, jsonl=options.jsonl):
        if item.name in skip:
            continue
        if item.kind == "url":
            urls.append(item.name)
        else:
            yield item
    if urls:
        with PoliteFetcher(options.politeness, options.config, allow_private=options.allow_private) as fetcher:
            for url, result in fetcher.fetch_all(urls):
                yield Item(url, "page", page=result) if not isinstance(result, Exception) else Item(
                    url, "error", error=result.message)


def _stage1(sources: Sequence[str], state: Path, options: AuditOptions, workers: int, progress: Progress,
            on_error: Callable[[str, str], None] | None) -> dict[str, int]:
    checkpoint = Checkpoint(state / "extracted.jsonl")
    done = checkpoint.names()
    with Index(state / "index.sqlite", options.config) as index:
        _repair_index(index, checkpoint)
        total = None if "-" in sources else sum(1 for i in audit_items(sources, options.jsonl) if i.name not in done)
        task = progress.add("extract", total)
        batch: list[Extraction] = []
        counts = {"skipped": len(done), "extracted": 0, "errors": 0}

        def flush() -> None:
            if batch:
                index.add([e.article for e in batch if e.article], [e.docprint for e in batch if e.docprint])
                batch.clear()

        local = (i for i in _items(sources, options, done))
        for result in _pool_map(run_stage1, local, workers, init_stage1, (options.config,)):
            checkpoint.append({"name": result.name, "error": result.error, "verdict": result.verdict,
                               "article": result.article.to_dict() if result.article else None})
            if result.error:
                counts["errors"] += 1
                if on_error:
                    on_error(result.name, result.error)
            else:
                counts["extracted"] += 1
                batch.append(result)
                if len(batch) >= INDEX_BATCH:
                    flush()
            progress.advance(task)
        flush()
    checkpoint.close()
    return counts


def _repair_index(index: Index, checkpoint: Checkpoint) -> None:
    """Re-add checkpointed articles a killed run extracted but had not yet committed to the index."""
    present = set(index.urls())
    missing = [article_from_dict(r["article"]) for r in checkpoint.records()
               if r.get("article") and r["article"]["url"] not in present]
    for start in range(0, len(missing), INDEX_BATCH):
        part = missing[start:start + INDEX_BATCH]
        index.add(part, docprints([a.text for a in part], index.config))


def _stage2(state: Path, options: AuditOptions, workers: int, progress: Progress) -> None:
    extracted = Checkpoint(state / "extracted.jsonl")
    verdicts = Checkpoint(state / "verdicts.jsonl")
    indexes = [str(state / "index.sqlite"), *map(str, options.index)]
    marker = state / "stage2.json"
    page_set = digest(f"{r['name']}\t{(r.get('article') or {}).get('url')}" for r in extracted.records())
    extras = [f"{p}:{os.path.getsize(p)}:{os.path.getmtime(p)}" for p in map(str, options.index)]
    key = {"pages": page_set, "indexes": extras}
    if read_marker(marker) != key:
        verdicts.reset()
        write_marker(marker, key)
    done = verdicts.names()
    todo = sum(1 for r in extracted.records() if r["name"] not in done)
    task = progress.add("copies", todo)

    def tasks() -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
        for record in extracted.records():
            if record["name"] in done:
                continue
            if record.get("article") is None:
                verdicts.append({"name": record["name"], "verdict": record["verdict"]})
                progress.advance(task)
                continue
            yield record["verdict"], record["article"]

    for verdict in _pool_map(run_stage2, tasks(), workers, init_stage2, (options.config, indexes)):
        verdicts.append({"name": verdict["target"], "verdict": verdict})
        progress.advance(task)
    verdicts.close()


def audit(sources: Sequence[str | Path] | str | Path, out: str | Path, index: str | Path | Sequence[str | Path] | None = None,
          workers: int | None = None, engine: Engine = "local", *, options: AuditOptions | None = None,
          on_error: Callable[[str, str], None] | None = None, **overrides: Any) -> AuditResult:
    """Audit pages (URL lists, HTML folders, WARC files, JSONL documents) into tables and a report in ``out``.

    ``index`` adds existing copy indexes to search; ``workers`` defaults to all cores; ``overrides`` set any
    ``AuditOptions`` field (``lists=``, ``politeness=``, ``progress=``, ``allow_private=``, ``config=``...).
    ``on_error(name, message)`` is called once for every page that could not be audited.
    """
    names = [str(sources)] if isinstance(sources, (str, Path)) else [str(s) for s in sources]
    extra = () if index is None else (index,) if isinstance(index, (str, Path)) else tuple(index)
    base = options or AuditOptions()
    fields = {"index": tuple(Path(p) for p in extra) or base.index, "engine": engine or base.engine,
              "workers": workers or base.workers, **overrides}
    if "lists" in fields:
        fields["lists"] = tuple(Path(p) for p in fields["lists"])
    opts = AuditOptions(**{**{f: getattr(base, f) for f in AuditOptions.__slots__}, **fields})  # type: ignore[attr-defined]
    count = max(1, opts.workers or os.cpu_count() or 1)
    root = Path(out)
    state = root / "state"
    state.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with Progress(enabled=opts.progress) as progress:
        if opts.engine == "spark":
            from detector.spark_engine import spark_verdicts

            counts = spark_verdicts(names, state, opts, on_error)
        else:
            counts = _stage1(names, state, opts, count, progress, on_error)
            t1 = time.perf_counter()
            _stage2(state, opts, count, progress)
            counts["stage1_seconds"] = round(t1 - started, 3)
        task = progress.add("tables", None)
        result = _finish(root, state, opts)
        progress.advance(task)
    seconds = time.perf_counter() - started
    return AuditResult(**{**result, "summary": {**result["summary"], **counts, "seconds": round(seconds, 3),
                                                "workers": count, "engine": opts.engine}})


def _finish(root: Path, state: Path, opts: AuditOptions) -> dict[str, Any]:
    lists = DomainLists.load(opts.lists) if opts.lists else None
    lookup = lists.lookup if lists else None
    verdicts = Checkpoint(state / "verdicts.jsonl")
    pages, page_edges = build_pages_and_page_edges((r["verdict"] for r in verdicts.records()), lookup)
    edges = edges_table(page_edges, pages)
    domains = domains_table(pages, edges, lookup)
    paths = {name: write_table(frame, root, name)[0]
             for name, frame in (("pages", pages), ("domains", domains), ("edges", edges))}
    graphml = write_graphml(domains, edges, pages, root / "copy_graph.graphml")
    report = None
    if opts.report:
        from detector.report import write_report

        report = write_report(root / "report.html", pages, domains, edges, verdicts.records())
    top = domains.head(10).select("rank", "domain", "verdict", "score", "pages", "share_copied").to_dicts()
    summary = {"pages": pages.height, "errors": pages.filter(pl.col("error").is_not_null()).height,
               "domains": domains.height, "flagged": domains.filter(pl.col("verdict") != "clean").height,
               "top_domains": top}
    return {"out": root, **paths, "graphml": graphml, "report": report, "summary": summary}
