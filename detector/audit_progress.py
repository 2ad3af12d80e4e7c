"""Progress bars for an audit on stderr (rich): one per stage, with count, rate and ETA; silent when disabled."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress as RichProgress, ProgressColumn, Task,
                           TextColumn, TimeElapsedColumn, TimeRemainingColumn)
from rich.text import Text

from detector.render import PipeConsole


class RateColumn(ProgressColumn):
    """Pages per second of a task."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.1f} pages/s" if speed else "- pages/s", style="progress.data.speed")


class Progress:
    """A thin wrapper so pipeline code can always call ``add``/``advance``, with or without a terminal."""

    def __init__(self, enabled: bool = True, console: Console | None = None) -> None:
        self.enabled = enabled
        self._bar = RichProgress(TextColumn("{task.description:<8}"), BarColumn(), MofNCompleteColumn(),
                                 RateColumn(), TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn(),
                                 console=console or PipeConsole(stderr=True), transient=False) if enabled else None

    def __enter__(self) -> "Progress":
        if self._bar is not None:
            self._bar.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._bar is not None:
            self._bar.stop()

    def add(self, description: str, total: int | None) -> int:
        return self._bar.add_task(description, total=total) if self._bar is not None else 0

    def advance(self, task: int, steps: int = 1) -> None:
        if self._bar is not None:
            self._bar.advance(task, steps)
