"""HTML responses read out of WARC / WARC.gz files, as ``Page`` records (records split here, parsed by warcio).

Only ``response`` records with an HTTP status of 2xx and an HTML body are yielded: declared HTML, or no
Content-Type and a body that sniffs as HTML, as the fetcher takes them (``detector.content_kind``). Every
other record is skipped silently (requests, metadata, images), since a crawl's WARC holds far more than
pages; a record declared HTML whose body is a PDF or an image is refused by name, as the fetcher refuses it;
a file that holds no HTML response at all, or is no WARC file, is reported. Each page is named
``<file>#<n>`` (its number among the file's pages) and each problem ``<file>@<offset>`` (where it was found),
so a verdict can always be traced back to its record and no problem takes a page's name.

Example:
    >>> for name, item in warc_pages("crawl.warc.gz"):             # doctest: +SKIP
    ...     print(name, item.message if isinstance(item, InputError) else item.final_url)
"""

from __future__ import annotations

import io
import mmap
import os
import re
import zlib
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from detector.charset import declared_charset
from detector.content_kind import media_type, refuse_body, refuse_type
from detector.errors import InputError
from detector.records import Page
from detector.urls import crawled_url

WARC_SUFFIXES = (".warc", ".warc.gz", ".arc.gz")


def is_warc(path: str | Path) -> bool:
    """True for a file named like a WARC (``.warc``, ``.warc.gz``)."""
    return Path(path).name.lower().endswith(WARC_SUFFIXES)


@dataclass(frozen=True, slots=True)
class Skipped:
    """A record that holds no page, and which kind it is (``"request records"``, ``"4xx responses"``): a crawl's
    usual content, counted (``warc_pages``'s ``tally``), not refused."""

    kind: str


def _page(url: str, status: int, headers: dict[str, str], body: bytes, date: str | None) -> Page | str | Skipped:
    """The page in a 2xx response, the refusal of a body declared HTML that is none, or what else it holds.

    The checks are the fetcher's (``refuse_type``, ``refuse_body``): a declared non-HTML type is no page, and
    without a type the body is sniffed; an HTML ``206 Partial Content`` is refused (half a page is no page). Only
    a body that claims to be HTML and is not is refused by name: other records that are no page (an empty body,
    an undeclared image) are a crawl's usual content.
    """
    content_type = headers.get("content-type")
    if not 200 <= status < 300:
        return Skipped(f"{status // 100}xx responses" if 100 <= status < 600 else "responses with no status")
    if refuse_type(content_type) is not None:
        return Skipped("responses of other types than HTML")
    if not body.strip():
        return Skipped("empty responses")
    if status == 206:  # a range a crawler asked for (it was once scored as if it were the whole page)
        return "partial content (HTTP 206): a part of the page, not the page"
    refusal = refuse_body(content_type, body)
    if refusal is not None:
        return refusal if media_type(content_type) is not None else Skipped("responses of other types than HTML")
    try:
        fetched = datetime.fromisoformat(date.replace("Z", "+00:00")) if date else None
    except ValueError:
        fetched = None
    url = crawled_url(url)
    return Page(url=url, final_url=url, html=body, status=status, headers=headers,
                charset=declared_charset(content_type, body),
                fetched_at=fetched or datetime.now(timezone.utc), captured=fetched)


_GZ_MAGIC = b"\x1f\x8b\x08"
_WARC_MAGIC = b"WARC/1."
_HEADER_END = re.compile(rb"\n\r?\n")  # CRLF line ends, or bare LF ones (warcio reads both)
_PAD = b"\x00 \t\r\n"  # blank bytes between records (their CRLF CRLF, zero padding after the last member)
_HEADER_SLACK = 65_536
_CHUNK = 1 << 20  # bytes fed to the splitter at once (a plain file's read, one inflated piece at most)
_GZ_CHUNK = 65_536  # compressed bytes given to the inflater at once

_NOT_WARC = "not a WARC file (no 'WARC/1.' record header in it)"
Piece = tuple[int, bytes | str]  # (stream offset, a raw record or what is wrong there)


