"""The library API used as a researcher would, wrong arguments included: each mistake gets one line naming it,
and the tables and reasons an audit writes agree with what ``score`` says and with each other."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from detector.audit import audit
from detector.domain_lists import DomainLists
from detector.errors import IndexError_
from detector.index import Index
from detector.score import score
from detector.sources import Target, load
from detector.warc import write_warc
from tests.conftest import REPO

BOTASOT = "botasot.al"


def _one_line(err: pytest.ExceptionInfo[BaseException]) -> str:
    text = str(err.value)
    assert "\n" not in text, text
    return text


def _copy(seed_dir: Path, folder: Path, *names: str) -> Path:
    folder.mkdir()
    for name in names:
        shutil.copy(seed_dir / f"{name}.html", folder / f"{name}.html")
    return folder


# ------------------------------------------------------------------------------- 1. lists as one str


def test_a_str_lists_path_is_one_folder_for_domain_lists_and_audit(tmp_path: Path, seed_dir: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "lists").mkdir()
    (tmp_path / "lists" / "farms.txt").write_text("*://botasot.al/*\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # a relative str: read character by character it would name "l", "i", ...
    assert DomainLists.load("lists").lookup("www.botasot.al") == ("lists/farms",)
    assert DomainLists.load(Path("lists")).lookup("botasot.al") == ("lists/farms",)
    batch = _copy(seed_dir, tmp_path / "batch", "botasot")
    result = audit(str(batch), tmp_path / "out", workers=1, report=False, lists="lists")
    (listed,) = result.tables()["domains"].filter(pl.col("domain") == BOTASOT)["listed_on"][0].to_list()
    assert listed == "lists/farms"


# ---------------------------------------------------------------------------- 2. lists checked up front


def test_a_missing_domain_list_stops_the_audit_before_any_work(tmp_path: Path, seed_dir: Path) -> None:
    missing = tmp_path / "no-lists"
    out = tmp_path / "out"
    with pytest.raises(FileNotFoundError) as err:
        audit([seed_dir], out, workers=1, report=False, lists=[missing])
    assert _one_line(err) == f"{missing}: no such domain list file or folder"
    assert not out.exists()  # nothing was extracted, indexed or written


# ------------------------------------------------------------------------- 3. a named index that is missing


def test_a_missing_index_is_named_on_stderr_and_in_the_summary_without_on_error(
        tmp_path: Path, seed_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "typo" / "copies.sqlite"
    batch = _copy(seed_dir, tmp_path / "batch", "kyivpost")
    result = audit([batch], tmp_path / "out", index=missing, workers=1, report=False)
    line = f"refused {missing}: no such index; the audit goes on without this index"
    assert line in capsys.readouterr().err.splitlines()
    assert result.summary["warnings"] == [line]
    assert result.summary["pages"] == 1  # the audit went on
    assert not missing.parent.exists()  # and created nothing in its place


# ------------------------------------------------------------------------------------- 4. unknown engine


def test_an_unknown_engine_is_refused_with_the_valid_ones(tmp_path: Path, seed_dir: Path) -> None:
    with pytest.raises(ValueError) as err:
        audit([seed_dir], tmp_path / "out", engine="sparky")  # type: ignore[arg-type]
    assert _one_line(err) == "engine: unknown value 'sparky' (one of: local, spark)"
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------------- 5. reasons keep their evidence


def test_audit_reasons_are_the_reasons_score_gives_with_their_evidence(tmp_path: Path, seed_dir: Path,
                                                                       seed_index: Path) -> None:
    """The audit indexes the four seed pages; ``seed_index`` holds the same four: same matches, same reasons."""
    pages = audit([seed_dir], tmp_path / "out", workers=1, report=False).tables()["pages"]
    audited = pages.filter(pl.col("domain") == BOTASOT).row(0, named=True)
    (scored,) = score(seed_dir / "botasot.html", index=seed_index)
    assert audited["reasons"] == list(scored.reasons)
    assert any(r.startswith('promo_footer ("To join the group') for r in audited["reasons"])
    assert audited["label"] == scored.label


# ------------------------------------------------------------------------ 6. one URL read twice counts once


def test_a_url_read_twice_is_one_page_in_domains_and_edges(tmp_path: Path, seed_dir: Path) -> None:
    """botasot.html as a file and as a WARC record of the same URL: the domains and edges tables are those of
    an audit that read it once, though the pages table has a row per input."""
    batch = _copy(seed_dir, tmp_path / "batch", "botasot", "balkanweb")
    url = load(Target("botasot", "file", path=batch / "botasot.html")).article.url
    warc = write_warc(tmp_path / "crawl.warc.gz", [(url, (batch / "botasot.html").read_bytes())])
    once = audit([batch], tmp_path / "once", workers=1, report=False).tables()
    twice = audit([batch, warc], tmp_path / "twice", workers=1, report=False).tables()
    assert twice["pages"].filter(pl.col("url") == url).height == 2
    row = twice["domains"].filter(pl.col("domain") == BOTASOT).row(0, named=True)
    assert (row["pages"], row["copied_pages"], row["share_copied"]) == (1, 1, 1.0)
    edge = twice["edges"].filter((pl.col("kind") == "domain") & (pl.col("target") == BOTASOT)
                                 & (pl.col("source") == "balkanweb.com")).row(0, named=True)
    assert (edge["pages"], edge["share"]) == (row["copied_pages"], row["share_copied"])
    assert twice["domains"].equals(once["domains"])
    assert twice["edges"].equals(once["edges"])


# ------------------------------------------------------------------------------------- 7. a closed index


def test_a_closed_index_raises_one_line_naming_it(seed_dir: Path, seed_index: Path) -> None:
    with Index(seed_index, readonly=True) as index:
        assert len(index) == 4
    expected = f"{seed_index}: the index is closed (use it inside its `with` block, or open it again)"
    for use in (index.info, index.__len__, lambda: score(seed_dir / "botasot.html", index=index)):
        with pytest.raises(IndexError_) as err:
            use()
        assert _one_line(err) == expected
    index.close()  # closing twice is harmless


# ---------------------------------------------------------------------------- 8. Index.add and add_pages


def test_index_add_given_paths_says_what_it_takes_and_add_pages_indexes_a_folder(tmp_path: Path,
                                                                                 seed_dir: Path) -> None:
    with Index(tmp_path / "copies.sqlite") as index:
        for wrong in (str(seed_dir), [seed_dir / "botasot.html"]):
            with pytest.raises(TypeError) as err:
                index.add(wrong)  # type: ignore[arg-type]
            assert "Index.add takes a list of Article records" in _one_line(err)
            assert "detector.indexing.add_pages" in str(err.value)
        assert len(index) == 0
    from detector.indexing import PagesAdded, add_pages

    refused: list[tuple[str, str]] = []
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "empty.html").write_text("", encoding="utf-8")
    added = add_pages(tmp_path / "copies.sqlite", [seed_dir, tmp_path / "pages" / "empty.html"],
                      on_error=lambda name, message: refused.append((name, message)))
    assert added == PagesAdded(added=4, replaced=0, refused=1, documents=4)
    assert refused == [(str(tmp_path / "pages" / "empty.html"), "empty page")]
    (verdict,) = score(seed_dir / "botasot.html", index=tmp_path / "copies.sqlite")
    assert verdict.matches[0].domain == "balkanweb.com"


# ------------------------------------------------------------------------------ 9. score()'s arguments


def test_score_refuses_empty_and_bytes_targets_checks_flags_and_takes_indexes_as_audit_does(
        tmp_path: Path, seed_dir: Path, seed_index: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # "" must not mean this folder
    page = seed_dir / "botasot.html"
    with pytest.raises(ValueError) as err:
        score("")
    assert _one_line(err) == "targets: an empty string names no file, folder or URL"
    from detector.cli import app

    run = CliRunner().invoke(app, ["score", "", "--index", str(seed_index), "--format", "json"])
    assert run.exit_code == 2 and "empty target (names no file, folder or URL)" in run.output
    with pytest.raises(TypeError) as err:
        score(str(page).encode())  # type: ignore[arg-type]
    assert _one_line(err).startswith("targets: b'") and "is bytes; give a str or a Path" in str(err.value)
    with pytest.raises(TypeError) as err:
        score(page, jsonl="yes")
    assert _one_line(err) == "jsonl: expected True or False, got 'yes'"
    with pytest.raises(TypeError) as err:
        score(page, workers=2)
    assert _one_line(err) == "unknown score option 'workers' (options: jsonl, stdin_url, allow_private)"
    empty = tmp_path / "empty.sqlite"
    Index(empty).close()
    (one,) = score(page, index=seed_index)
    (both,) = score(page, index=[empty, seed_index])  # a list, as audit(index=[...]) takes
    assert [m.url for m in both.matches] == [m.url for m in one.matches] and both.chain == one.chain
    assert both.chain[-2].startswith("https://www.balkanweb.com/")


# ------------------------------------------------------------------- 10. index folder, out file: plain words


def test_an_index_that_is_a_folder_and_an_out_that_is_a_file_are_named_plainly(tmp_path: Path,
                                                                               seed_dir: Path) -> None:
    folder = tmp_path / "indexes"
    folder.mkdir()
    for readonly in (True, False):
        with pytest.raises(IndexError_) as err:
            Index(folder, readonly=readonly)
        assert _one_line(err) == f"{folder}: is a folder, not an index file"
    with pytest.raises(IndexError_, match="is a folder, not an index file"):
        score(seed_dir / "botasot.html", index=folder)
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n", encoding="utf-8")
    with pytest.raises(NotADirectoryError) as err:
        audit([seed_dir], notes, workers=1)
    assert _one_line(err).startswith(f"{notes}: is a file; an audit writes its tables into a folder")
    assert notes.read_text(encoding="utf-8") == "my notes\n"
    from detector.cli import app

    run = CliRunner().invoke(app, ["audit", "--out", str(notes), "--quiet", str(seed_dir)])
    assert run.exit_code == 2 and "is a file; an audit writes its tables into a folder" in run.output
    assert "Traceback" not in run.output


# ------------------------------------------------------------------------------------ 11. broken symlinks


def test_a_broken_symlink_in_a_folder_is_a_named_refusal_for_score_and_audit(tmp_path: Path, seed_dir: Path) -> None:
    batch = _copy(seed_dir, tmp_path / "batch", "kyivpost")
    gone = batch / "gone.html"
    os.symlink("moved-away.html", gone)
    message = "broken symbolic link (its target moved-away.html does not exist)"
    verdicts = score(batch)
    assert [(v.target, v.error) for v in verdicts if v.error] == [(str(gone), message)]
    assert len(verdicts) == 2
    refused: list[tuple[str, str]] = []
    result = audit([batch], tmp_path / "out", workers=1, report=False,
                   on_error=lambda name, message: refused.append((name, message)))
    assert refused == [(str(gone), message)]
    assert (result.summary["inputs"], result.summary["errors"]) == (2, 1)


# ------------------------------------------------------------------------ 12. reusing out with other sources


def test_reusing_out_with_other_sources_warns_and_still_resumes(tmp_path: Path, seed_dir: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    first, second = seed_dir / "kyivpost.html", seed_dir / "thetimes.html"
    out = tmp_path / "out"
    assert audit([first], out, workers=1, report=False).summary["warnings"] == []
    assert "warning" not in capsys.readouterr().err
    other = audit([second], out, workers=1, report=False)
    (warning,) = other.summary["warnings"]
    assert warning.startswith(f"warning: {out}: these sources differ from those of earlier runs into this folder")
    assert f"1 new ({second})" in warning and f"1 not given now ({first})" in warning
    assert warning in capsys.readouterr().err.splitlines()
    assert other.summary["inputs"] == 2  # the folder still holds the first run's page
    both = audit([first, second], out, workers=1, report=False)
    assert both.summary["warnings"] == [] and both.summary["skipped"] == 2 and both.summary["extracted"] == 0


# ------------------------------------------------------------------------------------------------ 13. docs


def test_score_and_audit_document_their_options_returns_and_the_missing_default_index(seed_dir: Path) -> None:
    from detector.demo import demo_index

    doc = score.__doc__ or ""
    for needed in ("Without ``index`` no copies are looked for", "demo_index()", "allow_private", "jsonl",
                   "stdin_url", "config", "Returns one ``Verdict`` per page", "``error``"):
        assert needed in doc, needed
    assert "Returns an ``AuditResult``" in (audit.__doc__ or "") and "``local`` (processes) or ``spark``" in (
        audit.__doc__ or "")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    library = readme[readme.index("### From Python and notebooks"):readme.index("## How it works")]
    for needed in ("**Without\n  `index` no copies are looked for**", "index=detector.demo.demo_index()",
                   "`allow_private=True`", "`stdin_url`", "`jsonl=True`", "returns\n  one `Verdict` per page",
                   "`summary` holds", "detector.indexing.add_pages", "`score_html(html, url=None", "`read_again`"):
        assert needed in library, needed
    # what the docs say: no index, no copies; the demo index, the command line's default, finds them
    (alone,) = score(seed_dir / "botasot.html")
    (demo,) = score(seed_dir / "botasot.html", index=demo_index())
    assert alone.matches == () and alone.chain == ()
    assert "balkanweb.com" in {m.domain for m in demo.matches}


@pytest.mark.parametrize(("workers", "error"), [(0, ValueError), (-1, ValueError), ("2", TypeError), (1.5, TypeError)])
def test_audit_refuses_a_worker_count_it_would_have_to_guess(tmp_path: Path, seed_dir: Path, workers: object,
                                                            error: type) -> None:
    """workers=0 and -1 ran silently with 2 and 1 workers; workers="2" failed deep inside with a bare TypeError."""
    with pytest.raises(error, match="workers"):
        audit([seed_dir], tmp_path / "out", workers=workers, report=False)


def test_a_list_line_that_is_no_domain_is_named_in_a_warning(tmp_path: Path, seed_dir: Path) -> None:
    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "farms.txt").write_text("botasot.al\nthis is not a domain at all\n", encoding="utf-8")
    (lists / "more.txt").write_text("balkanweb.com\nnot one\nnor this\n", encoding="utf-8")
    result = audit([seed_dir], tmp_path / "out", workers=1, report=False, lists=[lists])
    named = [w for w in result.summary["warnings"] if "neither a domain nor a pattern" in w]
    assert len(named) == 1 and "3 line(s)" in named[0] and "lists/farms 1, lists/more 2" in named[0]


def test_a_page_held_in_memory_is_scored_as_its_file_is(seed_dir: Path, seed_index: Path) -> None:
    """A notebook holds pages as strings or bytes; ``score`` takes paths and URLs and used to read a string of
    HTML as a target name ("unsupported URL scheme"), with no way to score it but writing a file (a probe)."""
    from detector.score import score_html

    page = seed_dir / "botasot.html"
    (from_file,) = score(page, index=seed_index)
    as_bytes = score_html(page.read_bytes(), "https://www.botasot.al/story", index=seed_index)
    as_text = score_html(page.read_text(encoding="utf-8"), index=seed_index, name="botasot")
    for verdict in (as_bytes, as_text):
        assert verdict.error is None
        assert verdict.farm_probability == pytest.approx(from_file.farm_probability, abs=1e-9)
        assert [m.url for m in verdict.matches] == [m.url for m in from_file.matches]
        assert verdict.chain[:-1] == from_file.chain[:-1]
    assert as_bytes.target == "https://www.botasot.al/story" and as_text.target == "botasot"
    # a str is the text it is, whatever charset its markup declares
    latin = "<html><head><meta charset='iso-8859-1'><title>Café</title></head><body><p>" + "Café crème. " * 20
    assert score_html(latin + "</p></body></html>").title == "Café"
    empty = score_html("   ", "https://news.example/a")
    assert empty.error == "empty page" and empty.domain == "news.example"
    with pytest.raises(TypeError, match=r"html must be str or bytes, not PosixPath \(files and URLs: score\(\)\)"):
        score_html(page)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="url must be an http"):
        score_html("<p>x</p>", "ftp://x.example/")
    with pytest.raises(TypeError) as err:
        score(page.read_text(encoding="utf-8"))
    assert "score_html(html, url)" in _one_line(err)


# ------------------------------------------------------------------------------- 7. a page and a path mixed up

def test_a_pages_html_given_where_paths_go_is_refused_before_any_work(tmp_path: Path, seed_dir: Path) -> None:
    """An outside probe's ``audit(html_text, out)`` failed on the file system with the whole page in the message,
    after writing the page into the folder's sources (and, with a folder beside it, after extracting it)."""
    from detector.indexing import add_pages

    html = (seed_dir / "botasot.html").read_text(encoding="utf-8")
    out = tmp_path / "out"
    for call in (lambda: audit(html, out), lambda: audit([str(seed_dir), html], out),
                 lambda: add_pages(tmp_path / "i.sqlite", html)):
        with pytest.raises(TypeError) as err:
            call()
        assert "is a page's HTML, not a path or URL" in _one_line(err) and len(str(err.value)) < 300
    assert not out.exists() and not (tmp_path / "i.sqlite").exists()


