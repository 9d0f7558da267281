"""ORM rows of client operations to their pydantic views; `snapshot` gives the JSON form audit rows store."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel

from domain.operations import rules
from domain.operations.models import Company, Contract, Deliverable, Payment, Proposal
from domain.operations.schemas import CompanyView, ContractView, DeliverableView, PaymentView, ProposalView


def snapshot(view: BaseModel) -> dict[str, Any]:
    return view.model_dump(mode="json", exclude={"overdue", "days_overdue"})


def contract_view(row: Contract) -> ContractView:
    return ContractView(id=row.id, reference=row.reference, status=row.status, signed_on=row.signed_on, value=row.value)


def company_view(row: Company, contract: Contract | None) -> CompanyView:
    return CompanyView(
        id=row.id,
        client_id=row.client_id,
        name=row.name,
        contract_id=row.contract_id,
        contract=contract_view(contract) if contract else None,
    )


def proposal_view(row: Proposal) -> ProposalView:
    return ProposalView(
        id=row.id,
        client_id=row.client_id,
        company_id=row.company_id,
        contact_id=row.contact_id,
        consultant_id=row.consultant_id,
        title=row.title,
        purpose=row.purpose,
        status=row.status,
        phases=list(row.phases or []),
        milestones=list(row.milestones or []),
        payment_schedule=list(row.payment_schedule or []),
        approved_on=row.approved_on,
    )


def deliverable_view(row: Deliverable, as_of: dt.date | None = None) -> DeliverableView:
    """With `as_of`, the view says whether the deliverable is overdue on that day."""
    overdue = as_of is not None and rules.deliverable_overdue(row.status, row.due_date, as_of)
    return DeliverableView(
        id=row.id,
        proposal_id=row.proposal_id,
        milestone_id=row.milestone_id,
        contact_id=row.contact_id,
        title=row.title,
        category=row.category,
        status=row.status,
        due_date=row.due_date,
        completed_at=row.completed_at,
        notes=row.notes,
        overdue=overdue,
        days_overdue=rules.days_overdue(row.due_date, as_of, overdue) if as_of else 0,
    )


def payment_view(row: Payment, as_of: dt.date | None = None) -> PaymentView:
    overdue = as_of is not None and rules.payment_overdue(row.status, row.due_date, as_of)
    return PaymentView(
        id=row.id,
        proposal_id=row.proposal_id,
        description=row.description,
        amount=row.amount,
        currency=row.currency,
        due_date=row.due_date,
        status=row.status,
        paid_at=row.paid_at,
        transaction_id=row.transaction_id,
        overdue=overdue,
        days_overdue=rules.days_overdue(row.due_date, as_of, overdue) if as_of else 0,
    )
