"""Explain a score: the snapshot as it stands, and its change over a period decomposed into drivers."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.access import Actor, get_visible_client
from domain.clients.models import Client
from domain.errors import NotFoundError
from domain.scoring.models import HealthSnapshot
from domain.scoring.period_events import period_events
from domain.scoring.playbook import recommend_actions
from domain.scoring.rules import decompose_change
from domain.scoring.schemas import ComponentScore, Driver, DriversReport, ScoreView


def snapshot_on_or_before(
    session: Session, client: Client, day: dt.date, model_key: str = "health"
) -> HealthSnapshot | None:
    return session.scalar(
        select(HealthSnapshot)
        .where(HealthSnapshot.client_id == client.id, HealthSnapshot.model_key == model_key, HealthSnapshot.day <= day)
        .order_by(HealthSnapshot.day.desc())
        .limit(1)
    )


def _require_snapshot(session: Session, client: Client, day: dt.date, model_key: str) -> HealthSnapshot:
    snapshot = snapshot_on_or_before(session, client, day, model_key)
    if snapshot is None:
        raise NotFoundError(
            f"no {model_key} score for {client.name} on or before {day}; run `csagent scores recompute`"
        )
    return snapshot


def score_view(snapshot: HealthSnapshot, client: Client) -> ScoreView:
    configured = snapshot.weights.get("configured", {})
    effective = snapshot.weights.get("effective", {})
    components = [
        ComponentScore(
            name=name,
            score=None if score is None else round(score, 2),
            weight=configured.get(name, 0.0),
            effective_weight=round(effective.get(name, 0.0) * 100, 2),
            metric=str(snapshot.raw_inputs.get(name, {}).get("metric", name)),
            evidence=str(snapshot.raw_inputs.get(name, {}).get("words", "")),
            raw=dict(snapshot.raw_inputs.get(name, {})),
        )
        for name, score in snapshot.components.items()
    ]
    return ScoreView(
        client_id=client.id,
        client_name=client.name,
        model_key=snapshot.model_key,
        day=snapshot.day,
        overall=round(snapshot.overall_score, 2),
        status=snapshot.status,
        trend=snapshot.trend,
        components=components,
        insufficient=[component.name for component in components if component.score is None],
        config_id=snapshot.config_id,
        snapshot_id=snapshot.id,
    )


def get_score(
    *, db_session: Session, actor: Actor, client_id: int, as_of: dt.date, model_key: str = "health"
) -> ScoreView:
    """The client's latest score on or before `as_of`, with components, weights and raw inputs."""
    client = get_visible_client(db_session, actor, client_id)
    return score_view(_require_snapshot(db_session, client, as_of, model_key), client)


def explain_drivers(
    *,
    db_session: Session,
    actor: Actor,
    client_id: int,
    to_day: dt.date,
    from_day: dt.date | None = None,
    model_key: str = "health",
) -> DriversReport:
    """Decompose the score change between two days into per-component contributions that sum to it."""
    client = get_visible_client(db_session, actor, client_id)
    after = _require_snapshot(db_session, client, to_day, model_key)
    before = _require_snapshot(db_session, client, from_day or to_day - dt.timedelta(days=30), model_key)
    weights_before, weights_after = before.weights["effective"], after.weights["effective"]
    contributions = decompose_change(weights_before, before.components, weights_after, after.components)
    drivers = [
        Driver(
            component=item.component,
            contribution=item.total,
            score_effect=item.score_effect,
            weight_effect=item.weight_effect,
            score_before=item.score_before,
            score_after=item.score_after,
            weight_before=item.weight_before * 100,
            weight_after=item.weight_after * 100,
            evidence_before=before.raw_inputs.get(item.component, {}).get("words"),
            evidence_after=after.raw_inputs.get(item.component, {}).get("words"),
        )
        for item in contributions
    ]
    return DriversReport(
        client_id=client.id,
        client_name=client.name,
        model_key=model_key,
        from_day=before.day,
        to_day=after.day,
        score_before=before.overall_score,
        score_after=after.overall_score,
        change=after.overall_score - before.overall_score,
        status_before=before.status,
        status_after=after.status,
        drivers=drivers,
        most_impactful_input=_most_impactful(drivers),
        insufficient=[name for name, score in after.components.items() if score is None],
        events=period_events(db_session=db_session, client=client, start=before.day, end=after.day),
        recommended_actions=recommend_actions(after.components, after.overall_score, after.raw_inputs),
        snapshot_ids=[before.id, after.id],
    )


def _most_impactful(drivers: list[Driver]) -> str | None:
    """The evidence behind the driver that moved the score most (the raw input a CSM should look at)."""
    for driver in drivers:
        if abs(driver.contribution) > 1e-9 and driver.evidence_after:
            return f"{driver.component}: {driver.evidence_after}"
    return None
