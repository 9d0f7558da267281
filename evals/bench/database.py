"""Throwaway benchmark databases: a SQLite file in a temp dir, or a PostgreSQL schema dropped afterwards."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session

from domain.clients.models import Client
from domain.db import make_engine
from domain.enums import ContractTier
from domain.migrate import upgrade
from domain.staff.models import Workspace


def backend_of(database_url: str) -> str:
    return "sqlite" if database_url.startswith("sqlite") else "postgresql"


@contextmanager
def fresh_database(database_url: str, workdir: Path) -> Iterator[Engine]:
    """A migrated, empty database; for SQLite the URL only picks the backend (the file lives in workdir)."""
    if backend_of(database_url) == "sqlite":
        engine = make_engine(f"sqlite:///{workdir / 'bench.db'}")
        try:
            upgrade(engine)
            yield engine
        finally:
            engine.dispose()
        return
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = make_engine(database_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_engine(database_url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def create_clients(engine: Engine, count: int) -> tuple[int, list[int], list[str]]:
    """A workspace with `count` clients; returns its id, the client ids and their external ids."""
    with Session(engine) as session:
        workspace = Workspace(slug=f"bench-{uuid.uuid4().hex[:8]}", name="Benchmark")
        session.add(workspace)
        session.flush()
        clients = [
            Client(
                workspace_id=workspace.id,
                name=f"Bench Client {number:05d}",
                external_id=f"ORG-{number:05d}",
                contract_tier=ContractTier.PROFESSIONAL,
                contract_start_date=dt.date(2024, 1, 1),
            )
            for number in range(count)
        ]
        session.add_all(clients)
        session.commit()
        return workspace.id, [client.id for client in clients], [client.external_id or "" for client in clients]