def test_a_path_given_as_a_pages_html_and_an_index_that_is_no_path_are_named(seed_dir: Path) -> None:
    from detector.score import score_html

    for given in (str(seed_dir / "botasot.html"), "https://news.example/story"):
        with pytest.raises(TypeError) as err:
            score_html(given)
        assert "is a path or URL, not a page's HTML (files and URLs: score())" in _one_line(err)
    assert score_html("A plain note of text with more than five words in it.").error is None  # text, no path
    for wrong in (123, None):
        with pytest.raises(TypeError, match=r"^index: expected one path \(str or Path\)"):
            Index(wrong)  # type: ignore[arg-type]


def test_add_pages_names_each_refusal_on_stderr_without_on_error(tmp_path: Path, seed_dir: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from detector.indexing import add_pages

    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    added = add_pages(tmp_path / "i.sqlite", [seed_dir / "botasot.html", tmp_path / "gone.html", pdf])
    assert (added.added, added.refused) == (1, 2)
    lines = capsys.readouterr().err.splitlines()
    assert f"{tmp_path / 'gone.html'}: no such file or directory" in lines
    assert f"{pdf}: not an HTML page, JSONL or URL list (a PDF)" in lines
    heard: list[tuple[str, str]] = []
    add_pages(tmp_path / "i.sqlite", [pdf], on_error=lambda name, message: heard.append((name, message)))
    assert heard == [(str(pdf), "not an HTML page, JSONL or URL list (a PDF)")] and not capsys.readouterr().err


def test_add_pages_keeps_one_page_per_url_and_names_the_edition_it_skipped(tmp_path: Path,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    """Probe 53: a newsroom's AMP and print editions name the article as canonical, read as its URL, and were
    stored over the articles themselves ("62 added, 2 replaced", unnamed)."""
    from detector.indexing import add_pages

    story = "".join(f"<p>The harbour board approved a six-month trial of late ferries, number {n} of the plan, "
                    f"after a long public meeting on Tuesday night.</p>" for n in range(8))
    url = "https://northgate.example/sport/rovers-1"
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a_article.html").write_text(
        f"<html><head><title>Rovers</title><link rel='canonical' href='{url}'></head><body><article><h1>Rovers"
        f"</h1>{story}</article></body></html>", encoding="utf-8")
    (pages / "b_amp.html").write_text(
        f"<html amp><head><title>Rovers</title><link rel='canonical' href='{url}'>"
        f"<meta property='og:url' content='{url}/amp'></head><body><article><h1>Rovers (AMP)</h1>{story}</article>"
        "</body></html>", encoding="utf-8")
    done = add_pages(tmp_path / "i.sqlite", [pages])
    assert (done.added, done.replaced, done.skipped, done.documents) == (1, 0, 1, 1)
    err = capsys.readouterr().err
    assert f"{pages / 'b_amp.html'}: reads as {url}, as {pages / 'a_article.html'} did: not added" in err
    with Index(tmp_path / "i.sqlite", readonly=True) as index:
        assert index.get(url).article.title == "Rovers"
    again = add_pages(tmp_path / "i.sqlite", [pages / "b_amp.html"])  # a later call: the page's newer state
    assert (again.added, again.replaced, again.skipped) == (0, 1, 0)
