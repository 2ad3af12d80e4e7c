"""What an audit reads: SOURCES (URL lists, HTML folders, WARC files, JSONL documents) expanded into work items.

A source is recognised as ``score`` recognises it (``sources.file_targets``): an http(s) URL; a folder (its HTML
files, and any WARC files in it); a ``.warc``/``.warc.gz`` file (its HTML responses); a ``.jsonl`` file
(extracted documents); a ``.csv`` file with a ``url`` column, or a text file, ``-`` meaning stdin (one URL per
line, ``#`` comments); an ``.html``/``.htm`` file (one page). A file with no telling suffix is read as what its
first bytes show (``{``: JSONL documents, ``<``: one page, else a URL list). A broken symbolic link in a folder,
named like a page or a WARC file, is an error item naming it. Items are yielded lazily, so a 100k-line list is
never held whole.
"""

from __future__ import annotations

import io
import os
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from detector.fetch import UNSUPPORTED_SCHEME
from detector.records import Article, Page
from detector.sources import (Target, broken_link, broken_link_message, expand, file_targets, listed_urls,
                              url_target)
from detector.urls import is_http_url
from detector.warc import is_warc

ItemKind = Literal["file", "page", "doc", "url", "error"]


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
    """URL items from lines of text (``sources.listed_urls``): comments skipped, anything not http(s) refused."""
    for item_name, url, error in listed_urls(handle, name):
        yield Item(item_name, "url") if url else Item(item_name, "error", error=error)


def item_of(target: Target) -> Item:
    """The audit item of a target as ``score`` reads it (a file, a WARC record, a document, a URL, an error)."""
    if target.kind == "page":
        return Item(target.name, "page", page=target.page)
    if target.kind == "document" and target.extracted is not None:
        return Item(target.name, "doc", article=target.extracted.article)
    if target.kind in ("file", "url"):
        return Item(target.name, target.kind, path=target.path)
    return Item(target.name, "error", error=target.error or "unreadable")


def _file_items(path: Path, jsonl: bool, tallies: dict[str, Counter[str]] | None = None) -> Iterator[Item]:
    return map(item_of, file_targets(path, str(path), jsonl, tallies))


def _renamed(item: Item, given: str, first: str) -> Item:
    """``item`` of source ``given`` named as if the source had been spelled ``first`` (``source_aliases``): the
    source itself and its records (``docs.jsonl:3``, ``crawl.warc#2``, ``@offset``), or a file in its folder."""
    rest = item.name[len(given):]
    if item.name.startswith(given) and rest[:1] in ("", ":", "#", "@"):
        return replace(item, name=first + rest)
    folder = str(Path(given))
    if item.name.startswith(folder + os.sep):
        return replace(item, name=str(Path(first)) + item.name[len(folder):])
    return item


def audit_items(sources: Iterable[str | Path], jsonl: bool = False,
                aliases: dict[str, str] | None = None,
                tallies: dict[str, Counter[str]] | None = None) -> Iterator[Item]:
    """Every page named by the sources, in order, duplicates (same name) dropped: a URL's fragment is dropped
    first (``sources.url_target``), so ``/x`` and ``/x#comments`` are one page, read once. ``aliases`` maps a
    source as given now to its spelling in an earlier run into the same folder: its items are named by that
    spelling. ``tallies`` receives each WARC file's records counted by kind (``warc.warc_pages``)."""
    seen: set[str] = set()
    alias: tuple[str, str] | None = None

    def fresh(items: Iterable[Item]) -> Iterator[Item]:
        for item in items:
            if alias:
                item = _renamed(item, *alias)
            if item.name not in seen:
                seen.add(item.name)
                yield item

    for raw in map(str, sources):
        alias = (raw, aliases[raw]) if aliases and raw in aliases else None
        if not raw.strip():  # Path("") is the current folder: never what an empty argument meant
            yield from fresh([Item(raw, "error", error="empty source (names no file, folder or URL)")])
        elif raw == "-":
            yield from fresh(url_lines(sys.stdin, "-"))
        elif is_http_url(raw):
            yield from fresh([item_of(url_target(raw))])
        elif "://" in raw:
            yield from fresh([Item(raw, "error", error=UNSUPPORTED_SCHEME)])
        elif Path(raw).is_dir():
            folder = Path(raw)
            warcs = sorted(p for p in folder.rglob("*") if is_warc(p) and (p.is_file() or broken_link(p)))
            html = [item_of(t) for t in expand([raw]) if t.kind == "file" or t.name != raw]  # not the "no HTML" refusal
            if not html and not warcs:
                yield Item(raw, "error", error="folder holds no HTML or WARC files")
            yield from fresh(html)
            for warc in warcs:
                yield from fresh(_file_items(warc, False, tallies) if warc.is_file()
                                 else [Item(str(warc), "error", error=broken_link_message(warc))])
        elif not Path(raw).exists():
            yield from fresh([Item(raw, "error", error=broken_link_message(Path(raw)) if broken_link(Path(raw))
                                   else "no such file or directory")])
        else:
            yield from fresh(_file_items(Path(raw), jsonl, tallies))
