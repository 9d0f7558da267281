"""Benchmark: the web app under load. Concurrent chat users against a local `csagent serve` on the offline model,
and the dashboard's portfolio endpoints over a 10,000-client tenant.

Run through `csagent bench --only web`; prints figures, never pass/fail (shared machines make timings noisy).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from domain.db import make_engine, make_session_factory, session_scope
from domain.demo import generate_demo
from domain.jobs import refresh_derived_data
from domain.migrate import upgrade
from domain.scoring.recompute import recompute_scores
from domain.settings import Settings
from domain.staff.auth import issue_token
from domain.staff.models import User
from evals.bench.recompute import _seed_portfolio, fresh_database

# Staff whose questions all have answers (AEs, consultants and VP Sales see other slices of the tenant).
CHAT_USERS = ["jane", "john", "priya", "marcus", "senior", "vp"]
SCRIPT = ["which of my clients are at risk?", "why is the first one dropping?", "show my alerts", "upcoming renewals"]
API = "/api/v1/client-success"


def run_web_benchmark(
    *, users: int = 50, turns: int = 4, think_seconds: float = 10.0, clients: int = 10_000
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Chat load figures, then portfolio page timings."""
    return run_chat_load(users=users, turns=turns, think_seconds=think_seconds), run_portfolio_timing(clients=clients)


def run_chat_load(*, users: int, turns: int, think_seconds: float) -> dict[str, Any]:
    """`users` simulated people, each signing in and chatting `turns` times, pausing between turns to read the
    answer and type the next question (uniformly think/2 to 1.5 x think seconds; 10 s is brisk for a person)."""
    as_of = dt.datetime.now(dt.UTC).date()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench-web.db'}"
        engine = make_engine(url)
        upgrade(engine)
        with session_scope(make_session_factory(engine)) as session:
            summary = generate_demo(db_session=session, as_of=as_of, clients=60)
            refresh_derived_data(db_session=session, workspace_id=summary.workspace_id, as_of=as_of)
        engine.dispose()
        with serving(url) as base:
            started = time.perf_counter()
            results = asyncio.run(_crowd(base, users=users, turns=turns, think_seconds=think_seconds))
            wall = time.perf_counter() - started
    latencies = sorted(ms for ms, ok in results if ok)
    return {
        "figure": "chat turns under load",
        "users": users,
        "turns": len(results),
        "errors": sum(1 for _, ok in results if not ok),
        "think_seconds": f"{think_seconds / 2:.1f}-{think_seconds * 1.5:.1f}",
        "p50_ms": _percentile(latencies, 50),
        "p95_ms": _percentile(latencies, 95),
        "max_ms": round(latencies[-1], 1) if latencies else None,
        "turns_per_second": round(len(results) / wall, 1),
    }


@contextmanager
def serving(database_url: str) -> Iterator[str]:
    """`csagent serve --demo` in its own process (the load generator must not share its interpreter)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    env = {**os.environ, "CSAGENT_DATABASE_URL": database_url, "CSAGENT_MODEL": "offline"}
    command = [sys.executable, "-m", "channels.cli", "serve", "--port", str(port), "--demo"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def _wait_until_up(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"csagent serve exited: {process.stderr.read().decode()[-500:] if process.stderr else ''}"
            )
        try:
            if httpx.get(f"{base}/sign-in", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError("csagent serve did not answer within 60 s")


async def _crowd(base: str, *, users: int, turns: int, think_seconds: float) -> list[tuple[float, bool]]:
    limits = httpx.Limits(max_connections=users * 2)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as warm:
        await warm.post("/session/demo", json={"email": "jane@demo.csagent.dev"})
        await _turn(warm, "hello", None)  # the server opens its agent on the first turn, as a warm server would have
    rng = random.Random(4)
    people = [
        _person(
            base,
            f"{CHAT_USERS[n % len(CHAT_USERS)]}@demo.csagent.dev",
            turns,
            think_seconds,
            random.Random(rng.random()),
        )
        for n in range(users)
    ]
    per_person = await asyncio.gather(*people)
    return [result for results in per_person for result in results]


async def _person(base: str, email: str, turns: int, think: float, rng: random.Random) -> list[tuple[float, bool]]:
    """One user's session: sign in, then ask, read the answer, ask again."""
    results: list[tuple[float, bool]] = []
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        await asyncio.sleep(rng.uniform(0, think))  # people do not all press Enter in the same millisecond
        signed_in = await client.post("/session/demo", json={"email": email})
        if signed_in.status_code != 200:
            return [(0.0, False)] * turns
        thread = None
        for number in range(turns):
            started = time.perf_counter()
            thread, ok = await _turn(client, SCRIPT[number % len(SCRIPT)], thread)
            results.append(((time.perf_counter() - started) * 1000, ok))
            await asyncio.sleep(rng.uniform(think / 2, think * 1.5))
    return results


