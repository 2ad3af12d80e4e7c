"""Every command reads a named file as what it is: ``score`` and ``index add`` read WARC files and URL lists as
``audit`` does, instead of taking them for one HTML page, and a file with nothing in it is refused, named."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from detector.audit_inputs import audit_items
from detector.index import Index
from detector.indexing import add_pages
from detector.score import score
from detector.sources import expand
from detector.warc import write_warc
from tests.conftest_http import TestServer

DEMO = Path(__file__).resolve().parent.parent / "datasets" / "demo" / "pages"


def _warc(tmp_path: Path) -> Path:
    pages = [("https://www.riverton-gazette.example/copy-1", (DEMO / "riverton-gazette.html").read_bytes()),
             ("https://www.botasot.al/copy-2", (DEMO / "botasot.html").read_bytes())]
    return write_warc(tmp_path / "crawl.warc.gz", pages)


def test_a_warc_is_read_record_by_record_by_score_and_index_add(tmp_path: Path) -> None:
    """A WARC given to ``index add`` became one 'page' of all its records glued together, which took the URL of
    a stored document and replaced it."""
    warc = _warc(tmp_path)
    with Index(tmp_path / "i.sqlite") as index:
        add_pages(index, [DEMO / "thetimes.html"])
        added = add_pages(index, [warc])
        assert (added.added, added.replaced) == (2, 0)
        assert index.get("https://www.thetimes.co.uk/article/putin-is-using-belarus-to-open-a-new-front-analysis")
    verdicts = score([warc])
    assert [v.url for v in verdicts] == ["https://www.riverton-gazette.example/copy-1", "https://www.botasot.al/copy-2"]
    assert [v.target for v in verdicts] == [f"{warc}#1", f"{warc}#2"]
    assert verdicts[1].label == "content_farm" and verdicts[0].label == "clean"


def test_a_url_list_is_a_list_of_urls_for_score_as_for_audit(tmp_path: Path) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text("# seeds\nhttps://a.example/x   # the original\n\nnot a url\nhttps://b.example/y#part\n")
    targets = list(expand([str(urls)]))
    assert [(t.name, t.kind) for t in targets] == [  # '#' in a URL starts its fragment, which is dropped
        ("https://a.example/x", "url"), (f"{urls}:4", "error"), ("https://b.example/y", "url")]
    assert targets[1].error == "not an http(s) URL: 'not a url'"
    assert [i.name for i in audit_items([urls])] == [t.name for t in targets]


def test_a_urls_fragment_is_dropped_and_the_page_it_repeats_read_once(tmp_path: Path, http_server: TestServer,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """``/x`` and ``/x#comments`` were fetched twice and counted as two pages: the fragment is never sent to the
    server, so it is dropped wherever a URL is read as a target, and the repeat is read once, where it came first."""
    story = http_server.add("/story", (DEMO / "thetimes.html").read_bytes())
    other = http_server.add("/other", (DEMO / "kyivpost.html").read_bytes())
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{story}\n{story}#comments\n{other}\n", encoding="utf-8")
    table = tmp_path / "urls.csv"
    table.write_text(f"url\n{story}#top\n{other}#x\n", encoding="utf-8")
    given = [f"{other}#intro", str(urls), str(table)]
    assert [(t.name, t.kind) for t in expand(given)] == [(other, "url"), (story, "url")]
    assert [(i.name, i.kind) for i in audit_items(given)] == [(other, "url"), (story, "url")]
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{story}#a\n{story}\n"))
    assert [i.name for i in audit_items(["-"])] == [story]
    with Index(tmp_path / "i.sqlite") as index:
        added = add_pages(index, given, allow_private=True)
    assert (added.added, added.replaced, added.refused) == (2, 0, 0)
    assert [r.path for r in http_server.requests] == ["/other", "/story"]


def _image_warc(path: Path) -> Path:
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=False)
        http = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record("https://a.example/logo.png", "response",
                                                      payload=BytesIO(b"\x89PNG...."), http_headers=http))
    return path


def test_files_with_nothing_to_read_are_refused_by_name(tmp_path: Path) -> None:
    empty_jsonl = tmp_path / "docs.jsonl"
    empty_jsonl.write_text("\n\n")
    comments_only = tmp_path / "seeds.txt"
    comments_only.write_text("# nothing yet\n")
    prose = tmp_path / "notes.txt"
    prose.write_text("Some notes about the story,\nno links at all.\n")
    empty_warc = tmp_path / "empty.warc.gz"
    empty_warc.write_bytes(b"")
    text_warc = tmp_path / "text.warc"
    text_warc.write_text("this is no WARC file\n")
    no_html = _image_warc(tmp_path / "images.warc")
    expected = {
        str(empty_jsonl): "no documents in it (empty JSONL)",
        str(comments_only): "holds no http(s) URL (not an HTML page, JSONL or URL list)",
        str(prose): "holds no http(s) URL (not an HTML page, JSONL or URL list)",
        f"{empty_warc}@0": "empty file, not a WARC file",
        f"{text_warc}@0": "not a WARC file (no 'WARC/1.' record header in it)",
        str(no_html): "no HTML responses in this WARC file (nothing to read)",
    }
    paths = [empty_jsonl, comments_only, prose, empty_warc, text_warc, no_html]
    for found in (list(expand(map(str, paths))), list(audit_items(paths))):
        assert {t.name: t.error for t in found} == expected


def test_a_page_read_as_jsonl_by_mistake_is_one_refusal_not_one_per_line(tmp_path: Path) -> None:
    targets = list(expand([str(DEMO / "kyivpost.html")], jsonl=True))
    assert [(t.kind, t.error) for t in targets] == [
        ("error", "not JSONL: it starts like an HTML page (drop --jsonl?)")]


# --- probe 20: exports as spreadsheets and scrapers write them ------------------------------------------------


def _doc(url: str, text: str, **more: str) -> str:
    import json

    return json.dumps({"url": url, "text": text, **more})


BODY = " ".join(f"The council met on Tuesday to discuss item {i} of the flood plan." for i in range(30))


def test_a_lone_surrogate_in_one_document_refuses_nothing_and_stops_no_audit(tmp_path: Path) -> None:
    """A scraped export's "\\ud83d" alone (valid JSON, no UTF-8) ended the whole audit, on every rerun."""
    from detector.audit import audit

    docs = tmp_path / "docs.jsonl"
    docs.write_text(_doc("https://a.example/1", BODY + " \\ud83d end", title="Flood \\udc00 plan").replace("\\\\u", "\\u")
                    + "\n" + _doc("https://b.example/2", BODY.replace("flood", "bridge")) + "\n", encoding="utf-8")
    assert "\\ud83d" in docs.read_text(encoding="utf-8")
    errors: list[tuple[str, str]] = []
    result = audit([str(docs)], tmp_path / "out", workers=1, report=False, on_error=lambda n, m: errors.append((n, m)))
    pages = result.tables()["pages"]
    assert not errors and pages.height == 2 and pages["error"].null_count() == 2
    assert "\ufffd" in pages.filter(pages["url"] == "https://a.example/1")["title"][0]
    with Index(tmp_path / "i.sqlite") as index:
        assert add_pages(index, [docs]).added == 2


