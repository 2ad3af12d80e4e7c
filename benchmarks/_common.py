"""Shared helpers of the benchmarks: corpus paths, peak memory, timing, and writing figures to RESULTS.md."""

from __future__ import annotations

import os
import platform
import re
import resource
import shlex
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPORA = Path(os.environ.get("CFD_CORPORA", REPO.parent / "shared" / "corpora"))
RESULTS = REPO / "benchmarks" / "RESULTS.md"


def cache_dir() -> Path:
    """Where derived, re-buildable artifacts go (never the repository)."""
    base = Path(os.environ.get("CFD_CACHE_DIR") or Path.home() / ".cache" / "content-farm-detector")
    path = base / "bench"
    path.mkdir(parents=True, exist_ok=True)
    return path


def peak_rss_mb() -> dict[str, float]:
    """Peak resident memory of this process and of its (waited-for) children, in MB (Linux reports KB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"self_mb": round(own, 1), "largest_child_mb": round(children, 1)}


@contextmanager
def timer(clock: Callable[[], float] = time.perf_counter) -> Iterator[dict[str, float]]:
    """``with timer() as t: ...`` then ``t["s"]`` holds the elapsed seconds (wall time; ``timer(time.process_time)``
    for this process's CPU time, steadier on a machine shared with other jobs)."""
    out: dict[str, float] = {}
    start = clock()
    try:
        yield out
    finally:
        out["s"] = clock() - start


def command_line() -> str:
    """The command that is running, as a user would type it from the repository root."""
    script = Path(sys.argv[0])
    try:
        script = script.resolve().relative_to(REPO)
    except ValueError:
        pass
    return " ".join([".venv/bin/python", shlex.quote(str(script)), *map(shlex.quote, sys.argv[1:])])


def machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def write_section(name: str, body: str, path: Path = RESULTS) -> None:
    """Replace (or append) the section ``name`` of RESULTS.md, stamped with the command and the date."""
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    block = (f"<!-- {name}:start -->\n## {name}\n\nCommand: `{command_line()}`  \n"
             f"Run: {stamp} on {machine()}\n\n{body.strip()}\n<!-- {name}:end -->")
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n\n"
    pattern = re.compile(rf"<!-- {re.escape(name)}:start -->.*?<!-- {re.escape(name)}:end -->", re.S)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def table(rows: list[tuple[str, ...]], header: tuple[str, ...]) -> str:
    """A markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)
