"""Where conversations are kept between turns: SQLite beside the database file, or the PostgreSQL database."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.checkpoint.sqlite import SqliteSaver

from domain.settings import Settings


def checkpoint_path(settings: Settings) -> Path:
    """A separate SQLite file next to the app database: two writers on one file would lock each other."""
    database = Path(settings.database_url.removeprefix("sqlite:///"))
    return database.with_name(database.stem + "-conversations.db")


@contextmanager
def open_checkpointer(settings: Settings) -> Iterator[BaseCheckpointSaver[str]]:
    url = settings.database_url
    if url.startswith("postgresql"):
        from langgraph.checkpoint.postgres import PostgresSaver  # psycopg's import is slow: only when configured

        with PostgresSaver.from_conn_string(url.replace("postgresql+psycopg://", "postgresql://")) as postgres:
            postgres.setup()
            yield postgres
        return
    if ":memory:" in url:
        yield InMemorySaver()
        return
    path = checkpoint_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(str(path), check_same_thread=False)
    try:
        saver = SqliteSaver(connection)
        saver.setup()
        yield saver
    finally:
        connection.close()
