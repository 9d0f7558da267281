"""Seed 000's delivery journal: interventions (what we changed), risks and bottlenecks, client feedback."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.access import Actor
from domain.clients.models import Client, Contact
from domain.enums import InterventionKind, RiskStatus
from domain.errors import ConflictError, NotFoundError, ValidationError
from domain.success.gate import audit, not_after, optional_text, required_text, success_client
from domain.success.models import ClientFeedback, Intervention, Risk
from domain.success.schemas import FeedbackView, InterventionView, RiskView
from domain.success.views import feedback_view, intervention_view, risk_view, snapshot

SEVERITIES = ("low", "medium", "high", "critical")
SENTIMENTS = ("positive", "neutral", "negative")
DEFAULT_QUESTION = "What still feels slow or confusing?"


def log_intervention(
    *,
    db_session: Session,
    actor: Actor,
    client_id: int,
    kind: InterventionKind | str,
    title: str,
    occurred_on: dt.date,
    as_of: dt.date,
    description: str | None = None,
) -> InterventionView:
    """Log what was changed for the client (automation, workflow, tool stack, process) and when."""
    client = success_client(db_session, actor, client_id)
    try:
        chosen = InterventionKind(kind)
    except ValueError:
        allowed = ", ".join(k.value for k in InterventionKind)
        raise ValidationError(f"unknown intervention kind {kind!r}; use one of {allowed}") from None
    row = Intervention(
        client_id=client.id,
        kind=chosen,
        title=required_text(title, "the intervention title", max_length=300),
        description=optional_text(description),
        occurred_on=not_after(occurred_on, as_of, "the intervention date"),
        created_by_id=actor.user_id,
    )
    db_session.add(row)
    db_session.flush()
    view = intervention_view(row, as_of)
    audit(
        db_session,
        actor,
        action="create",
        entity_type="intervention",
        entity_id=row.id,
        before=None,
        after=snapshot(view),
    )
    return view


def add_risk(
    *,
    db_session: Session,
    actor: Actor,
    client_id: int,
    description: str,
    as_of: dt.date,
    severity: str = "medium",
    raised_on: dt.date | None = None,
) -> RiskView:
    """Track a risk or bottleneck that blocks results now."""
    client = success_client(db_session, actor, client_id)
    level = (severity or "").strip().lower()
    if level not in SEVERITIES:
        raise ValidationError(f"unknown severity {severity!r}; use one of {', '.join(SEVERITIES)}")
    row = Risk(
        client_id=client.id,
        description=required_text(description, "the risk description"),
        severity=level,
        status=RiskStatus.OPEN,
        raised_on=not_after(raised_on or as_of, as_of, "the date the risk was raised"),
        created_by_id=actor.user_id,
    )
    db_session.add(row)
    db_session.flush()
    view = risk_view(row, as_of)
    audit(db_session, actor, action="create", entity_type="risk", entity_id=row.id, before=None, after=snapshot(view))
    return view


def resolve_risk(*, db_session: Session, actor: Actor, risk_id: int, resolution: str, now: dt.datetime) -> RiskView:
    """Resolve an open risk; the resolution (what removed it) is required."""
    text = required_text(resolution, "the resolution (what removed the risk)")
    if now.tzinfo is None:
        raise ValidationError("`now` must be timezone-aware")
    row = db_session.get(Risk, risk_id)
    client = db_session.get(Client, row.client_id) if row is not None else None
    if row is None or client is None or client.workspace_id != actor.workspace_id:
        raise NotFoundError(f"no risk with id {risk_id}")
    success_client(db_session, actor, client.id)
    as_of = now.date()
    if row.status is RiskStatus.RESOLVED:
        if row.resolution == text:
            return risk_view(row, as_of)  # a retried call
        raise ConflictError(f"risk {risk_id} was already resolved: {row.resolution}")
    before = snapshot(risk_view(row, as_of))
    row.status, row.resolution, row.resolved_at = RiskStatus.RESOLVED, text, now
    db_session.flush()
    view = risk_view(row, as_of)
    audit(
        db_session, actor, action="resolve", entity_type="risk", entity_id=row.id, before=before, after=snapshot(view)
    )
    return view


def log_feedback(
    *,
    db_session: Session,
    actor: Actor,
    client_id: int,
    response: str,
    as_of: dt.date,
    contact_id: int | None = None,
    sentiment: str | None = None,
    question: str = DEFAULT_QUESTION,
    received_on: dt.date | None = None,
) -> FeedbackView:
    """Log a client check-in answer, by default to "What still feels slow or confusing?"."""
    client = success_client(db_session, actor, client_id)
    contact = _client_contact(db_session, client, contact_id)
    mood = optional_text(sentiment)
    if mood is not None and mood.lower() not in SENTIMENTS:
        raise ValidationError(f"unknown sentiment {sentiment!r}; use one of {', '.join(SENTIMENTS)}")
    row = ClientFeedback(
        client_id=client.id,
        contact_id=contact.id if contact else None,
        question=required_text(question, "the question", max_length=300),
        response=required_text(response, "the client's response"),
        sentiment=mood.lower() if mood else None,
        received_on=not_after(received_on or as_of, as_of, "the feedback date"),
        created_by_id=actor.user_id,
    )
    db_session.add(row)
    db_session.flush()
    view = feedback_view(row, contact.name if contact else None, as_of)
    audit(
        db_session,
        actor,
        action="create",
        entity_type="client_feedback",
        entity_id=row.id,
        before=None,
        after=snapshot(view),
    )
    return view


def _client_contact(db_session: Session, client: Client, contact_id: int | None) -> Contact | None:
    if contact_id is None:
        return None
    contact = db_session.scalar(select(Contact).where(Contact.id == contact_id, Contact.client_id == client.id))
    if contact is None:
        raise NotFoundError(f"{client.name} has no contact with id {contact_id}")
    return contact
