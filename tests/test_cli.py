"""The ``detector`` command end to end: index add/info/remove, score in every format, refusals and exit codes."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from detector.cli import app
from detector.politeness import Politeness, named_page_fetcher
from tests.conftest_http import TestServer


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _json(output: str) -> list[dict]:
    return json.loads(output)


def test_index_add_info_and_replace(runner: CliRunner, tmp_path: Path, seed_dir: Path) -> None:
    index = tmp_path / "copies.sqlite"
    result = runner.invoke(app, ["index", "add", str(index), str(seed_dir)])
    assert result.exit_code == 0, result.output
    assert "4 added, 0 replaced" in result.output
    again = runner.invoke(app, ["index", "add", str(index), str(seed_dir / "botasot.html")])
    assert again.exit_code == 0
    assert "0 added, 1 replaced" in again.output
    info = runner.invoke(app, ["index", "info", str(index), "--json"])
    data = json.loads(info.stdout)
    assert data["documents"] == 4
    assert data["params"]["num_perm"] == 128 and data["params"]["shingle_size"] == 5
    assert data["fingerprint"].startswith("w5_p128")
    with sqlite3.connect(index) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_index_remove_takes_a_page_out_of_matching(runner: CliRunner, tmp_path: Path, seed_dir: Path) -> None:
    index = tmp_path / "copies.sqlite"
    runner.invoke(app, ["index", "add", str(index), str(seed_dir)])
    balkanweb = "https://www.balkanweb.com/dont-follow-the-regimes-criminal-orders-the-times-analysis-putin-is-using-belarus-to-open-a-new-front/"
    result = runner.invoke(app, ["index", "remove", str(index), balkanweb + "#comments"])  # a fragment: its page
    assert result.exit_code == 0, result.output
    assert "removed 1 of 1" in result.output
    scored = runner.invoke(app, ["score", str(seed_dir / "botasot.html"), "--index", str(index), "-f", "json"])
    (verdict,) = _json(scored.stdout)
    assert "balkanweb.com" not in {m["domain"] for m in verdict["matches"]}
    missing = runner.invoke(app, ["index", "remove", str(index), "https://nowhere.example/"])
    assert missing.exit_code == 2


def test_score_prints_who_copied_whom_as_json(runner: CliRunner, seed_index: Path, seed_dir: Path) -> None:
    result = runner.invoke(app, ["score", str(seed_dir / "botasot.html"), "--index", str(seed_index), "--format", "json"])
    assert result.exit_code == 0, result.output
    (verdict,) = _json(result.stdout)
    assert verdict["target"] == str(seed_dir / "botasot.html")
    assert verdict["matches"][0]["domain"] == "balkanweb.com"
    assert [u.split("/")[2] for u in verdict["chain"]] == ["www.thetimes.co.uk", "www.balkanweb.com", "www.botasot.al"]
    assert "copied_from:balkanweb.com" in verdict["reasons"]


def test_score_searches_every_index_given_whatever_their_order(runner: CliRunner, tmp_path: Path,
                                                               seed_dir: Path) -> None:
    """``score --index A --index B`` searched only B, so the verdict hung on the order of the flags: every index
    is searched, as an audit's, and matches, origin and chain are drawn from all of them."""
    middle, original = tmp_path / "balkanweb.sqlite", tmp_path / "thetimes.sqlite"
    assert runner.invoke(app, ["index", "add", str(middle), str(seed_dir / "balkanweb.html")]).exit_code == 0
    assert runner.invoke(app, ["index", "add", str(original), str(seed_dir / "thetimes.html")]).exit_code == 0
    for first, second in ((middle, original), (original, middle)):
        result = runner.invoke(app, ["score", str(seed_dir / "botasot.html"), "--index", str(first),
                                     "--index", str(second), "-f", "json"])
        assert result.exit_code == 0, result.output
        (verdict,) = _json(result.stdout)
        assert {m["domain"] for m in verdict["matches"]} == {"balkanweb.com", "thetimes.co.uk"}
        assert verdict["origin"]["domain"] == "thetimes.co.uk"
        assert [u.split("/")[2] for u in verdict["chain"]] == ["www.thetimes.co.uk", "www.balkanweb.com",
                                                               "www.botasot.al"]