class _Splitter:
    """Cuts a stream of WARC bytes, fed piece by piece, into raw records on each header's ``Content-Length``.

    ``feed`` and ``close`` give ``(offset, record)`` for each record and ``(offset, problem)`` for what is no
    record (offsets in the stream). It holds at most one record (``limit`` bytes) and one piece: a record over
    the cap is reported and dropped as its bytes come. A stretch without a ``WARC/1.`` header is reported once,
    at its first byte that is not blank; blank bytes (CR, LF, spaces, zero padding) are no record.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.buf = bytearray()
        self.start = 0  # stream offset of buf[0]
        self.need = 0  # length of the record at buf[0], once its header is read
        self.skip = 0  # bytes of an over-cap record still to drop
        self.junk: int | None = None  # first non-blank byte of a stretch that is no record, not yet reported
        self.quiet = False  # the stretch belongs to a header already reported as corrupt
        self.found = False  # some WARC header was seen

    @property
    def fed(self) -> int:
        """Stream offset of the next byte to come."""
        return self.start + len(self.buf)

    def feed(self, data: bytes) -> list[Piece]:
        self.buf += data
        out: list[Piece] = []
        while self.buf:
            if self.skip:
                drop = min(self.skip, len(self.buf))
                self.skip -= drop
                self._drop(drop)
            elif self.need:
                if len(self.buf) < self.need:
                    break
                out.append((self.start, bytes(self.buf[:self.need])))
                self._drop(self.need)
                self.need = 0
            elif not self._header(out):
                break
        return out

    def close(self) -> list[Piece]:
        """What is left at the end of the stream: a record cut short, or a stretch that is no record."""
        if self.skip or self.need or self.buf.startswith(_WARC_MAGIC):
            return [(self.start, "truncated WARC file (the last record is cut short)")]
        self._drop(len(self.buf), junk=True)
        return self._flush_junk()

    def reset(self) -> None:
        """Forget what is held: the stream broke (a corrupt gzip member), and that loss is reported already."""
        self.start, self.buf, self.need, self.skip = self.fed, bytearray(), 0, 0
        self.junk, self.quiet = None, False

    def _header(self, out: list[Piece]) -> bool:
        """Read the header at the next ``WARC/1.``; False when more bytes are needed first."""
        at = self.buf.find(_WARC_MAGIC)
        if at < 0:
            self._drop(max(len(self.buf) - len(_WARC_MAGIC) + 1, 0), junk=True)  # a magic may straddle pieces
            return False
        self._drop(at, junk=True)
        self.found = True
        out.extend(self._flush_junk())
        self.quiet = False
        end = _HEADER_END.search(self.buf, 0, _HEADER_SLACK)
        if end is None and len(self.buf) < _HEADER_SLACK:
            return False
        length = None if end is None else _content_length(bytes(self.buf[:end.start()]))
        if end is None or length is None:
            out.append((self.start, "corrupt WARC record header; skipped to the next record"))
            self.quiet = True
            self._drop(1)
        elif end.end() + length > self.limit:
            out.append((self.start, "WARC record larger than the byte cap; skipped"))
            self.skip = end.end() + length
        else:
            self.need = end.end() + length
        return True

    def _drop(self, count: int, junk: bool = False) -> None:
        if junk and count and self.junk is None and not self.quiet:
            dropped = bytes(self.buf[:count])
            blank = len(dropped) - len(dropped.lstrip(_PAD))
            if blank < count:
                self.junk = self.start + blank
        del self.buf[:count]
        self.start += count

    def _flush_junk(self) -> list[Piece]:
        if self.junk is None or not self.found:  # no header at all: the caller says "not a WARC file"
            return []
        at, self.junk = self.junk, None
        return [(at, "corrupt WARC record (no 'WARC/1.' header); skipped to the next record")]


class _Members:
    """Names a stream offset of a gzipped WARC by its gzip member: ``<member>`` for the member's first byte,
    ``<member>+<bytes into it>`` after it (a file gzipped whole is one member for all its records)."""

    def __init__(self) -> None:
        self.starts: deque[tuple[int, int]] = deque()  # (stream offset, file offset) of each member

    def add(self, stream_at: int, file_at: int) -> None:
        self.starts.append((stream_at, file_at))

    def name(self, at: int) -> str:
        """The name of stream offset ``at``; offsets are asked in order, so earlier members are let go."""
        while len(self.starts) > 1 and self.starts[1][0] <= at:
            self.starts.popleft()
        stream_at, file_at = self.starts[0]
        return str(file_at) if at == stream_at else f"{file_at}+{at - stream_at}"


class _Scanner:
    """Splits a WARC file into raw records, reporting (and stepping over) what is truncated or corrupt.

    A file starting with the gzip magic is read as gzip whatever its name, else as plain WARC (a ``.warc.gz``
    that is no gzip but starts like a WARC is one). A gzipped WARC is inflated as one stream, member after
    member: one member per record, or one for the whole file (``gzip crawl.warc``); a member that does not
    inflate is reported and skipped to the next gzip header, one cut short as truncated, and zero padding
    after the last member is no record. The stream is split by ``_Splitter``, one record in memory at a time.
    """

    def __init__(self, path: Path, max_bytes: int) -> None:
        self.path = path
        self.limit = max_bytes + _HEADER_SLACK

    def records(self) -> Iterator[tuple[str, bytes] | InputError]:
        """``(offset name, raw record)`` for each record, and an ``InputError`` for each problem, in file order."""
        with open(self.path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size == 0:
                yield self._error("0", "empty file, not a WARC file")
                return
            with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:  # paged in, never all in RAM
                splitter = _Splitter(self.limit)
                problems = 0
                read = self._gz_records if self._gzipped(data) else self._plain_records
                for item in read(data, splitter):
                    problems += isinstance(item, InputError)
                    yield item
                if not splitter.found and not problems:
                    yield self._error("0", _NOT_WARC)

    def _gzipped(self, data: mmap.mmap) -> bool:
        """Gzip by its magic; a ``.gz`` that starts with neither magic is read as gzip (its start may be corrupt)."""
        if data[:2] == _GZ_MAGIC[:2]:
            return True
        return self.path.name.lower().endswith(".gz") and data.find(_WARC_MAGIC, 0, _HEADER_SLACK) < 0

    def _error(self, at: str, what: str) -> InputError:
        return InputError(f"{self.path}@{at}", what)

    def _named(self, pieces: list[Piece], name: Callable[[int], str]) -> Iterator[tuple[str, bytes] | InputError]:
        for at, piece in pieces:
            yield (name(at), piece) if isinstance(piece, bytes) else self._error(name(at), piece)

    def _plain_records(self, data: mmap.mmap, splitter: _Splitter) -> Iterator[tuple[str, bytes] | InputError]:
        for pos in range(0, len(data), _CHUNK):
            yield from self._named(splitter.feed(data[pos:pos + _CHUNK]), str)
        yield from self._named(splitter.close(), str)

    def _gz_records(self, data: mmap.mmap, splitter: _Splitter) -> Iterator[tuple[str, bytes] | InputError]:
        members, size, offset, lost = _Members(), len(data), 0, False
        while offset < size:
            if data[offset:offset + len(_GZ_MAGIC)] != _GZ_MAGIC:  # between members: padding, or no gzip data
                following = _next(data, _GZ_MAGIC, offset)
                if not lost and not _blank(data, offset, following):
                    yield self._error(str(offset), _NOT_WARC if offset == 0 and following == size
                                      else "corrupt WARC record (not gzip data); skipped to the next record")
                    lost = True
                    splitter.reset()
                offset = following
                continue
            members.add(splitter.fed, offset)
            inflater = zlib.decompressobj(wbits=31)
            pos = offset
            try:
                for piece, pos in _inflate(data, offset, inflater):
                    yield from self._named(splitter.feed(piece), members.name)
            except zlib.error as err:
                if not lost:  # the false gzip headers met while seeking the next member are part of this loss
                    yield self._error(members.name(splitter.fed),
                                      f"corrupt WARC record ({err}); skipped to the next record")
                lost = True
                splitter.reset()
                offset = _next(data, _GZ_MAGIC, offset + 1)
                continue
            if not inflater.eof:
                yield self._error(members.name(splitter.start), "truncated WARC file (the last record is cut short)")
                return
            lost = False
            offset = pos - len(inflater.unused_data)
        yield from self._named(splitter.close(), members.name)


def _inflate(data: mmap.mmap, offset: int, inflater: Any) -> Iterator[tuple[bytes, int]]:
    """The pieces one gzip member at ``offset`` inflates to (at most ``_CHUNK`` bytes each), with the file
    offset read up to: a member is never inflated whole, so a bomb costs time, not memory."""
    pos, pending = offset, b""
    while not inflater.eof:
        if not pending and pos < len(data):
            pending = data[pos:pos + _GZ_CHUNK]
            pos += len(pending)
        elif not pending:  # the file ends: only what zlib still holds of the input given may come out
            piece = inflater.decompress(b"", _CHUNK)
            if not piece:
                return
            yield piece, pos
            continue
        before = inflater.copy()
        try:
            piece = inflater.decompress(pending, _CHUNK)
        except zlib.error:
            for piece in _inflate_up_to_error(before, pending):  # the records before a corrupt stretch are kept
                yield piece, pos
            raise
        pending = inflater.unconsumed_tail
        yield piece, pos


def _inflate_up_to_error(inflater: Any, pending: bytes) -> Iterator[bytes]:
    """What ``pending`` inflates to before the byte where it fails, in pieces of about ``_CHUNK`` bytes (fed a
    byte at a time: the error path only)."""
    parts: list[bytes] = []
    size = 0
    try:
        for at in range(len(pending)):
            parts.append(inflater.decompress(pending[at:at + 1]))
            size += len(parts[-1])
            if size >= _CHUNK:
                yield b"".join(parts)
                parts, size = [], 0
    except zlib.error:
        pass
    yield b"".join(parts)


def _next(data: mmap.mmap, magic: bytes, start: int) -> int:
    found = data.find(magic, start)
    return len(data) if found < 0 else found


def _blank(data: mmap.mmap, start: int, end: int) -> bool:
    """Whether ``data[start:end]`` is only blank bytes (zero padding), read a piece at a time."""
    return all(not data[pos:min(pos + _CHUNK, end)].strip(_PAD) for pos in range(start, end, _CHUNK))


def _content_length(head: bytes) -> int | None:
    """The ``Content-Length`` of a WARC record header (CRLF or bare LF line ends), or None without a valid one."""
    for line in head.split(b"\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            value = value.strip()
            return int(value) if value.isdigit() else None
    return None


def _body(record: Any, encoding: str | None, max_bytes: int) -> bytes | None:
    """A response record's body, its transfer and content encodings undone, or None when it is over
    ``max_bytes``. warcio undoes gzip and deflate (leniently: a body falsely labelled gzip is read as it is);
    its brotli reader fails with the brotli module of today (``AttributeError``), so a brotli body is undone by
    ``BoundedDecoder``, and read as it is when it is no brotli after all."""
    names = {e.strip().lower() for e in (encoding or "").split(",")}
    if "br" not in names:
        body = record.content_stream().read(max_bytes + 1)
        return body if len(body) <= max_bytes else None
    from warcio.bufferedreaders import ChunkedDataReader

    from detector.body_decode import BoundedDecoder

    chunked = (record.http_headers.get_header("transfer-encoding") or "").lower() == "chunked"
    raw = (ChunkedDataReader(record.raw_stream) if chunked else record.raw_stream).read(max_bytes + 1)
    try:
        return BoundedDecoder(encoding, max_bytes).feed(raw)
    except OverflowError:
        return None
    except (ValueError, NotImplementedError):
        return raw if len(raw) <= max_bytes else None


def _record_page(raw: bytes, max_bytes: int) -> Page | str | Skipped:
    """The HTML page in one raw WARC record, the refusal of a body declared HTML that is none, or what the
    record holds instead (``Skipped``) when it is not a 2xx HTML response."""
    from warcio.archiveiterator import ArchiveIterator

    for record in ArchiveIterator(io.BytesIO(raw)):
        if record.rec_type != "response":
            return Skipped(f"{record.rec_type or 'untyped'} records")
        if record.http_headers is None:
            return Skipped("responses without HTTP headers")
        headers = {k.lower(): v for k, v in record.http_headers.headers}
        try:
            status = int(record.http_headers.get_statuscode() or 0)
        except ValueError:
            return Skipped("responses with no status")
        body = _body(record, headers.get("content-encoding"), max_bytes)
        if body is None:
            return Skipped(f"responses over {max_bytes} bytes")
        return _page(record.rec_headers.get_header("WARC-Target-URI") or "", status, headers, body,
                     record.rec_headers.get_header("WARC-Date"))
    return Skipped("empty records")


def warc_pages(path: str | Path, max_bytes: int = 10_000_000,
               tally: Counter[str] | None = None) -> Iterator[tuple[str, Page | InputError]]:
    """``(name, page)`` for every HTML response in a WARC file, and ``(name, error)`` for each bad stretch.

    ``path`` may be a ``str`` or a ``Path``. A corrupt record costs only itself (reading goes on at the next
    record); a truncated file keeps every record before the cut. Pages are named ``<file>#<n>``; each error
    names the file and the byte offset where it was found (``<file>@<offset>``, or ``@<member>+<offset in
    it>`` inside a gzip member), so no error takes a page's name; callers must check
    ``isinstance(item, InputError)``. ``tally`` (when given) counts every record: ``HTML pages``, ``refused records``,
    and each kind of record that holds no page (``Skipped``), so an auditor can see the whole file was read.
    """
    path = Path(path)
    number = problems = 0
    for item in _Scanner(path, max_bytes).records():
        if isinstance(item, InputError):
            problems += 1
            if tally is not None:
                tally["unreadable parts"] += 1
            yield item.target, item
            continue
        at, raw = item
        name = f"{path}@{at}"
        try:
            page = _record_page(raw, max_bytes)
        except Exception as err:  # noqa: BLE001 - warcio raises its own types for malformed records
            page = f"unreadable WARC record ({type(err).__name__})"
        if tally is not None:
            kind = "refused records" if isinstance(page, str) else "HTML pages" if isinstance(page, Page) else page.kind
            tally[kind] += 1
        if isinstance(page, str):
            problems += 1
            yield name, InputError(name, page)
        elif isinstance(page, Page):
            number += 1
            yield f"{path}#{number}", page
    if number == 0 and problems == 0:
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