def test_byte_order_marks_and_semicolons_cost_no_input(tmp_path: Path) -> None:
    """Excel and PowerShell write a BOM; spreadsheets in many locales separate columns by semicolons."""
    from detector.sources import url_list

    bom = "\ufeff"
    (tmp_path / "list.csv").write_text(f"{bom}url,note\nhttps://a.example/1,x\n", encoding="utf-8")
    (tmp_path / "semi.csv").write_text("id;url;note\n1;https://b.example/2;y\n", encoding="utf-8")
    (tmp_path / "list.txt").write_text(f"{bom}https://c.example/3\nhttps://c.example/4\n", encoding="utf-8")
    (tmp_path / "docs.jsonl").write_text(bom + _doc("https://d.example/5", BODY) + "\n", encoding="utf-8")
    assert [u for _, u, _ in url_list(tmp_path / "list.csv")] == ["https://a.example/1"]
    assert [u for _, u, _ in url_list(tmp_path / "semi.csv")] == ["https://b.example/2"]
    assert [u for _, u, _ in url_list(tmp_path / "list.txt")] == ["https://c.example/3", "https://c.example/4"]
    (item,) = audit_items([tmp_path / "docs.jsonl"])
    assert item.kind == "doc" and item.article is not None and item.article.url == "https://d.example/5"


