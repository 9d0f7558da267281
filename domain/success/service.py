"""Seed 000's measured side of an engagement: the result target, the baseline and the weekly scorecard.

Interventions, risks and feedback are in journal.py; reading it all back is in reads.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.access import Actor
from domain.enums import MetricDirection
from domain.errors import ValidationError
from domain.success import rules
from domain.success.gate import (
    active_target,
    audit,
    measured_value,
    not_after,
    optional_text,
    require_active_target,
    required_text,
    success_client,
)
from domain.success.models import BaselineSnapshot, OutcomeEntry, ResultTarget
from domain.success.schemas import (
    BaselineView,
    MetricValue,
    OutcomeEntryRecorded,
    ResultTargetSet,
    ResultTargetView,
)
from domain.success.units import STORED_PLACES, convert, normalise_unit
from domain.success.views import baseline_view, entry_view, snapshot, target_view


def set_result_target(
    *,
    db_session: Session,
    actor: Actor,
    client_id: int,
    current_state: str,
    target_state: str,
    metric: str,
    unit: str,
    direction: MetricDirection | str,
    current_value: Decimal | float | int | str,
    target_value: Decimal | float | int | str,
    target_date: dt.date,
    start_date: dt.date | None = None,
    as_of: dt.date,
) -> ResultTargetSet:
    """Set the client's result target; the previous active target becomes inactive history."""
    client = success_client(db_session, actor, client_id)
    values: dict[str, Any] = {
        "current_state": required_text(current_state, "the current state"),
        "target_state": required_text(target_state, "the target state"),
        "metric": required_text(metric, "the metric", max_length=120),
        "unit": required_text(unit, "the unit", max_length=40),
        "direction": _direction(direction),
        "current_value": measured_value(current_value, "the current value").quantize(STORED_PLACES),
        "target_value": measured_value(target_value, "the target value").quantize(STORED_PLACES),
        "start_date": start_date or as_of,
        "target_date": target_date,
    }
    _check_target(values)
    previous = active_target(db_session, client.id)
    if previous is not None and all(getattr(previous, key) == values[key] for key in values):
        return ResultTargetSet(as_of=as_of, target=target_view(previous, as_of), replaced=None)  # a retry
    replaced = _retire(db_session, actor, previous, as_of) if previous is not None else None
    target = ResultTarget(client_id=client.id, is_active=True, created_by_id=actor.user_id, **values)
    db_session.add(target)
    db_session.flush()
    view = target_view(target, as_of)
    audit(
        db_session,
        actor,
        action="create",
        entity_type="result_target",
        entity_id=target.id,
        before=None,
        after=snapshot(view),
    )
    return ResultTargetSet(as_of=as_of, target=view, replaced=replaced)


def _direction(direction: MetricDirection | str) -> MetricDirection:
    try:
        return MetricDirection(direction)
    except ValueError:
        allowed = ", ".join(item.value for item in MetricDirection)
        raise ValidationError(f"unknown metric direction {direction!r}; use one of {allowed}") from None


def _retire(db_session: Session, actor: Actor, previous: ResultTarget, as_of: dt.date) -> ResultTargetView:
    """Make the active target history; flushed first, so the one-active index never sees two."""
    before = snapshot(target_view(previous, as_of))
    previous.is_active = False
    db_session.flush()
    retired = target_view(previous, as_of)
    audit(
        db_session,
        actor,
        action="deactivate",
        entity_type="result_target",
        entity_id=previous.id,
        before=before,
        after=snapshot(retired),
    )
    return retired


def _check_target(values: Mapping[str, Any]) -> None:
    problem = rules.target_direction_problem(values["direction"], values["current_value"], values["target_value"])
    if problem is not None:
        raise ValidationError(problem)
    if values["target_date"] <= values["start_date"]:
        raise ValidationError(
            f"the target date {values['target_date'].isoformat()} must be after the start date "
            f"{values['start_date'].isoformat()}"
        )


def record_baseline(
    *,
    db_session: Session,
    actor: Actor,
    client_id: int,
    captured_on: dt.date,
    as_of: dt.date,
    metrics: Mapping[str, Mapping[str, Any] | MetricValue] | None = None,
    value: Decimal | float | int | str | None = None,
    unit: str | None = None,
    notes: str | None = None,
) -> BaselineView:
    """Capture the "before" metrics: `metrics` {name: {value, unit}}, or `value` (+ `unit`) of the target metric."""
    client = success_client(db_session, actor, client_id)
    not_after(captured_on, as_of, "the baseline date")
    target = active_target(db_session, client.id)
    if (metrics is None) == (value is None):
        raise ValidationError("give either the baseline metrics ({name: {value, unit}}) or one value of the target")
    if value is not None:
        target = require_active_target(db_session, client)
        metrics = {target.metric: {"value": value, "unit": unit or target.unit}}
    assert metrics is not None
    cleaned = _baseline_metrics(metrics, target)
    return _upsert_baseline(db_session, actor, client.id, captured_on, cleaned, optional_text(notes), as_of)


