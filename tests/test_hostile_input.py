"""Hostile input end to end, through ``detector score`` and ``detector index add``: each bad input gets one
line naming it, the run goes on, the good targets are scored and stored, and nothing stored is lost.

Fetch-level behaviour (each refusal's wording, bombs, deadlines, address checks) is in ``test_fetch.py``;
here the same hostile responses come from a real server on 127.0.0.1 and go through the whole command.
"""

from __future__ import annotations

import hashlib
import json
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import brotli
import pytest
from typer.testing import CliRunner

from benchmarks._hostile import (ALBANIAN, ENGLISH, article_page, charset_pages, gzip_bomb, hostile_files,
                                 pathological_pages)
from detector.cli import app
from detector.config import Config
from detector.errors import ExtractError
from detector.extract import extract, time_limit
from detector.index import Index
from detector.records import Page
from tests.conftest_http import TestServer

REPO = Path(__file__).resolve().parent.parent
#: Refusals a user can tell apart: one line each, starting with "refused <target>:".
UNUSABLE = ("empty", "whitespace", "no_text", "only_script", "png", "jpeg", "pdf", "zip", "gzip_inside",
            "nul_bytes", "random_bytes", "deep_nesting", "xml_declaration_only")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _refusals(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("refused ")]


def _verdicts(stdout: str) -> dict[str, dict]:
    return {v["target"]: v for v in map(json.loads, stdout.splitlines())}


def _stored(index: Path) -> dict[str, str]:
    with Index(index, readonly=True) as opened:
        return {url: opened.get(url).article.text for url in opened.urls()}  # type: ignore[union-attr]


def _config(tmp_path: Path, **values: object) -> Path:
    path = tmp_path / "cfg.toml"
    path.write_text("".join(f"{k} = {json.dumps(v)}\n" for k, v in values.items()), encoding="utf-8")
    return path


def _article(n: int, text: str = ENGLISH) -> bytes:
    """A good page with its own canonical URL (so each stored document is distinct)."""
    page = article_page(f"Item {n} of the day. " + text, title=f"Story {n}")
    return page.replace("<title>", f"<link rel='canonical' href='https://good{n}.example/story'><title>", 1).encode()


# ------------------------------------------------------------------------------------------ local files