@pytest.mark.parametrize("command", ["index add", "score"])
def test_pages_of_one_host_are_fetched_as_far_apart_as_an_audit_fetches_them(
    runner: CliRunner, tmp_path: Path, seed_dir: Path, seed_index: Path, http_server: TestServer, command: str
) -> None:
    """``index add urls.txt`` fetched one site's pages 0.01 s apart: ``score`` and ``index add`` keep an audit's
    per-host delay (robots.txt is still not asked for pages the user names)."""
    first = http_server.add("/a.html", (seed_dir / "thetimes.html").read_bytes())
    second = http_server.add("/b.html", (seed_dir / "kyivpost.html").read_bytes())
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{first}\n{second}\n", encoding="utf-8")
    args = (["index", "add", str(tmp_path / "i.sqlite"), str(urls)] if command == "index add"
            else ["score", str(urls), "--index", str(seed_index), "-f", "json"])
    result = runner.invoke(app, [*args, "--allow-private"])
    assert result.exit_code == 0, result.output
    assert [r.path for r in http_server.requests] == ["/a.html", "/b.html"]
    gap = http_server.requests[1].at - http_server.requests[0].at
    assert gap >= Politeness().delay_s - 0.05, f"{gap:.3f} s between two requests to one host"


def test_the_first_request_to_a_host_waits_for_nothing_nor_its_redirect(http_server: TestServer) -> None:
    """The delay spaces a host's requests; a single URL is fetched at once, and its redirect followed at once
    (as a browser does: ``/story`` to ``/story/`` cost a second), while the next page still waits its turn."""
    page = http_server.add("/a.html", "<html><body><p>" + "Plain words of a page. " * 20 + "</p></body></html>")
    short = http_server.redirect("/short", "/a.html")
    with named_page_fetcher(allow_private=True) as fetcher:
        started = time.monotonic()
        fetcher.fetch(page)
        assert http_server.requests[0].at - started < Politeness().delay_s / 2
        fetcher.fetch(short)
    first, hop, target = http_server.requests
    assert (hop.path, target.path) == ("/short", "/a.html")
    assert hop.at - first.at >= 0.95 * Politeness().delay_s  # the next page waited
    assert target.at - hop.at < Politeness().delay_s / 2  # its redirect did not


def test_score_without_index_uses_the_bundled_demo(runner: CliRunner, seed_dir: Path) -> None:
    result = runner.invoke(app, ["score", str(seed_dir / "botasot.html"), "-f", "jsonl"])
    assert result.exit_code == 0, result.output
    verdict = json.loads(result.stdout.splitlines()[0])
    assert verdict["origin"]["domain"] == "thetimes.co.uk"


def test_csv_and_table_formats(runner: CliRunner, seed_index: Path, seed_dir: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["score", str(seed_dir), "--index", str(seed_index), "-f", "csv"])
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 4
    botasot = next(r for r in rows if r["target"].endswith("botasot.html"))
    assert botasot["source_domain"] == "balkanweb.com" and botasot["origin_domain"] == "thetimes.co.uk"
    assert botasot["copied"] == "true" and [s["domain"] for s in json.loads(botasot["sources"])] == [
        "balkanweb.com", "thetimes.co.uk"]
    # the columns and spelling of an audit's pages.csv (one script reads both)
    out = runner.invoke(app, ["audit", "--out", str(tmp_path / "audit"), "-q", "-w", "1", "--no-report",
                              "--index", str(seed_index), str(seed_dir)])
    assert out.exit_code == 0, out.output
    audited = {r["target"]: r for r in csv.DictReader(io.StringIO((tmp_path / "audit" / "pages.csv").read_text()))}
    assert list(audited[botasot["target"]]) == list(botasot)
    for column in ("source_url", "chain", "copied", "share_copied", "reasons", "farm_probability"):
        assert audited[botasot["target"]][column] == botasot[column], column
    table = runner.invoke(app, ["score", str(seed_dir / "botasot.html"), "--index", str(seed_index), "-f", "table"])
    assert table.exit_code == 0
    assert "thetimes.co.uk → balkanweb.com → botasot.al" in table.output
    assert table.stdout == ""  # tables go to stderr, stdout stays clean for data


def test_no_index_scores_the_spam_traits_alone(runner: CliRunner, seed_index: Path, seed_dir: Path) -> None:
    """Three outside probes made an empty index (added a page, then removed it) to score without the bundled
    demo index; ``--no-index`` searches none, and the table says so rather than "no copied text found"."""
    from features.registry import MATCH_FAMILIES, trait_specs

    result = runner.invoke(app, ["score", str(seed_dir / "botasot.html"), "--no-index", "-f", "jsonl"])
    assert result.exit_code == 0, result.output
    verdict = json.loads(result.stdout.splitlines()[0])
    assert verdict["matches"] == [] and verdict["origin"] is None and verdict["label"] == "content_farm"
    copy_traits = [s.name for s in trait_specs() if s.family in MATCH_FAMILIES]
    assert copy_traits and all(verdict["traits"][name] == 0 for name in copy_traits)
    table = runner.invoke(app, ["score", str(seed_dir / "thetimes.html"), "--no-index", "-f", "table"])
    assert table.exit_code == 0 and "not searched (no index)" in table.output
    both = runner.invoke(app, ["score", str(seed_dir / "botasot.html"), "--no-index", "--index", str(seed_index)])
    assert both.exit_code == 2 and "--no-index searches no index, and --index names one" in both.output


