"""The copy index: an embedded SQLite file of documents (compressed text and metadata) and winnowed postings.

One writer, many readers (WAL); every batch is one transaction, so a killed writer loses only the batch in
flight. The parameters an index was built with are stored in it and win over the caller's config. Postings
are 32-bit keys in a ``WITHOUT ROWID`` table (about 13 bytes a row); there is no MinHash/LSH table, because
Jaccard bands do not find partial copies (containment) and the postings find near-duplicates as well.
"""

from __future__ import annotations

import json
import sqlite3
import time
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from detector.config import DEFAULT, Config
from detector.docprint import DocPrint, docprint, docprints, posting_density
from detector.errors import IndexError_
from detector.pubdate import parse_datetime
from detector.records import Article, iso
from detector.urls import registered_domain

APPLICATION = "content-farm-detector"
SCHEMA_VERSION = 2
PAGE_SIZE = 16384
_CHUNK = 900  # host parameters per IN (...) query

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    domain TEXT NOT NULL,
    title TEXT,
    published TEXT,
    info TEXT NOT NULL,
    words INTEGER NOT NULL,
    postings INTEGER NOT NULL,
    added_at INTEGER NOT NULL,
    body BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS postings (h INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (h, doc)) WITHOUT ROWID;
"""


@dataclass(frozen=True, slots=True)
class StoredDoc:
    """A document as the index holds it: its article (text and metadata) and its number of postings."""

    id: int
    article: Article
    postings: int
    words: int


@dataclass(frozen=True, slots=True)
class Candidate:
    """A document that shares winnowed postings with a query, with containment estimated both ways."""

    doc_id: int
    shared: int
    postings: int
    contains_query: float
    in_query: float
    weight: float = 0.0

    @property
    def score(self) -> float:
        return max(self.contains_query, self.in_query)


@dataclass(frozen=True, slots=True)
class AddReport:
    """What one ``add`` call did."""

    added: int
    replaced: int


@dataclass(frozen=True, slots=True)
class DocRow:
    """A document ready to be written: metadata columns, compressed body and postings (built in workers)."""

    url: str
    domain: str
    title: str | None
    published: str | None
    info: str
    words: int
    body: bytes
    postings: np.ndarray


def info_json(article: Article) -> str:
    """The metadata a match and provenance need beyond the columns, as compact JSON (None values left out)."""
    link_domains = sorted({registered_domain(u) for u in article.links} - {"", article.domain})
    info = {"sitename": article.sitename, "canonical": article.canonical, "author": article.author,
            "language": article.language, "link_domains": link_domains[:200] or None}
    return json.dumps({k: v for k, v in info.items() if v}, ensure_ascii=False, separators=(",", ":"))


def compress(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8"), 9)


def doc_row(article: Article, dp: DocPrint) -> DocRow:
    """The row of an article and its fingerprint."""
    return DocRow(article.url, article.domain, article.title, iso(article.published), info_json(article),
                  dp.words, compress(article.text), dp.postings)


def _article(row: sqlite3.Row) -> Article:
    info = json.loads(row["info"])
    text = zlib.decompress(row["body"]).decode("utf-8")
    links = tuple(f"https://{d}/" for d in info.get("link_domains") or [])
    return Article(url=row["url"], domain=row["domain"], title=row["title"], text=text,
                   paragraphs=tuple(text.split("\n\n")), published=parse_datetime(row["published"]),
                   author=info.get("author"), sitename=info.get("sitename"), canonical=info.get("canonical"),
                   language=info.get("language"), links=links)


class Index:
    """A copy index in one SQLite file. Use as a context manager; ``readonly=True`` for scoring."""

    def __init__(self, path: str | Path, config: Config = DEFAULT, *, readonly: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self._count: int | None = None
        if readonly and not self.path.exists():
            raise IndexError_(f"{self.path}: no such index")
        try:
            if readonly:
                self._db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(self.path, timeout=30)
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA busy_timeout = 30000")
            self._db.execute("PRAGMA cache_size = -262144")
            self.config = self._open(config)
        except sqlite3.DatabaseError as err:
            raise IndexError_(f"{self.path}: not a readable index ({err})") from None

    def _open(self, config: Config) -> Config:
        tables = {r[0] for r in self._db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables and not self.readonly:
            self._db.execute(f"PRAGMA page_size = {PAGE_SIZE}")
            self._db.execute("PRAGMA journal_mode = WAL")
            with self._db:
                self._db.executescript(_SCHEMA)
                params = {"application": APPLICATION, "schema_version": str(SCHEMA_VERSION),
                          "params": json.dumps(config.index_params()), "fingerprint": config.fingerprint,
                          "created_at": datetime.now(timezone.utc).isoformat()}
                self._db.executemany("INSERT INTO meta VALUES (?, ?)", params.items())
            return config
        if "meta" not in tables:
            raise IndexError_(f"{self.path}: not a content-farm-detector index")
        meta = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
        if meta.get("application") != APPLICATION:
            raise IndexError_(f"{self.path}: not a content-farm-detector index")
        version = int(meta.get("schema_version", "0"))
        if version != SCHEMA_VERSION:
            raise IndexError_(f"{self.path}: index schema {version}, this version reads schema {SCHEMA_VERSION};"
                              " rebuild the index")
        if not self.readonly:
            self._db.execute("PRAGMA journal_mode = WAL")
        return config.with_index_params(json.loads(meta["params"]))

    # lifecycle
    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "Index":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # writing
    def _writable(self) -> None:
        if self.readonly:
            raise IndexError_(f"{self.path}: opened read-only")

    def add(self, articles: Sequence[Article], prints: Sequence[DocPrint] | None = None) -> AddReport:
        """Add (or replace, by URL) a batch of articles in one transaction."""
        prints = list(prints) if prints is not None else docprints([a.text for a in articles], self.config)
        return self.add_rows([doc_row(a, dp) for a, dp in zip(articles, prints)])

    def add_rows(self, rows: Sequence[DocRow], *, defer_postings: list[np.ndarray] | None = None) -> AddReport:
        """Write ready rows in one transaction, replacing documents with the same URL.

        With ``defer_postings`` the (key, doc) pairs are appended there as a 2-column array instead of being
        inserted, for a bulk build that inserts them sorted at the end (see ``insert_postings``).
        """
        self._writable()
        added = replaced = 0
        now = int(time.time())
        try:
            with self._db:
                for row in rows:
                    if self._delete(row.url):
                        replaced += 1
                    else:
                        added += 1
                    cur = self._db.execute(
                        "INSERT INTO docs (url, domain, title, published, info, words, postings, added_at, body)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (row.url, row.domain, row.title, row.published, row.info, row.words, len(row.postings),
                         now, row.body))
                    doc = int(cur.lastrowid or 0)
                    if defer_postings is not None:
                        pairs = np.empty((len(row.postings), 2), dtype=np.int64)
                        pairs[:, 0], pairs[:, 1] = row.postings, doc
                        defer_postings.append(pairs)
                    else:
                        self._db.executemany("INSERT OR IGNORE INTO postings VALUES (?, ?)",
                                             ((h, doc) for h in row.postings.tolist()))
        except sqlite3.DatabaseError as err:
            raise IndexError_(f"{self.path}: write failed ({err})") from None
        return AddReport(added=added, replaced=replaced)

    def insert_postings(self, pairs: np.ndarray, *, presorted: bool = False) -> None:
        """Insert (key, doc) pairs sorted by key, so the postings B-tree is written in order (packed pages)."""
        self._writable()
        if not len(pairs):
            return
        if not presorted:
            pairs = pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]
        with self._db:
            for lo in range(0, len(pairs), 1_000_000):
                self._db.executemany("INSERT OR IGNORE INTO postings VALUES (?, ?)",
                                     map(tuple, pairs[lo:lo + 1_000_000].tolist()))

    def _delete(self, url: str) -> bool:
        row = self._db.execute("SELECT id, body FROM docs WHERE url = ?", (url,)).fetchone()
        if row is None:
            return False
        dp = docprint(zlib.decompress(row["body"]).decode("utf-8"), self.config)
        self._db.executemany("DELETE FROM postings WHERE h = ? AND doc = ?",
                             ((h, row["id"]) for h in dp.postings.tolist()))
        self._db.execute("DELETE FROM docs WHERE id = ?", (row["id"],))
        return True

    def remove(self, urls: Iterable[str]) -> int:
        """Remove documents by URL in one transaction; returns how many were there."""
        self._writable()
        with self._db:
            return sum(self._delete(url) for url in urls)

    # reading
    def __len__(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM docs").fetchone()[0])

    def get(self, url: str) -> StoredDoc | None:
        row = self._db.execute("SELECT * FROM docs WHERE url = ?", (url,)).fetchone()
        return self._stored(row) if row else None

    def get_many(self, ids: Sequence[int]) -> dict[int, StoredDoc]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self._db.execute(f"SELECT * FROM docs WHERE id IN ({marks})", list(ids)).fetchall()
        return {row["id"]: self._stored(row) for row in rows}

    @staticmethod
    def _stored(row: sqlite3.Row) -> StoredDoc:
        return StoredDoc(id=row["id"], article=_article(row), postings=row["postings"], words=row["words"])

    def doc_ids(self) -> Iterator[int]:
        for (doc,) in self._db.execute("SELECT id FROM docs"):
            yield doc

    def urls(self) -> Iterator[str]:
        for (url,) in self._db.execute("SELECT url FROM docs ORDER BY id"):
            yield url

    def _lookup(self, keys: list[int]) -> tuple[np.ndarray, np.ndarray]:
        hs: list[int] = []
        docs: list[int] = []
        for lo in range(0, len(keys), _CHUNK):
            part = keys[lo:lo + _CHUNK]
            for h, doc in self._db.execute(
                    f"SELECT h, doc FROM postings WHERE h IN ({','.join('?' * len(part))})", part):
                hs.append(h)
                docs.append(doc)
        return np.asarray(hs, dtype=np.int64), np.asarray(docs, dtype=np.int64)

    def candidates(self, dp: DocPrint, limit: int | None = None) -> list[Candidate]:
        """Documents sharing at least ``min_shared_postings`` postings with the query's shingles.

        Postings held by more than ``posting_df_cap`` documents are stock phrases or boilerplate and are
        ignored. Candidates are ranked by the summed rarity (``log(N / df)``) of the postings they share, so
        a source sharing names and rare phrases wins over pages sharing only common ones.
        """
        cfg = self.config
        limit = limit or cfg.max_candidates
        hs, docs = self._lookup(dp.keys.tolist())
        if not len(hs):
            return []
        _, inverse, df = np.unique(hs, return_inverse=True, return_counts=True)
        keep = df[inverse] <= cfg.posting_df_cap
        weights = np.log((self._size() + 1.0) / df[inverse][keep])
        ids, where, shared = np.unique(docs[keep], return_inverse=True, return_counts=True)
        score = np.bincount(where, weights=weights, minlength=len(ids))
        ok = shared >= cfg.min_shared_postings
        ids, shared, score = ids[ok], shared[ok], score[ok]
        if not len(ids):
            return []
        top = np.argsort(-score, kind="stable")[:limit]
        id_list = ids[top].tolist()
        sizes = dict(self._db.execute(
            f"SELECT id, postings FROM docs WHERE id IN ({','.join('?' * len(id_list))})", id_list).fetchall())
        query_postings = len(dp.keys) * posting_density(cfg) + cfg.term_sample
        return [Candidate(doc_id=doc, shared=n, postings=sizes.get(doc, 0), weight=w,
                          contains_query=min(1.0, n / (query_postings + 2.0)),
                          in_query=min(1.0, n / (sizes.get(doc, 0) + 2.0)))
                for doc, n, w in zip(id_list, shared[top].tolist(), score[top].tolist())]

    def _size(self) -> int:
        if self._count is None or not self.readonly:
            self._count = int(self._db.execute("SELECT COALESCE(MAX(id), 0) FROM docs").fetchone()[0])
        return self._count

    def info(self) -> dict[str, Any]:
        """Counts, parameters and on-disk size of the index."""
        meta = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
        docs = len(self)
        domains = int(self._db.execute("SELECT COUNT(DISTINCT domain) FROM docs").fetchone()[0])
        postings = int(self._db.execute("SELECT COALESCE(SUM(postings), 0) FROM docs").fetchone()[0])
        size = sum(p.stat().st_size for p in (self.path, Path(f"{self.path}-wal")) if p.exists())
        return {
            "path": str(self.path), "documents": docs, "domains": domains, "postings": postings,
            "schema_version": int(meta.get("schema_version", 0)), "fingerprint": meta.get("fingerprint"),
            "params": json.loads(meta.get("params", "{}")), "created_at": meta.get("created_at"),
            "bytes": size, "bytes_per_document": round(size / docs, 1) if docs else None,
        }

    def checkpoint(self) -> None:
        """Fold the write-ahead log into the main file (after a bulk build, before measuring its size)."""
        self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
