"""The copy index: an embedded SQLite file of documents, MinHash signatures, LSH bands and winnowed postings.

One writer, many readers (WAL); every batch is one transaction, so a killed writer loses only the batch in
flight. The parameters an index was built with are stored in it and win over the caller's config.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from detector.config import DEFAULT, Config
from detector.docprint import DocPrint, docprints
from detector.errors import IndexError_
from detector.fingerprint import as_sql_ints
from detector.pubdate import parse_datetime
from detector.records import Article, iso
from detector.urls import registered_domain

APPLICATION = "content-farm-detector"
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL UNIQUE,
    domain TEXT NOT NULL,
    title TEXT,
    published TEXT,
    info TEXT NOT NULL,
    body BLOB NOT NULL,
    words INTEGER NOT NULL,
    postings INTEGER NOT NULL,
    signature BLOB NOT NULL,
    added_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS postings (h INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (h, doc)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS bands (k INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (k, doc)) WITHOUT ROWID;
"""


@dataclass(frozen=True, slots=True)
class StoredDoc:
    """A document as the index holds it: its article (text and metadata) and signature."""

    id: int
    article: Article
    signature: np.ndarray
    postings: int


@dataclass(frozen=True, slots=True)
class Candidate:
    """A document that shares winnowed fingerprints (or an LSH band) with a query."""

    doc_id: int
    shared: int
    postings: int
    band_hit: bool


@dataclass(frozen=True, slots=True)
class AddReport:
    """What one ``add`` call did."""

    added: int
    replaced: int


def _info(article: Article) -> str:
    link_domains = sorted({registered_domain(u) for u in article.links} - {"", article.domain})
    return json.dumps({
        "sitename": article.sitename, "canonical": article.canonical, "author": article.author,
        "language": article.language, "link_domains": link_domains[:200],
    }, ensure_ascii=False)


def _article(row: sqlite3.Row) -> Article:
    info = json.loads(row["info"])
    text = zlib.decompress(row["body"]).decode("utf-8")
    paragraphs = tuple(text.split("\n\n"))
    links = tuple(f"https://{d}/" for d in info.get("link_domains", []))
    return Article(url=row["url"], domain=row["domain"], title=row["title"], text=text, paragraphs=paragraphs,
                   published=parse_datetime(row["published"]), author=info.get("author"),
                   sitename=info.get("sitename"), canonical=info.get("canonical"),
                   language=info.get("language"), links=links)