def test_bad_inputs_are_refused_one_line_each_and_the_rest_scored(
    runner: CliRunner, seed_index: Path, seed_dir: Path, tmp_path: Path, http_server: TestServer
) -> None:
    dead = http_server.add("/gone", "<html><body>gone</body></html>", status=404)
    binary = tmp_path / "picture.html"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    targets = [str(seed_dir / "botasot.html"), dead, str(binary), str(empty), str(seed_dir / "kyivpost.html")]
    result = runner.invoke(app, ["score", *targets, "--index", str(seed_index), "-f", "jsonl", "--allow-private"])
    assert result.exit_code == 2
    verdicts = [json.loads(line) for line in result.stdout.splitlines()]
    assert [v["target"] for v in verdicts] == targets
    errors = {v["target"]: v["error"] for v in verdicts}
    assert errors[str(seed_dir / "botasot.html")] is None and errors[str(seed_dir / "kyivpost.html")] is None
    assert "404" in errors[dead]
    assert "not an HTML page" in errors[str(binary)]
    assert "empty" in errors[str(empty)]
    refusals = [line for line in result.stderr.splitlines() if line.startswith("refused")]
    assert len(refusals) == 3
    assert all(t in "\n".join(refusals) for t in (dead, str(binary), str(empty)))
    botasot = verdicts[0]
    assert botasot["matches"][0]["domain"] == "balkanweb.com"


def test_score_fetches_a_url_and_names_the_final_url(
    runner: CliRunner, seed_index: Path, seed_dir: Path, http_server: TestServer
) -> None:
    http_server.add("/copy.html", (seed_dir / "botasot.html").read_bytes())
    start = http_server.redirect("/short", "/copy.html")
    result = runner.invoke(app, ["score", start, "--index", str(seed_index), "-f", "json", "--allow-private"])
    assert result.exit_code == 0, result.output
    (verdict,) = _json(result.stdout)
    assert verdict["target"] == start
    assert verdict["url"] == http_server.url("/copy.html")
    top = verdict["matches"][0]
    assert top["domain"] == "botasot.al" and top["share_of_this"] == 1.0  # the indexed page it is a copy of
    assert top["direction"] == "this_copies_other" and top["direction_evidence"] == "canonical"
    assert "balkanweb.com" in {m["domain"] for m in verdict["matches"]}


def test_private_addresses_are_refused_by_default(runner: CliRunner, seed_index: Path, http_server: TestServer) -> None:
    url = http_server.add("/a.html", "<html><body><p>hello there world, a page</p></body></html>")
    result = runner.invoke(app, ["score", url, "--index", str(seed_index), "-f", "json"])
    assert result.exit_code == 2
    (verdict,) = _json(result.stdout)
    assert "refused" in verdict["error"] or "loopback" in verdict["error"]
    assert http_server.requests == []


def test_stdin_page_with_url(runner: CliRunner, seed_index: Path, seed_dir: Path) -> None:
    html = (seed_dir / "botasot.html").read_bytes()
    result = runner.invoke(app, ["score", "-", "--url", "https://copy.example/x", "--index", str(seed_index), "-f", "json"],
                           input=html)
    assert result.exit_code == 0, result.output
    (verdict,) = _json(result.stdout)
    assert verdict["target"] == "-"
    assert verdict["url"] == "https://copy.example/x"
    assert [m["domain"] for m in verdict["matches"][:2]] == ["botasot.al", "balkanweb.com"]