def _baseline_metrics(
    metrics: Mapping[str, Mapping[str, Any] | MetricValue], target: ResultTarget | None
) -> dict[str, dict[str, Any]]:
    """Validated {metric: {value, unit}}; the target's metric is stored under its name and in its unit."""
    if not metrics:
        raise ValidationError("the baseline needs at least one metric")
    cleaned: dict[str, dict[str, Any]] = {}
    for raw_name, raw in metrics.items():
        item = raw.model_dump() if isinstance(raw, MetricValue) else dict(raw)
        name = required_text(raw_name, "a baseline metric's name", max_length=120)
        if "value" not in item or item["value"] is None:
            raise ValidationError(f"the baseline metric {name!r} needs a value")
        number = measured_value(item["value"], f"the baseline value of {name!r}")
        metric_unit = required_text(item.get("unit"), f"the unit of the baseline metric {name!r}", max_length=40)
        if target is not None and name.casefold() == target.metric.casefold():
            name, number, metric_unit = target.metric, convert(number, metric_unit, target.unit), target.unit
        # JSON holds no decimals; a float of a 4-place decimal reads back as the same decimal.
        cleaned[name] = {"value": float(number.quantize(STORED_PLACES)), "unit": metric_unit}
    return cleaned


def _upsert_baseline(
    db_session: Session,
    actor: Actor,
    client_id: int,
    captured_on: dt.date,
    metrics: dict[str, dict[str, Any]],
    notes: str | None,
    as_of: dt.date,
) -> BaselineView:
    """One snapshot per day: a second capture the same day adds to (or corrects) that day's metrics."""
    row = db_session.scalar(
        select(BaselineSnapshot).where(
            BaselineSnapshot.client_id == client_id, BaselineSnapshot.captured_on == captured_on
        )
    )
    if row is None:
        row = BaselineSnapshot(client_id=client_id, captured_on=captured_on, metrics={}, created_by_id=actor.user_id)
        db_session.add(row)
        before = None
    else:
        before = snapshot(baseline_view(row, as_of))
        if {**row.metrics, **metrics} == row.metrics and (notes is None or notes == row.notes):
            return baseline_view(row, as_of)  # nothing new: a retried call
    row.metrics = {**(row.metrics or {}), **metrics}  # a new dict, so the JSON column sees the change
    row.notes = notes if notes is not None else row.notes
    db_session.flush()
    view = baseline_view(row, as_of)
    audit(
        db_session,
        actor,
        action="create" if before is None else "update",
        entity_type="baseline_snapshot",
        entity_id=row.id,
        before=before,
        after=snapshot(view),
    )
    return view


def add_outcome_entry(
    *,
    db_session: Session,
    actor: Actor,
    client_id: int,
    value: Decimal | float | int | str,
    unit: str,
    week_start: dt.date,
    as_of: dt.date,
    metric: str | None = None,
    notes: str | None = None,
) -> OutcomeEntryRecorded:
    """Record the week's scorecard value of the target metric, converted to the target's unit if needed."""
    client = success_client(db_session, actor, client_id)
    target = require_active_target(db_session, client)
    if metric is not None and metric.strip().casefold() != target.metric.casefold():
        raise ValidationError(
            f"scorecard entries are in the result target's metric {target.metric!r}, not {metric.strip()!r}"
        )
    entered = measured_value(value, "the scorecard value")
    entered_unit = required_text(unit, "the unit", max_length=40)
    stored = convert(entered, entered_unit, target.unit)
    week = not_after(rules.week_start(week_start), as_of, "the week starting")
    converted = normalise_unit(entered_unit) != normalise_unit(target.unit)
    note = optional_text(notes) or (f"entered as {entered} {entered_unit}" if converted else None)
    row, previous = _upsert_entry(db_session, actor, client.id, target, week, stored, note, as_of)
    return OutcomeEntryRecorded(
        as_of=as_of,
        entry=entry_view(row, as_of),
        entered_value=entered,
        entered_unit=entered_unit,
        converted=converted,
        previous_value=previous,
    )


def _upsert_entry(
    db_session: Session,
    actor: Actor,
    client_id: int,
    target: ResultTarget,
    week: dt.date,
    value: Decimal,
    notes: str | None,
    as_of: dt.date,
) -> tuple[OutcomeEntry, Decimal | None]:
    """A week holds one value per metric: a second entry for the week corrects the first (audited)."""
    row = db_session.scalar(
        select(OutcomeEntry).where(
            OutcomeEntry.client_id == client_id, OutcomeEntry.metric == target.metric, OutcomeEntry.week_start == week
        )
    )
    if row is not None and row.value == value and row.unit == target.unit:
        return row, None  # the same value again: a retried call
    before = None if row is None else snapshot(entry_view(row, as_of))
    previous = None if row is None else row.value
    if row is None:
        row = OutcomeEntry(client_id=client_id, metric=target.metric, week_start=week, created_by_id=actor.user_id)
        db_session.add(row)
    row.unit, row.value, row.notes = target.unit, value, notes
    db_session.flush()
    audit(
        db_session,
        actor,
        action="create" if before is None else "update",
        entity_type="outcome_entry",
        entity_id=row.id,
        before=before,
        after=snapshot(entry_view(row, as_of)),
    )
    return row, previous
