"""Which text encoding a fetched page declares, and how to decode its bytes without ever failing.

Pages lie about their encoding often enough that decoding must not trust one source blindly, yet the
declaration is the best first guess (Albanian pages in windows-1250, Ukrainian ones in cp1251 still exist).
``declared_charset`` reads what the page says; ``decode_html`` turns bytes into text, falling back from the
declaration to strict UTF-8, to a statistical detector, to a lossy decode, and never raises on bad bytes.

Examples:
    >>> declared_charset("text/html; charset=Windows-1250", b"")
    'cp1250'
    >>> decode_html("Tiranë".encode("cp1250"), "cp1250")
    'Tiranë'
"""

from __future__ import annotations

import codecs
import re

__all__ = ["declared_charset", "decode_html", "normalise_charset", "bom_charset", "SNIFF_BYTES"]

#: How many leading bytes are scanned for a ``<meta>`` declaration.
SNIFF_BYTES = 4096

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([^"';,\s]+)""", re.IGNORECASE)
_COMMENT = re.compile(rb"<!--.*?(?:-->|$)", re.DOTALL)
_META = re.compile(rb"<meta\b[^>]*>", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9._:\-]+)""", re.IGNORECASE)
# Labels that pages use for windows-1252 text; decoding as cp1252 keeps curly quotes and the euro sign.
_LATIN1_NAMES = frozenset({"latin-1", "iso8859-1", "ascii"})


def normalise_charset(name: str | None) -> str | None:
    """The codec's canonical Python name for an encoding label (``'Windows-1250'`` -> ``'cp1250'``), or None.

    Unknown labels and codecs that are not text encodings (``base64``, ``rot13``) give None, so a bogus
    declaration is treated as no declaration.
    """
    if not name:
        return None
    label = name.strip().strip("\"'").strip()
    if not label:
        return None
    try:
        info = codecs.lookup(label)
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True):
        return None
    return info.name


def _bom(body: bytes) -> tuple[bytes, str] | None:
    for bom, name in _BOMS:
        if body.startswith(bom):
            return bom, name
    return None


def bom_charset(body: bytes) -> str | None:
    """The encoding a byte order mark at the start of ``body`` states (utf-8, utf-16-le/be), or None."""
    found = _bom(body)
    return found[1] if found else None


def _header_charset(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = _HEADER_CHARSET.search(content_type)
    return normalise_charset(match.group(1)) if match else None


def _meta_charset(body: bytes) -> str | None:
    head = _COMMENT.sub(b"", body[:SNIFF_BYTES])
    for tag in _META.finditer(head):
        match = _META_CHARSET.search(tag.group(0))
        if match is None:
            continue
        name = normalise_charset(match.group(1).decode("ascii", "ignore"))
        if name is None:
            continue
        # A <meta> that could be read as ASCII cannot truthfully say UTF-16 (HTML Standard: use UTF-8).
        return "utf-8" if name.startswith("utf-16") else name
    return None


def declared_charset(content_type: str | None, body: bytes) -> str | None:
    """The encoding the page declares: a BOM, else the Content-Type header, else a ``<meta>`` in the first 4 KB.

    A byte order mark wins over the header, as in browsers (HTML Standard encoding sniffing): it is a
    statement about the bytes themselves, while headers are often server defaults. Names are normalised
    through ``codecs.lookup``; undeclared or unknown encodings give None.
    """
    return bom_charset(body) or _header_charset(content_type) or _meta_charset(body)


def _try_decode(body: bytes, charset: str | None) -> str | None:
    if charset is None:
        return None
    try:
        return body.decode(charset, "strict")
    except (UnicodeDecodeError, LookupError):
        return None


def _detect(body: bytes) -> str | None:
    """Decode with charset_normalizer's best guess, or None when it is missing or has no guess."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a trafilatura dependency, so normally present
        return None
    try:
        best = from_bytes(body).best()
    except Exception:  # pragma: no cover - a detector bug must not stop a batch
        return None
    return str(best) if best is not None else None


def decode_html(body: bytes, charset: str | None) -> str:
    """Text of ``body``: BOM, else the declared ``charset``, else UTF-8, else a detector's guess, else lossy.

    A body that is valid multi-byte UTF-8 is decoded as UTF-8 even when another charset is declared
    (stale declarations are common; the converse coincidence is vanishingly rare). Latin-1 and ASCII
    declarations are read as windows-1252, as browsers do, so curly quotes and the euro sign survive.
    Each step is strict, so a wrong declaration falls through instead of producing mojibake silently;
    UTF-8 with a few stray bytes is kept as UTF-8 (bad bytes become U+FFFD) rather than re-guessed, and
    the last resort replaces undecodable bytes. A leading BOM is never part of the text.
    Never raises on bad bytes or unknown charset names.
    """
    found = _bom(body)
    if found is not None:
        bom, bom_name = found
        text = _try_decode(body[len(bom) :], bom_name)
        if text is not None:
            return text
        body = body[len(bom) :]
    name = normalise_charset(charset)
    if name not in (None, "utf-8") and _is_valid_multibyte_utf8(body):
        return body.decode("utf-8")
    if name in _LATIN1_NAMES:
        text = _try_decode(body, "cp1252")
        if text is not None:
            return text
    for candidate in (name, "utf-8"):
        text = _try_decode(body, candidate)
        if text is not None:
            return text
    mostly_utf8 = _mostly_utf8(body)
    if mostly_utf8 is not None:
        return mostly_utf8
    detected = _detect(body)
    if detected is not None:
        return detected
    return body.decode(name or "utf-8", "replace")


def _is_valid_multibyte_utf8(body: bytes) -> bool:
    """Whether the body is strict UTF-8 with non-ASCII characters (and no NULs, which mark UTF-16/32).

    Text in a single-byte encoding that has accented letters almost never forms valid UTF-8 sequences,
    so such a body is UTF-8 whatever a stale header or ``<meta>`` says.
    """
    if body.isascii() or b"\x00" in body[:SNIFF_BYTES]:
        return False
    try:
        body.decode("utf-8", "strict")
    except UnicodeDecodeError:
        return False
    return True


def _mostly_utf8(body: bytes) -> str | None:
    """Lossy UTF-8 text when the body is UTF-8 with a few stray bytes, else None.

    "Mostly" means valid multi-byte characters outnumber the bad bytes: a UTF-8 page with one stray
    Latin-1 byte qualifies, a Latin-1 page (no valid multi-byte sequences at all) does not, and a
    detector would turn the former into mojibake.
    """
    text = body.decode("utf-8", "replace")
    bad = text.count("\ufffd") - body.count("\ufffd".encode())
    good = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    return text if 0 < bad < good else None