def test_hostile_files_are_refused_one_line_each_and_the_good_ones_scored_and_stored(
    runner: CliRunner, seed_index: Path, seed_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    for name, body in hostile_files().items():
        (folder / f"{name}.html").write_bytes(body)
    (folder / "a_good.html").write_bytes((seed_dir / "botasot.html").read_bytes())
    (folder / "z_good.html").write_bytes(_article(1))
    result = runner.invoke(app, ["score", str(folder), "--index", str(seed_index), "-f", "jsonl"])
    assert result.exit_code == 2
    verdicts = _verdicts(result.stdout)
    assert len(verdicts) == len(hostile_files()) + 2  # one verdict per file, in folder order
    assert verdicts[str(folder / "a_good.html")]["matches"][0]["domain"] == "balkanweb.com"
    assert verdicts[str(folder / "z_good.html")]["error"] is None
    for name in UNUSABLE:
        assert verdicts[str(folder / f"{name}.html")]["error"], name
    refused = _refusals(result.stderr)
    assert len(refused) == sum(1 for v in verdicts.values() if v["error"])
    assert all(line.startswith(f"refused {folder}") and "Traceback" not in line for line in refused)

    index = tmp_path / "i.sqlite"
    added = runner.invoke(app, ["index", "add", str(index), str(folder), "--batch", "2"])
    assert added.exit_code == 2
    assert len(_refusals(added.stderr)) == len(refused)
    stored = _stored(index)
    assert "https://good1.example/story" in stored
    assert any("botasot" in url for url in stored)


def test_a_200_mb_file_and_a_200_mb_gzip_file_are_refused_without_being_read(
    runner: CliRunner, seed_dir: Path, tmp_path: Path
) -> None:
    huge = tmp_path / "huge.html"
    with open(huge, "wb") as handle:  # sparse: 200 MB that take no disk
        handle.write(b"<html><body><p>")
        handle.truncate(200_000_000)
    packed = tmp_path / "huge.html.gz"
    packed.write_bytes(gzip_bomb(200_000_000))
    index = tmp_path / "i.sqlite"
    result = runner.invoke(app, ["index", "add", str(index), str(huge), str(packed), str(seed_dir / "botasot.html")])
    assert result.exit_code == 2
    assert "1 added" in result.stderr
    refused = _refusals(result.stderr)
    assert len(refused) == 2 and all("larger than 10000000 bytes" in line for line in refused)


def test_charsets_wrong_missing_and_lying_keep_their_letters_end_to_end(
    runner: CliRunner, tmp_path: Path, http_server: TestServer
) -> None:
    pages = charset_pages()
    urls = {name: http_server.add(f"/{name}", body, content_type=ctype) for name, (body, ctype, _) in pages.items()}
    index = tmp_path / "i.sqlite"
    result = runner.invoke(app, ["index", "add", str(index), *urls.values(), "--allow-private", "--batch", "3"])
    assert result.exit_code == 0, result.output
    stored = _stored(index)
    for name, (_, _, word) in pages.items():
        assert word in stored[urls[name]], name
    for name in ("cp1250_undeclared", "cp1251_header_lies_utf8", "utf16_le_bom"):  # and the same from files
        (tmp_path / f"{name}.html").write_bytes(pages[name][0])
    scored = runner.invoke(app, ["score", *(str(tmp_path / f"{n}.html") for n in ("cp1250_undeclared",
                                 "cp1251_header_lies_utf8", "utf16_le_bom")), "--index", str(index), "-f", "jsonl"])
    assert scored.exit_code == 0, scored.output
    for verdict in _verdicts(scored.stdout).values():
        assert verdict["matches"] and verdict["matches"][0]["share_of_this"] > 0.9  # found its stored twin


# ------------------------------------------------------------------------------------------ over HTTP


@pytest.fixture
def without_host_delay(monkeypatch: pytest.MonkeyPatch) -> None:
    """``score`` and ``index add`` without their per-host delay: these tests send a dozen hostile answers (and a
    redirect loop) from one server, and are about what is refused, not how far apart it was asked for."""
    from dataclasses import replace

    from detector import politeness

    monkeypatch.setattr(politeness, "NAMED_PAGES", replace(politeness.NAMED_PAGES, delay_s=0.0))


@pytest.fixture
def hostile_server(http_server: TestServer) -> dict[str, str]:
    """name -> URL of each hostile response, on a real server on 127.0.0.1."""
    s = http_server
    urls = {
        "404": s.add("/404", "<html><body>gone</body></html>", status=404),
        "500": s.add("/500", "<html><body>oops</body></html>", status=500),
        "503": s.add("/503", "<html><body>busy</body></html>", status=503, headers={"Retry-After": "1"}),
        "pdf_as_html": s.add("/doc.html", hostile_files()["pdf"]),
        "png_as_html": s.add("/img.html", hostile_files()["png"]),
        "binary_no_type": s.add("/blob", hostile_files()["random_bytes"], content_type=None),
        "no_text": s.add("/empty.html", hostile_files()["no_text"]),
        "deep_nesting": s.add("/deep.html", hostile_files()["deep_nesting"]),
        "gzip_bomb": s.add("/gz.html", gzip_bomb(1 << 27), headers={"Content-Encoding": "gzip"}),
        "brotli_bomb": s.add("/br.html", brotli.compress(b"a" * (1 << 27), quality=5),
                             headers={"Content-Encoding": "br"}),
        "too_long_declared": s.add("/long.html", "<html></html>", headers={"Content-Length": "200000000"}),
        "drip": s.add("/drip.html", article_page(ENGLISH), drip=1.0),
        "redirect_loop": s.redirect("/loop-a", "/loop-b"),
        "tls_failure": s.url("/tls").replace("http://", "https://"),
        "invalid_url": "http://exa mple.com/x",
        "empty_host": "http:///nothing",
        "bad_port": "http://example.com:99999/",
        "ftp_scheme": "ftp://example.com/page.html",
        "javascript_scheme": "javascript:alert(1)",
        "file_scheme": "file:///etc/passwd",
    }
    s.redirect("/loop-b", "/loop-a")
    return urls


@pytest.mark.usefixtures("without_host_delay")
def test_hostile_responses_are_refused_and_the_good_pages_stored(
    runner: CliRunner, tmp_path: Path, http_server: TestServer, hostile_server: dict[str, str]
) -> None:
    good = [http_server.add(f"/good{n}.html", _article(n)) for n in range(3)]
    targets = [good[0], *hostile_server.values(), good[1], good[2]]
    cfg = _config(tmp_path, timeout_s=1.5)
    index = tmp_path / "i.sqlite"
    start = time.monotonic()
    result = runner.invoke(app, ["index", "add", str(index), *targets, "--allow-private", "--config", str(cfg),
                                 "--batch", "1"])
    assert time.monotonic() - start < 30
    assert result.exit_code == 2
    refused = _refusals(result.stderr)
    assert len(refused) == len(hostile_server)
    for name, url in hostile_server.items():
        (line,) = [r for r in refused if r.startswith(f"refused {url}:")]
        assert "\n" not in line and len(line) < 400, name
    assert "3 added" in result.stderr
    assert set(_stored(index)) == set(good)  # a fetched page is known by its final URL
    for code in ("404", "500", "503"):
        assert code in next(r for r in refused if r.startswith(f"refused {hostile_server[code]}:"))
    assert "timed out" in next(r for r in refused if hostile_server["drip"] in r)
    assert "redirect loop" in next(r for r in refused if hostile_server["redirect_loop"] in r)


@pytest.mark.usefixtures("without_host_delay")
def test_score_goes_on_past_every_hostile_response(
    runner: CliRunner, seed_index: Path, tmp_path: Path, http_server: TestServer, hostile_server: dict[str, str]
) -> None:
    good = http_server.add("/copy.html", (REPO / "tests/fixtures/seed-case/botasot.html").read_bytes())
    targets = [*hostile_server.values(), good]
    cfg = _config(tmp_path, timeout_s=1.5)
    result = runner.invoke(app, ["score", *targets, "--index", str(seed_index), "-f", "jsonl", "--allow-private",
                                 "--config", str(cfg)])
    assert result.exit_code == 2
    verdicts = _verdicts(result.stdout)
    assert list(verdicts) == targets
    assert all(verdicts[url]["error"] for url in hostile_server.values())
    assert verdicts[good]["error"] is None and verdicts[good]["matches"][0]["domain"] == "botasot.al"
    assert len(_refusals(result.stderr)) == len(hostile_server)


def test_refused_addresses_among_good_targets_give_one_line_each_and_exit_2(
    runner: CliRunner, seed_index: Path, seed_dir: Path, tmp_path: Path, http_server: TestServer
) -> None:
    private = http_server.add("/a.html", _article(9))
    internal = ["http://169.254.169.254/latest/meta-data/", private, "http://[::1]:9/", "http://0x7f000001/",
                "http://localhost:1/"]
    good = [str(seed_dir / "botasot.html"), str(seed_dir / "kyivpost.html")]
    targets = [good[0], *internal, good[1]]
    index = tmp_path / "i.sqlite"
    added = runner.invoke(app, ["index", "add", str(index), *targets])
    assert added.exit_code == 2
    assert len(_refusals(added.stderr)) == len(internal)
    assert "2 added" in added.stderr and len(_stored(index)) == 2
    scored = runner.invoke(app, ["score", *targets, "--index", str(seed_index), "-f", "jsonl"])
    assert scored.exit_code == 2
    verdicts = _verdicts(scored.stdout)
    assert [bool(verdicts[t]["error"]) for t in targets] == [False] + [True] * len(internal) + [False]
    assert len(_refusals(scored.stderr)) == len(internal)
    assert http_server.requests == []  # nothing was sent to the refused address


class _Endless(BaseHTTPRequestHandler):
    """Streams an endless HTML body (chunked, no length), 64 KB at a time, until the client hangs up."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:  # noqa: N802
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        piece = b"<p>" + b"lorem ipsum " * 5460 + b"</p>\n"
        try:
            for _ in range(200_000_000 // len(piece) + 1):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.write(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture
def endless_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Endless)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/huge.html"
    finally:
        server.shutdown()
        server.server_close()


_PEAK_MEMORY = """
import atexit, sys
def _peak():  # VmHWM is this process image's own peak (ru_maxrss would inherit the parent's across fork+exec)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM"):
            sys.stderr.write(f"peak_kb {line.split()[1]}\\n")
atexit.register(_peak)
from detector.cli import app
sys.argv[0] = "detector"
app()
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs /proc (Linux) to read peak memory")
def test_a_200_mb_page_is_cut_off_at_the_byte_cap_in_bounded_memory(
    tmp_path: Path, seed_dir: Path, endless_url: str
) -> None:
    """The whole command, in its own process, so its peak memory is its own."""
    index = tmp_path / "i.sqlite"
    cmd = [sys.executable, "-c", _PEAK_MEMORY, "index", "add", str(index), endless_url,
           str(seed_dir / "botasot.html"), "--allow-private"]
    started = time.monotonic()
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, timeout=180)
    elapsed = time.monotonic() - started
    stderr = proc.stderr.decode()
    assert proc.returncode == 2, stderr
    (line,) = [line for line in stderr.splitlines() if line.startswith("refused ")]
    # cut at the byte cap, or (on a machine too busy to read 10 MB in time) at the total deadline
    assert line.startswith(f"refused {endless_url}: body larger than 10000000 bytes") or "timed out" in line, line
    assert "1 added" in stderr
    peak_mb = int(stderr.split("peak_kb ")[1].split()[0]) / 1024
    # The same command without the endless page: imports, the classifier (each page's own farm probability is
    # stored) and one page. Holding the 200 MB body would add 200 MB to that; the 10 MB cap adds a few tens.
    alone = subprocess.run([sys.executable, "-c", _PEAK_MEMORY, "index", "add", str(tmp_path / "j.sqlite"),
                            str(seed_dir / "botasot.html")], cwd=REPO, capture_output=True, timeout=180)
    base_mb = int(alone.stderr.decode().split("peak_kb ")[1].split()[0]) / 1024
    assert peak_mb < base_mb + 100, (peak_mb, base_mb)
    assert elapsed < 120


