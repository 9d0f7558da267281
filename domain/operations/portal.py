"""Seed 003's client portal hydration: `portalData` for one engagement, in the seed's exact shape and key names.

Dates are ISO strings ("2025-11-15"; completedAt is the completion's UTC day, as the seed shows it),
amounts are JSON numbers, and keys are the seed's camelCase, so the dict serialises as the portal expects.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.access import Actor
from domain.clients.models import Contact
from domain.enums import DeliverableStatus, PaymentStatus
from domain.operations import rules
from domain.operations.models import Company, Contract, Deliverable, Payment, Proposal
from domain.operations.scope import visible_proposal
from domain.operations.status import by_due_date, milestone_name, next_open_deliverable, next_unpaid


def portal_data(*, db_session: Session, actor: Actor, proposal_id: int, as_of: dt.date) -> dict[str, Any]:
    """Hydrate the client portal of an engagement: client, contract, deliverables, proposal, payments, status."""
    proposal, _client = visible_proposal(db_session, actor, proposal_id)
    return hydrate_portal(db_session=db_session, proposal=proposal, as_of=as_of)


def hydrate_portal(*, db_session: Session, proposal: Proposal, as_of: dt.date) -> dict[str, Any]:
    """The portal data of a proposal the caller is already entitled to (staff scope, or a portal link)."""
    company = db_session.get(Company, proposal.company_id)
    assert company is not None  # the foreign key cascades, so a proposal always has its company
    contact = db_session.get(Contact, proposal.contact_id) if proposal.contact_id else None
    deliverables = by_due_date(
        db_session.scalars(select(Deliverable).where(Deliverable.proposal_id == proposal.id)).all()
    )
    payments = sorted(
        db_session.scalars(select(Payment).where(Payment.proposal_id == proposal.id)).all(),
        key=lambda row: (row.due_date, row.id),
    )
    return {
        "client": {
            "name": contact.name if contact else None,
            "company": company.name,
            "contactEmail": contact.email if contact else None,
            "contactId": contact.id if contact else None,
        },
        "contract": _contract(db_session, company, proposal),
        "deliverables": [_deliverable(row) for row in deliverables],
        "proposal": {
            "id": proposal.id,
            "purpose": proposal.purpose,
            "phases": list(proposal.phases or []),
            "milestones": list(proposal.milestones or []),
            "status": proposal.status.value,
        },
        "payments": [_payment(row, as_of) for row in payments],
        "status": _status(proposal, deliverables, payments),
    }


def _contract(db_session: Session, company: Company, proposal: Proposal) -> dict[str, Any]:
    """The contract on file; without one, approval stands for the signature (seed 003: approved = active)."""
    contract = None
    if company.contract_id is not None:
        contract = db_session.scalar(
            select(Contract).where(
                Contract.workspace_id == company.workspace_id, Contract.reference == company.contract_id
            )
        )
    signed = contract.signed_on if contract and contract.signed_on else None
    if contract is None and proposal.status in rules.ENGAGED:
        signed = proposal.approved_on
    return {
        "contractId": company.contract_id,
        "status": rules.contract_status(contract.status if contract else None, proposal.status),
        "signedDate": _iso(signed),
    }


def _deliverable(row: Deliverable) -> dict[str, Any]:
    return {
        "id": row.id,
        "title": row.title,
        "status": row.status.value,
        "completedAt": _iso(row.completed_at.astimezone(dt.UTC).date()) if row.completed_at else None,
        "dueDate": _iso(row.due_date),
        "category": row.category,
    }


def _payment(row: Payment, as_of: dt.date) -> dict[str, Any]:
    return {
        "id": row.id,
        "amount": rules.json_amount(row.amount),
        "dueDate": _iso(row.due_date),
        "status": rules.shown_payment_status(row.status, row.due_date, as_of).value,
        "description": row.description,
    }


def _status(proposal: Proposal, deliverables: list[Deliverable], payments: list[Payment]) -> dict[str, Any]:
    upcoming, unpaid = next_open_deliverable(deliverables), next_unpaid(payments)
    return {
        "overall": rules.overall_status(
            (row.status for row in deliverables), all(row.status is PaymentStatus.PAID for row in payments)
        ),
        "completedDeliverables": sum(1 for row in deliverables if row.status is DeliverableStatus.COMPLETED),
        "totalDeliverables": len(deliverables),
        "nextMilestone": milestone_name(proposal, upcoming) if upcoming else None,
        "nextPayment": {"amount": rules.json_amount(unpaid.amount), "dueDate": _iso(unpaid.due_date)}
        if unpaid
        else None,
    }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
