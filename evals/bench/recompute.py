"""Benchmark: set-based score recompute for 10,000 clients x 180 days of rollups vs a per-client loop.

Run through `csagent bench`; prints figures, never pass/fail. The database is created fresh and dropped.
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Engine, insert
from sqlalchemy.orm import Session

from domain.adoption.models import Feature
from domain.clients.models import Client, Contact
from domain.db import make_engine
from domain.enums import ContactRole, ContractTier, Role
from domain.migrate import upgrade
from domain.scoring.configs import active_configs, pick_config
from domain.scoring.engine import score_client
from domain.scoring.inputs import ClientInputs, gather_inputs, licensed_feature_expectations
from domain.scoring.models import HealthSnapshot, ScoreConfig
from domain.scoring.recompute import recompute_scores
from domain.scoring.rules import trend
from domain.staff.models import User, Workspace
from domain.usage.models import UsageRollup
from evals.bench.naive_inputs import naive_client_inputs

FEATURES = [
    ("case_creation", "Case Management", 10.0),
    ("investigation_workflow", "Case Management", 5.0),
    ("dashboard_views", "Analytics", 20.0),
    ("report_exports", "Analytics", 2.0),
]
MODULES = ["Case Management", "Analytics"]


@contextmanager
def fresh_database(database_url: str) -> Iterator[Engine]:
    """A migrated, empty database: a temp SQLite file, or a throwaway PostgreSQL schema."""
    if database_url.startswith("sqlite"):
        with tempfile.TemporaryDirectory() as folder:
            engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
            upgrade(engine)
            yield engine
            engine.dispose()
        return
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = make_engine(database_url)
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine = sa.create_engine(database_url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _seed_portfolio(session: Session, *, clients: int, days: int, as_of: dt.date) -> int:
    """Insert a workspace with `clients` clients and `days` of rollups each; returns the workspace id."""
    rng = random.Random(11)
    workspace = Workspace(slug="bench", name="Bench")
    session.add(workspace)
    session.flush()
    csm = User(workspace_id=workspace.id, email="bench-csm@bench.invalid", name="Bench CSM", role=Role.CSM)
    session.add(csm)
    session.execute(
        insert(Feature),
        [
            {
                "workspace_id": workspace.id,
                "key": key,
                "name": key,
                "module": module,
                "expected_usage_metric": "",
                "expected_monthly_usage": expected,
            }
            for key, module, expected in FEATURES
        ],
    )
    session.flush()
    for offset in range(0, clients, 250):
        batch = range(offset, min(clients, offset + 250))
        client_ids = _insert_clients(session, workspace.id, csm.id, batch, as_of)
        _insert_rollups(session, client_ids, days, as_of, rng)
    return workspace.id


def _insert_clients(session: Session, workspace_id: int, csm_id: int, batch: range, as_of: dt.date) -> list[int]:
    rows = [
        {
            "workspace_id": workspace_id,
            "name": f"Bench client {n:05d}",
            "contract_tier": ContractTier.PROFESSIONAL,
            "contract_start_date": as_of - dt.timedelta(days=400),
            "annual_recurring_revenue": Decimal(50000),
            "licensed_modules": MODULES,
            "licensed_user_count": 40,
            "csm_user_id": csm_id,
            "next_renewal_date": as_of + dt.timedelta(days=n % 365),
        }
        for n in batch
    ]
    ids = list(session.scalars(insert(Client).returning(Client.id), rows))
    session.execute(
        insert(Contact),
        [
            {
                "client_id": client_id,
                "name": f"Champion {client_id}",
                "role": ContactRole.CHAMPION,
                "platform_user_ref": f"u{client_id}-0",
            }
            for client_id in ids
        ],
    )
    return ids


def _insert_rollups(session: Session, client_ids: list[int], days: int, as_of: dt.date, rng: random.Random) -> None:
    rows: list[dict[str, Any]] = []
    for client_id in client_ids:
        level = rng.uniform(2, 16)
        for back in range(days):
            dau = max(0, int(rng.gauss(level, 2)))
            rows.append(
                {
                    "client_id": client_id,
                    "day": as_of - dt.timedelta(days=back),
                    "daily_active_users": dau,
                    "weekly_active_users": dau + 3,
                    "monthly_active_users": dau + 6,
                    "total_sessions": dau,
                    "total_actions": dau * 4,
                    "logins": dau,
                    "feature_counts": {"case_creation": dau // 2, "dashboard_views": dau} if dau else {},
                    "logins_by_hour": {},
                    "logins_by_weekday": {},
                }
            )
    session.execute(insert(UsageRollup), rows)


def _per_client_loop(
    session: Session, workspace_id: int, client_ids: list[int], as_of: dt.date
) -> tuple[float, float, bool]:
    """The naive way: load each client's ORM rows, score it and write its snapshot, one client at a time.

    It does the same work as the set-based recompute (inputs, score, trend against the snapshot a window
    earlier, the day's snapshot replaced, the client row updated), inside a savepoint rolled back afterwards
    so the database keeps the set-based result. Returns (seconds, CPU seconds of this process, whether it
    scores every client as the set-based path does).
    """
    features = licensed_feature_expectations(db_session=session, workspace_id=workspace_id)
    configs = active_configs(db_session=session, workspace_id=workspace_id, model_key="health")
    started, cpu_started = time.perf_counter(), time.process_time()
    naive = {}
    savepoint = session.begin_nested()
    for client_id in client_ids:
        item = naive_client_inputs(session, client_id, as_of)
        config = pick_config(configs, tier=item.tier, segment=item.segment)
        outcome = score_client(components=config.components, bands=config.bands, inputs=item, features=features)
        naive[client_id] = outcome
        if outcome is not None:
            _write_like_a_loop(session, client_id, as_of, config, outcome)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    savepoint.rollback()
    set_based = gather_inputs(db_session=session, workspace_id=workspace_id, as_of=as_of, client_ids=client_ids)
    agrees = set(naive) == set(set_based) and all(
        naive[client_id] == _score(configs, inputs, features) for client_id, inputs in set_based.items()
    )
    return seconds, cpu_seconds, agrees


def _write_like_a_loop(session: Session, client_id: int, day: dt.date, config: ScoreConfig, outcome: Any) -> None:
    window = int(config.trend_rules.get("window_days", 30))
    earlier = session.scalar(
        sa.select(HealthSnapshot).where(
            HealthSnapshot.client_id == client_id,
            HealthSnapshot.model_key == "health",
            HealthSnapshot.day == day - dt.timedelta(days=window),
        )
    )
    for stale in session.scalars(
        sa.select(HealthSnapshot).where(
            HealthSnapshot.client_id == client_id, HealthSnapshot.model_key == "health", HealthSnapshot.day == day
        )
    ):
        session.delete(stale)
    session.flush()
    direction = trend(
        outcome.overall,
        earlier.overall_score if earlier else None,
        delta=float(config.trend_rules.get("delta", 5)),
    )
    session.add(
        HealthSnapshot(
            client_id=client_id,
            day=day,
            model_key="health",
            overall_score=outcome.overall,
            status=outcome.status,
            trend=direction,
            components=outcome.components,
            raw_inputs=outcome.raw_inputs,
            weights={"effective": outcome.weights, "configured": outcome.configured_weights},
            config_id=config.id,
            notable_events=[],
        )
    )
    client = session.get(Client, client_id)
    assert client is not None
    client.current_health_score = round(outcome.overall)
    client.health_status = outcome.status
    client.health_trend = direction
    session.flush()


def _score(configs: list[ScoreConfig], inputs: ClientInputs, features: dict[str, tuple[str, float]]) -> Any:
    config = pick_config(configs, tier=inputs.tier, segment=inputs.segment)
    return score_client(components=config.components, bands=config.bands, inputs=inputs, features=features)


def run_recompute_benchmark(
    *, database_url: str, clients: int = 10_000, days: int = 180, loop_sample: int = 200
) -> dict[str, Any]:
    """Seed, then time one set-based recompute of every client against a per-client loop on a sample."""
    as_of = dt.date(2026, 11, 22)
    with fresh_database(database_url) as engine, Session(engine) as session:
        started = time.perf_counter()
        workspace_id = _seed_portfolio(session, clients=clients, days=days, as_of=as_of)
        session.commit()
        seed_seconds = time.perf_counter() - started
        started, cpu_started = time.perf_counter(), time.process_time()
        report = recompute_scores(db_session=session, workspace_id=workspace_id, start=as_of)
        session.commit()
        set_seconds, set_cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
        sample = list(session.scalars(sa.select(Client.id).order_by(Client.id).limit(loop_sample)))
        session.expunge_all()
        loop_seconds, loop_cpu_seconds, agrees = _per_client_loop(session, workspace_id, sample, as_of)
    loop_projected = loop_seconds / len(sample) * clients
    return {
        "backend": database_url.split(":", 1)[0].split("+", 1)[0],
        "clients": clients,
        "rollup_days": days,
        "rollup_rows": clients * days,
        "seed_seconds": round(seed_seconds, 1),
        "recompute_seconds": round(set_seconds, 2),
        # CPU of this process only: on PostgreSQL the server's share is not in it.
        "recompute_cpu_seconds": round(set_cpu_seconds, 2),
        "snapshots": report.snapshots,
        "loop_sample_clients": len(sample),
        "loop_seconds_for_sample": round(loop_seconds, 2),
        "loop_cpu_seconds_for_sample": round(loop_cpu_seconds, 2),
        "loop_projected_seconds": round(loop_projected, 1),
        "speedup": round(loop_projected / set_seconds, 1),
        "loop_and_set_based_agree": agrees,
    }
