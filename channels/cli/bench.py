"""`csagent bench`: performance figures and ratios (never pass/fail: timings on shared machines are noisy)."""

from __future__ import annotations

import os

import sqlalchemy as sa
import typer
from rich.table import Table

from channels.cli.output import console, print_json

LOCAL_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SUITES = ("ingest", "recompute", "agent", "retrieval", "web")


def postgres_for_bench() -> str | None:
    url = os.environ.get("CSAGENT_BENCH_POSTGRES_URL") or os.environ.get("CSAGENT_TEST_POSTGRES_URL") or LOCAL_POSTGRES
    try:
        engine = sa.create_engine(url, connect_args={"connect_timeout": 2})
        with engine.connect():
            pass
        engine.dispose()
    except Exception:
        return None
    return url


def bench(
    only: str = typer.Option(",".join(SUITES), "--only", help=f"Comma-separated: {', '.join(SUITES)}."),
    events: int = typer.Option(1_000_000, "--events", min=1000, help="Events for the ingest benchmark."),
    clients: int = typer.Option(
        10_000, "--clients", min=100, help="Clients for the recompute and web (portfolio page) benchmarks."
    ),
    timeline_entries: int = typer.Option(
        100_000, "--timeline-entries", min=1000, help="Timeline entries for the retrieval benchmark."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
) -> None:
    """Measure ingest, set-based recompute vs a per-client loop, agent turns and timeline search."""
    chosen = [suite.strip() for suite in only.split(",") if suite.strip()]
    unknown = sorted(set(chosen) - set(SUITES))
    if unknown:
        raise typer.BadParameter(f"unknown suite(s) {', '.join(unknown)}; choose from {', '.join(SUITES)}")
    backends = ["sqlite:///bench.db"] + ([url] if (url := postgres_for_bench()) else [])
    results: dict[str, list[dict[str, object]]] = {}
    if "ingest" in chosen:
        from evals.bench.ingest import run_in_subprocess

        sizes = sorted({min(100_000, events), events})
        results["ingest"] = [
            run_in_subprocess(database_url=backend, events=size, clients=1000) for backend in backends for size in sizes
        ]
    if "recompute" in chosen:
        from evals.bench.recompute import run_recompute_benchmark

        results["recompute"] = [run_recompute_benchmark(database_url=backend, clients=clients) for backend in backends]
    if "agent" in chosen:
        from evals.bench.agent import run_agent_benchmark

        results["agent"] = [run_agent_benchmark()]
    if "retrieval" in chosen:
        from evals.bench.retrieval import run_retrieval_benchmark

        results["retrieval"] = [run_retrieval_benchmark(entries=timeline_entries)]
    if "web" in chosen:
        from evals.bench.web import run_web_benchmark

        # 50 concurrent chat users against a local server; the portfolio page over --clients clients
        chat, portfolio = run_web_benchmark(clients=clients)
        results["web_chat"], results["web_portfolio"] = [chat], [portfolio]
    if as_json:
        print_json(results)
        return
    for suite, rows in results.items():
        _print_rows(suite, rows)


def _print_rows(suite: str, rows: list[dict[str, object]]) -> None:
    if not rows:
        return
    table = Table(*rows[0].keys(), title=suite)
    for row in rows:
        table.add_row(*(str(value) for value in row.values()))
    console.print(table)
