"""ORM rows of the success layer to their pydantic views; `snapshot` gives the JSON form audit rows store."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from domain.success.models import BaselineSnapshot, ClientFeedback, Intervention, OutcomeEntry, ResultTarget, Risk
from domain.success.schemas import (
    BaselineView,
    FeedbackView,
    InterventionView,
    MetricValue,
    OutcomeEntryView,
    ResultTargetView,
    RiskView,
)


def snapshot(view: BaseModel) -> dict[str, Any]:
    """JSON-safe dict of a view (dates and decimals as strings), without the as_of of the call."""
    return view.model_dump(mode="json", exclude={"as_of"})


def target_view(row: ResultTarget, as_of: dt.date) -> ResultTargetView:
    return ResultTargetView(
        id=row.id,
        client_id=row.client_id,
        as_of=as_of,
        current_state=row.current_state,
        target_state=row.target_state,
        metric=row.metric,
        unit=row.unit,
        direction=row.direction,
        current_value=row.current_value,
        target_value=row.target_value,
        start_date=row.start_date,
        target_date=row.target_date,
        is_active=row.is_active,
    )


def baseline_view(row: BaselineSnapshot, as_of: dt.date) -> BaselineView:
    metrics = {
        name: MetricValue(value=Decimal(str(item["value"])), unit=str(item["unit"]))
        for name, item in (row.metrics or {}).items()
    }
    return BaselineView(
        id=row.id, client_id=row.client_id, as_of=as_of, captured_on=row.captured_on, metrics=metrics, notes=row.notes
    )


def intervention_view(row: Intervention, as_of: dt.date) -> InterventionView:
    return InterventionView(
        id=row.id,
        client_id=row.client_id,
        as_of=as_of,
        kind=row.kind,
        title=row.title,
        description=row.description,
        occurred_on=row.occurred_on,
    )


def entry_view(row: OutcomeEntry, as_of: dt.date) -> OutcomeEntryView:
    return OutcomeEntryView(
        id=row.id,
        client_id=row.client_id,
        as_of=as_of,
        metric=row.metric,
        unit=row.unit,
        value=row.value,
        week_start=row.week_start,
        notes=row.notes,
    )


def risk_view(row: Risk, as_of: dt.date) -> RiskView:
    return RiskView(
        id=row.id,
        client_id=row.client_id,
        as_of=as_of,
        description=row.description,
        severity=row.severity,
        status=row.status,
        raised_on=row.raised_on,
        resolved_at=row.resolved_at,
        resolution=row.resolution,
    )


def feedback_view(row: ClientFeedback, contact_name: str | None, as_of: dt.date) -> FeedbackView:
    return FeedbackView(
        id=row.id,
        client_id=row.client_id,
        as_of=as_of,
        contact_id=row.contact_id,
        contact_name=contact_name,
        question=row.question,
        response=row.response,
        sentiment=row.sentiment,
        received_on=row.received_on,
    )
