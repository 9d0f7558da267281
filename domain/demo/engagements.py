"""Seed 003's consultancy side for the engagement stories: company, contract, proposal, deliverables, payments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from domain.demo.clock import stamps, utc_at
from domain.enums import ContractStatus, DeliverableStatus, PaymentStatus, ProposalStatus
from domain.operations.models import Company, Contract, Deliverable, Payment, Proposal

PHASES = [
    {"id": "phase-1", "name": "Discovery", "weeks": 2},
    {"id": "phase-2", "name": "Build", "weeks": 6},
    {"id": "phase-3", "name": "Rollout and hypercare", "weeks": 4},
]


@dataclass(frozen=True, slots=True)
class MilestoneSeed:
    name: str
    category: str
    due_in_days: int  # relative to as_of; negative is in the past
    status: DeliverableStatus
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class PaymentSeed:
    description: str
    amount: int
    due_in_days: int
    status: PaymentStatus


@dataclass(frozen=True, slots=True)
class EngagementSeed:
    story: str
    slug: str
    title: str
    purpose: str
    status: ProposalStatus
    approved_days_ago: int
    milestones: tuple[MilestoneSeed, ...]
    payments: tuple[PaymentSeed, ...]


@dataclass(frozen=True, slots=True)
class EngagementRefs:
    """Ids an engagement's rows hang off: its client, the client's champion and the staff involved."""

    workspace_id: int
    client_id: int
    client_name: str
    contact_id: int
    consultant_id: int


def create_engagement(
    *, db_session: Session, seed: EngagementSeed, refs: EngagementRefs, as_of: dt.date
) -> tuple[int, int, int]:
    """Write one engagement; returns (proposals, deliverables, payments) written."""
    approved = as_of - dt.timedelta(days=seed.approved_days_ago)
    proposal = _contract_and_proposal(db_session, seed, refs, approved, as_of)
    # seed 003: approval creates a deliverable per milestone and the payment schedule.
    planned = utc_at(approved, 16)
    deliverables = [
        _deliverable(proposal.id, refs.contact_id, number, milestone, as_of, planned)
        for number, milestone in enumerate(seed.milestones, start=1)
    ]
    payments = [
        _payment(proposal.id, seed.slug, number, payment, as_of, planned)
        for number, payment in enumerate(seed.payments, start=1)
    ]
    db_session.add_all([*deliverables, *payments])
    db_session.flush()
    return 1, len(deliverables), len(payments)


def _contract_and_proposal(
    db_session: Session, seed: EngagementSeed, refs: EngagementRefs, approved: dt.date, as_of: dt.date
) -> Proposal:
    """seed 003's company with its signed contract, and the approved proposal."""
    created = stamps(utc_at(approved - dt.timedelta(days=10), 15))
    company_id = _company_with_contract(db_session, seed, refs, approved, created)
    proposal = Proposal(
        workspace_id=refs.workspace_id,
        company_id=company_id,
        client_id=refs.client_id,
        contact_id=refs.contact_id,
        consultant_id=refs.consultant_id,
        title=seed.title,
        purpose=seed.purpose,
        status=seed.status,
        phases=PHASES,
        milestones=[_milestone_json(i, m, as_of) for i, m in enumerate(seed.milestones, start=1)],
        payment_schedule=[_payment_json(payment, as_of) for payment in seed.payments],
        approved_on=approved,
        **created,
    )
    db_session.add(proposal)
    db_session.flush()
    return proposal


def _company_with_contract(
    db_session: Session, seed: EngagementSeed, refs: EngagementRefs, approved: dt.date, created: dict[str, Any]
) -> int:
    """The company carries its contract's reference as a string ("contract-..."), as in seed 003."""
    reference = f"contract-{seed.slug}"
    company = Company(
        workspace_id=refs.workspace_id,
        client_id=refs.client_id,
        name=refs.client_name,
        contract_id=reference,
        **created,
    )
    db_session.add(company)
    db_session.flush()
    value = Decimal(sum(payment.amount for payment in seed.payments))
    contract = Contract(
        workspace_id=refs.workspace_id,
        company_id=company.id,
        reference=reference,
        status=ContractStatus.ACTIVE,
        signed_on=approved,
        value=value,
        **created,
    )
    db_session.add(contract)
    return company.id


def _milestone_json(number: int, milestone: MilestoneSeed, as_of: dt.date) -> dict[str, str]:
    due = as_of + dt.timedelta(days=milestone.due_in_days)
    return {
        "id": f"milestone-{number}",
        "name": milestone.name,
        "due_date": due.isoformat(),
        "category": milestone.category,
    }


def _payment_json(payment: PaymentSeed, as_of: dt.date) -> dict[str, Any]:
    """seed 003's compensation.paymentSchedule entry, which approval turned into the Payment rows."""
    due = as_of + dt.timedelta(days=payment.due_in_days)
    return {
        "description": payment.description,
        "amount": payment.amount,
        "due_date": due.isoformat(),
        "currency": "USD",
    }


def _deliverable(
    proposal_id: int, contact_id: int, number: int, milestone: MilestoneSeed, as_of: dt.date, planned: dt.datetime
) -> Deliverable:
    """seed 003: one deliverable per milestone, due with it, for the client contact."""
    due = as_of + dt.timedelta(days=milestone.due_in_days)
    done = milestone.status is DeliverableStatus.COMPLETED
    completed_at = utc_at(due - dt.timedelta(days=1), 16) if done else None
    return Deliverable(
        contact_id=contact_id,
        proposal_id=proposal_id,
        milestone_id=f"milestone-{number}",
        title=milestone.name.split(": ", 1)[-1],
        description=f"{milestone.name} ({milestone.category}).",
        category=milestone.category,
        status=milestone.status,
        due_date=due,
        completed_at=completed_at,
        notes=milestone.notes,
        **stamps(planned),
    )


def _payment(
    proposal_id: int, slug: str, number: int, payment: PaymentSeed, as_of: dt.date, planned: dt.datetime
) -> Payment:
    due = as_of + dt.timedelta(days=payment.due_in_days)
    paid = payment.status is PaymentStatus.PAID
    return Payment(
        proposal_id=proposal_id,
        description=payment.description,
        amount=Decimal(payment.amount),
        currency="USD",
        due_date=due,
        status=payment.status,
        paid_at=utc_at(due - dt.timedelta(days=2), 14) if paid else None,
        transaction_id=f"txn_{slug.replace('-', '')[:12]}_{number:03d}" if paid else None,
        **stamps(planned),
    )
