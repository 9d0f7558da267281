"""Seed 000's success layer for the engagements: target, baseline, interventions, scorecard, risks, feedback."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session

from domain.demo.clock import stamps, utc_at
from domain.demo.engagements import EngagementRefs
from domain.enums import InterventionKind, MetricDirection, RiskStatus
from domain.success.models import (
    BaselineSnapshot,
    ClientFeedback,
    Intervention,
    OutcomeEntry,
    ResultTarget,
    Risk,
)


@dataclass(frozen=True, slots=True)
class OutcomeSeed:
    story: str
    current_state: str
    target_state: str
    metric: str
    unit: str
    current_value: float
    target_value: float
    started_days_ago: int  # delivery start (the approval), as in engagement_seeds
    weeks: int  # target timeline
    scorecard: tuple[float, ...]  # weekly values, oldest first, ending last week; () before delivery
    interventions: tuple[tuple[InterventionKind, str, int], ...]  # kind, title, days after start
    open_risk: str | None
    resolved_risk: tuple[str, str] | None  # description, resolution
    feedback: str | None


def create_outcomes(*, db_session: Session, seed: OutcomeSeed, refs: EngagementRefs, as_of: dt.date) -> None:
    """Write the client success layer for one engagement."""
    start = as_of - dt.timedelta(days=seed.started_days_ago)
    author = refs.consultant_id
    db_session.add(
        ResultTarget(
            client_id=refs.client_id,
            current_state=seed.current_state,
            target_state=seed.target_state,
            metric=seed.metric,
            unit=seed.unit,
            direction=MetricDirection.LOWER_IS_BETTER,
            current_value=Decimal(str(seed.current_value)),
            target_value=Decimal(str(seed.target_value)),
            start_date=start,
            target_date=start + dt.timedelta(weeks=seed.weeks),
            is_active=True,
            created_by_id=author,
            **stamps(utc_at(start - dt.timedelta(days=12), 16)),
        )
    )
    if seed.scorecard:
        _delivery_records(db_session, seed, refs, start, as_of)
    db_session.flush()


def _delivery_records(
    db_session: Session, seed: OutcomeSeed, refs: EngagementRefs, start: dt.date, as_of: dt.date
) -> None:
    """What exists once delivery has started: baseline, interventions, weekly scorecard, risks, feedback."""
    author, client_id = refs.consultant_id, refs.client_id
    captured = start + dt.timedelta(days=7)
    metrics = {seed.metric: {"value": seed.current_value, "unit": seed.unit}}
    db_session.add(
        BaselineSnapshot(
            client_id=client_id,
            captured_on=captured,
            metrics=metrics,
            notes="Measured with the client's team in week one.",
            created_by_id=author,
            **stamps(utc_at(captured, 17)),
        )
    )
    for kind, title, day in seed.interventions:
        happened = start + dt.timedelta(days=day)
        db_session.add(
            Intervention(
                client_id=client_id,
                kind=kind,
                title=title,
                description=f"{title}.",
                occurred_on=happened,
                created_by_id=author,
                **stamps(utc_at(happened, 17)),
            )
        )
    _scorecard(db_session, seed, refs, as_of)
    _risks(db_session, seed, refs, start, as_of)
    if seed.feedback is not None:
        _feedback(db_session, seed.feedback, refs, as_of)


def _feedback(db_session: Session, response: str, refs: EngagementRefs, as_of: dt.date) -> None:
    """The champion's answer to "what still feels slow or confusing?", quotable in a proof post."""
    received = as_of - dt.timedelta(days=6)
    db_session.add(
        ClientFeedback(
            client_id=refs.client_id,
            contact_id=refs.contact_id,
            response=response,
            sentiment="positive",
            received_on=received,
            created_by_id=refs.consultant_id,
            **stamps(utc_at(received, 18)),
        )
    )


def _scorecard(db_session: Session, seed: OutcomeSeed, refs: EngagementRefs, as_of: dt.date) -> None:
    """One value per week in the target's metric and unit, the latest for last week."""
    this_monday = as_of - dt.timedelta(days=as_of.weekday())
    for weeks_back, value in enumerate(reversed(seed.scorecard), start=1):
        week = this_monday - dt.timedelta(weeks=weeks_back)
        db_session.add(
            OutcomeEntry(
                client_id=refs.client_id,
                metric=seed.metric,
                unit=seed.unit,
                value=Decimal(str(value)),
                week_start=week,
                created_by_id=refs.consultant_id,
                **stamps(utc_at(week + dt.timedelta(days=4), 17)),
            )
        )


def _risks(db_session: Session, seed: OutcomeSeed, refs: EngagementRefs, start: dt.date, as_of: dt.date) -> None:
    """A bottleneck solved early in delivery, and one still open."""
    author, client_id = refs.consultant_id, refs.client_id
    if seed.resolved_risk is not None:
        raised = start + dt.timedelta(days=12)
        description, resolution = seed.resolved_risk
        db_session.add(
            Risk(
                client_id=client_id,
                description=description,
                severity="medium",
                status=RiskStatus.RESOLVED,
                raised_on=raised,
                resolution=resolution,
                resolved_at=utc_at(raised + dt.timedelta(days=7), 15),
                created_by_id=author,
                **stamps(utc_at(raised, 15)),
            )
        )
    if seed.open_risk is not None:
        raised = as_of - dt.timedelta(days=9)
        db_session.add(
            Risk(
                client_id=client_id,
                description=seed.open_risk,
                severity="high",
                status=RiskStatus.OPEN,
                raised_on=raised,
                created_by_id=author,
                **stamps(utc_at(raised, 15)),
            )
        )
