"""The ``detector`` console command. The CLI (typer, rich, numpy, trafilatura) is imported inside ``main``, so a
Ctrl-C while it loads ends in one line and exit status 130, as a Ctrl-C during a command does, not in a
traceback of the import machinery (an outside probe's SIGINT in the first second)."""

from __future__ import annotations

import sys


def main() -> None:
    try:
        from detector.cli import main as run
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        raise SystemExit(130) from None
    run()
