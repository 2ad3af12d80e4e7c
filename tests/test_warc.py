"""WARC input: every HTML response is read; a corrupt record costs only itself; a truncated file keeps what came before."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import polars as pl
import pytest

from detector.audit import audit
from detector.records import Page
from detector.warc import warc_pages, write_warc

SITES = ["thetimes", "balkanweb", "botasot", "kyivpost"]


def _warc(tmp_path: Path, seed_dir: Path, suffix: str) -> Path:
    return write_warc(tmp_path / f"crawl{suffix}", [
        (f"https://www.{name}.example/story", (seed_dir / f"{name}.html").read_bytes()) for name in SITES
    ])


def _corrupt_third_record(path: Path) -> Path:
    data = path.read_bytes()
    marker = b"\x1f\x8b\x08" if path.name.endswith(".gz") else b"WARC/1."
    starts = [i for i in range(len(data)) if data.startswith(marker, i)]
    third = starts[2]
    bad = path.with_name("bad-" + path.name)
    at = third + 12 if path.name.endswith(".gz") else third + 2  # into the deflate stream / the record header
    bad.write_bytes(data[:at] + b"\x00 garbage \x00" * 8 + data[at + 100:])
    return bad


@pytest.mark.parametrize("suffix", [".warc.gz", ".warc"])
def test_all_responses_are_read(tmp_path: Path, seed_dir: Path, suffix: str) -> None:
    pages = [p for _, p in warc_pages(_warc(tmp_path, seed_dir, suffix))]
    assert [p.url for p in pages] == [f"https://www.{n}.example/story" for n in SITES]
    assert all(isinstance(p, Page) and p.html.startswith(b"<!DOCTYPE html>") for p in pages)


@pytest.mark.parametrize("suffix", [".warc.gz", ".warc"])
def test_a_corrupt_record_in_the_middle_costs_only_itself(tmp_path: Path, seed_dir: Path, suffix: str) -> None:
    bad = _corrupt_third_record(_warc(tmp_path, seed_dir, suffix))
    results = list(warc_pages(bad))
    errors = [(name, r) for name, r in results if not isinstance(r, Page)]
    pages = [r for _, r in results if isinstance(r, Page)]
    assert len(errors) == 1 and errors[0][0].startswith(f"{bad}@")
    assert "corrupt WARC record" in errors[0][1].message
    assert [p.url.split(".")[1] for p in pages] == ["thetimes", "balkanweb", "kyivpost"]


@pytest.mark.parametrize("suffix", [".warc.gz", ".warc"])
def test_a_truncated_warc_keeps_the_records_before_the_cut(tmp_path: Path, seed_dir: Path, suffix: str) -> None:
    whole = _warc(tmp_path, seed_dir, suffix)
    cut = tmp_path / f"cut{suffix}"
    cut.write_bytes(whole.read_bytes()[: int(whole.stat().st_size * 0.8)])
    results = list(warc_pages(cut))
    assert isinstance(results[-1][1], Exception) and "truncated" in results[-1][1].message
    assert [r.url.split(".")[1] for _, r in results[:-1]] == SITES[: len(results) - 1]
    assert len(results) - 1 >= 2


def test_audit_goes_on_past_a_truncated_and_a_corrupt_warc(tmp_path: Path, seed_dir: Path) -> None:
    bad = _corrupt_third_record(_warc(tmp_path, seed_dir, ".warc.gz"))  # botasot's record is broken
    whole = _warc(tmp_path, seed_dir, ".warc")
    cut = tmp_path / "cut.warc"
    cut.write_bytes(whole.read_bytes()[: int(whole.stat().st_size * 0.6)])
    errors: list[tuple[str, str]] = []
    result = audit([str(bad), str(cut)], tmp_path / "out", workers=1, on_error=lambda n, m: errors.append((n, m)),
                   report=False)
    pages = result.tables()["pages"].filter(pl.col("error").is_null())
    assert len(pages) >= 4  # three good records of the corrupt file, and what came before the cut
    messages = "\n".join(f"{n}: {m}" for n, m in errors)
    assert f"{bad}@" in messages and "corrupt WARC record" in messages
    assert f"{cut}@" in messages and "truncated" in messages


def _responses(path: Path, records: list[tuple[str, list[tuple[str, str]], bytes]]) -> Path:
    """A WARC of HTTP 200 responses with the given HTTP headers and bodies (gzipped per record for ``.gz``)."""
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=path.name.endswith(".gz"))
        for url, headers, body in records:
            http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=BytesIO(body), http_headers=http))
    return path


def _gzip_whole(plain: Path) -> Path:
    """``gzip crawl.warc``: the whole file as one gzip member, not one member per record."""
    whole = plain.with_name(plain.name + ".gz")
    whole.write_bytes(gzip.compress(plain.read_bytes()))
    return whole


def test_a_warc_gzipped_whole_is_read_record_by_record_under_a_per_record_cap(tmp_path: Path, seed_dir: Path) -> None:
    html = {name: (seed_dir / f"{name}.html").read_bytes() for name in SITES}
    urls = [f"https://www.{name}.example/{n}" for n in range(5) for name in SITES]  # 20 records, ~100 KB in all
    big = b"<!DOCTYPE html><html><body>" + b"<p>filler</p>" * 20_000 + b"</body></html>"  # one record over the cap
    plain = write_warc(tmp_path / "crawl.warc", [(url, html[url.split(".")[1]]) for url in urls[:10]]
                       + [("https://big.example/", big)] + [(url, html[url.split(".")[1]]) for url in urls[10:]])
    results = list(warc_pages(_gzip_whole(plain), max_bytes=8_000))
    pages = [r for _, r in results if isinstance(r, Page)]
    errors = [r.message for _, r in results if not isinstance(r, Page)]
    assert [p.url for p in pages] == urls
    assert errors == ["WARC record larger than the byte cap; skipped"]


def test_a_corrupt_stretch_in_a_warc_gzipped_whole_keeps_what_came_before(tmp_path: Path, seed_dir: Path) -> None:
    whole = _gzip_whole(_warc(tmp_path, seed_dir, ".warc"))
    data = whole.read_bytes()
    bad = tmp_path / "bad.warc.gz"
    bad.write_bytes(data[:len(data) * 3 // 4] + b"\x1f\x8b\x08\xff garbage" * 20 + data[len(data) * 3 // 4 + 200:])
    results = list(warc_pages(bad))
    pages = [r.url.split(".")[1] for _, r in results if isinstance(r, Page)]
    zlib_errors = [r.message for _, r in results if not isinstance(r, Page) and "corrupt WARC record (Error" in r.message]
    assert pages[:2] == SITES[:2]  # the records before the corrupt stretch
    assert len(zlib_errors) == 1  # the false gzip headers in the stretch add no errors of their own


def test_an_error_row_never_takes_the_name_of_a_page(tmp_path: Path, seed_dir: Path) -> None:
    crawl = _warc(tmp_path, seed_dir, ".warc.gz")
    mixed = tmp_path / "mixed.warc.gz"
    mixed.write_bytes(gzip.compress(b"not a warc record at all\n") + crawl.read_bytes())  # a gzip member of text first
    results = list(warc_pages(mixed))
    names = [name for name, _ in results]
    assert len(set(names)) == len(names)
    assert [r.url.split(".")[1] for _, r in results if isinstance(r, Page)] == SITES
    assert [name for name, r in results if not isinstance(r, Page)] == [f"{mixed}@0"]
    pages = audit([str(mixed)], tmp_path / "out", workers=1, report=False).tables()["pages"]
    assert pages.filter(pl.col("error").is_null()).height == len(SITES)


def test_bodies_are_checked_as_the_fetcher_checks_them(tmp_path: Path, seed_dir: Path) -> None:
    html = (seed_dir / "botasot.html").read_bytes()
    warc = _responses(tmp_path / "kinds.warc.gz", [
        ("https://a.example/page", [("Content-Type", "text/html")], html),
        ("https://lies.example/fake.html", [("Content-Type", "text/html")], b"%PDF-1.4\n1 0 obj<<>>endobj\n"),
        ("https://b.example/no-type", [("Server", "nginx")], html),
        ("https://b.example/logo", [("Server", "nginx")], b"\x89PNG\r\n\x1a\n...."),
        ("https://c.example/plain", [("Content-Type", "text/plain")], html),
    ])
    results = list(warc_pages(warc))
    assert [r.url for _, r in results if isinstance(r, Page)] == ["https://a.example/page", "https://b.example/no-type"]
    errors = [(name, r.message) for name, r in results if not isinstance(r, Page)]
    assert len(errors) == 1 and errors[0][0].startswith(f"{warc}@")
    assert errors[0][1] == "not HTML: body is a PDF (content type text/html)"


def test_a_plain_warc_named_warc_gz_is_read_as_plain(tmp_path: Path, seed_dir: Path) -> None:
    plain = _warc(tmp_path, seed_dir, ".warc")
    misnamed = tmp_path / "misnamed.warc.gz"
    misnamed.write_bytes(plain.read_bytes())
    results = list(warc_pages(misnamed))
    assert [type(r) for _, r in results] == [Page] * len(SITES)
    assert [r.url.split(".")[1] for _, r in results] == SITES


@pytest.mark.parametrize("suffix", [".warc.gz", ".warc"])
def test_zero_padding_after_the_last_record_is_no_record(tmp_path: Path, seed_dir: Path, suffix: str) -> None:
    padded = _warc(tmp_path, seed_dir, suffix)
    padded.write_bytes(padded.read_bytes() + b"\x00" * 4096)
    results = list(warc_pages(padded))
    assert all(isinstance(r, Page) for _, r in results) and len(results) == len(SITES)


def test_warc_headers_with_bare_lf_line_ends_are_read(tmp_path: Path, seed_dir: Path) -> None:
    records = []
    for name in SITES:
        one = write_warc(tmp_path / f"{name}.warc", [(f"https://www.{name}.example/story",
                                                      (seed_dir / f"{name}.html").read_bytes())]).read_bytes()
        head, _, block = one.partition(b"\r\n\r\n")
        records.append(head.replace(b"\r\n", b"\n") + b"\n\n" + block)  # Content-Length counts the block only
    lf = tmp_path / "lf.warc"
    lf.write_bytes(b"".join(records))
    results = list(warc_pages(lf))
    assert [type(r) for _, r in results] == [Page] * len(SITES)
    assert [r.url.split(".")[1] for _, r in results] == SITES


def test_brotli_bodies_are_read_plain_chunked_or_mislabelled(tmp_path: Path, seed_dir: Path) -> None:
    """warcio's own brotli reader fails with today's brotli module; crawls that asked for ``br`` store such
    bodies (an outside probe's page was refused as "unreadable WARC record (AttributeError)")."""
    brotli = pytest.importorskip("brotli")
    html = (seed_dir / "botasot.html").read_bytes()
    packed = brotli.compress(html)
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(packed[i:i + 4000]), packed[i:i + 4000])
                       for i in range(0, len(packed), 4000)) + b"0\r\n\r\n"
    warc = _responses(tmp_path / "br.warc.gz", [
        ("https://a.example/br", [("Content-Type", "text/html"), ("Content-Encoding", "br")], packed),
        ("https://a.example/br-chunked", [("Content-Type", "text/html"), ("Content-Encoding", "br"),
                                          ("Transfer-Encoding", "chunked")], chunked),
        ("https://a.example/not-br", [("Content-Type", "text/html"), ("Content-Encoding", "br")], html),
    ])
    results = list(warc_pages(warc))
    assert [(r.url, r.html) for _, r in results] == [
        ("https://a.example/br", html), ("https://a.example/br-chunked", html), ("https://a.example/not-br", html)]


