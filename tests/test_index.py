"""The SQLite copy index: incremental add, replace and remove; bulk JSONL builds; benchmark smoke runs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from detector.bulk import bulk_index
from detector.index import Index
from detector.matcher import find_matches
from detector.records import Article

from tests.test_copy_engine import _article, _text

REPO = Path(__file__).resolve().parent.parent
CORPORA = REPO.parent / "shared" / "corpora"


def test_add_replace_remove_keep_the_postings_consistent(tmp_path: Path) -> None:
    path = tmp_path / "i.sqlite"
    with Index(path) as index:
        assert index.add([_article("https://a.example/1", _text(1))]).added == 1
        assert index.add([_article("https://a.example/1", _text(2))]).replaced == 1
        assert len(index) == 1
        assert find_matches(_article("https://b.example/x", _text(1)), index) == []
        assert [m.url for m in find_matches(_article("https://b.example/x", _text(2)), index)] == ["https://a.example/1"]
        assert index.remove(["https://a.example/1", "https://a.example/missing"]) == 1
        assert index._db.execute("SELECT COUNT(*) FROM postings").fetchone()[0] == 0
    with Index(path, readonly=True) as ro:
        assert len(ro) == 0 and ro.info()["schema_version"] == 4


def test_bulk_jsonl_build_equals_incremental_adds_and_refuses_bad_lines(tmp_path: Path) -> None:
    docs = [_article(f"https://s{i}.example/{i}", _text(i)) for i in range(30)]
    lines = [json.dumps(d.to_dict()) for d in docs] + ["not json", json.dumps({"url": "https://x.example/"})]
    report = bulk_index(tmp_path / "bulk.sqlite", lines, workers=1, batch=7)
    assert (report.added, report.refused) == (30, 2)
    with Index(tmp_path / "inc.sqlite") as inc:
        inc.add(docs)
        want = sorted(map(tuple, inc._db.execute("SELECT h, doc FROM postings")))
    with Index(tmp_path / "bulk.sqlite", readonly=True) as bulk:
        assert sorted(map(tuple, bulk._db.execute("SELECT h, doc FROM postings"))) == want
        copy = Article(url="https://farm.example/c", domain="farm.example", title=None, text=_text(12))
        assert [m.url for m in find_matches(copy, bulk)] == ["https://s12.example/12"]


def _run(script: str, *args: str) -> str:
    done = subprocess.run([sys.executable, str(REPO / "benchmarks" / script), *args], capture_output=True,
                          text=True, timeout=240, cwd=REPO)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.mark.skipif(not (CORPORA / "htmldate-dev").exists(), reason="shared corpora not available")
def test_speed_benchmark_smoke(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = _run("speed_bench.py", "--docs", "2000", "--queries", "40", "--signature-docs", "200", "--no-write")
    assert "lookup + verification p50" in out


@pytest.mark.skipif(not (CORPORA / "meter-courts").exists(), reason="METER corpus not available")
def test_meter_benchmark_smoke() -> None:
    out = _run("meter_bench.py", "--background", "2000", "--limit", "60", "--no-write")
    assert "source found" in out


def test_bodies_are_stored_with_a_trained_zstd_dictionary_and_read_back_exactly(tmp_path: Path) -> None:
    pytest.importorskip("zstandard")
    docs = [_article(f"https://s{i % 7}.example/{i}", _text(i, paragraphs=3)) for i in range(260)]
    with Index(tmp_path / "z.sqlite") as index:
        index.add(docs[:10])  # too few to train on: zlib
        index.add(docs[10:])
        assert index.codec.dictionary is not None
        kinds = {bytes(b)[:1] for (b,) in index._db.execute("SELECT body FROM docs")}
        assert kinds == {b"\x01", b"\x78"}
        assert index.remove(["https://s3.example/3", "https://s5.example/250"]) == 2
    with Index(tmp_path / "z.sqlite", readonly=True) as ro:
        for doc in (docs[0], docs[100], docs[259]):
            stored = ro.get(doc.url)
            assert stored is not None and stored.article.text == doc.text
        assert ro._db.execute("SELECT COUNT(*) FROM bands").fetchone()[0] == 258 * ro.info()["lsh"]["bands"]


def test_a_reader_maps_the_file_unless_its_memory_is_bounded(tmp_path: Path) -> None:
    """Scoring reads through a memory map; an audit worker (``limit_cache``) reads through a capped page cache,
    so the index pages it touches do not count in its resident memory."""
    path = tmp_path / "i.sqlite"
    with Index(path) as index:
        index.add([_article("https://orig.example/a", _text(1))])
    with Index(path, readonly=True) as reader:
        assert reader._db.execute("PRAGMA mmap_size").fetchone()[0] > 0
        reader.limit_cache(16)
        assert reader._db.execute("PRAGMA mmap_size").fetchone()[0] == 0
        assert reader._db.execute("PRAGMA cache_size").fetchone()[0] == -16 * 1024
        assert len(find_matches(_article("https://copy.example/b", _text(1)), reader)) == 1
