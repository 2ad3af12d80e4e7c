"""The ``detector`` command: a thin skin that parses arguments, calls the library and formats its answers.

Exit codes: 0 all went well; 1 some page scored above ``--fail-on``; 2 a usage error or some input refused
(each refusal gets one line on stderr, the rest are still processed).
"""

from __future__ import annotations

import json
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape

from detector.config import ORIGINAL_HELP, Config, load_settings
from detector.errors import DetectorError
from detector.index import Index
from detector.records import Article
from detector.render import Format, PipeConsole, Writer, default_format, end_on_broken_pipe
from detector.score import ScoreOptions, Scorer, open_indexes
from detector.urls import without_fragment

app = typer.Typer(help="Find content-farm copies of journalism: who copied whom, how much, and how spammy.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
index_app = typer.Typer(help="Build and inspect a copy index (a SQLite file).", no_args_is_help=True)
app.add_typer(index_app, name="index")

err = PipeConsole(stderr=True, soft_wrap=True)

ConfigOpt = Annotated[Optional[Path], typer.Option("--config", help="TOML file overriding default settings.")]
JsonlOpt = Annotated[bool, typer.Option("--jsonl", help="File targets are JSONL files of extracted documents "
                                        '({"url", "text", "title"?, "published"?} per line), but for WARC files.')]
PrivateOpt = Annotated[bool, typer.Option("--allow-private", help="Allow fetching from private/loopback addresses.")]
OriginalOpt = Annotated[Optional[list[str]], typer.Option("--original", help=ORIGINAL_HELP)]


def _config(path: Path | None, originals: list[str] | None = None) -> Config:
    """The settings for ``--config`` and ``--original`` (defaults without them); a bad file or site is a usage
    error naming it once."""
    try:
        return load_settings(path, originals)
    except ValueError as exc:
        _fail(str(exc))
        raise AssertionError from None  # unreachable


def _fail(message: str) -> None:
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False)
    raise typer.Exit(2)


def _refused(name: str, message: str) -> None:
    err.print(f"[red]refused[/] {escape(name)}: {escape(message)}", highlight=False, markup=True)


def _skipped(name: str, message: str) -> None:
    err.print(f"[yellow]skipped[/] {escape(name)}: {escape(message)}", highlight=False, markup=True)


