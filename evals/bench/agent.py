"""Benchmark: offline agent turn latency in a warm process, and a cold `csagent ask --json`, on the demo tenant.

Wall times and CPU times both: on a shared machine the wall time mostly measures the neighbours, while the
CPU time (this process for warm turns, the child for the cold ask) measures the work.
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from agent.runner import open_agent
from domain.access import actor_for_email
from domain.db import make_engine, make_session_factory, session_scope
from domain.demo import generate_demo
from domain.jobs import refresh_derived_data
from domain.migrate import upgrade
from domain.settings import Settings

QUESTIONS = [
    "why is acme dropping?",
    "who is at risk?",
    "what's acme's churn risk",
    "show my alerts",
    "how does acme compare to similar clients",
    "what if usage weighed 30 and adoption 15",
]


def run_agent_benchmark(*, rounds: int = 10, cold_runs: int = 3) -> dict[str, Any]:
    as_of = dt.datetime.now(dt.UTC).date()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench-agent.db'}"
        engine = make_engine(url)
        upgrade(engine)
        with session_scope(make_session_factory(engine)) as session:
            summary = generate_demo(db_session=session, as_of=as_of, clients=60)
            refresh_derived_data(db_session=session, workspace_id=summary.workspace_id, as_of=as_of)
        settings = Settings(database_url=url, chroma_path=Path(folder) / "chroma")
        latencies, cpu_seconds = _warm_latencies(settings, engine, rounds)
        cold = [_cold_ask(url) for _ in range(cold_runs)]
        engine.dispose()
    ordered = sorted(latencies)
    cold_wall, cold_cpu = min(cold)  # the least disturbed run: its neighbours only ever add time
    return {
        "turns": len(latencies),
        "p50_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1], 1),
        "max_ms": round(ordered[-1], 1),
        "cpu_ms_per_turn": round(cpu_seconds * 1000 / len(latencies), 1),
        "cold_ask_seconds": round(cold_wall, 2),
        "cold_ask_cpu_seconds": round(cold_cpu, 2),
        "cold_ask_runs": cold_runs,
    }


def _warm_latencies(settings: Settings, engine: Any, rounds: int) -> tuple[list[float], float]:
    """Each turn's wall time in milliseconds, and the CPU seconds of them all."""
    with session_scope(make_session_factory(engine)) as session:
        actor = actor_for_email(session, "jane@demo.csagent.dev")
    timings = []
    with open_agent(settings, engine) as agent:
        agent.run_turn(actor, "hello", "warm-up", "bench")  # loads the router once, as a warm server would have
        cpu_started = time.process_time()
        for round_number in range(rounds):
            for question in QUESTIONS:
                started = time.perf_counter()
                agent.run_turn(actor, question, f"bench-{round_number}", "bench")
                timings.append((time.perf_counter() - started) * 1000)
        cpu_seconds = time.process_time() - cpu_started
    return timings, cpu_seconds


def _cold_ask(url: str) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one `csagent ask --json` in a fresh process."""
    command = [sys.executable, "-m", "channels.cli", "ask", "why is acme dropping?", "--as", "jane@demo.csagent.dev",
               "--json"]  # fmt: skip
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env={**os.environ, "CSAGENT_DATABASE_URL": url})
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