def test_a_document_url_must_be_http(tmp_path: Path) -> None:
    """An ftp:// or relative URL made a page of no domain, counted as read but in no domain's row."""
    docs = tmp_path / "docs.jsonl"
    docs.write_text(_doc("ftp://a.example/x", BODY) + "\n" + _doc("/relative/path", BODY) + "\n", encoding="utf-8")
    items = list(audit_items([docs]))
    assert [i.kind for i in items] == ["error", "error"]
    assert all("not an http(s) URL" in (i.error or "") for i in items)


def test_a_control_character_in_a_page_refuses_nothing(tmp_path: Path) -> None:
    """A vertical tab pasted from a word processor, in the headline or the text: lxml refused it inside
    trafilatura ("extraction failed (ValueError)", "no article text found")."""
    from detector.extract import extract
    from detector.records import Page

    html = (f"<html><head><title>Napa\x0bstory</title></head><body><article><h1>Napa\x0b story\x07</h1>"
            f"<p>{BODY}\x0b more.</p><p>{BODY}</p></article></body></html>").encode()
    article = extract(Page(url="https://napa.example/s", final_url="https://napa.example/s", html=html)).article
    assert "Napa" in (article.title or "") and "council met" in article.text and "\x0b" not in article.text


def test_the_graph_file_is_xml_whatever_titles_and_urls_hold(tmp_path: Path) -> None:
    """A URL with a double quote, a title with control characters: GraphML readers refused the whole file."""
    import xml.etree.ElementTree as ET

    from detector.audit import audit

    docs = tmp_path / "docs.jsonl"
    docs.write_text(_doc('https://a.example/search?q="flood"', BODY, title="Bell\x07 and \x1b escape")
                    + "\n" + _doc("https://b.example/copy", BODY, title="Copy") + "\n", encoding="utf-8")
    result = audit([str(docs)], tmp_path / "out", workers=1, report=False)
    graph = ET.parse(result.graphml)
    ns = "{http://graphml.graphdrawing.org/xmlns}"
    ids = {n.get("id") for n in graph.iter(f"{ns}node")}
    assert 'page:https://a.example/search?q="flood"' in ids
    titles = {d.text for d in graph.iter(f"{ns}data") if d.get("key") == "title"}
    assert "Bell\ufffd and \ufffd escape" in titles


def test_a_folder_named_otherwise_on_a_rerun_is_not_audited_twice(tmp_path: Path, monkeypatch) -> None:
    """From another working folder, or as an absolute path: the pages were audited again under new names and
    every row was in the tables twice."""
    import shutil

    from detector.audit import audit

    shutil.copytree(DEMO, tmp_path / "data" / "pages")
    out = tmp_path / "out"
    monkeypatch.chdir(tmp_path)
    first = audit(["data/pages"], out, workers=1, report=False)
    monkeypatch.chdir(tmp_path / "data")
    again = audit(["pages/"], out, workers=1, report=False)
    absolute = audit([str(tmp_path / "data" / "pages")], out, workers=1, report=False)
    assert again.summary["extracted"] == 0 and absolute.summary["extracted"] == 0
    pages = absolute.tables()["pages"]
    assert pages.height == first.tables()["pages"].height == len(list(DEMO.glob("*.html")))
    assert all(t.startswith("data/pages/") for t in pages["target"])


def test_a_source_file_edited_between_runs_is_named_in_a_warning(tmp_path: Path) -> None:
    """Records are named by position: a line added at the top of a JSONL file was never read by the rerun and
    the old last document appeared twice, silently."""
    from detector.audit import audit

    docs = tmp_path / "docs.jsonl"
    docs.write_text(_doc("https://a.example/1", BODY) + "\n", encoding="utf-8")
    first = audit([str(docs)], tmp_path / "out", workers=1, report=False)
    same = audit([str(docs)], tmp_path / "out", workers=1, report=False)
    assert not first.summary["warnings"] and not same.summary["warnings"]
    docs.write_text(_doc("https://z.example/0", BODY.replace("flood", "road")) + "\n" + docs.read_text(), encoding="utf-8")
    edited = audit([str(docs)], tmp_path / "out", workers=1, report=False)
    (warning,) = [w for w in edited.summary["warnings"] if "changed since an earlier run" in w]
    assert str(docs) in warning
    # the old last document, kept under its old position, is now also read under its new one
    assert any("2 inputs read as one page, https://a.example/1" in w for w in edited.summary["warnings"])


