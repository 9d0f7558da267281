"""Who may touch which engagement: proposals, deliverables and payments are loaded through the actor.

Another tenant's rows are reported as missing. Within the tenant the client must be in the actor's
portfolio, and a consultant works only on the engagements (proposals) they own, even on a client
where a colleague owns another engagement.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.access import Actor, get_visible_client
from domain.audit import record_audit
from domain.clients.models import Client, Contact
from domain.enums import Role
from domain.errors import AccessDeniedError, NotFoundError
from domain.operations.models import Deliverable, Payment, Proposal


def visible_proposal(db_session: Session, actor: Actor, proposal_id: int) -> tuple[Proposal, Client]:
    proposal = db_session.get(Proposal, proposal_id)
    if proposal is None or proposal.workspace_id != actor.workspace_id:
        raise NotFoundError(f"no proposal with id {proposal_id}")
    client = get_visible_client(db_session, actor, proposal.client_id)
    if actor.role is Role.CONSULTANT and proposal.consultant_id != actor.user_id:
        raise AccessDeniedError(f"the engagement {proposal.title!r} is owned by another consultant")
    return proposal, client


def visible_deliverable(db_session: Session, actor: Actor, deliverable_id: int) -> tuple[Deliverable, Client]:
    row = db_session.execute(
        select(Deliverable, Client)
        .join(Contact, Contact.id == Deliverable.contact_id)
        .join(Client, Client.id == Contact.client_id)
        .where(Deliverable.id == deliverable_id)
    ).first()
    if row is None or row[1].workspace_id != actor.workspace_id:
        raise NotFoundError(f"no deliverable with id {deliverable_id}")
    deliverable, client = row
    if deliverable.proposal_id is not None:
        visible_proposal(db_session, actor, deliverable.proposal_id)
    else:
        get_visible_client(db_session, actor, client.id)
    return deliverable, client


def visible_payment(db_session: Session, actor: Actor, payment_id: int) -> tuple[Payment, Proposal]:
    payment = db_session.get(Payment, payment_id)
    proposal = db_session.get(Proposal, payment.proposal_id) if payment is not None else None
    if payment is None or proposal is None or proposal.workspace_id != actor.workspace_id:
        raise NotFoundError(f"no payment with id {payment_id}")
    visible_proposal(db_session, actor, proposal.id)
    return payment, proposal


def audit(
    db_session: Session,
    actor: Actor,
    *,
    action: str,
    entity_type: str,
    entity_id: int,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    record_audit(
        db_session,
        workspace_id=actor.workspace_id,
        actor_user_id=actor.user_id,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        before=before,
        after=after,
    )
