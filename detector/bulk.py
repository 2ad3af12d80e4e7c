"""Bulk indexing of already-extracted text (JSONL, one article per line) with worker processes.

Parsing, tokenising, hashing, winnowing, MinHash signatures (vectorised over each batch) and compressing are
CPU work and run in ``workers`` processes on batches of lines; the parent only writes rows to SQLite (one
transaction per batch, so a killed build keeps every finished batch). Postings and LSH band keys are held back
as packed ``key << 32 | doc`` integers and inserted sorted at the end, which writes both B-trees in order
(full pages: a smaller file and a faster build).
A line is the JSON of ``Article.to_dict()``; only ``url`` and ``text`` are required.

    >>> report = bulk_index("copies.sqlite", open("articles.jsonl"), workers=2)  # doctest: +SKIP
"""

from __future__ import annotations

import json
import multiprocessing as mp
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path

import numpy as np

from detector.bodycodec import Codec
from detector.config import DEFAULT, Config
from detector.docprint import docprints
from detector.index import DocRow, Index, doc_row
from detector.pubdate import parse_datetime
from detector.records import Article
from detector.urls import registered_domain

_config: Config = DEFAULT
_codec: Codec = Codec(None)
_SAMPLE = 2000  # lines read ahead to train the body-compression dictionary
_INSERT_CHUNK = 2_000_000  # sorted (key, doc) pairs written per transaction at the end of a build


@dataclass(frozen=True, slots=True)
class BulkReport:
    """What a bulk build did: documents added and replaced, lines refused (with their reasons)."""

    added: int
    replaced: int
    refused: int
    postings: int
    reasons: tuple[str, ...] = ()


def article_from_json(data: dict[str, object]) -> Article:
    """An Article from one JSONL record (``Article.to_dict()`` shape); raises ValueError when unusable."""
    url, text = data.get("url"), data.get("text")
    if not isinstance(url, str) or not url or not isinstance(text, str):
        raise ValueError("a line needs a 'url' and a 'text' string")
    paragraphs = data.get("paragraphs") or ()
    links = data.get("links") or ()
    published = data.get("published")
    return Article(url=url, domain=str(data.get("domain") or registered_domain(url)),
                   title=data.get("title") if isinstance(data.get("title"), str) else None,  # type: ignore[arg-type]
                   text=text, paragraphs=tuple(paragraphs),  # type: ignore[arg-type]
                   published=parse_datetime(published) if isinstance(published, str) else None,
                   author=data.get("author"), sitename=data.get("sitename"),  # type: ignore[arg-type]
                   canonical=data.get("canonical"), language=data.get("language"),  # type: ignore[arg-type]
                   links=tuple(links),  # type: ignore[arg-type]
                   credited=tuple(str(c) for c in data.get("credited") or () if isinstance(c, str)))  # type: ignore[union-attr]


def _init(config: Config, dictionary: bytes | None = None) -> None:
    global _config, _codec
    _config, _codec = config, Codec(dictionary)


def rows_of(lines: list[str]) -> tuple[list[DocRow], list[str]]:
    """Rows of a batch of JSONL lines (in a worker), and one refusal reason per unusable line."""
    articles: list[Article] = []
    refused: list[str] = []
    for number, line in enumerate(lines):
        if not line.strip():
            continue
        try:
            articles.append(article_from_json(json.loads(line)))
        except (ValueError, TypeError) as err:
            refused.append(f"line {number + 1} of its batch: {err}")
    prints = docprints([a.text for a in articles], _config)
    return [doc_row(a, dp, _codec) for a, dp in zip(articles, prints)], refused


def _text_of(line: str) -> str:
    try:
        text = json.loads(line).get("text")
    except (ValueError, AttributeError):
        return ""
    return text if isinstance(text, str) else ""


def _batches(lines: Iterable[str], size: int) -> Iterator[list[str]]:
    it = iter(lines)
    while batch := list(islice(it, size)):
        yield batch


def bulk_index(path: str | Path, lines: Iterable[str], config: Config = DEFAULT, *, workers: int = 2,
               batch: int = 500, progress: Callable[[int], None] | None = None) -> BulkReport:
    """Index JSONL lines into the index at ``path`` (created if missing); a URL already there is replaced."""
    added = replaced = refused = 0
    reasons: list[str] = []
    packed: dict[str, list[np.ndarray]] = {"postings": [], "bands": []}
    with Index(path, config) as index:
        cfg = index.config
        it = iter(lines)
        if index.codec.dictionary is None:  # train on the first lines, then hand the dictionary to the workers
            head = list(islice(it, _SAMPLE))
            it = chain(head, it)
            index.train_codec([_text_of(line) for line in head])
        init = (cfg, index.codec.dictionary)
        pool = mp.get_context("spawn").Pool(workers, initializer=_init, initargs=init) if workers > 1 else None
        try:
            results = (pool.imap(rows_of, _batches(it, batch)) if pool is not None
                       else map(lambda b: (_init(*init), rows_of(b))[1], _batches(it, batch)))
            for rows, bad in results:
                deferred: dict[str, list[np.ndarray]] = {}
                report = index.add_rows(rows, defer=deferred)
                added, replaced, refused = added + report.added, replaced + report.replaced, refused + len(bad)
                reasons.extend(bad[:5])
                for table, parts in deferred.items():
                    pairs = np.concatenate(parts)
                    packed[table].append((pairs[:, 0] << 32) | pairs[:, 1])
                if progress is not None:
                    progress(added + replaced)
        finally:
            if pool is not None:
                pool.close()
                pool.join()
        live = np.fromiter(index.doc_ids(), dtype=np.int64) if replaced else None
        postings = 0
        for table in ("postings", "bands"):
            keys = _sorted_keys(packed.pop(table), live)
            postings += len(keys) if table == "postings" else 0
            for lo in range(0, len(keys), _INSERT_CHUNK):  # unpacked a chunk at a time: bounded memory
                chunk = keys[lo:lo + _INSERT_CHUNK]
                index.insert_pairs(table, np.column_stack((chunk >> 32, chunk & 0xFFFFFFFF)), presorted=True)
            del keys
        index.checkpoint()
    return BulkReport(added=added, replaced=replaced, refused=refused, postings=postings, reasons=tuple(reasons))


def _sorted_keys(packed: list[np.ndarray], live: np.ndarray | None) -> np.ndarray:
    """Packed ``key << 32 | doc`` integers, sorted (so by key, then doc); only live documents when ``live`` is
    given (a document replaced within the build left its deferred keys behind)."""
    keys = np.concatenate(packed) if packed else np.zeros(0, dtype=np.int64)
    packed.clear()
    keys.sort()
    return keys if live is None else keys[np.isin(keys & 0xFFFFFFFF, live)]