# ------------------------------------------------------------------------------------------ extraction limit


def test_an_attribute_bomb_does_not_hold_the_parser(tmp_path: Path) -> None:
    """200,000 attributes on one tag kept libxml2 busy for ~2 minutes in C, out of the alarm's reach."""
    page = Page(url="file:///bomb.html", final_url="file:///bomb.html", html=pathological_pages()["attribute_bomb"])
    started = time.monotonic()
    extracted = extract(page, Config(extract_timeout_s=5), target="bomb.html")
    assert time.monotonic() - started < 5
    assert "lorem ipsum" in extracted.article.text


@pytest.mark.parametrize("name", ["many_paragraphs", "nested_forms"])
def test_a_runaway_page_is_stopped_at_the_time_limit(name: str) -> None:
    page = Page(url="file:///x.html", final_url="file:///x.html", html=pathological_pages()[name])
    before = signal.getsignal(signal.SIGALRM)
    started = time.monotonic()
    with pytest.raises(ExtractError, match="longer than 0.5 s"):
        extract(page, Config(extract_timeout_s=0.5), target=name)
    assert time.monotonic() - started < 1.5
    assert signal.getsignal(signal.SIGALRM) is before


def test_the_time_limit_is_not_swallowed_by_a_library_catching_exception() -> None:
    """trafilatura has ``except Exception`` in places; the alarm must still end the block."""
    started = time.monotonic()
    with pytest.raises(ExtractError, match="longer than 0.3 s"), time_limit(0.3, "stubborn.html"):
        while time.monotonic() - started < 10:
            try:
                time.sleep(0.01)
            except Exception:  # noqa: BLE001,S110 - a library that swallows everything
                pass
    assert time.monotonic() - started < 1.5


