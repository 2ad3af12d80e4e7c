"""HTML responses read out of WARC / WARC.gz files, as ``Page`` records (records split here, parsed by warcio).

Only ``response`` records with an HTTP status of 2xx and an HTML content type are yielded; every other record
is skipped silently (requests, metadata, images), since a crawl's WARC holds far more than pages; a file
that holds no HTML response at all, or is no WARC file, is reported. Each page is
named ``<file>#<n>`` (its number among the file's responses) so a verdict can always be traced back to its record.

Example:
    >>> for name, item in warc_pages("crawl.warc.gz"):             # doctest: +SKIP
    ...     print(name, item.message if isinstance(item, InputError) else item.final_url)
"""

from __future__ import annotations

import io
import mmap
import os
import zlib
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

from detector.charset import declared_charset
from detector.errors import InputError
from detector.content_kind import HTML_TYPES, media_type
from detector.records import Page

WARC_SUFFIXES = (".warc", ".warc.gz", ".arc.gz")


def is_warc(path: str | Path) -> bool:
    """True for a file named like a WARC (``.warc``, ``.warc.gz``)."""
    return Path(path).name.lower().endswith(WARC_SUFFIXES)


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


class _Scanner:
    """Splits a WARC file into raw records, reporting (and stepping over) what is truncated or corrupt.

    A ``.warc.gz`` is a series of gzip members, one record each: a member that does not inflate is skipped to
    the next gzip header; a member cut short is reported as truncated. A plain ``.warc`` is split on each
    record's ``Content-Length``; a record whose header is not a WARC header is skipped to the next ``WARC/1.``.
    """

    def __init__(self, path: Path, max_bytes: int) -> None:
        self.path = path
        self.limit = max_bytes + _HEADER_SLACK
        self.gz = path.name.lower().endswith(".gz")

    def records(self) -> Iterator[bytes | InputError]:
        with open(self.path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size == 0:
                yield self._error(0, "empty file, not a WARC file")
                return
            with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:  # paged in, never all in RAM
                yield from (self._gz_records(data) if self.gz else self._plain_records(data))

    def _error(self, offset: int, what: str) -> InputError:
        return InputError(f"{self.path}@{offset}", what)

    def _gz_records(self, data: mmap.mmap) -> Iterator[bytes | InputError]:
        view, size, offset = memoryview(data), len(data), 0
        try:
            while offset < size:
                inflater = zlib.decompressobj(wbits=31)
                parts: list[bytes] = []
                produced, pos = 0, offset
                try:
                    while not inflater.eof and pos < size and produced <= self.limit:
                        chunk = view[pos:pos + _CHUNK]
                        pos += len(chunk)
                        piece = inflater.decompress(chunk, self.limit + 1 - produced)
                        parts.append(piece)
                        produced += len(piece)
                except zlib.error as err:
                    yield self._error(offset, f"corrupt WARC record ({err}); skipped to the next record")
                    offset = _next(data, _GZ_MAGIC, offset + 1)
                    continue
                if produced > self.limit:
                    yield self._error(offset, "WARC record larger than the byte cap; skipped")
                    offset = _next(data, _GZ_MAGIC, offset + 1)
                    continue
                if not inflater.eof:
                    yield self._error(offset, "truncated WARC file (the last record is cut short)")
                    return
                yield b"".join(parts)
                offset = pos - len(inflater.unused_data)
        finally:
            view.release()

    def _plain_records(self, data: mmap.mmap) -> Iterator[bytes | InputError]:
        offset = _next(data, _WARC_MAGIC, 0)
        if offset == len(data):
            yield self._error(0, "not a WARC file (no 'WARC/1.' record header in it)")
            return
        while offset < len(data):
            head_end = data.find(b"\r\n\r\n", offset)
            if head_end < 0:
                yield self._error(offset, "truncated WARC file (the last record is cut short)")
                return
            length = _content_length(data[offset:head_end])
            if length is None:
                yield self._error(offset, "corrupt WARC record header; skipped to the next record")
                offset = _next(data, _WARC_MAGIC, offset + 1)
                continue
            end = head_end + 4 + length
            if end > len(data):
                yield self._error(offset, "truncated WARC file (the last record is cut short)")
                return
            yield data[offset:end]
            offset = _next(data, _WARC_MAGIC, end)
            if data[end:min(offset, end + _HEADER_SLACK)].strip():
                yield self._error(end, "corrupt WARC record (no WARC header); skipped to the next record")


_GZ_MAGIC = b"\x1f\x8b\x08"
_WARC_MAGIC = b"WARC/1."
_HEADER_SLACK = 65_536
_CHUNK = 65_536


def _next(data: mmap.mmap, magic: bytes, start: int) -> int:
    found = data.find(magic, start)
    return len(data) if found < 0 else found


def _content_length(head: bytes) -> int | None:
    if not head.startswith(_WARC_MAGIC):
        return None
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            try:
                return int(value.strip())
            except ValueError:
                return None
    return None


def _record_page(raw: bytes, max_bytes: int) -> Page | None:
    """The HTML page in one raw WARC record, or None when the record is not a 2xx HTML response."""
    from warcio.archiveiterator import ArchiveIterator

    for record in ArchiveIterator(io.BytesIO(raw)):
        if record.rec_type != "response" or record.http_headers is None:
            return None
        headers = {k.lower(): v for k, v in record.http_headers.headers}
        try:
            status = int(record.http_headers.get_statuscode() or 0)
        except ValueError:
            return None
        body = record.content_stream().read(max_bytes + 1)
        if len(body) > max_bytes:
            return None
        return _page(record.rec_headers.get_header("WARC-Target-URI") or "", status, headers, body,
                     record.rec_headers.get_header("WARC-Date"))
    return None


def warc_pages(path: str | Path, max_bytes: int = 10_000_000) -> Iterator[tuple[str, Page | InputError]]:
    """``(name, page)`` for every HTML response in a WARC file, and ``(name, error)`` for each bad stretch.

    ``path`` may be a ``str`` or a ``Path``. A corrupt record costs only itself (reading goes on at the next
    record); a truncated file keeps every record before the cut. Each error names the file and the byte
    offset where it was found, so callers must check ``isinstance(item, InputError)``.
    """
    path = Path(path)
    number = errors = 0
    for raw in _Scanner(path, max_bytes).records():
        if isinstance(raw, InputError):
            errors += 1
            yield raw.target, raw
            continue
        if not raw.startswith(_WARC_MAGIC):  # a gzip member holding something else (a .gz text named .warc.gz)
            errors += 1
            name = f"{path}#{number + 1}"
            yield name, InputError(name, "not a WARC record (no 'WARC/1.' header); skipped")
            continue
        try:
            page = _record_page(raw, max_bytes)
        except Exception as err:  # noqa: BLE001 - warcio raises its own types for malformed records
            yield f"{path}#{number + 1}", InputError(f"{path}#{number + 1}", f"unreadable WARC record ({type(err).__name__})")
            continue
        if page is not None:
            number += 1
            yield f"{path}#{number}", page
    if number == 0 and errors == 0:
        yield str(path), InputError(str(path), "no HTML responses in this WARC file (nothing to read)")


def write_warc(path: str | Path, pages: list[tuple[str, bytes]]) -> Path:
    """Write ``(url, html)`` pairs as a gzipped WARC of HTTP responses (for tests and examples)."""
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = Path(path)
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=path.name.endswith(".gz"))
        for url, html in pages:
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=BytesIO(html), http_headers=http))
    return path
