"""Ingestion benchmark: stream N synthetic events to a JSON Lines file, ingest it, time it, watch memory.

    python -m evals.bench.ingest --events 1000000 --database-url sqlite:// --json
    python -m evals.bench.ingest --sizes 100000,1000000 --database-url postgresql+psycopg://... --json

With --sizes each size runs in its own process, so each peak RSS belongs to one size alone: equal
peaks for 100k and 1M events show that memory does not grow with the file. (On SQLite the 1M peak
sits ~90 MB above the 100k one: the 64 MB bulk page cache and the rollup sort fill up by then; 2M
events peak at the same height as 1M.)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from domain.ingest.events import ingest_events
from evals.bench.cpu import process_cpu_seconds, server_cpu_seconds
from evals.bench.database import backend_of, create_clients, fresh_database
from evals.bench.synthetic import synthetic_events

DAYS = 180
START = dt.date(2025, 1, 1)


def run_ingest_benchmark(*, database_url: str, events: int, clients: int = 1000) -> dict[str, Any]:
    """Ingest `events` events for `clients` clients over 180 days into a fresh database; report speed."""
    with (
        tempfile.TemporaryDirectory(prefix="csagent-bench-") as workdir,
        fresh_database(database_url, Path(workdir)) as engine,
    ):
        workspace_id, _, external_ids = create_clients(engine, clients)
        path = write_events_file(Path(workdir) / "events.jsonl", external_ids, events)
        rss_before_mb = peak_rss_mb()
        load_average = os.getloadavg()[0]
        stage_started: dict[str, float] = {}

        def note_stage(stage: str, _done: int, _total: int) -> None:
            stage_started.setdefault(stage, time.perf_counter())

        started, client_cpu = time.perf_counter(), process_cpu_seconds()
        with Session(engine) as session:
            server_cpu = server_cpu_seconds(session)
            report = ingest_events(db_session=session, workspace_id=workspace_id, path=path, progress=note_stage)
            session.commit()
            server_cpu = _spent(server_cpu, server_cpu_seconds(session))
        finished, client_cpu = time.perf_counter(), process_cpu_seconds() - client_cpu
    seconds = finished - started
    # Rollups start with their first progress report and run to the end (commit included).
    rollup_seconds = finished - stage_started.get("rollups", finished)
    cpu = client_cpu + (server_cpu or 0.0)
    return {
        "backend": backend_of(database_url),
        "events": events,
        "clients": clients,
        "inserted": report.inserted,
        "seconds": round(seconds, 2),
        "events_per_second": round(events / seconds),
        "insert_seconds": round(seconds - rollup_seconds, 2),
        "insert_events_per_second": round(events / max(seconds - rollup_seconds, 1e-9)),
        "rollup_seconds": round(rollup_seconds, 2),
        "rollup_rows": report.rollup_rows,
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "rss_before_ingest_mb": round(rss_before_mb, 1),
        "client_cpu_seconds": round(client_cpu, 2),
        "server_cpu_seconds": None if server_cpu is None else round(server_cpu, 2),
        # What an otherwise idle machine would do: client and server take turns, so their CPU adds up.
        "events_per_cpu_second": round(events / cpu),
        "load_average": round(load_average, 1),
    }


def _spent(before: float | None, after: float | None) -> float | None:
    return None if before is None or after is None else after - before


def write_events_file(path: Path, external_ids: list[str], count: int) -> Path:
    """Write the events line by line, never holding the file in memory."""
    with path.open("w", encoding="utf-8") as handle:
        for event in synthetic_events(client_refs=external_ids, count=count, start=START, days=DAYS):
            handle.write(json.dumps(event, separators=(",", ":")))
            handle.write("\n")
    return path


def peak_rss_mb() -> float:
    # ru_maxrss is in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_in_subprocess(*, database_url: str, events: int, clients: int) -> dict[str, Any]:
    """Run one size in a fresh interpreter, so its peak memory is its own."""
    command = [sys.executable, "-m", "evals.bench.ingest", "--events", str(events), "--clients", str(clients),
               "--database-url", database_url, "--json"]  # fmt: skip
    finished = subprocess.run(command, check=True, capture_output=True, text=True)
    result: dict[str, Any] = json.loads(finished.stdout)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="sqlite://")
    parser.add_argument("--events", type=int, help="one size, measured in this process")
    parser.add_argument("--sizes", default="100000,1000000", help="comma-separated sizes, one process each")
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.events:
        results: Any = run_ingest_benchmark(database_url=args.database_url, events=args.events, clients=args.clients)
    else:
        sizes = [int(size) for size in args.sizes.split(",")]
        results = [run_in_subprocess(database_url=args.database_url, events=n, clients=args.clients) for n in sizes]
    if args.json:
        print(json.dumps(results))
    else:
        for result in results if isinstance(results, list) else [results]:
            print(", ".join(f"{key}={value}" for key, value in result.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
