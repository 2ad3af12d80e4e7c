"""An audit's checkpoints under ``OUT/state``: append-only JSONL files that make a rerun resumable.

``extracted.jsonl`` holds one line per page after stage 1 (article, page-local verdict, or error);
``verdicts.jsonl`` one line per page after stage 2 (the full verdict); ``stage2.json`` the digest of the page
set stage 2 was run on (when the pages change, stage 2 starts over, since any page may be a new source);
``sources.json`` every source the folder's runs were given (``sources_changed`` warns when a rerun differs);
``pages.json`` the size and time of every page file read (``PageStamps``: a page file edited since is read again).
Each line is flushed as it is written, and a line cut short by a kill is dropped on reopen, so a killed run
loses at most the pages in flight. A record's first keys (``name``, and ``url`` in ``extracted.jsonl``) can be
read without parsing the rest of its line (``heads``), so the parent process of a large audit never decodes
a whole article just to learn which page a line is.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from detector.config import Config
from detector.errors import AuditFolderMismatch
from detector.sources import file_kind


_DECODER = json.JSONDecoder()


def line_head(line: str, keys: tuple[str, ...]) -> tuple[Any, ...] | None:
    """The values of a record's first ``keys``, in order, read from its JSON line without parsing the rest
    (None when the line does not start with exactly those keys, as ``Checkpoint.append`` writes them)."""
    values, pos = [], 1
    try:
        for key in keys:
            prefix = f'"{key}": '
            if not line.startswith(prefix, pos):
                return None
            value, pos = _DECODER.raw_decode(line, pos + len(prefix))
            values.append(value)
            pos += 2 if line.startswith(", ", pos) else 0
    except ValueError:
        return None
    return tuple(values) if line.startswith("{") else None


class Checkpoint:
    """One append-only JSONL checkpoint file; ``names()`` are the pages it already holds."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._repair()
        self._handle: IO[str] | None = None

    def _repair(self) -> None:
        """Cut a trailing partial line (a run killed mid-write) so appends start on a fresh line."""
        if not self.path.exists() or self.path.stat().st_size == 0:
            return
        with open(self.path, "rb+") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.seek(max(0, size - 1))
            if handle.read(1) == b"\n":
                return
            position = size
            while position > 0:
                step = min(65536, position)
                handle.seek(position - step)
                chunk = handle.read(step)
                cut = chunk.rfind(b"\n")
                if cut >= 0:
                    handle.truncate(position - step + cut + 1)
                    return
                position -= step
            handle.truncate(0)

    def records(self) -> Iterator[dict[str, Any]]:
        """Every complete record, in the order written."""
        if not self.path.exists():
            return
        with open(self.path, encoding="utf-8") as handle:
            for line in handle:
                try:
                    yield json.loads(line)
                except json.JSONDecodeError:
                    continue

    def records_by_name(self) -> Iterator[dict[str, Any]]:
        """Every complete record, ordered by its ``name`` (``name_order``, then as written), read one at a time: the
        tables of two runs of one audit, or of the two engines, list their pages in one order, however the workers
        finished (and of two records of one URL the same is first)."""
        if not self.path.exists():
            return
        spots: list[tuple[str, int]] = []
        with open(self.path, "rb") as handle:
            offset = 0
            for raw in handle:
                if raw.endswith(b"\n"):
                    head = line_head(raw.decode("utf-8", "replace"), ("name",))
                    spots.append((str(head[0]) if head else "", offset))
                offset += len(raw)
            spots.sort(key=lambda spot: (name_order(spot[0]), spot[1]))
            for _, where in spots:
                handle.seek(where)
                try:
                    yield json.loads(handle.readline())
                except json.JSONDecodeError:
                    continue

    def lines(self) -> Iterator[str]:
        """Every complete line (a record's JSON), in the order written."""
        if not self.path.exists():
            return
        with open(self.path, encoding="utf-8") as handle:
            for line in handle:
                if line.endswith("\n"):
                    yield line

    def heads(self, keys: tuple[str, ...], fallback: Callable[[dict[str, Any]], tuple[Any, ...]]
              ) -> Iterator[tuple[str, tuple[Any, ...]]]:
        """``(line, values of its first keys)`` for every record; ``fallback(record)`` gives the values of a
        line written in another shape (it is then parsed whole; an unparseable line is skipped)."""
        return ((line, values) for line, values in self._all_heads(keys, fallback) if values is not None)

    def _all_heads(self, keys: tuple[str, ...], fallback: Callable[[dict[str, Any]], tuple[Any, ...]]
                   ) -> Iterator[tuple[str, tuple[Any, ...] | None]]:
        """``heads``, with None for a line that cannot be read as a record (instead of skipping it)."""
        for line in self.lines():
            values = line_head(line, keys)
            if values is None:
                try:
                    values = fallback(json.loads(line))
                except (ValueError, KeyError, TypeError, AttributeError):
                    values = None
            yield line, values

    def names(self) -> set[str]:
        return {values[0] for _, values in self.heads(("name",), lambda r: (r["name"],))}

    def drop_errors(self) -> int:
        """Remove the records of refused pages (``error`` set), so that a rerun tries those inputs again; returns
        how many were removed. The file is rewritten beside itself and swapped in, so a kill meanwhile leaves
        either the old file or the new one, whole."""
        if not self.path.exists():
            return 0
        self.close()
        dropped = 0
        tmp = self.path.with_suffix(".retry.tmp")
        with open(self.path, encoding="utf-8") as src, open(tmp, "w", encoding="utf-8") as dst:
            for line in src:
                head = line_head(line, ("name", "url", "error"))
                if head is None:
                    try:
                        failed = bool(json.loads(line).get("error"))
                    except (ValueError, AttributeError):
                        failed = False
                else:
                    failed = bool(head[2])
                if failed:
                    dropped += 1
                else:
                    dst.write(line)
            dst.flush()
            os.fsync(dst.fileno())
        if dropped:
            os.replace(tmp, self.path)
        else:
            tmp.unlink()
        return dropped

    def supersede(self, before_replace: Callable[[set[str]], None] | None = None) -> tuple[int, set[str]]:
        """Keep only the last record of each page recorded more than once (a page file read again after an edit;
        a run killed before it could drop the earlier record). Earlier records are removed the way
        ``drop_errors`` removes records, in two streaming passes. Returns how many were removed, and the URLs of
        the removed records that no kept record has; ``before_replace(those URLs)`` runs before the new file is
        swapped in (the batch's index drops them there: a kill after the swap would otherwise leave them in it
        for good, as no record would then say they were stale)."""
        if not self.path.exists():
            return 0, set()
        self.close()
        names = [values[0] if values else None for _, values in self._all_heads(("name", "url"), name_and_url)]
        last = {name: i for i, name in enumerate(names) if name is not None}
        if len(last) == sum(1 for name in names if name is not None):
            return 0, set()
        dropped = 0
        removed: set[str] = set()
        kept: set[str | None] = set()
        tmp = self.path.with_suffix(".supersede.tmp")
        with open(tmp, "w", encoding="utf-8") as dst:
            for i, (line, values) in enumerate(self._all_heads(("name", "url"), name_and_url)):
                if values is not None and last[values[0]] != i:
                    removed.add(values[1] or "")
                    dropped += 1
                    continue
                dst.write(line)
                kept.add(values[1] if values else None)
            dst.flush()
            os.fsync(dst.fileno())
        stale = {url for url in removed if url} - kept
        if before_replace is not None:
            before_replace(stale)
        os.replace(tmp, self.path)
        return dropped, stale

    def append(self, record: dict[str, Any]) -> None:
        self.append_line(record_line(record))

    def append_line(self, line: str) -> None:
        """Append a record already serialised by ``record_line`` (a worker process may have made it)."""
        if self._handle is None:
            self._handle = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 - closed in close()
        self._handle.write(line)
        self._handle.flush()

    def reset(self) -> None:
        self.close()
        self.path.unlink(missing_ok=True)

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


