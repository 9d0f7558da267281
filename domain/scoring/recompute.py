"""Daily recompute: score every client of a workspace for a day (or backfill a range), set-based."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Collection, Iterator
from contextlib import contextmanager

from pydantic import BaseModel
from sqlalchemy import Select, delete, select
from sqlalchemy.orm import Session

from domain.clients.models import Client
from domain.progress import ProgressCallback, no_progress
from domain.scoring.configs import active_configs, pick_config
from domain.scoring.engine import Scorer
from domain.scoring.inputs import gather_inputs, licensed_feature_expectations
from domain.scoring.models import HealthSnapshot, ScoreConfig
from domain.scoring.rules import trend
from domain.scoring.snapshot_writes import copy_latest_to_clients, insert_snapshots


class RecomputeReport(BaseModel):
    model_key: str
    start: dt.date
    end: dt.date
    days: int
    clients: int
    snapshots: int
    not_scored: int  # client-days with no data at all


def recompute_scores(
    *,
    db_session: Session,
    workspace_id: int,
    start: dt.date,
    end: dt.date | None = None,
    model_key: str = "health",
    client_ids: Collection[int] | None = None,
    progress: ProgressCallback | None = None,
) -> RecomputeReport:
    """Write one snapshot per client per day from `start` to `end` (inclusive); re-running a day replaces it."""
    end = end or start
    if end < start:
        start, end = end, start
    report = progress or no_progress
    days = [start + dt.timedelta(days=offset) for offset in range((end - start).days + 1)]
    features = licensed_feature_expectations(db_session=db_session, workspace_id=workspace_id)
    configs = active_configs(db_session=db_session, workspace_id=workspace_id, model_key=model_key)
    totals = {"snapshots": 0, "not_scored": 0, "clients": 0}
    with _gc_paused():
        for done, day in enumerate(days, start=1):
            written, skipped, clients = _score_day(
                db_session, workspace_id, day, model_key, client_ids, features, configs
            )
            totals["snapshots"] += written
            totals["not_scored"] += skipped
            totals["clients"] = max(totals["clients"], clients)
            report(f"scoring {model_key}", done, len(days))
        if model_key == "health":
            copy_latest_to_clients(db_session, workspace_id, client_ids)
    return RecomputeReport(model_key=model_key, start=start, end=end, days=len(days), **totals)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Hold off the cyclic garbage collector while a day's inputs and rows are built.

    Tens of thousands of live containers per day make the collector run hundreds of times over a graph
    that is all still in use (a fifth of recompute time); reference counting still frees everything else.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _score_day(
    session: Session,
    workspace_id: int,
    day: dt.date,
    model_key: str,
    client_ids: Collection[int] | None,
    features: dict[str, tuple[str, float]],
    configs: list[ScoreConfig],
) -> tuple[int, int, int]:
    inputs = gather_inputs(
        db_session=session, workspace_id=workspace_id, as_of=day, client_ids=client_ids, feature_keys=list(features)
    )
    # The same clients as `inputs`, as a subquery: no IN list of 10,000 parameters (PostgreSQL allows 65,535).
    in_scope = select(Client.id).where(Client.workspace_id == workspace_id)
    if client_ids is not None:
        in_scope = in_scope.where(Client.id.in_(list(client_ids)))
    window = int(configs[0].trend_rules.get("window_days", 30)) if configs else 30
    previous = _overall_on(session, in_scope, day - dt.timedelta(days=window), model_key)
    scorers: dict[int, Scorer] = {}
    rows, skipped = [], 0
    for client_id, client_inputs in inputs.items():
        config = pick_config(configs, tier=client_inputs.tier, segment=client_inputs.segment)
        scorer = scorers.get(config.id)
        if scorer is None:
            scorer = scorers[config.id] = Scorer(components=config.components, bands=config.bands, features=features)
        outcome = scorer.score(client_inputs)
        if outcome is None:
            skipped += 1
            continue
        delta = float(config.trend_rules.get("delta", 5))
        rows.append(
            {
                "client_id": client_id,
                "day": day,
                "model_key": model_key,
                "overall_score": outcome.overall,
                "status": outcome.status,
                "trend": trend(outcome.overall, previous.get(client_id), delta=delta),
                "components": outcome.components,
                "raw_inputs": outcome.raw_inputs,
                "weights": {"effective": outcome.weights, "configured": outcome.configured_weights},
                "config_id": config.id,
                "notable_events": [],
            }
        )
    session.execute(
        delete(HealthSnapshot).where(
            HealthSnapshot.day == day,
            HealthSnapshot.model_key == model_key,
            HealthSnapshot.client_id.in_(in_scope),
        )
    )
    insert_snapshots(session, rows)
    return len(rows), skipped, len(inputs)


def _overall_on(session: Session, in_scope: Select[tuple[int]], day: dt.date, model_key: str) -> dict[int, float]:
    rows = session.execute(
        select(HealthSnapshot.client_id, HealthSnapshot.overall_score).where(
            HealthSnapshot.day == day,
            HealthSnapshot.model_key == model_key,
            HealthSnapshot.client_id.in_(in_scope),
        )
    )
    return {client_id: float(overall) for client_id, overall in rows}
