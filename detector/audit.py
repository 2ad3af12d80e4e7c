"""Domain audits: many pages in, per-page verdicts, per-domain scores, a copy graph and an offline report out.

``audit(sources, out)`` is the one entry point the CLI (``detector audit``) and notebooks call. Stages:
1. read/fetch every page (polite fetching for URLs) and extract it in worker processes, indexing each page
   into ``OUT/state/index.sqlite`` and checkpointing it to ``OUT/state/extracted.jsonl``;
2. once the whole batch is indexed, find every page's copies across the batch (and ``index``), in the same
   worker processes;
3. build ``pages``, ``domains`` and ``edges`` tables (parquet + CSV), ``copy_graph.graphml`` and ``report.html``,
   streaming the verdicts so memory stays bounded (``audit_finish``).
A rerun with the same ``out`` skips the pages already done; a killed run loses at most the pages in flight.
A run into a folder that holds pages of other sources adds its pages to them (one warning on stderr and in
``summary["warnings"]``). Arguments are checked before any work: an unknown engine, a missing domain list or
an ``out`` that is a file stop the call with one line naming them; an ``index`` that cannot be read is
refused (``on_error``, or a ``refused`` line on stderr without it) and the audit goes on without it.

Example:
    >>> result = audit(["datasets/demo/pages"], "out/demo")          # doctest: +SKIP
    >>> pl.read_parquet(result.domains).select("rank", "domain", "verdict")  # doctest: +SKIP
"""

from __future__ import annotations

import ctypes
import json
import multiprocessing
import os
import queue
import signal
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, TypeVar

import polars as pl

from detector import arguments
from detector.audit_inputs import Item, audit_items
from detector.audit_finish import finish
from detector.audit_progress import Progress
from detector.audit_state import (Checkpoint, PageStamps, claim_folder, digest, file_stamp, name_and_url, name_order,
                                  pages_gone, read_marker, shared_pages, shared_urls, source_aliases, sources_changed,
                                  sources_edited, write_marker)
from detector.audit_worker import (Extraction, article_from_dict, init_worker, release_worker, run_stage1,
                                   run_stage2_line)
from detector.config import DEFAULT, Config
from detector.docprint import docprints, from_query_record
from detector.domain_lists import DomainLists
from detector.errors import AuditBusy, IndexError_
from detector.index import Index
from detector.politeness import Politeness, PoliteFetcher

Engine = Literal["local", "spark"]
ENGINES = ("local", "spark")
T, R = TypeVar("T"), TypeVar("R")
INDEX_BATCH = 256
WRITER_CACHE_MIB = 64  # SQLite page cache of the run's index writer: bounded however many pages are indexed


@dataclass(frozen=True, slots=True)
class AuditResult:
    """Where an audit wrote its outputs (paths in ``out``; ``report`` is None with ``report=False``), and a
    summary: ``inputs`` (rows of the pages table), ``pages`` (read), ``errors`` (refused, by this run or an
    earlier one into ``out``), ``domains``, ``flagged``, ``top_domains`` (the first 10 rows of the domains table,
    a few columns), ``skipped`` (pages a previous run into ``out`` had done), ``retried`` (inputs an
    earlier run had refused, tried again with ``retry_refused=True``), ``read_again`` (page files edited since
    an earlier run into ``out`` read them: read again, and the copy search redone), ``extracted``,
    ``refused_this_run``, ``warnings`` (one line each: a refused index, sources that differ from the folder's
    earlier runs), ``seconds``, ``workers``, ``engine``."""

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
    """Everything besides sources and ``out`` that shapes an audit (the CLI builds one from its flags).

    ``index`` and ``lists`` take one path (``str`` or ``Path``) or a list of them; ``engine`` is ``local`` or
    ``spark``; the flags must be ``True``/``False``. Anything else is refused when the options are made.
    """

    index: tuple[Path, ...] = ()
    workers: int | None = None
    engine: Engine = "local"
    lists: tuple[Path, ...] = ()
    politeness: Politeness = Politeness()
    allow_private: bool = False
    jsonl: bool = False
    progress: bool = False
    report: bool = True
    retry_refused: bool = False
    config: Config = DEFAULT

    def __post_init__(self) -> None:
        object.__setattr__(self, "index", arguments.paths("index", self.index))
        object.__setattr__(self, "lists", arguments.paths("lists", self.lists))
        arguments.choice("engine", self.engine, ENGINES)
        arguments.count("workers", self.workers)
        arguments.of_type("config", self.config, Config)
        for name in ("allow_private", "jsonl", "progress", "report", "retry_refused"):
            arguments.flag(name, getattr(self, name))


