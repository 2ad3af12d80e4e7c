"""Content-Encoding undone under a byte cap: a gzip, deflate or brotli bomb stops at the cap, never fills memory.

The fetcher reads bodies raw and feeds them here chunk by chunk (``BoundedDecoder.feed``); each stage decodes at
most the room left under the cap, so the decoded size is checked before the bytes exist.
"""

from __future__ import annotations

import zlib
from typing import Protocol


class _Stage(Protocol):
    def feed(self, data: bytes, room: int) -> bytes: ...


class _ZlibStage:
    """gzip or deflate; deflate falls back from zlib-wrapped to raw, as servers send both."""

    def __init__(self, encoding: str) -> None:
        self._gzip = encoding in ("gzip", "x-gzip")
        self._obj = zlib.decompressobj(zlib.MAX_WBITS | 16 if self._gzip else zlib.MAX_WBITS)
        self._first = True

    def feed(self, data: bytes, room: int) -> bytes:
        if self._obj.eof:
            return b""
        try:
            try:
                out = self._obj.decompress(data, room)
            except zlib.error:
                if self._gzip or not self._first:
                    raise
                self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
                out = self._obj.decompress(data, room)
        except zlib.error as exc:
            raise ValueError(f"bad compressed data: {exc}") from None
        self._first = False
        return out


class _BrotliStage:
    """brotli, with brotli >= 1.2's output limit; older versions get fed small slices instead."""

    def __init__(self) -> None:
        import brotli

        self._error = brotli.error
        self._obj = brotli.Decompressor()

    def feed(self, data: bytes, room: int) -> bytes:
        try:
            try:
                out = self._obj.process(data, output_buffer_limit=room)
            except TypeError:  # brotli < 1.2 has no output limit: feed small slices and stop early
                return self._feed_slices(data, room)
            while len(out) < room and not self._obj.can_accept_more_data():
                more = self._obj.process(b"", output_buffer_limit=room - len(out))
                if not more:
                    break
                out += more
            return out
        except self._error as exc:
            raise ValueError(f"bad compressed data: {exc}") from None

    def _feed_slices(self, data: bytes, room: int) -> bytes:
        parts: list[bytes] = []
        size = 0
        for i in range(0, len(data), 256):
            parts.append(self._obj.process(data[i : i + 256]))
            size += len(parts[-1])
            if size >= room:
                break
        return b"".join(parts)


class BoundedDecoder:
    """Undo a Content-Encoding chain (``gzip``, ``deflate``, ``br``) without ever holding over ``limit`` bytes.

    ``feed`` raises ``OverflowError`` as soon as the decoded size passes ``limit``; bad data raises
    ``ValueError``; an encoding it cannot undo raises ``NotImplementedError`` from the constructor.
    """

    def __init__(self, content_encoding: str | None, limit: int) -> None:
        names = [e.strip().lower() for e in (content_encoding or "").split(",")]
        names = [e for e in names if e and e != "identity"]
        self.limit = limit
        self.size = 0
        self._stages: list[_Stage] = []
        for name in reversed(names):  # the last encoding applied is undone first
            if name in ("gzip", "x-gzip", "deflate"):
                self._stages.append(_ZlibStage(name))
            elif name == "br":
                self._stages.append(_BrotliStage())
            else:
                raise NotImplementedError(f"unsupported content-encoding {name!r}")

    def feed(self, data: bytes) -> bytes:
        """The decoded bytes of the next raw chunk."""
        room = self.limit - self.size
        for stage in self._stages:
            data = stage.feed(data, room + 1)
            if len(data) > room:  # a stage stopped at its output cap: the rest is never decoded
                raise OverflowError(f"body larger than {self.limit} bytes after decompression")
        self.size += len(data)
        return data
