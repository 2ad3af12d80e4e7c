"""The ``detector audit`` command: parse flags, call ``detector.audit.audit``, print a summary table on stderr.

Registered in ``detector.cli`` with ``app.command()(audit)``. Exit codes follow the CLI convention: 0 all
pages audited, 2 some input refused (one line each on stderr; the rest are still audited) or a usage error.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.markup import escape
from rich.table import Table

from detector.config import ORIGINAL_HELP, load_settings
from detector.errors import DetectorError
from detector.politeness import Politeness
from detector.render import PipeConsole, shown_score

_err = PipeConsole(stderr=True, soft_wrap=True)


SPARK_MODULES = ("pyspark", "pandas")  # what the ``spark`` extra of pyproject.toml installs
SPARK_HINT = "pip install 'content-farm-detector[spark]'"


def summary_title(summary: dict[str, Any]) -> str:
    """One line counting what the audit's tables hold: inputs (and how many a rerun kept from an earlier run,
    which it neither fetched nor read again), pages actually read, refused, domains, flagged."""
    inputs = int(summary.get("inputs", summary["pages"]))
    read = int(summary["pages"])
    kept = int(summary.get("skipped") or 0)
    earlier = f" ({kept} done in an earlier run)" if kept else ""
    return (f"{inputs} inputs{earlier}: {read} pages read, {inputs - read} refused; "
            f"{summary['domains']} domains, {summary['flagged']} flagged")


def warc_lines(summary: dict[str, Any], limit: int = 20) -> list[str]:
    """One line per WARC file read this run: its records by kind, HTML pages first (an auditor sees that the
    requests, redirects, errors, images and revisits were all read, and what became of them)."""
    records: dict[str, dict[str, int]] = summary.get("warc_records") or {}
    lines = []
    for name, kinds in list(records.items())[:limit]:
        shown = [f"{kinds.get('HTML pages', 0)} HTML pages"] + [
            f"{n} {kind}" for kind, n in kinds.items() if kind != "HTML pages"]
        lines.append(f"{name}: {sum(kinds.values())} records: {', '.join(shown)}")
    if len(records) > limit:
        lines.append(f"(and {len(records) - limit} more WARC files: summary['warc_records'] of the Python API)")
    return lines


def _summary_table(summary: dict[str, Any]) -> Table | str:
    """The top domains as a table, or a plain line when there is no domain to rank."""
    title = summary_title(summary)
    rows = summary.get("top_domains") or []
    if not rows:
        return f"{title}; no domains to rank"
    table = Table(title=title, title_justify="left")
    for column in ("rank", "domain", "verdict", "score", "pages", "copied"):
        table.add_column(column, justify="right" if column in ("rank", "score", "pages", "copied") else "left")
    for row in rows:
        style = {"content_farm": "bold red", "suspicious": "yellow"}.get(row["verdict"], "")
        verdict = f"[{style}]{row['verdict']}[/]" if style else row["verdict"]
        table.add_row(str(row["rank"]), escape(row["domain"]), verdict, shown_score(row["score"]), str(row["pages"]),
                      f"{100 * row['share_copied']:.0f}%")
    return table


def missing_spark() -> list[str]:
    """The modules of the ``spark`` extra that cannot be imported here (empty when ``--engine spark`` can run)."""
    missing = []
    for name in SPARK_MODULES:
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            missing.append(name)
    return missing


def audit(
    sources: Annotated[list[str], typer.Argument(help="URL list files (- for stdin; CSV with a url column), "
                                                 "folders of HTML, WARC/WARC.gz files, JSONL documents, URLs.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder (a rerun with the same folder resumes).")],
    index: Annotated[Optional[list[Path]], typer.Option("--index", "-i", help="Existing copy index(es) to search too.")] = None,
    workers: Annotated[Optional[int], typer.Option("--workers", "-w", min=1, help="Worker processes (default: all cores; the local engine).")] = None,
    engine: Annotated[str, typer.Option("--engine", help="local (processes) or spark (PySpark, the 'spark' extra; CFD_SPARK_MASTER sets the master, default local[2]).")] = "local",
    lists: Annotated[Optional[list[Path]], typer.Option("--lists", help="Domain-list files or folders to mark "
                                                        "listed domains (a named signal, never the verdict).")] = None,
    jsonl: Annotated[bool, typer.Option("--jsonl", help="Treat file sources as JSONL documents (WARC files stay WARC).")] = False,
    concurrency: Annotated[int, typer.Option("--concurrency", min=1, help="Fetches in flight overall.")] = 16,
    per_host: Annotated[int, typer.Option("--per-host", min=1, help="Fetches in flight per host.")] = 2,
    delay: Annotated[float, typer.Option("--delay", min=0.0, help="Seconds between request starts per host.")] = 1.0,
    retries: Annotated[int, typer.Option("--retries", min=0, help="Retries on HTTP 429/503, with backoff.")] = 3,
    no_robots: Annotated[bool, typer.Option("--no-robots", help="Do not read robots.txt (only for your own sites).")] = False,
    no_report: Annotated[bool, typer.Option("--no-report", help="Skip report.html.")] = False,
    retry_refused: Annotated[bool, typer.Option("--retry-refused", help="Rerun into --out: try again the inputs an "
                                                "earlier run refused (a dead site, a timeout).")] = False,
    allow_private: Annotated[bool, typer.Option("--allow-private", help="Allow fetching from private/loopback addresses.")] = False,
    original: Annotated[Optional[list[str]], typer.Option("--original", help=ORIGINAL_HELP)] = None,
    config: Annotated[Optional[Path], typer.Option("--config", help="TOML file overriding default settings.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")] = False,
) -> None:
    """Audit many pages: per-page verdicts, per-domain scores, copy graph, and an offline HTML report."""
    from detector.audit import audit as run_audit

    if engine not in ("local", "spark"):
        _err.print(f"[bold red]error:[/] unknown engine {engine!r} (local or spark)")
        raise typer.Exit(2)
    if engine == "spark" and (missing := missing_spark()):
        _err.print(f"[bold red]error:[/] --engine spark needs the 'spark' extra ({', '.join(missing)} not installed): "
                   f"{escape(SPARK_HINT)}", highlight=False)
        raise typer.Exit(2)
    try:
        cfg = load_settings(config, original)
    except ValueError as exc:
        _err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
        raise typer.Exit(2) from None
    refused = 0

    def on_error(name: str, message: str) -> None:
        nonlocal refused
        refused += 1
        _err.print(f"[red]refused[/] {escape(name)}: {escape(message)}", highlight=False)

    politeness = Politeness(concurrency=concurrency, per_host=per_host, delay_s=delay, retries=retries,
                            robots=not no_robots)
    try:
        result = run_audit(sources, out, index=index or None, workers=workers, engine=engine,  # type: ignore[arg-type]
                           on_error=on_error, lists=tuple(lists or ()), politeness=politeness,
                           allow_private=allow_private, jsonl=jsonl, progress=not quiet, report=not no_report,
                           retry_refused=retry_refused, config=cfg)
    except (DetectorError, OSError, ImportError, ValueError, TypeError) as exc:  # one line naming the input
        _err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
        raise typer.Exit(2) from None
    except KeyboardInterrupt:
        if engine == "spark":  # Spark keeps nothing of a run it did not finish (spark_engine.spark_audit)
            _err.print(f"interrupted: the Spark engine keeps no part of an unfinished run; the same command starts "
                       f"it over in {escape(str(out))}", highlight=False)
        else:
            _err.print(f"interrupted: the pages finished so far are kept in {escape(str(out))}; run the same "
                       "command again to go on", highlight=False)
        raise typer.Exit(130) from None
    _err.print(_summary_table(result.summary))
    for line in warc_lines(result.summary):
        _err.print(line, highlight=False, markup=False)
    earlier = int(result.summary.get("errors") or 0) - refused
    if earlier > 0:  # a rerun into a finished --out: those inputs were refused, and named, by an earlier run
        _err.print(f"{earlier} input{'s' if earlier > 1 else ''} refused by an earlier run into {escape(str(out))} "
                   "(the 'error' column of pages.csv says why; --retry-refused tries them again)", highlight=False)
    _err.print(f"wrote {escape(str(result.pages.parent))}: pages/domains/edges (.parquet, .csv), copy_graph.graphml"
               + (", report.html" if result.report else ""), highlight=False)
    raise typer.Exit(2 if refused or result.summary.get("errors") else 0)
