"""Daily recompute: score every client of a workspace for a day (or backfill a range), set-based."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from pydantic import BaseModel
from sqlalchemy import and_, delete, func, insert, select, update
from sqlalchemy.orm import Session

from domain.clients.models import Client
from domain.progress import ProgressCallback, no_progress
from domain.scoring.configs import active_configs, pick_config
from domain.scoring.engine import score_client
from domain.scoring.inputs import gather_inputs, licensed_feature_expectations
from domain.scoring.models import HealthSnapshot, ScoreConfig
from domain.scoring.rules import trend


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
    for done, day in enumerate(days, start=1):
        written, skipped, clients = _score_day(db_session, workspace_id, day, model_key, client_ids, features, configs)
        totals["snapshots"] += written
        totals["not_scored"] += skipped
        totals["clients"] = max(totals["clients"], clients)
        report(f"scoring {model_key}", done, len(days))
    if model_key == "health":
        _refresh_client_columns(db_session, workspace_id, client_ids)
    return RecomputeReport(model_key=model_key, start=start, end=end, days=len(days), **totals)


def _score_day(
    session: Session,
    workspace_id: int,
    day: dt.date,
    model_key: str,
    client_ids: Collection[int] | None,
    features: dict[str, tuple[str, float]],
    configs: list[ScoreConfig],
) -> tuple[int, int, int]:
    inputs = gather_inputs(db_session=session, workspace_id=workspace_id, as_of=day, client_ids=client_ids)
    window = int(configs[0].trend_rules.get("window_days", 30)) if configs else 30
    previous = _overall_on(session, list(inputs), day - dt.timedelta(days=window), model_key)
    rows, skipped = [], 0
    for client_id, client_inputs in inputs.items():
        config = pick_config(configs, tier=client_inputs.tier, segment=client_inputs.segment)
        outcome = score_client(
            components=config.components, bands=config.bands, inputs=client_inputs, features=features
        )
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
            HealthSnapshot.client_id.in_(list(inputs)),
        )
    )
    if rows:
        session.execute(insert(HealthSnapshot), rows)
    return len(rows), skipped, len(inputs)


def _overall_on(session: Session, client_ids: list[int], day: dt.date, model_key: str) -> dict[int, float]:
    if not client_ids:
        return {}
    rows = session.execute(
        select(HealthSnapshot.client_id, HealthSnapshot.overall_score).where(
            HealthSnapshot.day == day,
            HealthSnapshot.model_key == model_key,
            HealthSnapshot.client_id.in_(client_ids),
        )
    )
    return {client_id: float(overall) for client_id, overall in rows}


def _refresh_client_columns(session: Session, workspace_id: int, client_ids: Collection[int] | None) -> None:
    """Copy each client's latest health snapshot onto the client row that portfolio lists read."""
    latest = (
        select(HealthSnapshot.client_id, func.max(HealthSnapshot.day).label("day"))
        .join(Client, Client.id == HealthSnapshot.client_id)
        .where(Client.workspace_id == workspace_id, HealthSnapshot.model_key == "health")
        .group_by(HealthSnapshot.client_id)
    )
    if client_ids is not None:
        latest = latest.where(HealthSnapshot.client_id.in_(list(client_ids)))
    newest = latest.subquery()
    rows = session.execute(
        select(HealthSnapshot.client_id, HealthSnapshot.overall_score, HealthSnapshot.status, HealthSnapshot.trend)
        .join(newest, and_(newest.c.client_id == HealthSnapshot.client_id, newest.c.day == HealthSnapshot.day))
        .where(HealthSnapshot.model_key == "health")
    )
    updates = [
        {"id": client_id, "current_health_score": round(overall), "health_status": status, "health_trend": trend_}
        for client_id, overall, status, trend_ in rows
    ]
    if updates:
        session.execute(update(Client), updates)
