"""A page's JSON-LD structured data, parsed, and the values it gives for some keys, wherever they are nested.

The date reader (``detector.pubdate``) and the author fallback (``detector.credited_author``) both read it; a
block that does not parse is skipped, as trafilatura does.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator

from lxml.html import HtmlElement

__all__ = ["documents", "values"]

_SCRIPTS = '//script[@type="application/ld+json"]'
MAX_DEPTH = 32  # JSON-LD nests a few levels; a hostile block nesting thousands is read no deeper


def documents(dom: HtmlElement, needle: str = "", max_chars: int | None = None) -> Iterator[object]:
    """Each JSON-LD block of the page, parsed; only blocks whose text holds ``needle`` and, with ``max_chars``,
    is no longer than that."""
    for script in dom.xpath(_SCRIPTS):
        text = script.text_content() or ""
        if needle not in text or (max_chars is not None and len(text) > max_chars):
            continue
        try:
            yield json.loads(text or "null")
        except (ValueError, RecursionError):
            continue


def values(node: object, keys: Collection[str], depth: int = 0) -> Iterator[object]:
    """The values of ``keys`` in ``node`` and in every object nested in it, in document order (an object's own
    keys, in the order of ``keys``, before the objects inside it)."""
    if depth > MAX_DEPTH:
        return
    if isinstance(node, dict):
        for key in keys:
            if key in node:
                yield node[key]
        for value in node.values():
            if isinstance(value, (dict, list)):
                yield from values(value, keys, depth + 1)
    elif isinstance(node, list):
        for item in node:
            yield from values(item, keys, depth + 1)
