"""Opening a copy-index file: read-only folders and files, a writer refused in one line, safe concurrent creation.

``detector.index.Index`` keeps the data; this module decides how its SQLite file is opened and what a failure
to open or write it is called, so that every refusal is one line naming the file:

- A **read-write** open first asks the OS whether the file, its folder and its ``-wal``/``-shm`` files can be
  written (SQLite would otherwise open a read-only file read-only without a word, and the first write would
  fail mid-run, after pages had been fetched): ``cannot write (the file is read-only)``, ``cannot write: its
  folder is read-only``. A write SQLite refuses later anyway is reported the same way (``write_error``).
- A **read-only** open of a WAL-mode index needs its ``-shm`` file, and creates it (and an empty ``-wal``)
  when missing; in a folder it cannot write that fails. It is then retried with ``immutable=1``, which reads
  the main file without locks or ``-shm``. SQLite documents (walformat.html) that a WAL database whose
  ``-wal`` and ``-shm`` are missing cannot be opened by a process without permission to create them "unless
  the database is designated as immutable", and (uri.html) that an immutable file that does change "can
  result in incorrect query results and/or SQLITE_CORRUPT errors". It is only used when no ``-shm`` exists
  and the ``-wal`` is missing or empty: every open WAL connection, reader or writer, keeps the ``-shm`` in
  existence (this tool never uses exclusive locking mode), so no process has the index open and the main
  file holds every committed document. While this reader runs, a writer would have to create the ``-wal``
  and ``-shm`` in that same folder, which this user cannot do; on read-only media or a read-only mount nobody
  can. A more privileged user writing into the folder during the read is the one case left: this reader
  may then see stale or failed reads, never damage the index (an immutable connection never writes).
- **Creating** a new index is one ``BEGIN IMMEDIATE`` transaction that checks again, under the write lock,
  whether another process created the tables first; the meta rows are ``INSERT OR IGNORE``. Two ``index add``
  runs that start together on a new file therefore both store their documents.
- A read-only open leaves an empty ``-wal`` and ``-shm`` behind (a read-only connection may not delete them).
  When this open created them, ``drop_empty_log`` removes them the one way SQLite calls safe (wal.html: "open
  the database file ... then immediately close" it): a read-write connection opened and closed at once;
  SQLite deletes them only when that connection is the last one (under an exclusive lock), so a concurrent
  reader or writer keeps its files. It cannot when the file or folder is read-only: they stay, empty.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from datetime import datetime, timezone
from pathlib import Path

from detector.config import Config
from detector.docprint import lsh_shape
from detector.errors import IndexError_

APPLICATION = "content-farm-detector"
#: 4: words in Cyrillic are hashed in their Latin spelling (``fingerprint.normalise_word``), so a schema-3
#: index holds other hashes for them.
SCHEMA_VERSION = 4
PAGE_SIZE = 16384
#: A file with no tables at all, read-only: a first ``index add`` stopped before it committed anything (the next
#: writer creates the index in it).
EMPTY_INDEX = "empty index: nothing was ever committed to it (run `detector index add` to fill it)"

SCHEMA = """
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
CREATE TABLE IF NOT EXISTS bands (h INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (h, doc)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS blobs (name TEXT PRIMARY KEY, data BLOB NOT NULL);
"""

_EFFECTIVE = os.access in os.supports_effective_ids  # SQLite opens files with the effective user's rights


def side_files(path: Path) -> tuple[Path, Path]:
    """The ``-wal`` and ``-shm`` files SQLite keeps beside a WAL-mode database."""
    return Path(f"{path}-wal"), Path(f"{path}-shm")


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK, effective_ids=_EFFECTIVE)


def cannot_write(path: Path) -> str | None:
    """Why this process cannot write the index at ``path`` (its file, folder or side files), or None.

    Asked of the OS before a read-write open, because SQLite quietly opens a file it may not write read-only.
    """
    if path.exists() and not _writable(path):
        return "cannot write (the file is read-only)"
    folder = path.absolute().parent
    if folder.is_dir() and not _writable(folder):
        return "cannot write: its folder is read-only"
    for side in side_files(path):
        if side.exists() and not _writable(side):
            return f"cannot write (its {side.name} file is read-only)"
    return None


def _is_readonly(err: sqlite3.Error) -> bool:
    name = str(getattr(err, "sqlite_errorname", ""))
    return name.startswith("SQLITE_READONLY") or "readonly database" in str(err)


def write_error(path: Path, err: sqlite3.Error) -> IndexError_:
    """The one-line error for a write SQLite refused: why the file cannot be written when the OS can tell."""
    if _is_readonly(err):
        return IndexError_(f"{path}: {cannot_write(path) or f'cannot write ({err})'}")
    return IndexError_(f"{path}: write failed ({err})")


def open_error(path: Path, err: sqlite3.DatabaseError | OSError, readonly: bool) -> IndexError_:
    """The one-line error for a file that could not be opened (or prepared) as an index."""
    if isinstance(err, sqlite3.Error) and not readonly and _is_readonly(err):
        return write_error(path, err)
    reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
    return IndexError_(f"{path}: not a readable index ({reason})")


def _immutable_is_safe(path: Path) -> bool:
    """Whether a read-only open that could not create ``-shm`` may read the main file as immutable (see above)."""
    wal, shm = side_files(path)
    quiet = not shm.exists() and (not wal.exists() or wal.stat().st_size == 0)
    return quiet and not _writable(path.absolute().parent)


def connect(path: Path, readonly: bool) -> tuple[sqlite3.Connection, bool]:
    """A connection to the index file at ``path`` and whether it reads the file as immutable.

    Read-write: the folder is created when missing, and a file this process cannot write is refused
    (``IndexError_``). Read-only: the file is read in place, with the ``immutable`` fallback for a WAL index in
    a folder this process cannot write. SQLite errors are left to the caller, which names the file.
    """
    if readonly:
        uri = path.resolve().as_uri()
        db = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=30)
        try:
            db.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()  # opens the WAL, the step that fails
            return db, False
        except sqlite3.OperationalError as err:
            db.close()
            if not (_is_readonly(err) or "unable to open" in str(err)) or not _immutable_is_safe(path):
                raise
        return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, timeout=30), True
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise IndexError_(f"{path}: cannot create its folder ({err.strerror or err})") from None
    reason = cannot_write(path)
    if reason:
        raise IndexError_(f"{path}: {reason}")
    return sqlite3.connect(path, timeout=30), False


#: How long a pragma that needs the whole file (``journal_mode = WAL``) waits for other connections.
LOCK_WAIT_S = 30.0


def _wal_mode(db: sqlite3.Connection) -> None:
    """Switch to WAL mode, waiting while another process holds the file: the switch takes an exclusive lock
    and SQLite may refuse it with "database is locked" at once, without its busy timeout (two ``index add``
    runs creating one new file failed that way)."""
    deadline = time.monotonic() + LOCK_WAIT_S
    while True:
        try:
            db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _tables(db: sqlite3.Connection) -> set[str]:
    return {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _create(db: sqlite3.Connection, config: Config) -> None:
    """Create the tables and meta rows in one IMMEDIATE transaction, unless another process got there first.

    One transaction: a writer killed while creating the index leaves a file with no tables (created afresh
    next time), never tables without meta (refused as "not an index"). The tables are looked for again under
    the write lock, so of two processes creating the same file at once the second finds the first's tables
    and reads their parameters like any existing index (``INSERT OR IGNORE`` as a second guard).
    (executescript would commit each statement on its own.)
    """
    db.execute(f"PRAGMA page_size = {PAGE_SIZE}")
    _wal_mode(db)
    with db:
        db.execute("BEGIN IMMEDIATE")
        if _tables(db):
            return
        for statement in (part.strip() for part in SCHEMA.split(";")):
            if statement:
                db.execute(statement)
        bands, rows = lsh_shape(config)
        lsh = {"scheme": config.scheme, "seed": config.seed, "num_perm": config.num_perm,
               "threshold": config.lsh_threshold, "bands": bands, "rows": rows, "key_bits": 32}
        params = {"application": APPLICATION, "schema_version": str(SCHEMA_VERSION),
                  "params": json.dumps(config.index_params()), "fingerprint": config.fingerprint,
                  "lsh": json.dumps(lsh), "created_at": datetime.now(timezone.utc).isoformat()}
        db.executemany("INSERT OR IGNORE INTO meta VALUES (?, ?)", params.items())


def prepare(db: sqlite3.Connection, path: Path, config: Config, readonly: bool) -> Config:
    """Create a new index (read-write, empty file) or check an existing one; the config its parameters give.

    An existing file must be one of ours, of this schema version, with readable parameters; they win over
    ``config`` (see ``Config.with_index_params``).
    """
    if not _tables(db) and not readonly:
        _create(db, config)
    tables = _tables(db)
    if not tables:  # what a first writer killed before its first commit leaves (``_create``): nothing stored yet
        raise IndexError_(f"{path}: {EMPTY_INDEX}")
    if "meta" not in tables:
        raise IndexError_(f"{path}: not a content-farm-detector index")
    meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
    if meta.get("application") != APPLICATION:
        raise IndexError_(f"{path}: not a content-farm-detector index")
    try:
        version = int(meta.get("schema_version", "0"))
    except ValueError:
        raise IndexError_(f"{path}: damaged index (schema version {meta.get('schema_version')!r})") from None
    if version != SCHEMA_VERSION:
        raise IndexError_(f"{path}: index schema {version}, this version reads schema {SCHEMA_VERSION};"
                          " rebuild the index")
    if not readonly:
        _wal_mode(db)
    try:
        params = json.loads(meta["params"])
        if not isinstance(params, dict):
            raise TypeError("params is not a JSON object")
        return config.with_index_params(params)
    except (KeyError, ValueError, TypeError) as err:
        raise IndexError_(f"{path}: damaged index (its parameters are unreadable: {err})") from None


def drop_empty_log(path: Path) -> None:
    """Remove the empty ``-wal`` and ``-shm`` a read-only open left beside ``path``, when that is safe.

    Only an empty ``-wal`` is touched, only when this process may write the file and its folder, and only the
    way SQLite documents as safe: a read-write connection opened and closed at once; SQLite deletes the files
    only if that connection is the last one open. Anything in the way (another process, a lock) leaves them.
    """
    wal, _ = side_files(path)
    try:
        if not wal.exists() or wal.stat().st_size or cannot_write(path):
            return
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=1)
        try:
            db.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
        finally:
            db.close()
    except (sqlite3.Error, OSError):
        pass  # the files stay; they are harmless, and SQLite removes them at the next writer's close
