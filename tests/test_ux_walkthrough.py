"""What a README walkthrough trips over: str paths, one-line errors, honest summaries, scores that agree with verdicts."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from detector.cli import app
from detector.cli_audit import _summary_table
from detector.errors import FetchError, InputError
from detector.index import Index
from detector.politeness import Politeness, PoliteFetcher
from detector.records import Page
from detector.render import shown_score
from detector.warc import warc_pages, write_warc
from tests.conftest import REPO
from tests.conftest_http import TestServer

CLI_SCHEME_ERROR = "unsupported URL scheme (only http and https)"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


# ------------------------------------------------------------------------------------------- 1. WARC


def test_warc_pages_takes_a_str_path_and_yields_errors_for_a_truncated_file(tmp_path: Path, seed_dir: Path) -> None:
    whole = write_warc(str(tmp_path / "crawl.warc"), [
        (f"https://www.{name}.example/story", (seed_dir / f"{name}.html").read_bytes()) for name in ("botasot", "kyivpost")
    ])
    cut = tmp_path / "cut.warc"
    cut.write_bytes(whole.read_bytes()[:-200])
    items = list(warc_pages(str(cut)))
    assert [type(item) for _, item in items] == [Page, InputError]
    assert items[0] == (f"{cut}#1", items[0][1]) and items[0][1].url == "https://www.botasot.example/story"
    assert "truncated" in items[1][1].message and items[1][0].startswith(str(cut))


# ----------------------------------------------------------------------------------------- 2. Spark


def test_spark_engine_without_pyspark_is_one_line_naming_the_extra(runner: CliRunner, tmp_path: Path, seed_dir: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)  # an import of pyspark now fails, as without the extra
    run = runner.invoke(app, ["audit", "--out", str(tmp_path / "out"), "--engine", "spark", str(seed_dir)])
    assert run.exit_code == 2
    assert run.stderr.startswith("error:"), repr(run.stderr)
    (line,) = run.stderr.splitlines()
    assert "'spark' extra" in line and "pip install 'content-farm-detector[spark]'" in line and "pyspark" in line
    assert not (tmp_path / "out" / "state").exists()  # refused before any work


# ----------------------------------------------------------------------------------------- 3. --config


@pytest.mark.parametrize("content, words", [("bogus_key = 1\n", "unknown config keys: bogus_key; known keys: "),
                                            # a guessed name gets the right one (probe 33 guessed user_agent)
                                            ('user-agent = "x"\n', "user-agent (did you mean user_agent?)"),
                                            ("shingle_size = \n", "not valid TOML"),
                                            (None, "No such file or directory"),
                                            # checked before any work, not as an internal error on every input
                                            ('timeout_s = "fast"\n', "timeout_s must be a number, not 'fast'"),
                                            ('max_bytes = "lots"\n', "max_bytes must be a whole number"),
                                            ("timeout_s = -1\n", "timeout_s must be at least"),
                                            ("shingle_size = 0\n", "shingle_size must be at least 1"),
                                            ("timeout_s = inf\n", "timeout_s must be a finite number")])
@pytest.mark.parametrize("command", ["score", "audit"])
def test_a_bad_config_file_is_named_once(runner: CliRunner, tmp_path: Path, seed_dir: Path, command: str,
                                         content: str | None, words: str) -> None:
    bad = tmp_path / "bad.toml"
    if content is not None:
        bad.write_text(content, encoding="utf-8")
    args = ["score", str(seed_dir / "botasot.html")] if command == "score" else ["audit", "--out", str(tmp_path / "o"), str(seed_dir)]
    run = runner.invoke(app, [*args, "--config", str(bad)])
    assert run.exit_code == 2
    (line,) = _lines(run.stderr)
    assert line.startswith(f"error: {bad}: ") and words in line
    assert line.count("bad.toml") == 1
    assert not (tmp_path / "o").exists()


# ------------------------------------------------------------------------------------ 4. index remove


def test_index_remove_names_each_url_it_did_not_find(runner: CliRunner, seed_index: Path) -> None:
    with Index(seed_index, readonly=True) as index:
        present, other = sorted(index.urls())[:2]
    absent = ["https://nowhere.example/a", "https://nowhere.example/b"]
    run = runner.invoke(app, ["index", "remove", str(seed_index), present, absent[0], absent[1], absent[0]])
    assert run.exit_code == 2
    assert _lines(run.stderr) == [*(f"not found {url}: not in the index" for url in absent),
                                  f"{seed_index}: removed 1 of 3"]
    with Index(seed_index, readonly=True) as index:
        assert index.get(present) is None and len(index) == 3
    clean = runner.invoke(app, ["index", "remove", str(seed_index), other])
    assert clean.exit_code == 0 and _lines(clean.stderr) == [f"{seed_index}: removed 1 of 1"]
    by_path = runner.invoke(app, ["index", "remove", str(seed_index), "pages/botasot.html"])  # a probe did
    assert by_path.exit_code == 2 and "removed by their page URL" in _lines(by_path.stderr)[0]


def test_url_without_stdin_among_the_targets_is_a_usage_error(runner: CliRunner, seed_dir: Path) -> None:
    """``--url`` names the page read from ``-``; given with files only it was silently ignored (a probe)."""
    run = runner.invoke(app, ["score", str(seed_dir / "botasot.html"), "--url", "https://x.example/a"])
    assert run.exit_code == 2 and _lines(run.stderr) == [
        "error: --url names the page read from stdin, and no target is - (a file or URL names its own page)"]


# ------------------------------------------------------------------------------ 5. scheme before robots


def test_polite_fetcher_refuses_a_non_http_url_with_the_clis_words(runner: CliRunner, http_server: TestServer) -> None:
    page = http_server.add("/a", "<html><body><p>hello</p></body></html>")
    http_server.add("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    for robots in (True, False):
        with PoliteFetcher(Politeness(delay_s=0, robots=robots), allow_private=True) as polite:
            results = dict(polite.fetch_all(["ftp://x/file", page, "file:///etc/passwd"]))
        assert isinstance(results[page], Page)
        for url in ("ftp://x/file", "file:///etc/passwd"):
            assert isinstance(results[url], FetchError) and results[url].message == CLI_SCHEME_ERROR
    assert all(r.path in ("/a", "/robots.txt") for r in http_server.requests)
    cli = runner.invoke(app, ["score", "ftp://x/file", "--format", "json"])
    assert f"ftp://x/file: {CLI_SCHEME_ERROR}" in cli.stderr


# ----------------------------------------------------------------------------------- 6. audit summary


def test_audit_summary_counts_refused_inputs_apart_and_skips_an_empty_table(runner: CliRunner, tmp_path: Path) -> None:
    run = runner.invoke(app, ["audit", "--out", str(tmp_path / "out"), "--quiet", "--no-report", "-w", "1",
                              str(tmp_path / "missing.html")])
    assert run.exit_code == 2
    assert "1 inputs: 0 pages read, 1 refused; 0 domains, 0 flagged; no domains to rank" in run.stderr
    assert "rank" not in run.stderr.replace("no domains to rank", "") and "┏" not in run.stderr


def test_audit_summary_counts_pages_read(runner: CliRunner, tmp_path: Path, seed_dir: Path) -> None:
    run = runner.invoke(app, ["audit", "--out", str(tmp_path / "out"), "--quiet", "--no-report", "-w", "1",
                              str(seed_dir), str(tmp_path / "missing.html")])
    assert run.exit_code == 2
    assert "5 inputs: 4 pages read, 1 refused; 4 domains" in run.stderr
    assert "┃ rank" in run.stderr
    # a rerun into the same folder reads nothing again, and says so (probe 33: "24 pages read", none fetched)
    again = runner.invoke(app, ["audit", "--out", str(tmp_path / "out"), "--quiet", "--no-report", "-w", "1",
                                str(seed_dir), str(tmp_path / "missing.html")])
    assert "5 inputs (5 done in an earlier run): 4 pages read, 1 refused; 4 domains" in again.stderr


# ------------------------------------------------------------------------------------ 7. shown scores


@pytest.mark.parametrize("score, shown", [(0.4969, "0.496"), (0.49999, "0.499"), (0.5, "0.500"), (0.29, "0.290"),
                                          (0.25, "0.250"), (0.2499, "0.249"), (1.0, "1.000"), (0.0, "0.000")])
def test_a_shown_score_is_cut_not_rounded(score: float, shown: str) -> None:
    assert shown_score(score) == shown


def test_a_shown_score_never_crosses_a_verdict_threshold() -> None:
    for i in range(100_001):
        score = i / 100_000
        for threshold in (0.25, 0.5):
            assert (float(shown_score(score)) >= threshold) == (score >= threshold), score


def test_the_summary_table_shows_a_suspicious_score_below_the_farm_threshold() -> None:
    summary = {"inputs": 2, "pages": 2, "errors": 0, "domains": 1, "flagged": 1,
               "top_domains": [{"rank": 1, "domain": "valdeornahoy.example", "verdict": "suspicious", "score": 0.4969,
                                "pages": 2, "share_copied": 1.0}]}
    out = StringIO()
    Console(file=out, width=120).print(_summary_table(summary))
    assert "0.496" in out.getvalue() and "0.50 " not in out.getvalue() and "suspicious" in out.getvalue()


# ------------------------------------------------------------------------------- 8. benchmark --help


def test_audit_bench_help_works_without_psutil(tmp_path: Path) -> None:
    shadow = tmp_path / "shadow"
    shadow.mkdir()
    (shadow / "psutil.py").write_text("raise ModuleNotFoundError(\"No module named 'psutil'\", name='psutil')\n")
    env = {**os.environ, "PYTHONPATH": str(shadow)}
    bench = REPO / "benchmarks" / "audit_bench.py"
    done = subprocess.run([sys.executable, str(bench), "--help"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "--synthetic" in done.stdout
    sampled = subprocess.run([sys.executable, "-c", f"import runpy; runpy.run_path({str(bench)!r})['PeakRss']()"],
                             env=env, capture_output=True, text=True, timeout=60)
    assert sampled.returncode == 1 and "install the 'dev' extra" in sampled.stderr