class Index:
    """A copy index in one SQLite file. Use as a context manager; ``readonly=True`` for scoring."""

    def __init__(self, path: str | Path, config: Config = DEFAULT, *, readonly: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
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
            self.config = self._open(config)
        except sqlite3.DatabaseError as err:
            raise IndexError_(f"{self.path}: not a readable index ({err})") from None

    def _open(self, config: Config) -> Config:
        tables = {r[0] for r in self._db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if not tables and not self.readonly:
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
            raise IndexError_(f"{self.path}: index schema {version}, this version reads schema {SCHEMA_VERSION}")
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
    def add(self, articles: Sequence[Article], prints: Sequence[DocPrint] | None = None) -> AddReport:
        """Add (or replace, by URL) a batch of articles in one transaction."""
        if self.readonly:
            raise IndexError_(f"{self.path}: opened read-only")
        prints = list(prints) if prints is not None else docprints([a.text for a in articles], self.config)
        now = datetime.now(timezone.utc).isoformat()
        added = replaced = 0
        try:
            with self._db:
                for article, dp in zip(articles, prints):
                    if self._delete(article.url):
                        replaced += 1
                    else:
                        added += 1
                    cur = self._db.execute(
                        "INSERT INTO docs (url, domain, title, published, info, body, words, postings, signature,"
                        " added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (article.url, article.domain, article.title, iso(article.published), _info(article),
                         zlib.compress(article.text.encode("utf-8"), 6), dp.words, len(dp.postings),
                         dp.signature.astype(np.uint32).tobytes(), now))
                    doc = cur.lastrowid
                    self._db.executemany("INSERT OR IGNORE INTO postings VALUES (?, ?)",
                                         ((h, doc) for h in as_sql_ints(dp.postings)))
                    self._db.executemany("INSERT OR IGNORE INTO bands VALUES (?, ?)",
                                         ((k, doc) for k in as_sql_ints(dp.bands)))
        except sqlite3.DatabaseError as err:
            raise IndexError_(f"{self.path}: write failed ({err})") from None
        return AddReport(added=added, replaced=replaced)

    def _delete(self, url: str) -> bool:
        row = self._db.execute("SELECT id, body FROM docs WHERE url = ?", (url,)).fetchone()
        if row is None:
            return False
        dp = docprints([zlib.decompress(row["body"]).decode("utf-8")], self.config)[0]
        self._db.executemany("DELETE FROM postings WHERE h = ? AND doc = ?", ((h, row["id"]) for h in as_sql_ints(dp.postings)))
        self._db.executemany("DELETE FROM bands WHERE k = ? AND doc = ?", ((k, row["id"]) for k in as_sql_ints(dp.bands)))
        self._db.execute("DELETE FROM docs WHERE id = ?", (row["id"],))
        return True

    def remove(self, urls: Iterable[str]) -> int:
        """Remove documents by URL in one transaction; returns how many were there."""
        if self.readonly:
            raise IndexError_(f"{self.path}: opened read-only")
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

    def _stored(self, row: sqlite3.Row) -> StoredDoc:
        signature = np.frombuffer(row["signature"], dtype=np.uint32).copy()
        return StoredDoc(id=row["id"], article=_article(row), signature=signature, postings=row["postings"])

    def urls(self) -> Iterator[str]:
        for (url,) in self._db.execute("SELECT url FROM docs ORDER BY id"):
            yield url

    def candidates(self, dp: DocPrint, limit: int | None = None) -> list[Candidate]:
        """Documents sharing enough winnowed fingerprints (containment either way) or an LSH band.

        Fingerprints shared by more than ``posting_df_cap`` documents are stock phrases or boilerplate and
        are ignored. Candidates are ranked by the larger of the two estimated containments.
        """
        cfg = self.config
        limit = limit or cfg.max_candidates
        shared: Counter[int] = Counter()
        hashes = as_sql_ints(dp.postings)
        for chunk in range(0, len(hashes), 900):
            part = hashes[chunk:chunk + 900]
            rows = self._db.execute(
                f"SELECT h, doc FROM postings WHERE h IN ({','.join('?' * len(part))})", part).fetchall()
            per_hash = Counter(h for h, _ in rows)
            shared.update(doc for h, doc in rows if per_hash[h] <= cfg.posting_df_cap)
        band_docs: set[int] = set()
        keys = as_sql_ints(dp.bands)
        if keys:
            band_docs = {r[0] for r in self._db.execute(
                f"SELECT DISTINCT doc FROM bands WHERE k IN ({','.join('?' * len(keys))})", keys)}
        ids = [d for d, n in shared.items() if n >= cfg.min_shared_postings] + [d for d in band_docs if d not in shared]
        if not ids:
            return []
        sizes: dict[int, int] = {}
        for chunk in range(0, len(ids), 900):
            part = ids[chunk:chunk + 900]
            sizes.update(self._db.execute(
                f"SELECT id, postings FROM docs WHERE id IN ({','.join('?' * len(part))})", part).fetchall())
        query_size = max(len(dp.postings), 1)
        found = [Candidate(doc_id=d, shared=shared.get(d, 0), postings=sizes.get(d, 0), band_hit=d in band_docs)
                 for d in ids if d in sizes]
        found.sort(key=lambda c: (c.band_hit, max(c.shared / query_size, c.shared / max(c.postings, 1)), c.shared),
                   reverse=True)
        return found[:limit]

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
