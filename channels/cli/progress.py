"""A rich progress bar behind the domain's ProgressCallback, one bar per stage."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from channels.cli.output import console
from domain.progress import ProgressCallback


@contextmanager
def progress_bar() -> Iterator[ProgressCallback]:
    """Yield a callback that draws (stage, completed, total) on stderr-safe rich bars."""
    tasks: dict[str, TaskID] = {}
    columns = (TextColumn("{task.description:<28}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as bar:

        def report(stage: str, completed: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=completed, total=total)

        yield report