def test_a_runaway_page_among_good_ones_is_one_refusal(runner: CliRunner, tmp_path: Path, seed_dir: Path) -> None:
    slow = tmp_path / "slow.html"
    slow.write_bytes(pathological_pages()["many_paragraphs"])
    cfg = _config(tmp_path, extract_timeout_s=0.5)
    index = tmp_path / "i.sqlite"
    result = runner.invoke(app, ["index", "add", str(index), str(seed_dir / "botasot.html"), str(slow),
                                 str(seed_dir / "kyivpost.html"), "--config", str(cfg)])
    assert result.exit_code == 2
    (line,) = _refusals(result.stderr)
    assert line == f"refused {slow}: extraction took longer than 0.5 s"
    assert "2 added" in result.stderr


# ------------------------------------------------------------------------------------------ JSONL


def test_jsonl_with_hostile_lines_refuses_each_and_keeps_the_rest(runner: CliRunner, tmp_path: Path) -> None:
    good = [json.dumps({"url": f"https://n{i}.example/a", "text": f"Story {i}. " + ENGLISH}) for i in range(3)]
    lines = [good[0], "[" * 100_000, "\x00\xff garbage", json.dumps({"url": 5, "text": "x"}),
             json.dumps({"url": "https://x.example/", "text": ALBANIAN, "published": 20240101}),
             json.dumps({"url": "https://x.example/", "text": ALBANIAN, "title": ["a"]}), "null", "[]", good[1],
             json.dumps({"url": "https://y.example/", "text": "   "}), good[2]]
    docs = tmp_path / "docs.jsonl"
    docs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    index = tmp_path / "i.sqlite"
    result = runner.invoke(app, ["index", "add", str(index), str(docs), "--jsonl"])
    assert result.exit_code == 2
    refused = _refusals(result.stderr)
    assert [r.split(":")[0] + ":" + r.split(":")[1] for r in refused] == [
        f"refused {docs}:{n}" for n in (2, 3, 4, 5, 6, 7, 8, 10)]
    assert set(_stored(index)) == {f"https://n{i}.example/a" for i in range(3)}


