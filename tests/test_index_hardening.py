"""An index in awkward places: a read-only file, a read-only folder, two processes creating it at once, and the
``-wal``/``-shm`` files a reader leaves. Every refusal is one line naming the index; nothing stored is lost.

Root ignores file modes, so the read-only cases run the command in a child process without the capabilities
that let root write anyway (``setpriv``); as an ordinary user the child runs as it is.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from detector.bodycodec import available as zstd_available
from detector.errors import IndexError_
from detector.index import Index
from tests.test_copy_engine import _article, _text

if TYPE_CHECKING:
    from multiprocessing.queues import Queue
    from multiprocessing.synchronize import Barrier

REPO = Path(__file__).resolve().parent.parent
_DROP = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-all"]
_CLI = "from detector.cli import app; app(prog_name='detector')"


def _without_root_powers() -> list[str]:
    """The prefix that runs a child unable to write what its file modes forbid (empty for a non-root user)."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: root writes read-only files, so they cannot be tested")
    if subprocess.run([*_DROP, "true"], capture_output=True).returncode != 0:
        pytest.skip("running as root and setpriv cannot drop CAP_DAC_OVERRIDE here (a restricted container)")
    return _DROP


def _detector(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the ``detector`` command in a child process without root's powers over file modes."""
    return subprocess.run([*_without_root_powers(), sys.executable, "-c", _CLI, *args], capture_output=True,
                          text=True, timeout=120, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})


def _one_line(run: subprocess.CompletedProcess[str], text: str) -> None:
    assert run.returncode == 2, (run.returncode, run.stderr)
    assert "Traceback" not in run.stderr and run.stderr.strip().splitlines() == [f"error: {text}"], run.stderr


def _documents(path: Path) -> int:
    """Documents in the index, read with plain SQLite through a URI that writes nothing."""
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        return int(db.execute("SELECT COUNT(*) FROM docs").fetchone()[0])
    finally:
        db.close()


@pytest.fixture
def page(seed_dir: Path) -> Path:
    return seed_dir / "kyivpost.html"


def test_a_read_only_index_file_refuses_add_and_remove_in_one_line_and_keeps_its_documents(
        seed_index: Path, page: Path) -> None:
    with Index(seed_index, readonly=True) as index:
        url = next(index.urls())
    seed_index.chmod(0o444)
    name = str(seed_index)
    _one_line(_detector("index", "add", name, str(page)), f"{name}: cannot write (the file is read-only)")
    _one_line(_detector("index", "remove", name, url), f"{name}: cannot write (the file is read-only)")
    info = _detector("index", "info", name)
    assert info.returncode == 0 and "documents: 4" in info.stdout, info.stderr
    assert _documents(seed_index) == 4


def test_a_refused_write_through_the_api_is_an_index_error_and_removes_nothing(seed_index: Path) -> None:
    with Index(seed_index) as index:
        url = next(index.urls())
        index._db.execute("PRAGMA query_only = ON")  # SQLite now refuses writes as it does on a read-only file
        with pytest.raises(IndexError_, match=r"seed\.sqlite: cannot write"):
            index.remove([url])
        with pytest.raises(IndexError_, match=r"seed\.sqlite: cannot write"):
            index.add([_article("https://new.example/1", _text(1))])
        assert index.get(url) is not None and len(index) == 4


def test_a_good_index_in_a_read_only_folder_is_read_and_refuses_writes_in_one_line(
        seed_index: Path, tmp_path: Path, page: Path) -> None:
    folder = tmp_path / "rodir"
    folder.mkdir()
    path = folder / "i.sqlite"
    shutil.copyfile(seed_index, path)
    folder.chmod(0o555)
    try:
        scored = _detector("score", str(page), "--index", str(path), "--format", "jsonl")
        assert scored.returncode == 0 and '"error": null' in scored.stdout, scored.stderr
        info = _detector("index", "info", str(path), "--json")
        assert info.returncode == 0 and '"documents": 4' in info.stdout, info.stderr
        for args in (["index", "add", str(path), str(page)], ["index", "remove", str(path), "https://a.example/"]):
            _one_line(_detector(*args), f"{path}: cannot write: its folder is read-only")
        _one_line(_detector("index", "add", str(folder / "new.sqlite"), str(page)),
                  f"{folder / 'new.sqlite'}: cannot write: its folder is read-only")
        assert sorted(p.name for p in folder.iterdir()) == ["i.sqlite"]
    finally:
        folder.chmod(0o755)
    assert _documents(path) == 4


