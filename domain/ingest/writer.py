"""Write batches on one background thread, so parsing the next batch overlaps the database's work.

psycopg releases the GIL for as long as PostgreSQL runs a statement, so on two cores the next
batch is validated while the server inserts the last one. Not for SQLite: sqlite3 takes the GIL back
after every row, and against a busy parser thread each take can wait out the switch interval: in
our measurements threaded SQLite loads were no faster. Only the writer thread touches the session while
batches flow; the caller uses it again once the writer has closed.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any, Generic, TypeVar

Batch = TypeVar("Batch")


class BatchWriter(Generic[Batch]):
    """Runs `write(batch)` for each submitted batch, in order: on one worker thread, or inline.

    At most `depth` batches wait, so memory stays bounded; the worker's first error is raised in
    the caller at its next submit or when the writer closes.
    """

    def __init__(self, write: Callable[[Batch], Any], *, threaded: bool, depth: int = 2) -> None:
        self._write = write
        self._queue: queue.Queue[Batch | None] = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        if threaded:
            self._thread = threading.Thread(target=self._run, name="ingest-writer", daemon=True)
            self._thread.start()

    def __enter__(self) -> BatchWriter[Batch]:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
        if kind is None:
            self._raise_if_failed()

    def submit(self, batch: Batch) -> None:
        self._raise_if_failed()
        if self._thread is None:
            self._write(batch)
        else:
            self._queue.put(batch)

    def _raise_if_failed(self) -> None:
        if self._error is not None:
            raise self._error

    def _run(self) -> None:
        while (batch := self._queue.get()) is not None:
            if self._error is not None:
                continue  # drain what is queued; the caller raises the error
            try:
                self._write(batch)
            except BaseException as exc:
                self._error = exc