async def _turn(client: httpx.AsyncClient, text: str, thread: str | None) -> tuple[str | None, bool]:
    """Send one message and read its event stream to the end; ok means a reply event and no error event."""
    event, reply, errored = "message", False, False
    try:
        async with client.stream("POST", "/chat/messages", json={"text": text, "thread_id": thread}) as response:
            if response.status_code != 200:
                return thread, False
            async for line in response.aiter_lines():
                if line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:"):
                    if event == "thread":
                        thread = json.loads(line[5:])["thread_id"]
                    reply, errored = reply or event == "reply", errored or event == "error"
    except httpx.HTTPError:
        return thread, False
    return thread, reply and not errored


def run_portfolio_timing(*, clients: int, repeats: int = 20) -> dict[str, Any]:
    """Server time of the dashboard's portfolio summary and first client-list page for a CSM with `clients` clients."""
    as_of = dt.date(2026, 11, 22)
    with tempfile.TemporaryDirectory() as folder, fresh_database(f"sqlite:///{Path(folder) / 'x.db'}") as engine:
        with Session(engine) as session:
            workspace_id = _seed_portfolio(session, clients=clients, days=35, as_of=as_of)
            for day in (as_of - dt.timedelta(days=30), as_of):  # the summary compares with 30 days before
                recompute_scores(db_session=session, workspace_id=workspace_id, start=day)
            user = session.query(User).filter(User.workspace_id == workspace_id).one()
            _row, token = issue_token(session, user, name="bench")
            session.commit()
        from channels.web.api_deps import current_now
        from channels.web.app import create_app

        app = create_app(Settings(database_url=str(engine.url), semantic_search=False), engine=engine)
        app.dependency_overrides[current_now] = lambda: dt.datetime.combine(as_of, dt.time(15), dt.UTC)
        with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as client:
            summary, summary_cpu = _timed(client, f"{API}/analytics/portfolio", repeats)
            first_page, first_page_cpu = _timed(client, f"{API}/clients?limit=25&sort=health_score", repeats)
            page_total = client.get(f"{API}/clients?limit=1").json()["pagination"]["total"]
            summary_bytes = len(client.get(f"{API}/analytics/portfolio").content)
    return {
        "figure": "portfolio page server time",
        "clients": page_total,
        "summary_p50_ms": _percentile(summary, 50),
        "summary_p95_ms": _percentile(summary, 95),
        "summary_cpu_ms": summary_cpu,
        "summary_bytes": summary_bytes,
        "client_list_p50_ms": _percentile(first_page, 50),
        "client_list_p95_ms": _percentile(first_page, 95),
        "client_list_cpu_ms": first_page_cpu,
        "page_p95_ms": _percentile([a + b for a, b in zip(summary, first_page, strict=True)], 95),
    }


def _timed(client: TestClient, path: str, repeats: int) -> tuple[list[float], float]:
    """Each request's wall milliseconds, and the mean CPU milliseconds per request (server and test client share
    this process: on a busy machine the wall time includes waiting for a core, the CPU time does not)."""
    client.get(path).raise_for_status()  # warm caches and the connection pool
    timings = []
    cpu_started = time.process_time()
    for _ in range(repeats):
        started = time.perf_counter()
        client.get(path).raise_for_status()
        timings.append((time.perf_counter() - started) * 1000)
    return timings, round((time.process_time() - cpu_started) * 1000 / repeats, 1)


def _percentile(values: list[float], percent: int) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 1)
    return round(statistics.quantiles(values, n=100, method="inclusive")[percent - 1], 1)
