"""An audit's last stage: tables, copy graph and report written from the verdict checkpoint in bounded memory.

Verdicts are read one at a time and turned into pages-table rows, ``CHUNK`` rows at a time appended to
``pages.parquet``/``pages.csv``; what the other tables need from each verdict is kept small on the way (the
page -> page edges, and per domain the count of pages showing each trait). The domains table and the
report then read the written pages table lazily (``pl.scan_parquet``: only the columns they use), so the
peak memory of this stage grows with the number of domains and copy edges, not with the number of pages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from detector.audit_output import ChunkedTable, write_graphml, write_table
from detector.audit_tables import (CHUNK, TraitCounts, count_traits, counted_pages, dedupe_page_edges, domains_table,
                                   edges_table, page_edge_frame, page_edges, page_frame, page_row, prevalence_table,
                                   uncount_repeats)

Lookup = Callable[[str], tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class PagesWritten:
    """What streaming the verdicts left behind: the pages table on disk, and the small aggregates."""

    parquet: Path
    csv: Path
    page_edges: pl.DataFrame
    traits: TraitCounts
    pages: int
    errors: int

    def scan(self) -> pl.LazyFrame:
        """The written pages table, lazily."""
        return pl.scan_parquet(self.parquet)


def write_pages(verdicts: Iterable[dict[str, Any]], out: Path, listed_on: Lookup | None = None) -> PagesWritten:
    """``pages.parquet``/``pages.csv`` from verdict dicts, a chunk at a time, with the page edges and trait counts."""
    rows: list[dict[str, Any]] = []
    edges: list[dict[str, Any]] = []
    edge_frames: list[pl.DataFrame] = []
    traits: TraitCounts = {}
    errors = 0
    with ChunkedTable(out, "pages") as table:
        for verdict in verdicts:
            row = page_row(verdict, listed_on)
            rows.append(row)
            edges.extend(page_edges(verdict))
            if row["error"] is not None:
                errors += 1
            elif row["domain"]:
                count_traits(traits, row["domain"], verdict.get("traits") or {})
            if len(rows) >= CHUNK:
                table.write(page_frame(rows))
                rows.clear()
            if len(edges) >= CHUNK:  # held as columns (about 100 bytes an edge), not as dicts
                edge_frames.append(page_edge_frame(edges))
                edges.clear()
        if rows or not table.rows:
            table.write(page_frame(rows))
        total = table.rows
    return PagesWritten(table.parquet, table.csv, dedupe_page_edges([*edge_frames, page_edge_frame(edges)]),
                        traits, total, errors)


def write_tables(verdicts: Iterable[dict[str, Any]], out: Path, listed_on: Lookup | None = None
                 ) -> tuple[PagesWritten, pl.DataFrame, pl.DataFrame, dict[str, Path]]:
    """All three tables (parquet + CSV) in ``out``: ``(pages written, domains, edges, parquet paths)``."""
    written = write_pages(verdicts, out, listed_on)
    pages = written.scan()
    edges = edges_table(written.page_edges, pages)
    traits = uncount_repeats(written.traits, pages)  # a URL read twice is one page of its domain
    domains = domains_table(pages, edges, listed_on, prevalence_table(traits, counted_pages(pages).select("domain")))
    paths = {"pages": written.parquet, "domains": write_table(domains, out, "domains")[0],
             "edges": write_table(edges, out, "edges")[0]}
    return written, domains, edges, paths


def finish(out: Path, verdicts: Callable[[], Iterable[dict[str, Any]]], listed_on: Lookup | None = None,
           report: bool = True) -> dict[str, Any]:
    """Tables, ``copy_graph.graphml`` and (unless ``report`` is false) ``report.html``, and a summary.

    The summary counts ``inputs`` (rows of the pages table), ``pages`` (those actually read: no error) and
    ``errors`` (those refused), then ``domains``, ``flagged``, ``siteless`` (pages read that belong to no domain:
    saved pages naming no address or site of their own, in the pages table only) and the ``top_domains``.

    ``verdicts()`` yields the verdict dicts afresh each time it is called (the report reads them a second
    time, keeping only the worst pages of flagged domains).
    """
    written, domains, edges, paths = write_tables(verdicts(), out, listed_on)
    pages = written.scan()
    graphml = write_graphml(domains, edges, pages, out / "copy_graph.graphml")
    html = None
    if report:
        from detector.report import write_report

        html = write_report(out / "report.html", pages, domains, edges, verdicts())
    top = domains.head(10).select("rank", "domain", "verdict", "score", "pages", "share_copied").to_dicts()
    siteless = (pages.filter(pl.col("error").is_null() & ((pl.col("domain") == "") | pl.col("domain").is_null()))
                .select(pl.len()).collect().item())
    summary = {"inputs": written.pages, "pages": written.pages - written.errors, "errors": written.errors,
               "domains": domains.height, "flagged": domains.filter(pl.col("verdict") != "clean").height,
               "siteless": siteless, "top_domains": top}
    return {"out": out, **paths, "graphml": graphml, "report": html, "summary": summary}