def test_a_url_list_grown_between_runs_reads_its_new_urls_without_a_warning(tmp_path: Path,
                                                                               http_server: TestServer) -> None:
    """A URL list names its pages by their URLs, not by position: an ad network's probe appended URLs, was told
    the tables "may mix old and new records (use a new out folder)", and found them equal to a fresh run's."""
    from detector.audit import audit

    story = http_server.add("/story", (DEMO / "thetimes.html").read_bytes())
    other = http_server.add("/other", (DEMO / "kyivpost.html").read_bytes())
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{story}\n", encoding="utf-8")
    options = {"workers": 1, "report": False, "allow_private": True, "progress": False}
    audit([str(urls)], tmp_path / "out", **options)
    urls.write_text(f"{other}\n{story}\n", encoding="utf-8")  # a URL added at the top
    grown = audit([str(urls)], tmp_path / "out", **options)
    assert not [w for w in grown.summary["warnings"] if "changed since an earlier run" in w]
    assert grown.summary["extracted"] == 1 and grown.tables()["pages"].height == 2
    assert [r.path for r in http_server.requests if r.path != "/robots.txt"] == ["/story", "/other"]


def test_jsonl_piped_to_score_is_read_as_documents_as_a_jsonl_file_is(tmp_path: Path) -> None:
    """``cat docs.jsonl | detector score -`` scored the whole file as one HTML page (url ``stdin:``, no site)
    unless ``--jsonl`` was given, although a file starting with ``{`` is read as JSONL by its first byte."""
    import json
    import subprocess
    import sys

    docs = "\n".join([_doc("https://a.example/1", BODY), _doc("https://b.example/2", BODY.replace("flood", "road"))])
    cli = [sys.executable, "-c", "from detector.cli import app; app()", "score", "-", "--format", "json"]
    done = subprocess.run(cli, input=docs + "\n", capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parent.parent)
    assert done.returncode == 0, done.stderr
    verdicts = json.loads(done.stdout)
    assert [(v["target"], v["domain"], v["error"]) for v in verdicts] == [("-:1", "a.example", None),
                                                                          ("-:2", "b.example", None)]
    page = subprocess.run(cli, input=(DEMO / "botasot.html").read_text(encoding="utf-8"), capture_output=True,
                          text=True, timeout=120, cwd=Path(__file__).resolve().parent.parent)
    (one,) = json.loads(page.stdout)  # a page on stdin is still one page
    assert one["target"] == "-" and one["domain"] == "botasot.al"


def test_a_document_whose_published_is_not_a_date_is_refused_by_name_not_read_undated(tmp_path: Path) -> None:
    """Dates decide which of two pages copied the other, so a 'published' the tool cannot read ("yesterday",
    "05/01/2024") was dropped silently and the document read as undated; it is now one refused line that names
    the field, and the other lines are still read."""
    docs = tmp_path / "docs.jsonl"
    docs.write_text("\n".join([
        _doc("https://a.example/1", BODY, published="yesterday"),
        _doc("https://b.example/2", BODY, published="2024-05-01 09:30"),
        _doc("https://c.example/3", BODY, published=""),
    ]) + "\n", encoding="utf-8")
    targets = list(expand([str(docs)]))
    assert [t.kind for t in targets] == ["error", "document", "document"]
    assert targets[0].name == f"{docs}:1" and "'published' is not an ISO 8601 date" in targets[0].error
    assert "'yesterday'" in targets[0].error
    assert targets[1].extracted.article.published.isoformat() == "2024-05-01T09:30:00"
    assert targets[2].extracted.article.published is None


