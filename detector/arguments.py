"""Checking what a library caller passes: one path or many, flags, names from a fixed set.

A ``str`` or ``Path`` always means one path and a list or tuple many (a ``str`` is never walked character by
character); ``bytes`` are refused rather than iterated. Every refusal is a ``TypeError`` or ``ValueError``
whose one-line message names the argument and what it takes.

    >>> paths("lists", "../shared/corpora/domain-lists")
    (PosixPath('../shared/corpora/domain-lists'),)
    >>> names("targets", ["a.html", Path("b.html")])
    ['a.html', 'b.html']
"""

from __future__ import annotations

import os
from collections.abc import Collection
from pathlib import Path
from typing import Any


def shown(value: Any, width: int = 60) -> str:
    """``repr(value)`` cut to ``width`` characters (with an ellipsis), for one-line messages."""
    text = repr(value)
    return text if len(text) <= width else text[:width - 1] + "…"


def _name(what: str, value: Any) -> str:
    """One path or URL given as ``str`` or ``os.PathLike`` (an empty string is refused: it is no path)."""
    if isinstance(value, (bytes, bytearray)):
        raise TypeError(f"{what}: {shown(bytes(value))} is bytes; give a str or a Path")
    if not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{what}: expected a str or Path, got {type(value).__name__} {shown(value)}")
    text = os.fspath(value)
    if isinstance(text, bytes):
        raise TypeError(f"{what}: {shown(text)} is a bytes path; give a str or a Path")
    if not text.strip():
        raise ValueError(f"{what}: an empty string names no file, folder or URL")
    if isinstance(value, str) and text.lstrip()[:1] == "<":  # a notebook's page held in a variable
        raise TypeError(f"{what}: {shown(text, 40)} is a page's HTML, not a path or URL; score a page held in "
                        "memory with detector.score.score_html(html, url), or write it to a file first")
    return text


def one_or_many(what: str, value: Any, expected: str, single: tuple[type, ...] = ()) -> list[Any]:
    """``[value]`` for one path-like value (``str``, ``Path``, ``bytes``) or one of the ``single`` types,
    else the items of an iterable; anything else is a ``TypeError`` saying what was ``expected``."""
    if isinstance(value, (str, os.PathLike, bytes, bytearray, *single)):
        return [value]
    try:
        return list(value)
    except TypeError:
        raise TypeError(f"{what}: expected {expected}, or a list of them, got {type(value).__name__}") from None


def names(what: str, value: Any) -> list[str]:
    """Paths or URLs as strings: one ``str``/``Path``, or any iterable of them (a list, tuple, generator)."""
    return [_name(what, item) for item in one_or_many(what, value, "a path or URL")]


def one_path(what: str, value: Any) -> Path:
    """Exactly one local path (``str`` or ``Path``)."""
    if not isinstance(value, (str, os.PathLike, bytes, bytearray)):
        raise TypeError(f"{what}: expected one path (str or Path), got {type(value).__name__} {shown(value)}")
    return Path(_name(what, value))


def paths(what: str, value: Any) -> tuple[Path, ...]:
    """Local paths: ``None`` for none, one ``str``/``Path``, or a list or tuple of them."""
    if value is None:
        return ()
    return tuple(Path(name) for name in names(what, value))


def flag(what: str, value: Any) -> bool:
    """A true/false option: only ``True`` or ``False`` (``"yes"`` or ``1`` would hide a typo)."""
    if not isinstance(value, bool):
        raise TypeError(f"{what}: expected True or False, got {shown(value)}")
    return value


def known_options(what: str, given: Collection[str], known: Collection[str]) -> None:
    """Refuse an option name that is not one of ``known`` (a ``TypeError`` listing them)."""
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise TypeError(f"unknown {what} option {unknown[0]!r} (options: {', '.join(known)})")


def choice(what: str, value: Any, allowed: Collection[str]) -> str:
    """A name that must be one of ``allowed``."""
    if value not in allowed:
        raise ValueError(f"{what}: unknown value {shown(value)} (one of: {', '.join(allowed)})")
    return str(value)


def count(what: str, value: Any, minimum: int = 1) -> int | None:
    """A whole number of at least ``minimum``, or ``None`` for the default (``"2"`` or ``0`` would be guessed at)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what}: expected a whole number, got {type(value).__name__} {shown(value)}")
    if value < minimum:
        raise ValueError(f"{what}: must be at least {minimum}, got {value}")
    return value


def of_type(what: str, value: Any, kind: type) -> Any:
    """``value`` when it is a ``kind`` (``config=`` must be a ``Config``, not a dict of its fields)."""
    if not isinstance(value, kind):
        raise TypeError(f"{what}: expected a {kind.__name__}, got {type(value).__name__} {shown(value)}")
    return value
