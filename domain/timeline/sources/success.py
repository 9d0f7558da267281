"""Seed 000's success layer: targets, baselines, interventions, outcome entries, risks, feedback, proof posts."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy.orm import Session, aliased

from domain.clients.models import Contact
from domain.success.models import (
    BaselineSnapshot,
    ClientFeedback,
    Intervention,
    OutcomeEntry,
    ProofPost,
    ResultTarget,
    Risk,
)
from domain.timeline.rules import at_midnight
from domain.timeline.schemas import TimelineEntry, TimelineKind
from domain.timeline.sources.base import ClientRef, SourceScope, client_rows, label, make_entry, number, shorten


def target_entries(session: Session, scope: SourceScope) -> Iterator[TimelineEntry]:
    rows = client_rows(
        session,
        scope,
        ResultTarget,
        occurred=[ResultTarget.created_at],
        changed=ResultTarget.updated_at,
        author=ResultTarget.created_by_id,
    )
    for row in rows:
        target: ResultTarget = row.ResultTarget
        change = f"{number(target.current_value)} → {number(target.target_value)} {target.unit}"
        yield make_entry(
            TimelineKind.TARGET_SET,
            "result_target",
            target.id,
            ClientRef.of(row),
            occurred_at=target.created_at,
            title=f"Result target set: {target.metric} {change} by {target.target_date.isoformat()}",
            body=[
                f"Now: {target.current_state}",
                f"Target: {target.target_state}",
                f"{target.metric}: {change} from {target.start_date.isoformat()} to {target.target_date.isoformat()}",
                None if target.is_active else "Superseded by a later target",
            ],
            author_id=target.created_by_id,
            author_name=row.author_name,
            details={"metric": target.metric, "is_active": target.is_active},
        )


def baseline_entries(session: Session, scope: SourceScope) -> Iterator[TimelineEntry]:
    rows = client_rows(
        session,
        scope,
        BaselineSnapshot,
        occurred=[BaselineSnapshot.captured_on],
        changed=BaselineSnapshot.updated_at,
        author=BaselineSnapshot.created_by_id,
    )
    for row in rows:
        baseline: BaselineSnapshot = row.BaselineSnapshot
        metrics = [_baseline_metric(name, value) for name, value in sorted((baseline.metrics or {}).items())]
        yield make_entry(
            TimelineKind.BASELINE,
            "baseline_snapshot",
            baseline.id,
            ClientRef.of(row),
            occurred_at=at_midnight(baseline.captured_on),
            title=f"Baseline captured: {len(metrics)} metric{'s' if len(metrics) != 1 else ''}",
            body=["Baseline: " + "; ".join(metrics) if metrics else None, baseline.notes],
            author_id=baseline.created_by_id,
            author_name=row.author_name,
            details={"metrics": len(metrics)},
        )


def _baseline_metric(name: str, value: object) -> str:
    if isinstance(value, dict):
        return f"{name} {value.get('value')} {value.get('unit', '')}".rstrip()
    return f"{name} {value}"


def intervention_entries(session: Session, scope: SourceScope) -> Iterator[TimelineEntry]:
    rows = client_rows(
        session,
        scope,
        Intervention,
        occurred=[Intervention.occurred_on],
        changed=Intervention.updated_at,
        author=Intervention.created_by_id,
    )
    for row in rows:
        item: Intervention = row.Intervention
        yield make_entry(
            TimelineKind.INTERVENTION,
            "intervention",
            item.id,
            ClientRef.of(row),
            occurred_at=at_midnight(item.occurred_on),
            title=f"Intervention ({label(item.kind).lower()}): {item.title}",
            body=[item.title, item.description, f"{label(item.kind)} intervention"],
            author_id=item.created_by_id,
            author_name=row.author_name,
            subtype=item.kind.value,
            details={"intervention_kind": item.kind.value},
        )


def outcome_entries(session: Session, scope: SourceScope) -> Iterator[TimelineEntry]:
    rows = client_rows(
        session,
        scope,
        OutcomeEntry,
        occurred=[OutcomeEntry.week_start],
        changed=OutcomeEntry.updated_at,
        author=OutcomeEntry.created_by_id,
    )
    for row in rows:
        entry: OutcomeEntry = row.OutcomeEntry
        measured = f"{entry.metric} {number(entry.value)} {entry.unit}"
        yield make_entry(
            TimelineKind.OUTCOME,
            "outcome_entry",
            entry.id,
            ClientRef.of(row),
            occurred_at=at_midnight(entry.week_start),
            title=f"Outcome: {measured} (week of {entry.week_start.isoformat()})",
            body=[f"Scorecard: {measured} for the week of {entry.week_start.isoformat()}", entry.notes],
            author_id=entry.created_by_id,
            author_name=row.author_name,
            details={"metric": entry.metric, "value": number(entry.value), "unit": entry.unit},
        )


def risk_entries(session: Session, scope: SourceScope) -> Iterator[TimelineEntry]:
    rows = client_rows(
        session,
        scope,
        Risk,
        occurred=[Risk.raised_on, Risk.resolved_at],
        changed=Risk.updated_at,
        author=Risk.created_by_id,
    )
    for row in rows:
        risk: Risk = row.Risk
        client, details = ClientRef.of(row), {"severity": risk.severity, "status": risk.status.value}
        yield make_entry(
            TimelineKind.RISK_RAISED,
            "risk",
            risk.id,
            client,
            occurred_at=at_midnight(risk.raised_on),
            title=f"Risk raised ({risk.severity}): {shorten(risk.description)}",
            body=[risk.description, f"{risk.severity.capitalize()} severity, {risk.status.value}"],
            author_id=risk.created_by_id,
            author_name=row.author_name,
            details=dict(details),
        )
        if risk.resolved_at is not None:
            yield make_entry(
                TimelineKind.RISK_RESOLVED,
                "risk",
                risk.id,
                client,
                occurred_at=risk.resolved_at,
                title=f"Risk resolved: {shorten(risk.description)}",
                body=[risk.description, f"Resolution: {risk.resolution}" if risk.resolution else None],
                details=dict(details),
            )


def feedback_entries(session: Session, scope: SourceScope) -> Iterator[TimelineEntry]:
    contact = aliased(Contact)
    rows = client_rows(
        session,
        scope,
        ClientFeedback,
        occurred=[ClientFeedback.received_on],
        changed=ClientFeedback.updated_at,
        author=ClientFeedback.created_by_id,
        extra=[contact.name.label("contact_name")],
        outer=[(contact, contact.id == ClientFeedback.contact_id)],
    )
    for row in rows:
        feedback: ClientFeedback = row.ClientFeedback
        sentiment = f" ({feedback.sentiment})" if feedback.sentiment else ""
        yield make_entry(
            TimelineKind.FEEDBACK,
            "client_feedback",
            feedback.id,
            ClientRef.of(row),
            occurred_at=at_midnight(feedback.received_on),
            title=f"Feedback{sentiment}: {shorten(feedback.response)}",
            body=[
                feedback.question,
                feedback.response,
                f"From {row.contact_name}" if row.contact_name else None,
            ],
            author_id=feedback.created_by_id,
            author_name=row.author_name,
            details={"sentiment": feedback.sentiment, "contact_id": feedback.contact_id},
        )


def proof_entries(session: Session, scope: SourceScope) -> Iterator[TimelineEntry]:
    rows = client_rows(
        session,
        scope,
        ProofPost,
        occurred=[ProofPost.created_at],
        changed=ProofPost.updated_at,
        author=ProofPost.created_by_id,
    )
    for row in rows:
        post: ProofPost = row.ProofPost
        yield make_entry(
            TimelineKind.PROOF_POST,
            "proof_post",
            post.id,
            ClientRef.of(row),
            occurred_at=post.created_at,
            title=f"Proof post: {post.title}",
            body=[post.title, post.body, *(f"- {bullet}" for bullet in post.case_study_bullets or [])],
            author_id=post.created_by_id,
            author_name=row.author_name,
        )
