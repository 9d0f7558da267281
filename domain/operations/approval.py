"""Approving a proposal turns its plan into work (seed 003 "Create Deliverables from Proposal").

One deliverable per milestone, pending, due with the milestone, for the proposal's contact; one payment
row per line of the schedule. Approval is idempotent: a retry creates only what is missing, matched by
milestone id and by (description, amount, due date) of the schedule line.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.access import Actor
from domain.enums import DeliverableStatus, PaymentStatus, ProposalStatus
from domain.errors import ConflictError, ValidationError
from domain.operations import rules
from domain.operations.models import Company, Deliverable, Payment, Proposal
from domain.operations.schemas import ApprovalResult
from domain.operations.scope import audit, visible_proposal
from domain.operations.service import activate_contract
from domain.operations.views import deliverable_view, payment_view, proposal_view, snapshot


def approve_proposal(*, db_session: Session, actor: Actor, proposal_id: int, approved_on: dt.date) -> ApprovalResult:
    """Approve a proposal: create a deliverable per milestone and the scheduled payments (idempotent)."""
    proposal, _client = visible_proposal(db_session, actor, proposal_id)
    _check_approvable(proposal, approved_on)
    if proposal.status in rules.APPROVABLE or proposal.approved_on is None:
        before = snapshot(proposal_view(proposal))
        if proposal.status in rules.APPROVABLE:
            proposal.status = ProposalStatus.APPROVED
        proposal.approved_on = approved_on
        db_session.flush()
        audit(
            db_session,
            actor,
            action="approve",
            entity_type="proposal",
            entity_id=proposal.id,
            before=before,
            after=snapshot(proposal_view(proposal)),
        )
    company = db_session.get(Company, proposal.company_id)
    if company is not None:
        activate_contract(db_session, actor, company, approved_on)
    new_deliverables = _create_deliverables(db_session, actor, proposal)
    new_payments = _create_payments(db_session, actor, proposal)
    deliverable_ids = db_session.scalars(
        select(Deliverable.id).where(Deliverable.proposal_id == proposal.id).order_by(Deliverable.id)
    ).all()
    payment_ids = db_session.scalars(
        select(Payment.id).where(Payment.proposal_id == proposal.id).order_by(Payment.id)
    ).all()
    return ApprovalResult(
        proposal=proposal_view(proposal),
        created_deliverable_ids=new_deliverables,
        created_payment_ids=new_payments,
        deliverable_ids=list(deliverable_ids),
        payment_ids=list(payment_ids),
    )


def _check_approvable(proposal: Proposal, approved_on: dt.date) -> None:
    if proposal.status in (ProposalStatus.DECLINED, ProposalStatus.COMPLETED):
        raise ValidationError(f"a {proposal.status.value} proposal cannot be approved")
    if proposal.status not in rules.APPROVABLE and proposal.approved_on not in (None, approved_on):
        assert proposal.approved_on is not None
        raise ConflictError(f"the proposal was already approved on {proposal.approved_on.isoformat()}")
    if proposal.contact_id is None:
        raise ValidationError("the proposal has no client contact; deliverables are linked to a contact")


def _create_deliverables(db_session: Session, actor: Actor, proposal: Proposal) -> list[int]:
    existing = set(db_session.scalars(select(Deliverable.milestone_id).where(Deliverable.proposal_id == proposal.id)))
    assert proposal.contact_id is not None
    created = []
    for milestone in proposal.milestones or []:
        if milestone["id"] in existing:
            continue
        row = Deliverable(
            contact_id=proposal.contact_id,
            proposal_id=proposal.id,
            milestone_id=milestone["id"],
            title=milestone["name"],
            description=milestone.get("description"),
            category=milestone.get("category"),
            status=DeliverableStatus.PENDING,
            due_date=_date(milestone.get("due_date")),
        )
        db_session.add(row)
        db_session.flush()
        audit(
            db_session,
            actor,
            action="create",
            entity_type="deliverable",
            entity_id=row.id,
            before=None,
            after=snapshot(deliverable_view(row)),
        )
        created.append(row.id)
    return created


def _create_payments(db_session: Session, actor: Actor, proposal: Proposal) -> list[int]:
    rows = db_session.scalars(select(Payment).where(Payment.proposal_id == proposal.id))
    existing = {(row.description, row.amount, row.due_date) for row in rows}
    created = []
    for line in proposal.payment_schedule or []:
        due_date = _date(line["due_date"])
        assert due_date is not None  # create_proposal validated the schedule
        key = (str(line["description"]), Decimal(str(line["amount"])), due_date)
        if key in existing:
            continue
        existing.add(key)
        description, amount, _ = key
        row = Payment(
            proposal_id=proposal.id,
            description=description,
            amount=amount,
            currency=line.get("currency", "USD"),
            due_date=due_date,
            status=PaymentStatus.PENDING,
        )
        db_session.add(row)
        db_session.flush()
        audit(
            db_session,
            actor,
            action="create",
            entity_type="payment",
            entity_id=row.id,
            before=None,
            after=snapshot(payment_view(row)),
        )
        created.append(row.id)
    return created


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))
