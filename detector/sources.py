"""Targets as a user gives them (URLs, files, folders, WARC files, URL lists, JSONL, stdin), expanded and loaded
into articles. ``score``, ``index add`` and ``audit`` read a named file the same way (``file_targets``).

A target that cannot be read becomes an error for that target alone; the rest go on. In a folder, a broken
symbolic link named like a page is such a target (refused, named), not silently left out.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
import os
import re
import sys
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO, Literal

from detector.charset import declared_charset
from detector.config import DEFAULT, Config
from detector.errors import InputError
from detector.extract import MIN_WORDS, Extracted, article_from_text, extract
from detector.content_kind import not_text
from detector.fetch import UNSUPPORTED_SCHEME, Fetcher
from detector.politeness import PoliteFetcher
from detector.pubdate import parse_datetime
from detector.records import Page
from detector.urls import file_url, is_http_url, without_fragment
from detector.warc import is_warc, warc_pages

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson")

Kind = Literal["url", "file", "stdin", "document", "page", "error"]


@dataclass(frozen=True, slots=True)
class Target:
    """One thing to score or index; ``name`` is how the user will recognise it in the output."""

    name: str
    kind: Kind
    path: Path | None = None
    extracted: Extracted | None = None
    error: str | None = None
    page: Page | None = None  # a page already in memory (a WARC record)


def _is_html_file(path: Path) -> bool:
    return path.name.lower().endswith(HTML_SUFFIXES)


#: Bytes read to tell what a file without a telling suffix holds.
_SNIFF_BYTES = 4096
_BYTE_ORDER_MARKS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def sniffed_kind(path: Path) -> Literal["jsonl", "html", "text"]:
    """What a file named without a telling suffix holds, from its first bytes: JSON objects one per line
    (``{`` first), a page (``<`` first), or other text. An HTML page never starts with ``{`` and a URL list
    never with ``<``, so a JSONL export saved as ``docs.txt`` or a page saved as ``page`` is read as what
    it is instead of failing line by line. Unreadable files count as text (reading them reports the error)."""
    try:
        opener = gzip.open if path.name.lower().endswith(".gz") else open
        with opener(path, "rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except (OSError, EOFError, zlib.error):
        return "text"
    return _kind_of_head(head)


def _kind_of_head(head: bytes) -> Literal["jsonl", "html", "text"]:
    """What text starting with ``head`` holds: ``{`` JSONL documents, ``<`` a page, else text (a BOM skipped)."""
    for mark in _BYTE_ORDER_MARKS:
        if head.startswith(mark):
            head = head[len(mark):].replace(b"\x00", b"")
            break
    head = head.lstrip()
    if head.startswith(b"{"):
        return "jsonl"
    if head.startswith(b"<"):
        return "html"
    return "text"


def _open_text(path: Path) -> io.TextIOBase:
    """The file as text: UTF-8 with a byte-order mark dropped (Excel and PowerShell write one), bad bytes
    replaced."""
    raw: BinaryIO = gzip.open(path, "rb") if path.name.lower().endswith(".gz") else open(path, "rb")  # noqa: SIM115
    return io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace")


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _text(value: str) -> str:
    """``value`` with lone UTF-16 surrogates (valid JSON escapes such as ``"\\ud83d"`` alone, common in scraped
    exports, which no UTF-8 file or database can hold) replaced by U+FFFD; paired ones JSON already joined."""
    return _LONE_SURROGATE.sub("\ufffd", value)


def jsonl_targets(path: Path, name: str | None = None) -> Iterator[Target]:
    """One target per line of a JSONL file of extracted documents (``url`` and ``text`` required)."""
    label = name or str(path)
    try:
        handle = sys.stdin if str(path) == "-" else _open_text(path)
    except OSError as err:
        yield Target(label, "error", error=f"cannot read ({err.strerror or err})")
        return
    number, read = 0, False
    with handle:
        lines = enumerate(handle, start=1)
        while True:
            try:
                number, line = next(lines)
            except StopIteration:
                break
            except (OSError, EOFError, UnicodeError, zlib.error) as err:  # a truncated or corrupt .gz
                yield Target(label, "error", error=f"cannot read past line {number} ({err})")
                read = True
                break
            if not line.strip():
                continue
            if not read:
                line = line.lstrip("\ufeff")  # standard input keeps a byte-order mark the file reader drops
            if not read and line.lstrip(" \t").startswith("<"):  # a page read as JSONL (--jsonl by mistake)
                yield Target(label, "error", error="not JSONL: it starts like an HTML page (drop --jsonl?)")
                return
            read = True
            yield _jsonl_target(line, f"{label}:{number}")
    if not read:
        yield Target(label, "error", error="no documents in it (empty JSONL)")


def _optional_text(record: dict, key: str) -> str | None:
    value = record.get(key)
    if value is None or isinstance(value, str):
        return None if value is None else _text(value)
    raise ValueError(f"'{key}' is not a string")


#: A number of seconds since 1970 above this is read as milliseconds (1e11 s is the year 5138; 1e11 ms is 1973).
_EPOCH_MS = 1e11


def _published(record: dict) -> str | None:
    """A JSONL document's ``published``: an ISO 8601 string as given, or a Unix time in seconds or milliseconds
    (as crawl dumps store it) as its UTC ISO form."""
    value = record.get("published")
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        try:
            return datetime.fromtimestamp(value / 1000 if abs(value) > _EPOCH_MS else value, tz=timezone.utc).isoformat()
        except (OverflowError, OSError, ValueError):
            return str(value)  # no time Python can hold: refused by the caller, as any unreadable date
    return _optional_text(record, "published")


def _jsonl_target(line: str, where: str) -> Target:
    """The target of one JSONL line, or an error target saying why the line is unusable."""
    try:
        record = json.loads(line)
        if not isinstance(record, dict):
            raise ValueError("not a JSON object")
        url, text = record.get("url"), record.get("text")
        if not isinstance(url, str) or not url.strip():
            raise ValueError("missing 'url'")
        if not is_http_url(url.strip()):
            raise ValueError(f"'url' is not an http(s) URL: {_text(url.strip())[:80]!r}")
        if not isinstance(text, str) or not text.strip():
            raise ValueError("missing or empty 'text'")
        published = _published(record)
        if published and published.strip() and parse_datetime(published) is None:  # dates decide copy direction
            raise ValueError("'published' is not an ISO 8601 date or Unix time of 1990-2100 (such as "
                             f"2024-05-01T09:30:00+02:00 or 1714548600): {published.strip()[:40]!r}")
        article = article_from_text(_text(url.strip()), _text(text), title=_optional_text(record, "title"),
                                    published=published,
                                    sitename=_optional_text(record, "sitename"),
                                    canonical=_optional_text(record, "canonical"),
                                    author=_optional_text(record, "author"),
                                    description=_optional_text(record, "description"))
    except RecursionError:
        return Target(where, "error", error="bad JSONL line (nested too deeply)")
    except (ValueError, TypeError) as err:
        return Target(where, "error", error=f"bad JSONL line ({err})")
    words = len(article.text.split())
    if words < MIN_WORDS:  # as a page's extracted text is refused
        return Target(where, "error", error=f"too little text ({words} words)")
    return Target(where, "document", extracted=Extracted(article, None))


#: A comment after a URL on its line ("https://a.example/x   # the original"); a '#' inside a URL is a fragment.
_TRAILING_COMMENT = re.compile(r"\s+#.*$")


def url_target(raw: str) -> Target:
    """The target of a URL the user names (on the command line or in a list): its ``#fragment`` dropped
    (``urls.without_fragment``: never sent to the server, so ``/x`` and ``/x#comments`` are one page, and the
    second is then a duplicate that ``expand`` and audits read once)."""
    return Target(without_fragment(raw), "url")


def listed_urls(lines: Iterable[str], name: str) -> Iterator[tuple[str, str | None, str | None]]:
    """``(url, url, None)`` for each URL of a list (its fragment dropped, as ``url_target`` drops it) and
    ``(name:line, None, reason)`` for each line that is not one; blank lines and ``#`` comments (whole lines, or
    after a URL) are skipped. A list holding no line to read at all is one ``(name, None, "no URLs in it")``.
    Lazy: a 100k-line list is never held whole."""
    read = 0
    for number, raw in enumerate(lines, start=1):
        line = _TRAILING_COMMENT.sub("", raw.lstrip("\ufeff") if number == 1 else raw).strip()
        if not line or line.startswith("#"):
            continue
        read += 1
        if is_http_url(line):
            url = without_fragment(line)
            yield url, url, None
        else:
            yield f"{name}:{number}", None, f"not an http(s) URL: {line[:80]!r}"
    if read == 0:
        yield name, None, "no URLs in it"


def url_list(path: Path) -> Iterator[tuple[str, str | None, str | None]]:
    """``listed_urls`` of a URL list file: one URL per line, or the ``url`` column of a ``.csv``/``.tsv``.

    A file that holds no http(s) URL at all (a text file given by mistake) is refused as a whole, in one line,
    instead of line by line.
    """
    name = str(path)
    try:
        if not _has_url(path):
            kind = _binary_head(path)
            yield name, None, (f"not an HTML page, JSONL or URL list ({kind})" if kind
                               else "holds no http(s) URL (not an HTML page, JSONL or URL list)")
            return
        with open(path, newline="", encoding="utf-8-sig", errors="replace") as handle:
            if path.name.lower().endswith((".csv", ".tsv")):
                header = handle.readline()
                handle.seek(0)
                delimiter = "\t" if path.name.lower().endswith(".tsv") else _csv_delimiter(header)
                reader = csv.DictReader(handle, delimiter=delimiter)
                column = next((c for c in reader.fieldnames or () if c.strip().lower() == "url"), None)
                if column is None:
                    yield name, None, "CSV file has no 'url' column"
                    return
                yield from listed_urls((row.get(column) or "" for row in reader), name)
            else:
                yield from listed_urls(handle, name)
    except (OSError, csv.Error) as err:
        yield name, None, f"cannot read ({getattr(err, 'strerror', None) or err})"


def _csv_delimiter(header: str) -> str:
    """The delimiter of a CSV file from its header line: ``,``, or ``;`` (spreadsheets in many locales) or
    ``|`` when one of those, not the comma, sets a ``url`` column apart."""
    for delimiter in (",", ";", "|", "\t"):
        if any(cell.strip().strip('"').lower() == "url" for cell in header.split(delimiter)):
            return delimiter
    return ","


def _binary_head(path: Path) -> str | None:
    """What a file is when its first bytes are binary (``'a PDF'``, ``'binary content'``), else None."""
    with open(path, "rb") as handle:
        return not_text(handle.read(4096))


def _has_url(path: Path) -> bool:
    with open(path, encoding="utf-8", errors="replace") as handle:
        return any("http://" in line.lower() or "https://" in line.lower() for line in handle)


def broken_link(path: Path) -> bool:
    """True for a symbolic link whose target does not exist (a folder listing shows it; reading it fails)."""
    return path.is_symlink() and not path.exists()


def broken_link_message(path: Path) -> str:
    """The one-line refusal of a broken symbolic link, naming where it points."""
    try:
        return f"broken symbolic link (its target {os.readlink(path)} does not exist)"
    except OSError:
        return "broken symbolic link"


def expand(targets: Iterable[str], *, jsonl: bool = False) -> Iterator[Target]:
    """Targets in the order given, folders expanded (sorted, recursive), duplicates dropped: a file named by two
    paths, relative and absolute, or through a folder and by itself, is one target; so is a URL named twice,
    on the command line or in lists, once its fragment is dropped (``url_target``), kept where it first came."""
    seen: set[str] = set()
    urls: set[str] = set()
    for raw in targets:
        key = _same_file_key(raw)
        if key in seen:
            continue
        seen.add(key)
        for target in _expanded(raw, jsonl, seen):
            if target.kind == "url":
                if target.name in urls:
                    continue
                urls.add(target.name)
            yield target


def _expanded(raw: str, jsonl: bool, seen: set[str]) -> Iterator[Target]:
    """The targets one argument names (``expand``); ``seen`` holds the files already read, and gets a folder's."""
    if not raw.strip():  # Path("") is the current folder: never what an empty argument meant
        yield Target(raw, "error", error="empty target (names no file, folder or URL)")
    elif raw == "-":
        yield from (jsonl_targets(Path("-"), "-") if jsonl or _stdin_holds_jsonl() else [Target("-", "stdin")])
    elif is_http_url(raw):
        yield url_target(raw)
    elif "://" in raw:
        yield Target(raw, "error", error=UNSUPPORTED_SCHEME)
    else:
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if _is_html_file(p) and (p.is_file() or broken_link(p)))
            if not files:
                yield Target(raw, "error", error="folder holds no .html/.htm/.html.gz files")
            for file in files:
                if _same_file_key(str(file)) not in seen:
                    seen.add(_same_file_key(str(file)))
                    yield (Target(str(file), "file", path=file) if file.is_file()
                           else Target(str(file), "error", error=broken_link_message(file)))
        elif not path.exists():
            yield Target(raw, "error", error=broken_link_message(path) if broken_link(path)
                         else "no such file or directory")
        else:
            yield from file_targets(path, raw, jsonl)


def _stdin_holds_jsonl() -> bool:
    """Whether standard input starts like JSONL documents (``{``), as a file without a telling suffix is read
    (``sniffed_kind``): piped JSONL was scored as one HTML page unless ``--jsonl`` was given. Peeks without
    consuming; input that cannot be peeked (a terminal, a test's replaced stdin) is read as a page."""
    buffer = getattr(sys.stdin, "buffer", None)
    peek = getattr(buffer, "peek", None)
    if peek is None:
        return False
    try:
        return _kind_of_head(peek(_SNIFF_BYTES)[:_SNIFF_BYTES]) == "jsonl"
    except (OSError, ValueError):
        return False


def _same_file_key(raw: str) -> str:
    """What makes two targets one: a local path's real path (``a.html``, ``./a.html`` and ``/abs/a.html``), else
    the target as written (a URL, ``-``)."""
    if raw == "-" or not raw.strip() or "://" in raw:
        return raw
    try:
        return os.path.realpath(raw)
    except (OSError, ValueError):
        return raw


def file_kind(path: Path, jsonl: bool = False) -> Literal["jsonl", "warc", "html", "text"]:
    """What one named file holds: by its suffix, else by its first bytes (``sniffed_kind``: a ``.txt`` or
    suffix-less file may hold JSONL documents, a page, or URLs). ``jsonl``: every file is JSONL but a WARC
    (``--jsonl`` beside a crawl read each WARC line as a bad document)."""
    lower = path.name.lower()
    if is_warc(path):
        return "warc"
    if jsonl or lower.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if lower.endswith((".csv", ".tsv")):
        return "text"
    if lower.endswith(HTML_SUFFIXES):
        return "html"
    return sniffed_kind(path)


def file_targets(path: Path, raw: str, jsonl: bool = False,
                 tallies: dict[str, Counter[str]] | None = None) -> Iterator[Target]:
    """The targets one named file holds (``file_kind``): documents, WARC responses, URLs, or itself as a page.
    ``tallies``: each WARC file's records counted by kind there (``warc_pages``), under the file's name."""
    kind = file_kind(path, jsonl)
    if kind == "jsonl":
        yield from jsonl_targets(path, raw)
    elif kind == "warc":
        tally: Counter[str] | None = None
        if tallies is not None:
            tally = tallies[raw] = Counter()  # a file given twice is counted once
        try:
            for name, item in warc_pages(path, tally=tally):
                yield (Target(name, "page", page=item) if isinstance(item, Page)
                       else Target(name, "error", error=item.message))
        except OSError as err:
            yield Target(raw, "error", error=f"unreadable WARC ({err.strerror or err})")
    elif kind == "text":
        for name, url, error in url_list(path):
            yield Target(name, "url") if url else Target(name, "error", error=error)
    else:
        yield Target(raw, "file", path=path)


def read_page_bytes(data: bytes, name: str, url: str, max_bytes: int) -> Page:
    """A Page from local bytes, refusing what is plainly not an HTML page."""
    if len(data) > max_bytes:
        raise InputError(name, f"page larger than {max_bytes} bytes")
    if not data.strip():
        raise InputError(name, "empty page")
    kind = not_text(data)
    if kind is not None:
        raise InputError(name, f"not an HTML page ({kind})")
    return Page(url=url, final_url=url, html=data, charset=declared_charset(None, data),
                fetched_at=datetime.now(timezone.utc))


def _read_file(path: Path, max_bytes: int) -> bytes:
    if path.name.lower().endswith(".gz"):
        with gzip.open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    else:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    return data


def load(target: Target, fetcher: Fetcher | PoliteFetcher | None = None, config: Config = DEFAULT,
         stdin_url: str | None = None) -> Extracted:
    """Read or fetch a target and extract its article; raises InputError naming the target."""
    if target.kind == "error":
        raise InputError(target.name, target.error or "unreadable")
    if target.extracted is not None:
        return target.extracted
    if target.page is not None:
        return extract(target.page, config, target=target.name)
    if target.kind == "url":
        if fetcher is None:
            raise InputError(target.name, "fetching is not available here")
        try:
            page = fetcher.fetch(target.name)
        except InputError:
            raise
        except Exception as err:  # a fetcher bug on one hostile URL must not stop the batch
            raise InputError(target.name, f"fetch failed ({type(err).__name__}: {err})") from None
    elif target.kind == "stdin":
        data = sys.stdin.buffer.read(config.max_bytes + 1)
        page = read_page_bytes(data, "-", stdin_url or "stdin:", config.max_bytes)
    else:
        assert target.path is not None
        try:
            data = _read_file(target.path, config.max_bytes)
        except (OSError, EOFError, zlib.error) as err:  # BadGzipFile is an OSError
            raise InputError(target.name, f"cannot read ({getattr(err, 'strerror', None) or err})") from None
        page = read_page_bytes(data, target.name, file_url(target.path), config.max_bytes)
    return extract(page, config, target=target.name)