def _pool_worker_start(parent: int, initializer: Callable[..., None], initargs: tuple[Any, ...]) -> None:
    """Start of a pool worker: tie its life to the audit process, then run the audit's own initializer.

    A worker left behind by a killed audit (``kill -9``, the OOM killer) goes on holding the run's index open
    and its memory; on Linux the kernel is asked to kill it when its parent dies (``PR_SET_PDEATHSIG``).
    """
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # no prctl: the worker ends when it next reads from the dead parent
            pass
        if os.getppid() != parent:  # the parent died before the request took effect
            os._exit(1)
    initializer(*initargs)


_PR_SET_PDEATHSIG = 1


class Workers:
    """The audit's worker processes, started once and used by both stages, so the second stage finds them
    warm (modules imported, classifier loaded) instead of paying a new pool's start-up.

    ``map(func, items)`` yields results as they finish, with at most ``4 * count`` items in flight. One worker
    runs in this process (no pickling, no start-up); more use forked processes.
    """

    def __init__(self, count: int, initializer: Callable[..., None], initargs: tuple[Any, ...],
                 release: Callable[[], None] | None = None) -> None:
        self.count = count
        self._init = (initializer, initargs)
        self._release = release  # undoes ``initializer`` when it ran in this process
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> "Workers":
        initializer, initargs = self._init
        if self.count <= 1:
            initializer(*initargs)
        else:
            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            self._pool = ProcessPoolExecutor(self.count, mp_context=multiprocessing.get_context(method),
                                             initializer=_pool_worker_start, initargs=(os.getpid(), initializer, initargs))
            # Start the workers now, from this thread: ``map`` submits from a feeder thread, and a worker's
            # PR_SET_PDEATHSIG fires when the *thread* that forked it ends, not only the process.
            self._pool.submit(os.getpid).result()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        elif self._release is not None:
            self._release()

    def map(self, func: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """``func`` of each item, in the order they finish, at most ``4 x count`` items submitted ahead.

        With a pool, the items are drawn on a feeder thread: a slow source (pages fetched a delay apart, one
        URL that hangs) must not hold finished pages back from the caller's checkpoint, or an interrupted run
        loses them all. An error of the source is raised here, after the results finished before it.
        """
        if self._pool is None:
            yield from map(func, items)
            return
        pool = self._pool
        room = threading.Semaphore(4 * self.count)
        finished: queue.SimpleQueue[Future[R] | _FeedEnd] = queue.SimpleQueue()
        stop = threading.Event()

        def feed() -> None:
            submitted, error = 0, None
            try:
                for item in items:
                    room.acquire()
                    if stop.is_set():
                        break
                    pool.submit(func, item).add_done_callback(finished.put)
                    submitted += 1
            except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
                error = exc
            finished.put(_FeedEnd(submitted, error))

        threading.Thread(target=feed, name="audit-feed", daemon=True).start()
        received, end = 0, None
        try:
            while end is None or received < end.submitted:
                try:  # a wait without a timeout is not interrupted by Ctrl-C until a result comes
                    got = finished.get(timeout=_WAKE_S)
                except queue.Empty:
                    continue
                if isinstance(got, _FeedEnd):
                    end = got
                    continue
                received += 1
                room.release()
                yield got.result()
            if end.error is not None:
                raise end.error
        finally:
            stop.set()
            room.release()  # a feeder waiting for room sees the stop


#: How often the parent, waiting for a worker's result, wakes to take a Ctrl-C (a SimpleQueue.get without a
#: timeout only raised KeyboardInterrupt once the next result came: 20 s with a slow server's page in flight).
_WAKE_S = 0.2


@dataclass(frozen=True, slots=True)
class _FeedEnd:
    """The feeder thread's last word: how many items it submitted, and the source's error if it raised."""

    submitted: int
    error: BaseException | None


def _items(sources: Sequence[str], options: AuditOptions, fetcher: PoliteFetcher,
           skip: Callable[[Item], bool] = lambda _item: False, aliases: dict[str, str] | None = None,
           tallies: dict[str, Counter[str]] | None = None) -> Iterator[Item]:
    """Local items first, then URLs fetched politely by ``fetcher`` (each as a page, or as an error); ``skip``
    says which items are done; ``tallies`` receives each WARC file's records counted by kind."""
    urls: list[str] = []
    for item in audit_items(sources, jsonl=options.jsonl, aliases=aliases, tallies=tallies):
        if skip(item):
            continue
        if item.kind == "url":
            urls.append(item.name)
        else:
            yield item
    for url, result in fetcher.fetch_all(urls):
        yield Item(url, "page", page=result) if not isinstance(result, Exception) else Item(
            url, "error", error=result.message)


def _fetcher(options: AuditOptions) -> PoliteFetcher:
    return PoliteFetcher(options.politeness, options.config, allow_private=options.allow_private)


def _stage1(sources: Sequence[str], state: Path, options: AuditOptions, workers: Workers, progress: Progress,
            on_error: Callable[[str, str], None] | None) -> dict[str, int]:
    checkpoint = Checkpoint(state / "extracted.jsonl")
    retried = checkpoint.drop_errors() if options.retry_refused else 0
    aliases = source_aliases(state, sources)
    stamps = PageStamps(state)
    edited: set[str] = set()
    # page files in flight, with their stamps taken before they were read: noted once their records are written
    reading: dict[str, list[int] | None] = {}
    listed: set[str] = set()  # every input this run's sources name

    def skip(item: Item) -> bool:
        """Done, unless it is a page file edited since it was read: then it is read again (its earlier record
        gives way, and stage 2 starts over: ``_supersede``)."""
        listed.add(item.name)
        stamp = file_stamp(item.path) if item.kind == "file" and item.path is not None else None
        if item.name in done and not stamps.changed(item.name, stamp):
            stamps.note(item.name, stamp)  # a page read before stamps were kept
            return True
        if item.name in done:
            edited.add(item.name)
        if stamp is not None:
            reading[item.name] = stamp
        return False

    with ExitStack() as stack:
        index = stack.enter_context(Index(state / "index.sqlite", options.config))
        index.limit_cache(WRITER_CACHE_MIB)
        _supersede(checkpoint, index, state)  # a run killed between reading an edited page and dropping its old record
        done = checkpoint.names()
        _repair_index(index, checkpoint)
        total = None if "-" in sources or not progress.enabled else sum(
            1 for i in audit_items(sources, options.jsonl, aliases) if i.name not in done or (
                i.kind == "file" and i.path is not None and stamps.changed(i.name, file_stamp(i.path))))
        task = progress.add("extract", total)
        batch: list[Extraction] = []
        counts = {"retried": retried, "extracted": 0, "refused_this_run": 0}

        def flush() -> None:
            if batch:
                kept = [e for e in batch if e.article and e.docprint]
                index.add([e.article for e in kept], [e.docprint for e in kept],  # type: ignore[misc]
                          [e.verdict.get("farm_probability") for e in kept])
                batch.clear()
            stamps.save()

        fetcher = stack.enter_context(_fetcher(options))
        tallies: dict[str, Counter[str]] = {}
        local = (i for i in _items(sources, options, fetcher, skip, aliases, tallies))
        try:
            for result, line in workers.map(run_stage1, local):
                checkpoint.append_line(line)
                if result.name in reading:
                    stamps.note(result.name, reading.pop(result.name))
                if result.error:
                    counts["refused_this_run"] += 1
                    if on_error:
                        on_error(result.name, result.error)
                else:
                    counts["extracted"] += 1
                    batch.append(result)
                    if len(batch) >= INDEX_BATCH:
                        flush()
                progress.advance(task)
        except BaseException:
            fetcher.stop()  # the feeder thread's fetches give up now, not at a slow server's time limit
            raise
        flush()
        _supersede(checkpoint, index, state)
    folders = [str(Path(aliases.get(source, source))) + os.sep for source in sources if Path(source).is_dir()]
    gone = [name for name in stamps.stamps if name not in listed and name.startswith(tuple(folders))]
    return {**counts, "skipped": len(done) - len(edited), "read_again": len(edited),
            "warc_records": warc_records(tallies), "gone": sorted(gone, key=name_order)}


def warc_records(tallies: dict[str, Counter[str]]) -> dict[str, dict[str, int]]:
    """``summary["warc_records"]``: each WARC file's records by kind, the most common first."""
    return {name: dict(sorted(tally.items(), key=lambda kv: (-kv[1], kv[0]))) for name, tally in tallies.items()}


def _supersede(checkpoint: Checkpoint, index: Index, state: Path) -> None:
    """The earlier records of pages read again give way (``Checkpoint.supersede``), and so do their URLs in the
    batch's index when the page now names another one (its canonical link was changed, say); stage 2 then
    starts over."""
    def forget(stale: set[str]) -> None:  # before the checkpoint changes, so a kill can only leave work to redo
        index.remove(stale)
        (state / "stage2.json").unlink(missing_ok=True)

    checkpoint.supersede(before_replace=forget)


def _repair_index(index: Index, checkpoint: Checkpoint) -> None:
    """Re-add checkpointed articles a killed run extracted but had not yet committed to the index."""
    present = set(index.urls())
    lines = [line for line, (_, url) in checkpoint.heads(("name", "url"), name_and_url) if url and url not in present]
    records = [json.loads(line) for line in lines]
    missing = [article_from_dict(r["article"]) for r in records]
    owns = [(r.get("verdict") or {}).get("farm_probability") for r in records]
    for start in range(0, len(missing), INDEX_BATCH):
        part = missing[start:start + INDEX_BATCH]
        index.add(part, docprints([a.text for a in part], index.config), owns[start:start + INDEX_BATCH])


def _index_first_readings(state: Path, extracted: Checkpoint, shared: dict[str, list[str]], config: Config) -> None:
    """For a URL more than one input read as (``shared_pages``), the batch's index holds the first input's page,
    the one the tables count: stage 1 indexed them as the workers finished, so the last to finish had won."""
    first = {names[0] for names in shared.values()}
    if not first:
        return
    records = [json.loads(line) for line, (name, _) in extracted.heads(("name", "url"), name_and_url) if name in first]
    records = [r for r in records if r.get("article")]
    if not records:
        return
    with Index(state / "index.sqlite", config) as index:
        prints = [from_query_record(r.get("print"), index.config.fingerprint) for r in records]
        known = None if any(p is None for p in prints) else prints
        index.add([article_from_dict(r["article"]) for r in records], known,
                  [(r.get("verdict") or {}).get("farm_probability") for r in records])


def _stage2(state: Path, options: AuditOptions, workers: Workers, progress: Progress,
            on_error: Callable[[str, str], None] | None, warn: Callable[[str], None]) -> int:
    """Copy search for every extracted page not yet in ``verdicts.jsonl``. The workers parse the checkpoint
    lines and serialise the verdicts; the parent reads only each line's name and URL, and writes (and ``warn``s
    of inputs read as one page URL, ``shared_urls``)."""
    extracted = Checkpoint(state / "extracted.jsonl")
    verdicts = Checkpoint(state / "verdicts.jsonl")
    marker = state / "stage2.json"
    heads = [values for _, values in extracted.heads(("name", "url"), name_and_url)]
    shared = shared_pages(heads)
    if (warning := shared_urls(shared, state.parent)) is not None:
        warn(warning)
    page_set = digest(f"{name}\t{url}" for name, url in heads)
    extras = [f"{p}:{os.path.getsize(p)}:{os.path.getmtime(p)}" for p in map(str, options.index)]
    key = {"pages": page_set, "indexes": extras}
    if read_marker(marker) != key:
        verdicts.reset()
        _index_first_readings(state, extracted, shared, options.config)
        write_marker(marker, key)
    done = verdicts.names()
    task = progress.add("copies", sum(1 for name, _ in heads if name not in done))
    del heads
    todo = (line for line, (name, _) in extracted.heads(("name", "url"), name_and_url) if name not in done)
    failed = 0
    for name, error, line in workers.map(run_stage2_line, todo):
        verdicts.append_line(line)
        if error:
            failed += 1
            if on_error:
                on_error(name, error)
        progress.advance(task)
    verdicts.close()
    return failed


def audit(sources: Sequence[str | Path] | str | Path, out: str | Path, index: str | Path | Sequence[str | Path] | None = None,
          workers: int | None = None, engine: Engine = "local", *, options: AuditOptions | None = None,
          on_error: Callable[[str, str], None] | None = None, **overrides: Any) -> AuditResult:
    """Audit pages (URL lists, HTML folders, WARC files, JSONL documents) into tables and a report in ``out``.

    ``sources`` is one source (``str`` or ``Path``) or a list of them; ``out`` the output folder (a rerun
    into it resumes; see the module docstring). ``index`` adds existing copy indexes to search (one path or a
    list); ``workers`` defaults to all cores; ``engine`` is ``local`` (processes) or ``spark`` (the ``spark``
    extra); ``options`` an ``AuditOptions`` to start from; ``overrides`` set any ``AuditOptions`` field
    (``lists=``, ``politeness=``, ``progress=``, ``allow_private=``, ``jsonl=``, ``report=``, ``retry_refused=``,
    ``config=``). A rerun into ``out`` skips the inputs an earlier run refused, unless ``retry_refused=True`` (a
    site that was down, a timeout): then they are tried again.
    ``on_error(name, message)`` is called once for every page that could not be audited, and for every
    ``index`` that cannot be read (without ``on_error``, that index is named on stderr).

    Returns an ``AuditResult``: the paths of the tables, graph and report, and the ``summary``. Refused pages
    do not raise: they are rows of the pages table with ``error`` set. Bad arguments raise before any work:
    ``TypeError``/``ValueError`` (unknown engine or option, a non-bool flag), ``FileNotFoundError`` (a
    missing domain list), ``NotADirectoryError`` (``out`` is a file).
    """
    names = arguments.names("sources", sources)
    base = options or AuditOptions()
    arguments.known_options("audit", overrides, AuditOptions.__slots__)  # type: ignore[attr-defined]
    fields = {"index": arguments.paths("index", index) or base.index, "engine": engine or base.engine,
              "workers": base.workers if workers is None else workers, **overrides}
    opts = AuditOptions(**{**{f: getattr(base, f) for f in AuditOptions.__slots__}, **fields})  # type: ignore[attr-defined]
    root = _out_folder(out)
    lists = DomainLists.load(opts.lists) if opts.lists else None  # a missing list stops the call here
    opts, warnings = _readable_indexes(opts, on_error)
    skipped = {name: c["skipped"] for name, c in (lists.summary() if lists else {}).items() if c["skipped"]}
    if skipped:  # a line of a list that is no domain or pattern would otherwise vanish unseen; one warning for
        # all lists (the public lists printed eight lines on every run, an outside probe)
        each = ", ".join(f"{name} {count}" for name, count in skipped.items())
        _warn(warnings, f"domain lists: {sum(skipped.values())} line(s) are neither a domain nor a pattern, "
                        f"skipped ({each})")
    state = root / "state"
    try:
        state.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise type(err)(f"{root}: cannot create the audit's output folder ({err.strerror or err})") from None
    with _only_audit_of(root, state):
        return _run(names, root, state, opts, lists, warnings, on_error)


@contextmanager
def _only_audit_of(root: Path, state: Path) -> Iterator[None]:
    """Hold ``out`` for this audit: a second audit into the same folder at the same time would interleave two
    runs' checkpoints (an outside probe got empty tables that way); it is refused in one line instead. The lock
    is the kernel's (``flock``), so a killed audit never leaves the folder locked."""
    try:
        import fcntl
    except ImportError:  # not on POSIX: no lock, as before
        yield
        return
    try:
        handle = open(state / "lock", "a+", encoding="utf-8")  # noqa: SIM115 - closed by the with below
    except OSError as err:  # a read-only mount: one line naming the folder, not a bare errno and a path
        raise type(err)(f"{root}: cannot write into the audit's output folder ({err.strerror or err})") from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            busy = f"{root}: another audit is writing into this folder; wait for it, or use another --out"
            raise AuditBusy(busy) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _run(names: list[str], root: Path, state: Path, opts: AuditOptions, lists: DomainLists | None,
         warnings: list[str], on_error: Callable[[str, str], None] | None) -> AuditResult:
    """The audit proper, once ``out`` is held (see ``audit``)."""
    count = max(1, opts.workers or os.cpu_count() or 1)
    claim_folder(state, opts.engine, opts.config)
    if opts.engine == "local":  # Spark starts afresh
        for warning in (sources_changed(state, names), sources_edited(state, names)):
            if warning:
                _warn(warnings, warning)
    started = time.perf_counter()
    with Progress(enabled=opts.progress) as progress:
        if opts.engine == "spark":
            from detector.spark_engine import spark_audit

            counts = spark_audit(names, state, opts, on_error, lambda warning: _warn(warnings, warning))
        else:
            indexes = [str(state / "index.sqlite"), *map(str, opts.index)]
            with Workers(count, init_worker, (opts.config, indexes), release_worker) as workers:
                counts = _stage1(names, state, opts, workers, progress, on_error)
                if (warning := pages_gone(state, counts["gone"])) is not None:
                    _warn(warnings, warning)
                t1 = time.perf_counter()
                counts["refused_this_run"] += _stage2(state, opts, workers, progress, on_error,
                                                      lambda warning: _warn(warnings, warning))
            counts["stage1_seconds"] = round(t1 - started, 3)
            counts["stage2_seconds"] = round(time.perf_counter() - t1, 3)
        task = progress.add("tables", None)
        result = _finish(root, state, opts, lists)
        progress.advance(task)
    if result["summary"].get("siteless"):
        _warn(warnings, f"{result['summary']['siteless']} page(s) name no address or site of their own (saved "
                        "without a URL, canonical link or og:url, and no site their links and names point to): "
                        "they are in the pages table, in no domain")
    seconds = time.perf_counter() - started
    return AuditResult(**{**result, "summary": {**result["summary"], **counts, "warnings": warnings,
                                                "seconds": round(seconds, 3), "workers": count,
                                                "engine": opts.engine}})


def _warn(warnings: list[str], message: str) -> None:
    """One ``warning:`` line, kept for ``summary["warnings"]`` and written to stderr at once."""
    warnings.append(f"warning: {message}")
    sys.stderr.write(warnings[-1] + "\n")
    sys.stderr.flush()


def _out_folder(out: str | Path) -> Path:
    """``out`` as a folder path; a file there is refused before any work (one line naming it)."""
    root = arguments.one_path("out", out)
    if root.exists() and not root.is_dir():
        raise NotADirectoryError(f"{root}: is a file; an audit writes its tables into a folder (give a new one, "
                                 "or one an earlier audit wrote)")
    return root


def _readable_indexes(opts: AuditOptions, on_error: Callable[[str, str], None] | None
                      ) -> tuple[AuditOptions, list[str]]:
    """The options without the ``--index`` files that cannot be read, and a ``refused`` line for each. Each
    is reported once, before any work (to ``on_error``, else on stderr): the audit goes on with the others,
    never finding out page by page that an index is damaged, and never silently without one the user named."""
    good: list[Path] = []
    refused: list[str] = []
    for path in opts.index:
        try:
            Index(path, readonly=True).close()
        except IndexError_ as err:
            message = f"{str(err).removeprefix(f'{path}: ')}; the audit goes on without this index"
            refused.append(f"refused {path}: {message}")
            if on_error:
                on_error(str(path), message)
            else:
                sys.stderr.write(f"refused {path}: {message}\n")
                sys.stderr.flush()
            continue
        good.append(path)
    return (opts if len(good) == len(opts.index) else replace(opts, index=tuple(good))), refused


def _finish(root: Path, state: Path, opts: AuditOptions, lists: DomainLists | None) -> dict[str, Any]:
    verdicts = Checkpoint(state / "verdicts.jsonl")
    return finish(root, lambda: (r["verdict"] for r in verdicts.records_by_name()), lists.lookup if lists else None,
                  report=opts.report)
