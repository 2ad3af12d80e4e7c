"""Every command reads a named file as what it is: ``score`` and ``index add`` read WARC files and URL lists as
``audit`` does, instead of taking them for one HTML page, and a file with nothing in it is refused, named."""

from __future__ import annotations

from pathlib import Path

from detector.audit_inputs import audit_items
from detector.index import Index
from detector.indexing import add_pages
from detector.score import score
from detector.sources import expand
from detector.warc import write_warc

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
    assert [(t.name, t.kind) for t in targets] == [
        ("https://a.example/x", "url"), (f"{urls}:4", "error"), ("https://b.example/y#part", "url")]
    assert targets[1].error == "not an http(s) URL: 'not a url'"
    assert [i.name for i in audit_items([urls])] == [t.name for t in targets]


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
