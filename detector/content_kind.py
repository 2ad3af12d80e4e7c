"""What a body is: an HTML page, or which binary format, from its Content-Type and its first bytes.

Shared by the fetcher (a response's body), the WARC reader (a record's headers) and the readers of local files
(``sources.read_page_bytes``): a PDF or an image given as a page is refused by name, not parsed as HTML.
"""

from __future__ import annotations

import re

from detector.charset import bom_charset

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"RIFF", "RIFF media"),
    (b"\x00\x00\x00", "binary data"),
)

_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?<(?:!doctype\s+html|html|head|body|script|iframe|h1|div|font|table|a|style"
    r"|title|b|br|p|meta|link|!--)[\s>/]",
    re.IGNORECASE,
)


def media_type(content_type: str | None) -> str | None:
    """The lower-cased media type of a Content-Type header (``'text/html'``), or None when absent."""
    if not content_type:
        return None
    kind = content_type.split(";", 1)[0].strip().lower()
    return kind or None


def binary_kind(body: bytes) -> str | None:
    """What a body is by its magic number (``'a PDF'``, ``'a PNG image'``), or None when it is not binary."""
    head = body[:16].lstrip(b" \t\r\n")
    for magic, kind in _SIGNATURES:
        if head.startswith(magic):
            return kind
    return None


def not_text(body: bytes) -> str | None:
    """What a local file's bytes are when they are no text: its kind by magic number, or ``'binary content'``
    for NUL bytes near the start (outside UTF-16, which has them); None for text."""
    kind = binary_kind(body)
    if kind is None and b"\x00" in body[:4096] and not body.startswith((b"\xff\xfe", b"\xfe\xff")):
        kind = "binary content"
    return kind


def looks_like_html(body: bytes) -> bool:
    """Whether a body starts like an HTML document (the HTML Standard's sniffing tags), in any BOM encoding."""
    head = body[:1024]
    bom = bom_charset(head)
    if bom is not None and bom.startswith("utf-16"):
        text = head[2:].decode(bom, "ignore")
    else:
        text = head.removeprefix(b"\xef\xbb\xbf").decode("latin-1")
    return bool(_HTML_START.match(text)) or "<html" in text.lower()


def refuse_type(content_type: str | None) -> str | None:
    """Why a response's declared content type is no page (``not HTML (content type image/png)``), or None."""
    kind = media_type(content_type)
    if kind is not None and kind not in HTML_TYPES:
        return f"not HTML (content type {kind})"
    return None


def refuse_body(content_type: str | None, body: bytes) -> str | None:
    """Why a response's body is no page (empty, binary by its magic number, or undeclared and not HTML-like),
    or None."""
    if not body.strip():
        return "empty body"
    kind = binary_kind(body)
    if kind is not None:
        return f"not HTML: body is {kind} (content type {media_type(content_type) or 'missing'})"
    if media_type(content_type) is None and not looks_like_html(body):
        return "not HTML (no content type and the body does not look like HTML)"
    return None