def _create_and_add(path: str, worker: int, rounds: int, barrier: Barrier, errors: Queue[str]) -> None:
    """One of the racing processes: in every round, open the same new index as the other and add its pages."""
    for round_ in range(rounds):
        barrier.wait()
        try:
            with Index(f"{path}.{round_}") as index:
                index.add([_article(f"https://w{worker}.example/{i}", _text(100 * worker + i)) for i in range(3)])
        except Exception as exc:  # noqa: BLE001 - reported to the parent, which fails the test with it
            errors.put(f"round {round_}, worker {worker}: {type(exc).__name__}: {exc}")


def test_two_processes_creating_one_new_index_both_store_their_documents(tmp_path: Path) -> None:
    rounds, workers = 8, 2
    ctx = multiprocessing.get_context("spawn")
    barrier, errors = ctx.Barrier(workers), ctx.Queue()
    base = str(tmp_path / "race.sqlite")
    procs = [ctx.Process(target=_create_and_add, args=(base, w, rounds, barrier, errors)) for w in range(workers)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=300)
    failures = []
    while not errors.empty():
        failures.append(errors.get())
    assert not failures, failures
    assert all(proc.exitcode == 0 for proc in procs)
    for round_ in range(rounds):
        with Index(f"{base}.{round_}", readonly=True) as index:
            assert sorted(index.urls()) == sorted(f"https://w{w}.example/{i}" for w in range(workers) for i in range(3))
            assert index._db.execute("SELECT COUNT(*) FROM meta").fetchone()[0] == 6


@pytest.mark.skipif(not zstd_available(), reason="zstandard is not installed: no dictionary to race for")
def test_a_second_writer_adopts_the_stored_dictionary_and_every_body_stays_readable(tmp_path: Path) -> None:
    path = tmp_path / "i.sqlite"
    first, second = Index(path), Index(path)  # both opened before any dictionary exists
    try:
        first.add([_article(f"https://a.example/{i}", _text(i)) for i in range(220)])
        second.add([_article(f"https://b.example/{i}", _text(1000 + i)) for i in range(220)])
        assert first.codec.dictionary == second.codec.dictionary
    finally:
        first.close()
        second.close()
    with Index(path, readonly=True) as index:
        assert len(index) == 440
        assert index.get("https://a.example/7").article.text == _text(7)
        assert index.get("https://b.example/7").article.text == _text(1007)


def test_a_read_only_open_leaves_no_wal_or_shm_beside_the_index(seed_index: Path, seed_dir: Path) -> None:
    from typer.testing import CliRunner

    from detector.cli import app

    side = [Path(f"{seed_index}-wal"), Path(f"{seed_index}-shm")]
    assert not any(p.exists() for p in side)
    with Index(seed_index, readonly=True) as index:
        assert len(index) == 4
    assert not any(p.exists() for p in side)
    run = CliRunner().invoke(app, ["score", str(seed_dir / "botasot.html"), "--index", str(seed_index), "-f", "json"])
    assert run.exit_code == 0, run.output
    assert not any(p.exists() for p in side)


def test_a_reader_closing_beside_a_writer_leaves_the_writers_files_and_data_alone(seed_index: Path) -> None:
    with Index(seed_index, readonly=True) as reader:
        with Index(seed_index) as writer:
            reader.close()  # the writer still has the index open: its -wal and -shm must stay
            assert Path(f"{seed_index}-shm").exists()
            writer.add([_article("https://new.example/1", _text(1))])
            assert len(writer) == 5
    with Index(seed_index, readonly=True) as again:
        assert len(again) == 5 and again.get("https://new.example/1") is not None


def test_a_file_a_first_writer_left_before_its_first_commit_reads_as_an_empty_index(tmp_path: Path) -> None:
    """A SIGKILL while a new index is created leaves an SQLite file with no tables: a reader is told it is empty
    (not that it is someone else's file), and the next writer creates the index in it."""
    import sqlite3

    from detector.errors import IndexError_
    from detector.index import Index
    from detector.records import Article

    path = tmp_path / "i.sqlite"
    sqlite3.connect(path).execute("PRAGMA user_version = 0").connection.close()  # an SQLite file, no tables
    with pytest.raises(IndexError_, match="empty index: nothing was ever committed"):
        Index(path, readonly=True)
    with Index(path) as index:
        index.add([Article(url="https://a.example/1", domain="a.example", title="t", text="word " * 60)])
    with Index(path, readonly=True) as index:
        assert len(index) == 1