def test_jsonl_documents_index_and_score_with_bad_lines(runner: CliRunner, tmp_path: Path) -> None:
    original = ("The council approved the new bridge over the river on Tuesday after a long debate about costs. "
                "Engineers said construction would start in spring and last two years, with one lane open throughout. "
                "Residents who opposed the plan said they would appeal the decision in the regional court next month.")
    docs = tmp_path / "docs.jsonl"
    docs.write_text("\n".join([
        json.dumps({"url": "https://river-news.example/bridge", "text": original, "title": "Bridge approved",
                    "published": "2024-03-05T09:00:00+01:00"}),
        "{not json",
        json.dumps({"url": "https://other.example/x"}),
    ]) + "\n", encoding="utf-8")
    index = tmp_path / "i.sqlite"
    added = runner.invoke(app, ["index", "add", str(index), str(docs), "--jsonl"])
    assert added.exit_code == 2
    assert "1 added" in added.output and "2 refused" in added.output
    assert f"{docs}:2" in added.output and f"{docs}:3" in added.output
    query = tmp_path / "query.jsonl"
    query.write_text(json.dumps({"url": "https://farm.example/copy", "text": "Shocking news! " + original,
                                 "published": "2024-03-05T12:00:00+01:00"}) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["score", str(query), "--jsonl", "--index", str(index), "-f", "json"])
    assert result.exit_code == 0, result.output
    (verdict,) = _json(result.stdout)
    match = verdict["matches"][0]
    assert match["domain"] == "river-news.example"
    assert match["derivation"] == "whole" and match["direction"] == "this_copies_other"
    assert match["credited"] is False
    assert "uncredited_copy:river-news.example" in verdict["reasons"]


def test_not_an_index_is_a_clear_error(runner: CliRunner, tmp_path: Path, seed_dir: Path) -> None:
    bogus = tmp_path / "bogus.sqlite"
    bogus.write_bytes(b"this is not a database at all" * 100)
    result = runner.invoke(app, ["score", str(seed_dir / "botasot.html"), "--index", str(bogus)])
    assert result.exit_code == 2
    assert str(bogus) in result.output and "index" in result.output


def _score_demo_until_the_reader_stops(fmt: str, read_from: str) -> tuple[int, bytes]:
    """Run ``detector score`` on the demo pages, read 10 bytes of ``read_from`` (stdout or stderr), close it:
    the exit status and what the other stream got."""
    import subprocess
    import sys

    demo = Path(__file__).resolve().parent.parent / "datasets" / "demo" / "pages"
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE} if read_from == "stdout" else {
        "stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE}
    proc = subprocess.Popen([sys.executable, "-m", "detector.cli", "score", str(demo), "--format", fmt], **pipes)
    reader = proc.stdout if read_from == "stdout" else proc.stderr
    assert reader.read(10)
    reader.close()
    if read_from == "stdout":
        _, stderr = proc.communicate(timeout=120)
        return proc.returncode, stderr
    return proc.wait(timeout=120), b""


def test_a_reader_that_stops_early_ends_the_run_quietly_with_the_sigpipe_status() -> None:
    """``detector score ... | head`` exited 1, the status --fail-on gives a page scored above its cut."""
    returncode, stderr = _score_demo_until_the_reader_stops("jsonl", "stdout")
    assert returncode == 141, stderr.decode()
    assert b"Traceback" not in stderr and b"Broken pipe" not in stderr


def test_a_reader_of_the_table_on_stderr_that_stops_early_gets_the_sigpipe_status_too() -> None:
    """rich's own handler exited 1 when stderr (where tables go) was closed: ``2>&1 | head`` looked like --fail-on."""
    returncode, _ = _score_demo_until_the_reader_stops("table", "stderr")
    assert returncode == 141


def test_a_ctrl_c_while_the_command_loads_is_one_line_and_status_130() -> None:
    """The console command imports the CLI inside its own ``main``: a KeyboardInterrupt raised while that import
    runs (a Ctrl-C in the first second) is one line, not a traceback."""
    import subprocess
    import sys

    code = ("import sys\n"
            "class Interrupt:\n"
            "    def find_spec(self, name, path=None, target=None):\n"
            "        if name == 'detector.cli':\n"
            "            raise KeyboardInterrupt\n"
            "sys.meta_path.insert(0, Interrupt())\n"
            "from detector.console import main\n"
            "main()\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 130 and done.stderr == "interrupted\n"


def test_the_table_shows_a_pages_text_as_written_never_as_markup() -> None:
    """Probe 49: a link title holding "[/]" crashed the table (rich.errors.MarkupError, exit 1) and "[méconnaissable]"
    vanished from a reason's evidence: page text went through rich's markup parser."""
    from rich.console import Console

    from detector.records import Verdict
    from detector.render import verdict_table

    verdict = Verdict(target="pages/[b]odd[/b].html", url="https://farm.example/[x]", farm_probability=0.88,
                      label="suspicious", reasons=('clickbait_links ("Otkriće u Dalmaciji [/] pogledajte [/b]")',
                                                   'similar_posts ("Cette star à 60 ans [méconnaissable]")'))
    console = Console(width=200, record=True)
    console.print(verdict_table(verdict, searched=False))
    shown = console.export_text()
    assert "[/] pogledajte [/b]" in shown and "[méconnaissable]" in shown and "[b]odd[/b]" in shown