def test_a_document_dated_by_a_unix_time_is_read_in_seconds_or_milliseconds(tmp_path: Path) -> None:
    """Crawl dumps often store times as Unix epochs; a time outside 1990-2100 (or a boolean) is still refused."""
    docs = tmp_path / "docs.jsonl"
    docs.write_text("\n".join([
        _doc("https://a.example/1", BODY, published=1714548600),
        _doc("https://b.example/2", BODY, published=1714548600123),
        _doc("https://c.example/3", BODY, published=0),
        _doc("https://d.example/4", BODY, published=True),
    ]) + "\n", encoding="utf-8")
    targets = list(expand([str(docs)]))
    assert [t.kind for t in targets] == ["document", "document", "error", "error"]
    assert targets[0].extracted.article.published.isoformat() == "2024-05-01T07:30:00+00:00"
    assert targets[1].extracted.article.published.isoformat() == "2024-05-01T07:30:00.123000+00:00"
    assert "Unix time of 1990-2100" in targets[2].error and "'published' is not a string" in targets[3].error


def test_two_files_read_as_one_page_url_are_named_in_a_warning(tmp_path: Path) -> None:
    """A farm's saved copy whose og:url names the original's address took the original's place in the batch
    index: the two were never compared, and the copy read clean without a word (an outside probe)."""
    from detector.audit import audit

    original = (DEMO / "kyivpost.html").read_text(encoding="utf-8")
    url = "https://www.kyivpost.com/post/belarus-russian-troops-joint-grouping-arrive"
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "original.html").write_text(original, encoding="utf-8")
    claimed = original.replace("</head>", f'<meta property="og:url" content="{url}"></head>', 1)
    (pages / "copy.html").write_text(claimed.replace("<title>", "<title>Shock: ", 1), encoding="utf-8")
    result = audit([str(pages)], tmp_path / "out", workers=1, report=False)
    (warning,) = [w for w in result.summary["warnings"] if "inputs read as one page" in w]
    assert url in warning and "copy.html" in warning and "original.html" in warning
    alone = audit([str(DEMO / "kyivpost.html")], tmp_path / "alone", workers=1, report=False)
    assert not any("read as one page" in w for w in alone.summary["warnings"])


def test_jsonl_flag_leaves_warc_files_warc(tmp_path: Path) -> None:
    """``--jsonl`` beside a crawl: the JSONL file is read as documents and the WARC still as a WARC (an outside
    probe's WARC lines were each refused as a bad JSONL line)."""
    import json

    from detector.audit import audit
    from detector.sources import file_kind

    warc = write_warc(tmp_path / "crawl.warc", [("https://www.kyivpost.com/a", (DEMO / "kyivpost.html").read_bytes())])
    docs = tmp_path / "docs.txt"
    docs.write_text(json.dumps({"url": "https://docs.example/1", "text": "word " * 40}) + "\n", encoding="utf-8")
    assert (file_kind(warc, jsonl=True), file_kind(docs, jsonl=True), file_kind(docs)) == ("warc", "jsonl", "jsonl")
    result = audit([str(warc), str(docs)], tmp_path / "out", workers=1, report=False, jsonl=True)
    pages = result.tables()["pages"]
    assert pages["error"].null_count() == 2 and set(pages["domain"]) == {"kyivpost.com", "docs.example"}


def test_links_with_tracking_parameters_name_one_page(tmp_path: Path, http_server: TestServer) -> None:
    """An ad network's probe listed a story as shared on social media and in a newsletter (``?utm_source=...``):
    three inputs, three pages of its domain. Tracking parameters name no other page: one page, and the repeat is
    named in the warning; other query parameters still tell pages apart."""
    from detector.audit import audit
    from detector.urls import without_tracking

    assert without_tracking("https://a.example/x?id=5&utm_source=tw&fbclid=abc#c") == "https://a.example/x?id=5#c"
    assert without_tracking("https://a.example/x?utm_medium=social") == "https://a.example/x"
    assert without_tracking("https://a.example/x?page=2") == "https://a.example/x?page=2"
    story = http_server.add("/story", (DEMO / "thetimes.html").read_bytes())
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{story}\n{story}?utm_source=twitter&utm_medium=social\n{story}?fbclid=x1\n", encoding="utf-8")
    result = audit([str(urls)], tmp_path / "out", workers=1, report=False, allow_private=True, progress=False)
    pages = result.tables()["pages"]
    assert set(pages["url"]) == {story} and result.tables()["domains"]["pages"].to_list() == [1]
    assert any("3 inputs read as one page" in w for w in result.summary["warnings"]), result.summary["warnings"]