def test_a_truncated_gzip_jsonl_keeps_the_lines_before_the_break(runner: CliRunner, tmp_path: Path) -> None:
    import gzip

    lines = "".join(json.dumps({"url": f"https://n{i}.example/a", "text": f"Story {i}. " + ENGLISH}) + "\n"
                    for i in range(400))
    packed = gzip.compress(lines.encode())
    docs = tmp_path / "docs.jsonl.gz"
    docs.write_bytes(packed[: len(packed) // 2])
    index = tmp_path / "i.sqlite"
    result = runner.invoke(app, ["index", "add", str(index), str(docs)])
    assert result.exit_code == 2
    refused = _refusals(result.stderr)
    assert len(refused) == 1 and refused[0].startswith(f"refused {docs}: cannot read past line")
    assert 0 < len(_stored(index)) < 400


# ------------------------------------------------------------------------------------------ index files


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def _other_sqlite(path: Path) -> None:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        db.execute("INSERT INTO notes (body) VALUES ('my precious data')")
    sqlite3.connect(path).close()


def _newer_schema(path: Path) -> None:
    Index(path).close()
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    db.commit()
    db.close()
    for extra in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        extra.unlink(missing_ok=True)


@pytest.mark.parametrize("kind", ["text", "other_sqlite", "newer_schema", "truncated_index", "html"])
def test_an_index_path_that_is_not_an_index_is_refused_and_left_untouched(
    runner: CliRunner, tmp_path: Path, seed_dir: Path, seed_index: Path, kind: str
) -> None:
    folder = tmp_path / "idx"
    folder.mkdir()
    path = folder / "copies.sqlite"
    if kind == "text":
        path.write_text("url,title\nhttps://a.example/,A\n" * 100)
    elif kind == "other_sqlite":
        _other_sqlite(path)
    elif kind == "newer_schema":
        _newer_schema(path)
    elif kind == "truncated_index":
        with sqlite3.connect(seed_index) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        path.write_bytes(seed_index.read_bytes()[:5000])
    else:
        path.write_bytes((seed_dir / "botasot.html").read_bytes())
    before = _digest(folder)
    page = str(seed_dir / "botasot.html")
    for args in (["index", "add", str(path), page], ["score", page, "--index", str(path)],
                 ["index", "info", str(path)], ["index", "remove", str(path), "https://a.example/"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit), (args, result.exception)
        assert str(path) in result.stderr and "Traceback" not in result.output
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    after = _digest(folder)
    assert after[path.name] == before[path.name]  # not a byte of the file changed
    # SQLite itself may leave an empty -wal (and its -shm) beside a WAL-mode file opened read-only
    assert set(after) - set(before) <= {f"{path.name}-wal", f"{path.name}-shm"}
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
    if kind == "newer_schema":
        assert "schema 99" in result.stderr


@pytest.mark.parametrize("meta", [{"schema_version": "two"}, {"schema_version": "2"},
                                  {"schema_version": "2", "params": "[1, 2]"}])
def test_an_index_with_a_damaged_meta_table_is_a_clear_error(
    runner: CliRunner, tmp_path: Path, seed_dir: Path, meta: dict[str, str]
) -> None:
    path = tmp_path / "damaged.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.executemany("INSERT INTO meta VALUES (?, ?)", {"application": "content-farm-detector", **meta}.items())
    result = runner.invoke(app, ["score", str(seed_dir / "botasot.html"), "--index", str(path)])
    assert result.exit_code == 2 and str(path) in result.stderr
    assert isinstance(result.exception, SystemExit)


def test_an_index_under_a_file_is_a_clear_error(runner: CliRunner, tmp_path: Path, seed_dir: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = runner.invoke(app, ["index", "add", str(blocker / "i.sqlite"), str(seed_dir / "botasot.html")])
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)


@pytest.fixture(autouse=True)
def _a_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about input handling: use a neutral model when no trained one is shipped."""
    import importlib

    from benchmarks._hostile import model_or_neutral

    model = model_or_neutral()
    monkeypatch.setattr(importlib.import_module("detector.score"), "load_model", lambda *a, **k: model)


def test_a_script_src_with_a_bracketed_junk_host_does_not_stop_the_run(
    runner: CliRunner, seed_index: Path, seed_dir: Path, tmp_path: Path
) -> None:
    page = tmp_path / "ie.html"
    page.write_bytes(_article(3).replace(b"</body>", b"<script src='http://[if lt IE 9 ]/html5.js'></script></body>"))
    result = runner.invoke(app, ["score", str(page), str(seed_dir / "botasot.html"), "--index", str(seed_index),
                                 "-f", "jsonl"])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert len(result.stdout.splitlines()) == 2


def test_an_alarm_landing_in_a_finaliser_is_not_printed_and_the_block_still_stops(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The time-limit alarm can fire inside a ``__del__`` (or weakref) callback, where an exception cannot
    propagate: Python would print "Exception ignored in ...". The repeating alarm stops the block anyway, so
    that one is dropped; any other unraisable exception still reaches the previous hook."""
    reported: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: reported.append(u.exc_value))

    class Slow:
        def __del__(self) -> None:
            end = time.monotonic() + 0.4
            while time.monotonic() < end:  # the 0.2 s alarm fires in here
                pass

    class Broken:
        def __del__(self) -> None:
            raise ValueError("a real bug in a finaliser")

    started = time.monotonic()
    with pytest.raises(ExtractError, match="longer than 0.2 s"), time_limit(0.2, "finaliser.html"):
        Slow()  # dropped at once: its finaliser runs here
        Broken()
        while time.monotonic() - started < 5:
            pass
    assert time.monotonic() - started < 1.5
    assert [type(e).__name__ for e in reported] == ["ValueError"]
