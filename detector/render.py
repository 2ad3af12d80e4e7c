"""Verdicts for people and for programs: a rich table on stderr, or JSON, JSON Lines and CSV on stdout."""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Iterable
from decimal import ROUND_DOWN, Decimal
from enum import Enum
from typing import Any, NoReturn, TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from detector.records import TEASER_EVIDENCE, Verdict
from detector.urls import registered_domain


class Format(str, Enum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


def shown_score(score: float) -> str:
    """A score or probability with 3 decimals, truncated (never rounded up), so it never contradicts its verdict.

    Verdict thresholds (domain ``>= 0.5`` and ``>= 0.25``, page ``>= 0.95`` and ``>= 0.3`` in the shipped model
    card): 0.4969 shows as
    ``0.496``, not ``0.50`` beside ``suspicious``. ``repr`` first, so a score stored as 0.29 shows as ``0.290`` and not ``0.289``.
    """
    return str(Decimal(repr(float(score))).quantize(Decimal("0.001"), rounding=ROUND_DOWN))


def csv_row(verdict: Verdict) -> dict[str, Any]:
    """One CSV row per verdict: the row an audit's ``pages.csv`` holds for the page, in its column order and
    its spelling (lists and structs as JSON text, ``true``/``false``), so one script reads both files (an
    outside probe met ``top_match_url`` here and ``source_url`` there, a chain as text here and JSON there)."""
    from detector.audit_tables import json_text, page_row

    def cell(value: Any) -> Any:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        return json_text(value) if isinstance(value, (list, dict)) else value

    return {key: cell(value) for key, value in page_row(verdict.to_dict()).items()}


def default_format() -> Format:
    """Table when a person is watching, JSON when the output goes to a program or file."""
    return Format.table if sys.stdout.isatty() else Format.json


#: Exit status when the reader of the output stops early (``| head``): what a shell reports for SIGPIPE.
BROKEN_PIPE_EXIT = 128 + 13


def end_on_broken_pipe() -> NoReturn:
    """End the run quietly with the SIGPIPE status: the reader of the output stopped early (``| head``).

    stdout and stderr are pointed at /dev/null first, so Python's flush at exit does not fail a second time.
    Not exit 1: that is the status ``--fail-on`` gives a page scored above its cut.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        try:
            os.dup2(devnull, stream.fileno())
        except (OSError, ValueError):
            pass
    raise SystemExit(BROKEN_PIPE_EXIT)


class PipeConsole(Console):
    """A rich console that ends the run with ``end_on_broken_pipe`` when its reader goes away (rich's own
    handler exits with 1; tables and progress go to stderr, so ``2>&1 | head`` looked like a failed page)."""

    def on_broken_pipe(self) -> None:
        if not self.quiet:
            end_on_broken_pipe()


class Writer:
    """Streams verdicts in one format; call ``close`` to finish (JSON arrays need a closing bracket)."""

    def __init__(self, fmt: Format, out: TextIO | None = None, err: Console | None = None,
                 searched: bool = True) -> None:
        self.fmt = fmt
        self.searched = searched  # whether an index was searched: the table says "not searched" otherwise
        self.out = out or sys.stdout
        self.console = err or PipeConsole(stderr=True)
        self._count = 0
        self._csv: csv.DictWriter[str] | None = None

    def write(self, verdict: Verdict) -> None:
        if self.fmt is Format.table:
            self.console.print(verdict_table(verdict, self.searched))
        elif self.fmt is Format.jsonl:
            self.out.write(json.dumps(verdict.to_dict(), ensure_ascii=False) + "\n")
        elif self.fmt is Format.json:
            self.out.write(("[\n" if self._count == 0 else ",\n") + json.dumps(verdict.to_dict(), ensure_ascii=False, indent=2))
        else:
            row = csv_row(verdict)
            if self._csv is None:
                self._csv = csv.DictWriter(self.out, fieldnames=list(row))
                self._csv.writeheader()
            self._csv.writerow(row)
        self._count += 1
        self.out.flush()

    def close(self) -> None:
        if self.fmt is Format.json:
            self.out.write("[]\n" if self._count == 0 else "\n]\n")
        self.out.flush()

    def write_all(self, verdicts: Iterable[Verdict]) -> None:
        for verdict in verdicts:
            self.write(verdict)
        self.close()


def _short(url: str | None, width: int = 70) -> str:
    if not url:
        return "-"
    return url if len(url) <= width else url[: width - 1] + "…"


def _add_row(table: Table, *cells: str | Text) -> None:
    """A row whose text cells are shown as written: a page's text is never read as rich markup (an outside probe's
    link title "[/]" crashed the table, and "[méconnaissable]" in a reason's evidence vanished from it)."""
    table.add_row(*(Text(cell) if isinstance(cell, str) else cell for cell in cells))


def verdict_table(verdict: Verdict, searched: bool = True) -> Table:
    """A compact, readable block for one verdict."""
    title = Text(verdict.target, style="bold")
    if verdict.error:
        table = Table(title=title, show_header=False, title_justify="left", expand=False)
        _add_row(table, Text("error", style="bold red"), verdict.error)
        return table
    table = Table(title=title, show_header=False, title_justify="left", expand=False, box=None, padding=(0, 1))
    _add_row(table, "url", _short(verdict.url))
    if verdict.farm_probability is not None:
        style = {"content_farm": "bold red", "suspicious": "yellow", "clean": "green"}.get(verdict.label or "", "")
        _add_row(table, "farm", Text(f"{shown_score(verdict.farm_probability)} {verdict.label}", style=style))
    if verdict.chain:
        _add_row(table, "chain", Text(" → ".join(_domain_of(u, verdict) for u in verdict.chain), style="bold"))
    if verdict.origin:
        _add_row(table, "origin", _short(verdict.origin.url))
    for match in verdict.matches[:8]:
        arrow = {"this_copies_other": "copies", "other_copies_this": "copied by", "unknown": "shares text with"}[match.direction]
        credit = "credited" if match.credited else "uncredited"
        if not match.passages:  # content words alone, whatever derivation they suggest: no copy
            _add_row(table, "match", f"shares content words with {match.site}: no passage in common, no copy")
            continue
        if (match.direction_evidence or "").startswith(TEASER_EVIDENCE):  # a digest's snippet of the story: no copy
            _add_row(table, "match", f"shares a teaser with {match.site}: {match.share_of_this:.0%} of this page, "
                                     f"{match.direction_evidence.removeprefix(TEASER_EVIDENCE).strip()}, no copy")
            continue
        if (match.derivation == "quotes_only" or match.quoted_only) and not match.credited:  # quotes: no copy
            # (a credited one is an attributed rewrite and keeps its direction: "copies X: quotes_only, credited")
            what = ("in quotation marks but for a few words at most" if match.quoted_only
                    else "quotes, stock phrases or too little to be a copy")
            _add_row(table, "match", f"shares quotations with {match.site}: {match.share_of_this:.0%} of this "
                                     f"page in {len(match.passages)} passage(s), {what}, no copy")
            continue
        if match.sibling:  # neither copied the other: no credit is owed between them
            credit = match.direction_evidence or "sibling"
        elif match.direction == "unknown":  # say why no copy is drawn (two outside probes read these as copies)
            credit = f"{credit}; who copied whom is undecided ({match.direction_evidence or 'no evidence'})"
        _add_row(
            table,
            "match",
            f"{arrow} {match.site}: {match.derivation}, {match.share_of_this:.0%} of this page, "
            f"{match.share_of_other:.0%} of theirs, {credit}, {len(match.passages)} passage(s)",
        )
    for number, reason in enumerate(verdict.reasons):
        _add_row(table, "reasons" if number == 0 else "", reason)
    if verdict.signals:  # a clean page's farm furniture: seen, and too weak to flag it
        _add_row(table, "signals", Text(", ".join(verdict.signals) + " (too weak to flag the page)", style="dim"))
    if not verdict.matches:
        _add_row(table, "copies", "no copied text found in the index" if searched else "not searched (no index)")
    return table


def _domain_of(url: str, verdict: Verdict) -> str:
    for match in verdict.matches:
        if match.url == url:
            return match.site
    if url == verdict.url and verdict.domain:
        return verdict.domain
    return registered_domain(url) or url
