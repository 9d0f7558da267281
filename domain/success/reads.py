"""Reading the success layer back: everything for a client as of a day, and where the target metric stands."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from domain.access import Actor
from domain.clients.models import Contact
from domain.enums import RiskStatus
from domain.errors import ValidationError
from domain.success import rules
from domain.success.gate import active_target, success_client
from domain.success.models import (
    BaselineSnapshot,
    ClientFeedback,
    Intervention,
    OutcomeEntry,
    ProofPost,
    ResultTarget,
    Risk,
)
from domain.success.schemas import ProgressView, SuccessData
from domain.success.units import convert
from domain.success.views import (
    baseline_view,
    entry_view,
    feedback_view,
    intervention_view,
    risk_view,
    target_view,
)


@dataclass(frozen=True, slots=True)
class Measured:
    """The target metric's measurements up to a day, all in the target's unit."""

    baseline: BaselineSnapshot | None
    baseline_value: Decimal | None
    entries: list[tuple[OutcomeEntry, Decimal]]  # oldest week first


def in_unit(value: Decimal, unit: str, target_unit: str) -> Decimal | None:
    """`value` in the target's unit, or None when a row was stored in a unit that does not convert."""
    try:
        return convert(value, unit, target_unit)
    except ValidationError:
        return None


def load_measured(db_session: Session, target: ResultTarget, as_of: dt.date) -> Measured:
    snapshots = db_session.scalars(
        select(BaselineSnapshot)
        .where(BaselineSnapshot.client_id == target.client_id, BaselineSnapshot.captured_on <= as_of)
        .order_by(BaselineSnapshot.captured_on.desc())
    )
    baseline, baseline_value = None, None
    for row in snapshots:  # the latest snapshot that measured the target metric
        item = next((v for k, v in (row.metrics or {}).items() if k.casefold() == target.metric.casefold()), None)
        value = in_unit(Decimal(str(item["value"])), str(item["unit"]), target.unit) if item else None
        if value is not None:
            baseline, baseline_value = row, value
            break
    rows = db_session.scalars(
        select(OutcomeEntry)
        .where(
            OutcomeEntry.client_id == target.client_id,
            OutcomeEntry.metric == target.metric,
            OutcomeEntry.week_start <= as_of,
        )
        .order_by(OutcomeEntry.week_start)
    )
    entries = [(row, value) for row in rows if (value := in_unit(row.value, row.unit, target.unit)) is not None]
    return Measured(baseline, baseline_value, entries)


def progress_view(target: ResultTarget, measured: Measured, as_of: dt.date) -> ProgressView:
    """Baseline -> latest against the target; the target's current value stands in for a missing baseline."""
    baseline = measured.baseline_value if measured.baseline_value is not None else target.current_value
    latest_row, latest = measured.entries[-1] if measured.entries else (None, None)
    expected = rules.expected_progress(target.start_date, target.target_date, as_of)
    raw = change = achieved = None
    if latest is not None:
        raw = rules.raw_progress(target.direction, baseline, latest, target.target_value)
        change = rules.change_between(baseline, latest)
        achieved = rules.meets_target(target.direction, latest, target.target_value)
    progress = None if raw is None else rules.clamp(raw)
    status = rules.outcome_status(
        progress=progress, achieved=bool(achieved), expected=expected, target_date=target.target_date, as_of=as_of
    )
    return ProgressView(
        target_id=target.id,
        baseline_id=measured.baseline.id if measured.baseline else None,
        latest_entry_id=latest_row.id if latest_row else None,
        baseline_source="baseline" if measured.baseline else "target",
        metric=target.metric,
        unit=target.unit,
        direction=target.direction,
        baseline_value=baseline,
        latest_value=latest,
        latest_week=latest_row.week_start if latest_row else None,
        target_value=target.target_value,
        absolute_change=change.absolute if change else None,
        percent_change=change.percent if change else None,
        raw_progress=None if raw is None else round(raw, 4),
        progress=None if progress is None else round(progress, 4),
        expected_progress=round(expected, 4),
        status=status,
    )


