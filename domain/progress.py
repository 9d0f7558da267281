"""Progress reporting for long domain jobs, so the CLI can draw a bar without the domain importing rich."""

from __future__ import annotations

from collections.abc import Callable

# Called as progress(stage, completed, total): `completed` of `total` units of `stage` are done.
ProgressCallback = Callable[[str, int, int], None]


def no_progress(_stage: str, _completed: int, _total: int) -> None:
    """The default: report nothing."""