def test_a_record_target_is_the_page_address_without_fragment_or_host_case(tmp_path: Path, seed_dir: Path) -> None:
    """Joining tables on ``url`` finds a crawled page however its crawler wrote the host or a ``#fragment``."""
    html = (seed_dir / "botasot.html").read_bytes()
    warc = _responses(tmp_path / "case.warc", [
        ("https://TrendingNow.EXAMPLE/777/Story.html#comments", [("Content-Type", "text/html")], html)])
    ((_, page),) = list(warc_pages(warc))
    assert page.url == page.final_url == "https://trendingnow.example/777/Story.html"


def test_a_partial_content_response_is_refused_not_scored_as_a_page(tmp_path: Path, seed_dir: Path) -> None:
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    html = (seed_dir / "botasot.html").read_bytes()
    path = tmp_path / "range.warc"
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=False)
        for status, body in (("206 Partial Content", html[: len(html) // 2]), ("200 OK", html)):
            http = StatusAndHeaders(status, [("Content-Type", "text/html")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record("https://a.example/x", "response", payload=BytesIO(body),
                                                          http_headers=http))
    (partial, whole) = list(warc_pages(path))
    assert not isinstance(partial[1], Page) and "partial content (HTTP 206)" in partial[1].message
    assert isinstance(whole[1], Page) and whole[1].html == html


def test_a_crawl_date_orders_an_undated_original_before_a_dated_copy(tmp_path: Path) -> None:
    """An undated newsroom page a crawl recorded on April 9 cannot have copied a page stating April 12 (an
    outside probe's newsroom was called the uncredited copy of a clean-looking copy, for its missing date)."""
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from detector.provenance import CAPTURED_EVIDENCE, UNDATED_EVIDENCE

    words = ("harbour council dredging budget vote residents fishermen channel silt contract engineers mayor "
             "estimate delay permit river tide season report survey depth vessel").split()
    story = " ".join(words[(i * 7) % len(words)] + ("." if i % 12 == 11 else "") for i in range(260))

    def page(title: str, extra: str) -> bytes:
        return (f"<html><head><title>{title}</title>{extra}</head><body><article><h1>{title}</h1>"
                f"<p>By Ana Reyes</p><p>{story}</p></article></body></html>").encode()

    original = page("Harbour council backs dredging", "")
    copy = page("Harbour council backs dredging",
                '<meta property="article:published_time" content="2024-04-12T08:00:00+00:00">')

    def write(path: Path, captured: tuple[str, str]) -> Path:
        with open(path, "wb") as handle:
            writer = WARCWriter(handle, gzip=False)
            for (url, body), date in zip((("https://www.harbour-tribune.example/dredging", original),
                                         ("https://www.newsflash-now.example/dredging", copy)), captured):
                http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
                writer.write_record(writer.create_warc_record(url, "response", payload=BytesIO(body),
                                                              http_headers=http, warc_headers_dict={"WARC-Date": date}))
        return path

    early = write(tmp_path / "early.warc", ("2024-04-09T20:00:00Z", "2024-04-15T10:00:00Z"))
    late = write(tmp_path / "late.warc", ("2024-04-20T20:00:00Z", "2024-04-15T10:00:00Z"))
    for warc, evidence, copier in ((early, CAPTURED_EVIDENCE, "newsflash-now.example"),
                                   (late, UNDATED_EVIDENCE, "harbour-tribune.example")):
        result = audit([str(warc)], tmp_path / warc.stem, workers=1, report=False)
        pages = {row["domain"]: row for row in result.tables()["pages"].iter_rows(named=True)}
        assert pages[copier]["source_domain"] is not None, warc.stem
        other = ({"newsflash-now.example", "harbour-tribune.example"} - {copier}).pop()
        assert pages[other]["source_domain"] is None, warc.stem
        verdicts = [json.loads(line)["verdict"] for line in
                    (tmp_path / warc.stem / "state" / "verdicts.jsonl").read_text(encoding="utf-8").splitlines()]
        (copied,) = [v for v in verdicts if v["domain"] == copier]
        assert [(m["direction"], m["direction_evidence"]) for m in copied["matches"]] == [("this_copies_other", evidence)]


def test_an_audit_counts_every_record_of_a_warc_by_kind(tmp_path: Path, seed_dir: Path) -> None:
    """Records that hold no page are a crawl's usual content and are not refused, but an auditor sees that each
    was read: the summary (and the command line) count them by kind."""
    from io import BytesIO

    from typer.testing import CliRunner
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from detector.cli import app

    html = (seed_dir / "botasot.html").read_bytes()
    path = tmp_path / "crawl.warc.gz"
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        writer.write_record(writer.create_warcinfo_record("crawl.warc.gz", {"software": "test"}))
        for status, kind, body in (("200 OK", "text/html", html), ("404 Not Found", "text/html", b"<p>gone</p>"),
                                   ("301 Moved", "text/html", b""), ("200 OK", "image/png", b"\x89PNG...."),
                                   ("200 OK", "text/html", b"%PDF-1.4 not html")):
            http = StatusAndHeaders(status, [("Content-Type", kind)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record("https://a.example/x", "response", payload=BytesIO(body),
                                                          http_headers=http))
        request = StatusAndHeaders("GET /x HTTP/1.1", [("Host", "a.example")], is_http_request=True)
        writer.write_record(writer.create_warc_record("https://a.example/x", "request", payload=BytesIO(b""),
                                                      http_headers=request))
    result = audit([str(path)], tmp_path / "out", workers=1, report=False)
    assert result.summary["warc_records"] == {str(path): {
        "HTML pages": 1, "3xx responses": 1, "4xx responses": 1, "refused records": 1, "request records": 1,
        "responses of other types than HTML": 1, "warcinfo records": 1}}
    shown = CliRunner().invoke(app, ["audit", "--out", str(tmp_path / "cli"), "-w", "1", "-q", "--no-report", str(path)])
    assert f"{path}: 7 records: 1 HTML pages, " in shown.stderr
