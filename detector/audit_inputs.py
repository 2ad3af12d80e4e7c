"""What an audit reads: SOURCES (URL lists, HTML folders, WARC files, JSONL documents) expanded into work items.

A source is recognised by what it is: an http(s) URL; a folder (its HTML files, and any WARC files in it);
a ``.warc``/``.warc.gz`` file (its HTML responses); a ``.jsonl`` file (extracted documents); a ``.csv`` file
with a ``url`` column, or any other text file, ``-`` meaning stdin (one URL per line, ``#`` comments);
an ``.html``/``.htm`` file (one page). A file with no telling suffix is read as what its first bytes show
(``{``: JSONL documents, ``<``: one page, else a URL list). A broken symbolic link in a folder, named like a page or a WARC file,
is an error item naming it. Items are yielded lazily, so a 100k-line list is never held whole.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from detector.fetch import UNSUPPORTED_SCHEME
from detector.records import Article, Page
from detector.sources import (HTML_SUFFIXES, JSONL_SUFFIXES, broken_link, broken_link_message, expand, jsonl_targets,
                              sniffed_kind)
from detector.urls import is_http_url
from detector.warc import is_warc, warc_pages

ItemKind = Literal["file", "page", "doc", "url", "error"]
URL_LIST_SUFFIXES = (".txt", ".urls", ".list", ".csv", ".tsv")


@dataclass(frozen=True, slots=True)
class Item:
    """One page to audit: a file to read, a page already in memory (WARC, fetched), a document, or a URL."""

    name: str
    kind: ItemKind
    path: Path | None = None
    page: Page | None = None
    article: Article | None = None
    error: str | None = None


def url_lines(handle: io.TextIOBase | Iterable[str], name: str) -> Iterator[Item]:
    """URL items from lines of text: blank lines and ``#`` comments skipped, anything not http(s) refused."""
    for number, raw in enumerate(handle, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if is_http_url(line):
            yield Item(line, "url")
        else:
            yield Item(f"{name}:{number}", "error", error=f"not an http(s) URL: {line[:80]!r}")


def csv_urls(path: Path) -> Iterator[Item]:
    """URL items from a CSV file's ``url`` column (refused as a whole when there is none)."""
    with open(path, newline="", encoding="utf-8", errors="replace") as handle:
        reader = csv.DictReader(handle, delimiter="\t" if path.suffix == ".tsv" else ",")
        column = next((c for c in reader.fieldnames or () if c.strip().lower() == "url"), None)
        if column is None:
            yield Item(str(path), "error", error="CSV file has no 'url' column")
            return
        yield from url_lines((row.get(column) or "" for row in reader), str(path))


def _file_items(path: Path, jsonl: bool) -> Iterator[Item]:
    lower = path.name.lower()
    known = is_warc(path) or lower.endswith((*JSONL_SUFFIXES, *HTML_SUFFIXES, ".csv", ".tsv"))
    sniffed = None if known or jsonl else sniffed_kind(path)
    if is_warc(path):
        try:
            for name, page in warc_pages(path):
                if isinstance(page, Page):
                    yield Item(name, "page", page=page)
                else:  # a corrupt stretch or a truncated end: one line, and the rest is still read
                    yield Item(name, "error", error=page.message)
        except OSError as err:
            yield Item(str(path), "error", error=f"unreadable WARC ({err.strerror or err})")
    elif jsonl or lower.endswith(JSONL_SUFFIXES) or sniffed == "jsonl":
        for target in jsonl_targets(path, str(path)):
            if target.extracted is not None:
                yield Item(target.name, "doc", article=target.extracted.article)
            else:
                yield Item(target.name, "error", error=target.error)
    elif lower.endswith(HTML_SUFFIXES) or sniffed == "html":
        yield Item(str(path), "file", path=path)
    elif lower.endswith(".csv") or lower.endswith(".tsv"):
        yield from csv_urls(path)
    else:
        with open(path, encoding="utf-8", errors="replace") as handle:
            yield from url_lines(handle, str(path))


def audit_items(sources: Iterable[str | Path], jsonl: bool = False) -> Iterator[Item]:
    """Every page named by the sources, in order, duplicates (same name) dropped."""
    seen: set[str] = set()

    def fresh(items: Iterable[Item]) -> Iterator[Item]:
        for item in items:
            if item.name not in seen:
                seen.add(item.name)
                yield item

    for raw in map(str, sources):
        if not raw.strip():  # Path("") is the current folder: never what an empty argument meant
            yield from fresh([Item(raw, "error", error="empty source (names no file, folder or URL)")])
        elif raw == "-":
            yield from fresh(url_lines(sys.stdin, "-"))
        elif is_http_url(raw):
            yield from fresh([Item(raw, "url")])
        elif "://" in raw:
            yield from fresh([Item(raw, "error", error=UNSUPPORTED_SCHEME)])
        elif Path(raw).is_dir():
            folder = Path(raw)
            warcs = sorted(p for p in folder.rglob("*") if is_warc(p) and (p.is_file() or broken_link(p)))
            html = [Item(t.name, "file", path=t.path) if t.kind == "file" else Item(t.name, "error", error=t.error)
                    for t in expand([raw]) if t.kind == "file" or t.name != raw]  # not the "no HTML" refusal
            if not html and not warcs:
                yield Item(raw, "error", error="folder holds no HTML or WARC files")
            yield from fresh(html)
            for warc in warcs:
                yield from fresh(_file_items(warc, False) if warc.is_file()
                                 else [Item(str(warc), "error", error=broken_link_message(warc))])
        elif not Path(raw).exists():
            yield from fresh([Item(raw, "error", error=broken_link_message(Path(raw)) if broken_link(Path(raw))
                                   else "no such file or directory")])
        else:
            yield from fresh(_file_items(Path(raw), jsonl))
