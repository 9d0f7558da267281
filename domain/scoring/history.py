"""A client's score over time (seed 004's health history chart): daily points and the events beside them."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.access import Actor, get_visible_client
from domain.enums import HealthStatus, HealthTrend
from domain.errors import ValidationError
from domain.scoring.models import HealthSnapshot
from domain.scoring.period_events import period_events
from domain.scoring.schemas import PeriodEvent

MAX_DAYS = 730


class HistoryPoint(BaseModel):
    day: dt.date
    score: float
    status: HealthStatus
    trend: HealthTrend | None
    components: dict[str, float | None]
    snapshot_id: int


class ScoreHistory(BaseModel):
    client_id: int
    client_name: str
    model_key: str
    start: dt.date
    end: dt.date
    points: list[HistoryPoint]  # oldest first; days without a snapshot are absent
    events: list[PeriodEvent]  # what happened in the period, oldest first (chart annotations)


def score_history(
    *, db_session: Session, actor: Actor, client_id: int, as_of: dt.date, days: int = 90, model_key: str = "health"
) -> ScoreHistory:
    """The client's snapshots over the `days` days ending on `as_of`, with the period's events."""
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError(f"days must be from 1 to {MAX_DAYS}, got {days}")
    client = get_visible_client(db_session, actor, client_id)
    start = as_of - dt.timedelta(days=days - 1)
    snapshots = db_session.scalars(
        select(HealthSnapshot)
        .where(
            HealthSnapshot.client_id == client.id,
            HealthSnapshot.model_key == model_key,
            HealthSnapshot.day.between(start, as_of),
        )
        .order_by(HealthSnapshot.day)
    )
    points = [
        HistoryPoint(
            day=row.day,
            score=round(row.overall_score, 2),
            status=row.status,
            trend=row.trend,
            components={
                name: None if value is None else round(float(value), 2) for name, value in row.components.items()
            },
            snapshot_id=row.id,
        )
        for row in snapshots
    ]
    return ScoreHistory(
        client_id=client.id,
        client_name=client.name,
        model_key=model_key,
        start=start,
        end=as_of,
        points=points,
        events=period_events(db_session=db_session, client=client, start=start, end=as_of),
    )
