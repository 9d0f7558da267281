"""Seed 003's deliverables API: create one for a client contact, list a contact's. Status changes: delivery.py."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.access import Actor, get_visible_client
from domain.clients.models import Contact
from domain.enums import DeliverableStatus
from domain.errors import AccessDeniedError, ConflictError, NotFoundError, ValidationError
from domain.operations.models import Deliverable, Proposal
from domain.operations.schemas import DeliverableView
from domain.operations.scope import audit, visible_proposal
from domain.operations.status import by_due_date
from domain.operations.views import deliverable_view, snapshot


class DeliverableIn(BaseModel):
    """Seed 003's POST /api/deliverables body, in snake case."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    contact_id: int
    title: str = Field(min_length=1, max_length=300)
    description: str | None = Field(default=None, max_length=5000)
    category: str | None = Field(default=None, max_length=64)
    proposal_id: int | None = None
    milestone_id: str | None = Field(default=None, min_length=1, max_length=64)
    due_date: dt.date | None = None
    status: DeliverableStatus = DeliverableStatus.PENDING
    notes: str | None = Field(default=None, max_length=5000)


def create_deliverable(
    *, db_session: Session, actor: Actor, deliverable: DeliverableIn, now: dt.datetime
) -> DeliverableView:
    """Record something we are delivering to a client contact, optionally tied to a proposal milestone."""
    contact = visible_contact(db_session, actor, deliverable.contact_id)
    if deliverable.proposal_id is not None:
        proposal, _client = visible_proposal(db_session, actor, deliverable.proposal_id)
        _check_same_client(proposal, contact)
        _check_milestone_free(db_session, proposal.id, deliverable.milestone_id)
    elif deliverable.milestone_id is not None:
        raise ValidationError("a milestone id only goes with a proposal id")
    if deliverable.status is DeliverableStatus.BLOCKED and not deliverable.notes:
        raise ValidationError("a blocked deliverable needs notes saying what blocks it")
    row = Deliverable(
        **deliverable.model_dump(),
        completed_at=now if deliverable.status is DeliverableStatus.COMPLETED else None,
    )
    db_session.add(row)
    db_session.flush()
    view = deliverable_view(row, now.date())
    audit(
        db_session,
        actor,
        action="create",
        entity_type="deliverable",
        entity_id=row.id,
        before=None,
        after=snapshot(view),
    )
    return view


def list_deliverables(*, db_session: Session, actor: Actor, contact_id: int, as_of: dt.date) -> list[DeliverableView]:
    """A client contact's deliverables by due date (undated last), overdue flags as of `as_of`."""
    contact = visible_contact(db_session, actor, contact_id)
    rows = db_session.scalars(select(Deliverable).where(Deliverable.contact_id == contact.id)).all()
    visible = [row for row in rows if _engagement_visible(db_session, actor, row)]
    return [deliverable_view(row, as_of) for row in by_due_date(visible)]


def visible_contact(db_session: Session, actor: Actor, contact_id: int) -> Contact:
    contact = db_session.get(Contact, contact_id)
    if contact is None:
        raise NotFoundError(f"no contact with id {contact_id}")
    try:
        get_visible_client(db_session, actor, contact.client_id)
    except NotFoundError:
        raise NotFoundError(f"no contact with id {contact_id}") from None
    return contact


def _engagement_visible(db_session: Session, actor: Actor, row: Deliverable) -> bool:
    """A consultant sees the deliverables of their own engagements only (domain/operations/scope.py)."""
    if row.proposal_id is None:
        return True
    try:
        visible_proposal(db_session, actor, row.proposal_id)
    except (NotFoundError, AccessDeniedError):
        return False
    return True


def _check_same_client(proposal: Proposal, contact: Contact) -> None:
    if proposal.client_id != contact.client_id:
        raise ValidationError(f"contact {contact.id} is not at the client of proposal {proposal.id}")


def _check_milestone_free(db_session: Session, proposal_id: int, milestone_id: str | None) -> None:
    if milestone_id is None:
        return
    taken = db_session.scalar(
        select(Deliverable.id).where(Deliverable.proposal_id == proposal_id, Deliverable.milestone_id == milestone_id)
    )
    if taken is not None:
        raise ConflictError(f"milestone {milestone_id!r} of proposal {proposal_id} already has deliverable {taken}")