def name_and_url(record: dict[str, Any]) -> tuple[str, str | None]:
    """Name and article URL of an ``extracted.jsonl`` record written in another shape (the ``heads`` fallback)."""
    return record["name"], record.get("url") or (record.get("article") or {}).get("url")


def file_stamp(path: str | Path) -> list[int] | None:
    """A file's size and modification time (ns), what tells an edited file; None when it cannot be read."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns]


class PageStamps:
    """Size and modification time of each page file an audit read (``state/pages.json``, by page name).

    Pages are named by their path, so a rerun into the same folder would skip a page edited since and keep
    its old verdict (an outside probe removed a reprint's credit line and still read "clean"). A page file
    whose stamp changed is read again instead. A page read before stamps were kept gets its stamp now."""

    def __init__(self, state: Path) -> None:
        self.path = state / "pages.json"
        stored = read_marker(self.path)
        self.stamps: dict[str, list[int]] = stored if isinstance(stored, dict) else {}
        self._dirty = False

    def changed(self, name: str, stamp: list[int] | None) -> bool:
        """Whether the page file ``name`` now stamped ``stamp`` (``file_stamp``) differs from when it was noted
        (no stamp noted yet: unchanged)."""
        old = self.stamps.get(name)
        return old is not None and old != stamp

    def note(self, name: str, stamp: list[int] | None) -> None:
        """Keep ``stamp`` as the page's, taken before the file was read: an edit made while it was read is then
        still seen as one next time."""
        if stamp is not None and self.stamps.get(name) != stamp:
            self.stamps[name] = stamp
            self._dirty = True

    def save(self) -> None:
        if self._dirty:
            write_marker(self.path, self.stamps)
            self._dirty = False


def record_line(record: dict[str, Any]) -> str:
    """One checkpoint line: the record as JSON (keys in the order given) and a newline."""
    return json.dumps(record, ensure_ascii=False, default=str) + "\n"


def digest(parts: Iterable[str]) -> str:
    """A short hash of the page set (sorted), used to tell whether stage 2 must start over."""
    hasher = hashlib.sha256()
    for part in sorted(parts):
        hasher.update(part.encode("utf-8", "replace") + b"\0")
    return hasher.hexdigest()[:16]


def read_marker(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_marker(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp, path)


#: Settings that decide only which inputs are read (fetch and extraction limits), not how a page read is judged:
#: a rerun may change them (a longer timeout with ``--retry-refused``); any other setting is the folder's.
READING_SETTINGS = frozenset({"timeout_s", "max_bytes", "max_redirects", "extract_timeout_s", "user_agent"})


def claim_folder(state: Path, engine: str, config: Config) -> None:
    """Note in ``state/settings.json`` which engine and which judging settings (``Config`` but
    ``READING_SETTINGS``) audit into this folder; raise ``AuditFolderMismatch`` (one line naming the folder)
    when an earlier run into it used another engine or other settings, whose results this run would mix with
    its own or replace: a rerun with another ``--config`` said "96 done in an earlier run" and kept the old
    verdicts, a resumed one judged half the pages one way and half the other (an outside probe); a Spark run
    into a local run's folder replaced its results, and a local run would have taken Spark's verdicts as its
    own. Nothing stored is touched: the user picks another ``--out`` or the earlier engine and settings."""
    marker = state / "settings.json"
    settings = {k: v for k, v in sorted(config.to_dict().items()) if k not in READING_SETTINGS}
    before = read_marker(marker)
    engine_before, settings_before = before.get("engine"), before.get("settings")
    if engine_before is None and (state / "extracted.jsonl").exists() and (state / "extracted.jsonl").stat().st_size:
        engine_before = "local"  # a folder from before this marker: its settings are unknown, and taken as these
    elif engine_before is None and (state / "spark.json").exists():
        engine_before = "spark"
    if engine_before is not None and engine_before != engine:
        raise AuditFolderMismatch(
            f"{state.parent}: an earlier audit into this folder ran on the {engine_before} engine, whose results "
            f"this {engine} run would replace; use another --out, or --engine {engine_before} to go on with it")
    if isinstance(settings_before, dict):  # a setting added since that folder's run counts at its default
        defaults = Config().to_dict()
        settings_before = {**{k: v for k, v in defaults.items() if k in settings}, **settings_before}
    if isinstance(settings_before, dict) and settings_before != settings:
        changed = sorted(k for k in settings.keys() | settings_before.keys()
                         if settings.get(k) != settings_before.get(k))
        shown = ", ".join(f"{k} {settings_before.get(k)!r} -> {settings.get(k)!r}" for k in changed[:4])
        raise AuditFolderMismatch(
            f"{state.parent}: an earlier audit into this folder judged its pages with other settings ({shown}"
            f"{f' and {len(changed) - 4} more' if len(changed) > 4 else ''}); this run's would mix with them: use "
            "another --out, or the earlier --config to go on with it")
    if before.get("engine") != engine or settings_before != settings:
        write_marker(marker, {"engine": engine, "settings": settings})


def source_key(source: str) -> str:
    """How a source is remembered: a local path made absolute (a rerun from another folder names the same
    files), anything else (a URL, ``-``) as given."""
    if source == "-" or "://" in source:
        return source
    return os.path.normpath(os.path.abspath(source))


def source_aliases(state: Path, sources: Iterable[str]) -> dict[str, str]:
    """For each local source spelled otherwise than by the folder's first run that named it (``articles`` from
    another working folder, an absolute path), that first spelling: its pages keep the names they were given
    then, so a rerun skips them instead of auditing them again under new names (every row twice)."""
    spellings = read_marker(state / "sources.json").get("spellings")
    if not isinstance(spellings, dict):
        return {}
    aliases = {}
    for source in sources:
        first = spellings.get(source_key(source))  # a URL or "-" is its own key and spelling
        if isinstance(first, str) and first != source:
            aliases[source] = first
    return aliases


def sources_changed(state: Path, sources: Iterable[str]) -> str | None:
    """Record this run's sources in ``state/sources.json``; a one-line warning when the folder already holds
    pages of other sources (its tables will hold the pages of every run into it), else None.

    The file keeps every source any run into the folder was given, so the warning repeats for as long as the
    tables mix sources, and stops when a run names them all again. A folder from before this file existed is
    taken as started with this run's sources.
    """
    path = state / "sources.json"
    given = list(dict.fromkeys(source_key(s) for s in sources))
    marker = read_marker(path)
    before = marker.get("sources")
    started = isinstance(before, list) and (state / "extracted.jsonl").exists()
    known = list(before) if started else []
    spellings = dict(marker["spellings"]) if started and isinstance(marker.get("spellings"), dict) else {}
    for source in sources:
        spellings.setdefault(source_key(source), source)
    write_marker(path, {"sources": list(dict.fromkeys([*known, *given])), "spellings": spellings})
    if not started or set(given) == set(known):
        return None
    new, old = [s for s in given if s not in known], [s for s in known if s not in given]
    parts = ([f"{len(new)} new ({new[0]}{', ...' if len(new) > 1 else ''})"] if new else []) + (
        [f"{len(old)} not given now ({old[0]}{', ...' if len(old) > 1 else ''})"] if old else [])
    return (f"{state.parent}: these sources differ from those of earlier runs into this folder: {'; '.join(parts)}; "
            "its tables hold the pages of every run into it (use a new out folder for a separate audit)")


def sources_edited(state: Path, sources: Iterable[str]) -> str | None:
    """A one-line warning when a source file (JSONL, WARC) differs in size or time from when a run into this
    folder first read it, else None. Its records are named by position (``docs.jsonl:3``, ``crawl.warc#2``):
    a rerun skips the positions done and reads only the others, so an edited file mixes old and new documents
    (an outside probe's added first line was never read, and the old last document appeared twice). The first
    stamp is kept, so the warning repeats for as long as the tables hold the mix."""
    path = state / "files.json"
    stamps = read_marker(path)
    unknown = not path.exists() and (state / "extracted.jsonl").exists()  # a folder from before the stamps
    edited = []
    for source in sources:
        if source == "-" or "://" in source or not os.path.isfile(source) or file_kind(Path(source)) in ("html", "text"):
            continue  # a page file is one page (PageStamps follows its edits), a URL list's pages are named by
            # their URLs, not by position: an added line is read, a line done is skipped (an outside probe was
            # told to start afresh after appending URLs to its list)
        stamp = file_stamp(source)
        key = source_key(source)
        if key not in stamps:
            stamps[key] = None if unknown else stamp
        elif stamps[key] is not None and stamps[key] != stamp:
            edited.append(source)
    write_marker(path, stamps)
    if not edited:
        return None
    return (f"{state.parent}: {edited[0]}{f' (and {len(edited) - 1} more)' if len(edited) > 1 else ''} changed since "
            "an earlier run into this folder read it; its records are named by position, so this run skips the "
            "positions done and the tables may mix old and new records (use a new out folder)")


def pages_gone(state: Path, gone: list[str], kept: bool = True) -> str | None:
    """A one-line warning when page files an earlier run into this folder read are no longer in the folders this
    run was given (deleted or moved), else None. The local engine keeps their rows (``kept``), so its tables then
    differ from a fresh audit of the folders (an outside probe's deleted page still counted for its domain,
    unsaid); a Spark run starts over and leaves them out."""
    if not gone:
        return None
    more = f" and {len(gone) - 1} more" if len(gone) > 1 else ""
    then = ("the tables keep what was read (use a new out folder to leave it out)" if kept
            else "a Spark run starts over, so the tables leave it out")
    return f"{state.parent}: {gone[0]}{more}, read by an earlier run into this folder, no longer in its folder; {then}"


_DIGITS = re.compile(r"(\d+)")


def name_order(name: str) -> tuple[tuple[int, int, str], ...]:
    """Sort key of an input's name with its numbers read as numbers: a WARC's ``crawl.warc.gz#2`` before its
    ``#10`` (its records in file order), ``page2.html`` before ``page10.html``."""
    return tuple((1, int(part), "") if part.isdigit() else (0, 0, part) for part in _DIGITS.split(name))


def shared_pages(heads: Iterable[tuple[str, str | None]]) -> dict[str, list[str]]:
    """Page URLs that more than one input read as (from ``(name, url)`` of the extracted records), each with those
    inputs' names in ``name_order``: the first is the one the tables count and the batch's index holds."""
    names: dict[str, set[str]] = {}
    for name, url in heads:
        if url:
            names.setdefault(url, set()).add(name)
    return {url: sorted(found, key=name_order) for url, found in names.items() if len(found) > 1}


def shared_urls(shared: dict[str, list[str]], out: Path) -> str | None:
    """A one-line warning when two inputs were read as one page URL (``shared_pages``), else None.

    A saved page is known by its canonical link or ``og:url``, a fetched one by the URL its redirects end at, a
    WARC record by its target URI: a file claiming another input's address (a farm whose ``og:url`` names the
    story it copied) takes that page's place in the batch index, and the two are never compared (an outside
    probe's copy found no match and read clean); two list URLs redirected to one page are one page read twice;
    one URL crawled twice is one page, counted as its first capture (an outside probe's re-crawled domain was
    judged by whichever capture's record number sorted first as text)."""
    if not shared:
        return None
    url, found = next(iter(shared.items()))
    more = f" (and {len(shared) - 1} more URLs: see the pages table, rows of one url)" if len(shared) > 1 else ""
    others = ", ".join(found[1:3]) + (f" and {len(found) - 3} more" if len(found) > 3 else "")
    return (f"{out}: {len(found)} inputs read as one page, {url}: {found[0]} counts, not {others}{more} (a "
            "redirect, a saved page's canonical link or og:url naming another input's page, one URL crawled twice, "
            "or one document given twice): they are not compared with each other")
