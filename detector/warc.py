"""HTML responses read out of WARC / WARC.gz files, as ``Page`` records (fastwarc where installed, else warcio).

Only ``response`` records with an HTTP status of 2xx and an HTML content type are yielded; every other record
is skipped silently (requests, metadata, images), since a crawl's WARC holds far more than pages. Each page is
named ``<file>#<n>`` (its number among the file's responses) so a verdict can always be traced back to its record.

Example:
    >>> for name, page in warc_pages(Path("crawl.warc.gz")):       # doctest: +SKIP
    ...     print(name, page.url, len(page.html))
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

from detector.charset import declared_charset
from detector.fetch import HTML_TYPES, media_type
from detector.records import Page

WARC_SUFFIXES = (".warc", ".warc.gz", ".arc.gz")


def is_warc(path: Path) -> bool:
    """True for a file named like a WARC (``.warc``, ``.warc.gz``)."""
    return path.name.lower().endswith(WARC_SUFFIXES)


def _page(url: str, status: int, headers: dict[str, str], body: bytes, date: str | None) -> Page | None:
    if not 200 <= status < 300 or media_type(headers.get("content-type")) not in HTML_TYPES or not body.strip():
        return None
    try:
        fetched = datetime.fromisoformat(date.replace("Z", "+00:00")) if date else None
    except ValueError:
        fetched = None
    return Page(url=url, final_url=url, html=body, status=status, headers=headers,
                charset=declared_charset(headers.get("content-type"), body),
                fetched_at=fetched or datetime.now(timezone.utc))


def _fastwarc_pages(path: Path, max_bytes: int) -> Iterator[tuple[str, Page]]:
    from fastwarc.warc import ArchiveIterator, WarcRecordType  # type: ignore[import-not-found]

    try:  # FastWARC 0.x / 1.x took a stream object; 2.x takes the path itself
        from fastwarc.stream_io import FileStream, GZipStream  # type: ignore[import-not-found]
    except ImportError:
        stream: object = str(path)
    else:
        stream = FileStream(str(path), "rb")
        if path.name.lower().endswith(".gz"):
            stream = GZipStream(stream)
    for number, record in enumerate(ArchiveIterator(stream, record_types=WarcRecordType.response,
                                                    parse_http=True), start=1):
        http = record.http_headers
        if http is None:
            continue
        headers = {k.lower(): v for k, v in http.items()}
        body = record.reader.read(max_bytes + 1)
        if len(body) > max_bytes:
            continue
        page = _page(record.headers.get("WARC-Target-URI", ""), http.status_code or 0, headers, body,
                     record.headers.get("WARC-Date"))
        if page is not None:
            yield f"{path}#{number}", page


def _warcio_pages(path: Path, max_bytes: int) -> Iterator[tuple[str, Page]]:
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as handle:
        number = 0
        for record in ArchiveIterator(handle):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            number += 1  # counted among responses, as fastwarc counts them
            headers = {k.lower(): v for k, v in record.http_headers.headers}
            try:
                status = int(record.http_headers.get_statuscode() or 0)
            except ValueError:
                continue
            body = record.content_stream().read(max_bytes + 1)
            if len(body) > max_bytes:
                continue
            page = _page(record.rec_headers.get_header("WARC-Target-URI") or "", status, headers, body,
                         record.rec_headers.get_header("WARC-Date"))
            if page is not None:
                yield f"{path}#{number}", page


def warc_pages(path: Path, max_bytes: int = 10_000_000, engine: str = "auto") -> Iterator[tuple[str, Page]]:
    """``(name, page)`` for every HTML response in a WARC file; ``engine`` is ``auto``, ``fastwarc`` or ``warcio``."""
    if engine in ("auto", "fastwarc"):
        try:
            import fastwarc  # type: ignore[import-not-found]  # noqa: F401
        except ImportError:
            if engine == "fastwarc":
                raise ImportError("install fastwarc to read WARC files with it (pip install fastwarc)") from None
        else:
            yield from _fastwarc_pages(path, max_bytes)
            return
    yield from _warcio_pages(path, max_bytes)


def write_warc(path: Path, pages: list[tuple[str, bytes]]) -> Path:
    """Write ``(url, html)`` pairs as a gzipped WARC of HTTP responses (for tests and examples)."""
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=path.name.endswith(".gz"))
        for url, html in pages:
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=BytesIO(html), http_headers=http))
    return path
