"""Rollup benchmark: rebuild 1,000 clients x 180 days of usage rollups from ~2.5M events.

    python -m evals.bench.rollups --database-url sqlite:// --json

Events are inserted directly (not timed); only rebuild_rollups and its commit are timed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import tempfile
import time
from itertools import islice
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from domain.usage.events import bulk_insert_cache, insert_events
from domain.usage.rollups import rebuild_rollups
from evals.bench.cpu import process_cpu_seconds, server_cpu_seconds
from evals.bench.database import backend_of, create_clients, fresh_database
from evals.bench.ingest import peak_rss_mb
from evals.bench.synthetic import as_event_row, synthetic_events

START = dt.date(2025, 1, 1)


def run_rollup_benchmark(
    *, database_url: str, clients: int = 1000, days: int = 180, events: int = 2_500_000
) -> dict[str, Any]:
    """Time a full rebuild of `clients` x `days` rollups over `events` events in a fresh database."""
    with (
        tempfile.TemporaryDirectory(prefix="csagent-bench-") as workdir,
        fresh_database(database_url, Path(workdir)) as engine,
    ):
        workspace_id, client_ids, external_ids = create_clients(engine, clients)
        by_ref = dict(zip(external_ids, client_ids, strict=True))
        stream = synthetic_events(client_refs=external_ids, count=events, start=START, days=days)
        with Session(engine) as session, bulk_insert_cache(session):
            while rows := [
                as_event_row(event, workspace_id=workspace_id, client_ids=by_ref) for event in islice(stream, 10_000)
            ]:
                insert_events(db_session=session, rows=rows)
            session.commit()
        load_average = os.getloadavg()[0]
        started, client_cpu = time.perf_counter(), process_cpu_seconds()
        with Session(engine) as session:
            server_cpu = server_cpu_seconds(session)
            end = START + dt.timedelta(days=days - 1)
            written = rebuild_rollups(db_session=session, client_ids=client_ids, start=START, end=end)
            session.commit()
            server_after = server_cpu_seconds(session)
        seconds, client_cpu = time.perf_counter() - started, process_cpu_seconds() - client_cpu
    server = None if server_cpu is None or server_after is None else server_after - server_cpu
    return {
        "backend": backend_of(database_url),
        "clients": clients,
        "days": days,
        "events": events,
        "rollup_rows": written,
        "seconds": round(seconds, 2),
        "client_cpu_seconds": round(client_cpu, 2),
        "server_cpu_seconds": None if server is None else round(server, 2),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "load_average": round(load_average, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="sqlite://")
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--days", type=int, default=180)
    parser.add_argument("--events", type=int, default=2_500_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = run_rollup_benchmark(
        database_url=args.database_url, clients=args.clients, days=args.days, events=args.events
    )
    print(json.dumps(result) if args.json else ", ".join(f"{key}={value}" for key, value in result.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