@app.command()
def score(
    targets: Annotated[list[str], typer.Argument(help="URLs, .html/.htm/.html.gz files, folders, WARC files, URL lists, JSONL files, or - for stdin.")],
    index: Annotated[Optional[list[Path]], typer.Option("--index", "-i", help="Copy index to match against; give it "
                                                         "again to search several (default: the bundled demo index).")] = None,
    no_index: Annotated[bool, typer.Option("--no-index", help="Search no copy index: spam traits alone (the copy "
                                                              "traits are 0), not the bundled demo index.")] = False,
    fmt: Annotated[Optional[Format], typer.Option("--format", "-f", help="table (stderr) or json/jsonl/csv (stdout).")] = None,
    jsonl: JsonlOpt = False,
    url: Annotated[Optional[str], typer.Option("--url", help="URL of the page read from stdin.")] = None,
    fail_on: Annotated[Optional[float], typer.Option("--fail-on", min=0.0, max=1.0, help="Exit 1 if any page's farm probability is above this.")] = None,
    allow_private: PrivateOpt = False,
    original: OriginalOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Score pages: copies found in the index, origin and chain, spam traits and farm probability."""
    if url is not None and "-" not in targets:
        _fail("--url names the page read from stdin, and no target is - (a file or URL names its own page)")
    if no_index and index:
        _fail("--no-index searches no index, and --index names one: give one of them")
    cfg = _config(config, original)
    if not index and not no_index:
        from detector.demo import demo_index

        index = [demo_index(cfg)]
    from detector.classify import load_model

    with ExitStack() as stack:
        try:  # every index is searched, as an audit's ``--index`` (``Scorer``: matches, origin and chain from all)
            opened = open_indexes(stack, index or [], cfg)
            model = load_model()
        except DetectorError as exc:
            _fail(str(exc))  # the indexes opened before it are closed by the stack
            return
        scorer = stack.enter_context(Scorer(opened, cfg, ScoreOptions(jsonl=jsonl, stdin_url=url,
                                                                      allow_private=allow_private), model=model))
        writer = Writer(fmt or default_format(), searched=not no_index)
        refused = above = False
        try:
            for verdict in scorer.score_all(targets):
                if verdict.error:
                    refused = True
                    _refused(verdict.target, verdict.error)
                elif fail_on is not None and verdict.farm_probability is not None and verdict.farm_probability > fail_on:
                    above = True
                writer.write(verdict)
            writer.close()
        except BrokenPipeError:  # the reader stopped early (``| head``): not a failure of the run
            end_on_broken_pipe()
    raise typer.Exit(2 if refused else 1 if above else 0)


@index_app.command("add")
def index_add(
    index: Annotated[Path, typer.Argument(help="Index file (created on first use).")],
    targets: Annotated[list[str], typer.Argument(help="URLs, HTML files, folders, WARC files, URL lists, or JSONL files (by suffix, first character or --jsonl).")],
    jsonl: JsonlOpt = False,
    batch: Annotated[int, typer.Option("--batch", min=1, help="Documents per transaction.")] = 500,
    allow_private: PrivateOpt = False,
    config: ConfigOpt = None,
    progress: Annotated[bool, typer.Option("--progress", help="Print one line per committed batch to stderr "
                                           "(``committed <n>: <url> ...``), once it is safely on disk.")] = False,
) -> None:
    """Add pages to an index; a URL already there is replaced."""
    from detector.indexing import add_pages

    cfg = _config(config)
    try:
        opened = Index(index, cfg)
    except DetectorError as exc:
        _fail(str(exc))
        return

    def committed(articles: list[Article]) -> None:
        if progress:
            sys.stderr.write(f"committed {len(articles)}: {' '.join(a.url for a in articles)}\n")
            sys.stderr.flush()

    with opened:
        try:
            done = add_pages(opened, targets, jsonl=jsonl, allow_private=allow_private, batch=batch,
                             on_error=_refused, on_commit=committed, on_skip=_skipped)
        except (ValueError, DetectorError) as exc:  # an empty target, or a write the index refused
            _fail(str(exc))  # (the batches committed before it stay stored)
            return
    skipped = f", {done.skipped} skipped (same URL as an earlier page)" if done.skipped else ""
    err.print(f"{escape(str(index))}: {done.added} added, {done.replaced} replaced{skipped}, {done.refused} refused; "
              f"{done.documents} documents in the index", highlight=False)
    raise typer.Exit(2 if done.refused else 0)


@index_app.command("info")
def index_info(
    index: Annotated[Path, typer.Argument(help="Index file.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Counts and parameters of an index."""
    try:
        with Index(index, readonly=True) as opened:
            info = opened.info()
    except DetectorError as exc:
        _fail(str(exc))
        return
    if as_json:
        sys.stdout.write(json.dumps(info, indent=2) + "\n")
        return
    for key, value in info.items():
        sys.stdout.write(f"{key}: {json.dumps(value) if isinstance(value, dict) else value}\n")


@index_app.command("remove")
def index_remove(
    index: Annotated[Path, typer.Argument(help="Index file.")],
    urls: Annotated[list[str], typer.Argument(help="URLs of documents to remove.")],
) -> None:
    """Remove documents by URL; each URL that is not in the index is named on stderr (exit code 2)."""
    if not index.exists():
        _fail(f"{index}: no such index")
    # a URL given twice is removed once, not "missing" the second time; a #fragment names the page it is on, as
    # everywhere else (an outside probe's "...#comments" was "not in the index")
    wanted = list(dict.fromkeys(without_fragment(url) if "://" in url else url for url in urls))
    try:
        with Index(index) as opened:
            missing = [url for url in wanted if opened.get(url) is None]
            removed = opened.remove(sorted(set(wanted) - set(missing)))
    except DetectorError as exc:
        _fail(str(exc))
        return
    for url in missing:
        hint = "" if "://" in url else " (documents are removed by their page URL, as `index info` and score name them)"
        err.print(f"[red]not found[/] {escape(url)}: not in the index{escape(hint)}", highlight=False)
    err.print(f"{escape(str(index))}: removed {removed} of {len(wanted)}", highlight=False)
    raise typer.Exit(0 if removed == len(wanted) else 2)


def main() -> None:
    """The ``detector`` console command."""
    app()


from detector.cli_audit import audit as _audit  # noqa: E402

app.command()(_audit)

from detector.cli_model import evaluate, train  # noqa: E402

app.command("train")(train)
app.command("evaluate")(evaluate)


if __name__ == "__main__":  # pragma: no cover - after every command is registered
    main()