def get_success_data(*, db_session: Session, actor: Actor, client_id: int, as_of: dt.date) -> SuccessData:
    """Return a client's whole success layer as of a day: target, baseline, journal, scorecard and progress."""
    client = success_client(db_session, actor, client_id)
    target = active_target(db_session, client.id)
    history = db_session.scalars(
        select(ResultTarget)
        .where(ResultTarget.client_id == client.id, ResultTarget.is_active.is_(False))
        .order_by(ResultTarget.id.desc())
    ).all()
    baseline = db_session.scalars(
        select(BaselineSnapshot)
        .where(BaselineSnapshot.client_id == client.id, BaselineSnapshot.captured_on <= as_of)
        .order_by(BaselineSnapshot.captured_on.desc())
    ).first()
    measured = load_measured(db_session, target, as_of) if target else None
    interventions = load_interventions(db_session, client.id, as_of)
    risks = _risks(db_session, client.id, as_of)
    feedback = load_feedback(db_session, client.id, as_of)
    proofs = list(db_session.scalars(select(ProofPost.id).where(ProofPost.client_id == client.id)))
    entries = [row for row, _ in measured.entries] if measured else []
    data = SuccessData(
        client_id=client.id,
        client_name=client.name,
        lifecycle_status=client.lifecycle_status,
        as_of=as_of,
        target=target_view(target, as_of) if target else None,
        target_history=[target_view(row, as_of) for row in history],
        baseline=baseline_view(baseline, as_of) if baseline else None,
        interventions=[intervention_view(row, as_of) for row in interventions],
        outcome_entries=[entry_view(row, as_of) for row in entries],
        risks=[risk_view(row, as_of) for row in risks],
        feedback=[feedback_view(row, name, as_of) for row, name in feedback],
        progress=progress_view(target, measured, as_of) if target and measured else None,
        proof_post_ids=proofs,
    )
    data.source_ids = _source_ids(data)
    return data


def load_interventions(db_session: Session, client_id: int, as_of: dt.date) -> list[Intervention]:
    return list(
        db_session.scalars(
            select(Intervention)
            .where(Intervention.client_id == client_id, Intervention.occurred_on <= as_of)
            .order_by(Intervention.occurred_on, Intervention.id)
        )
    )


def load_feedback(db_session: Session, client_id: int, as_of: dt.date) -> list[tuple[ClientFeedback, str | None]]:
    """Feedback with its contact's name, newest first."""
    rows = db_session.execute(
        select(ClientFeedback, Contact.name)
        .outerjoin(Contact, Contact.id == ClientFeedback.contact_id)
        .where(ClientFeedback.client_id == client_id, ClientFeedback.received_on <= as_of)
        .order_by(ClientFeedback.received_on.desc(), ClientFeedback.id.desc())
    )
    return [(row, name) for row, name in rows]


def _risks(db_session: Session, client_id: int, as_of: dt.date) -> list[Risk]:
    open_first = case((Risk.status == RiskStatus.OPEN, 0), else_=1)
    return list(
        db_session.scalars(
            select(Risk)
            .where(Risk.client_id == client_id, Risk.raised_on <= as_of)
            .order_by(open_first, Risk.raised_on.desc(), Risk.id.desc())
        )
    )


def _source_ids(data: SuccessData) -> dict[str, list[int]]:
    baselines = {data.baseline.id} if data.baseline else set()
    if data.progress is not None and data.progress.baseline_id is not None:
        baselines.add(data.progress.baseline_id)  # the latest snapshot may not measure the target metric
    return {
        "client": [data.client_id],
        "result_targets": [t.id for t in ([data.target] if data.target else []) + data.target_history],
        "baseline_snapshots": sorted(baselines),
        "interventions": [item.id for item in data.interventions],
        "outcome_entries": [item.id for item in data.outcome_entries],
        "risks": [item.id for item in data.risks],
        "client_feedback": [item.id for item in data.feedback],
        "proof_posts": data.proof_post_ids,
    }
