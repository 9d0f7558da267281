"""Pydantic shapes of client operations (seed 003): proposal inputs, and the views services return."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from domain.enums import ContractStatus, DeliverableStatus, MetricDirection, PaymentStatus, ProposalStatus


class PhaseIn(BaseModel):
    """A phase of work; free-form beyond its name, as seed 003's "phase data"."""

    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    id: str | None = Field(default=None, max_length=64)
    name: str = Field(min_length=1, max_length=200)
    weeks: int | None = Field(default=None, ge=1, le=520)


class MilestoneIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: str | None = Field(default=None, min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=300)
    due_date: dt.date
    category: str | None = Field(default=None, max_length=64)
    description: str | None = None


class PaymentIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    description: str = Field(min_length=1, max_length=300)
    amount: Decimal = Field(gt=0, max_digits=14, decimal_places=2)
    due_date: dt.date
    currency: str = Field(default="USD", min_length=3, max_length=3)


class ContractView(BaseModel):
    id: int
    reference: str
    status: ContractStatus
    signed_on: dt.date | None
    value: Decimal | None


class CompanyView(BaseModel):
    id: int
    client_id: int
    name: str
    contract_id: str | None  # seed 003's Company.contractId: the contract's reference
    contract: ContractView | None


class ProposalView(BaseModel):
    id: int
    client_id: int
    company_id: int
    contact_id: int | None
    consultant_id: int | None
    title: str
    purpose: str | None
    status: ProposalStatus
    phases: list[dict[str, object]]
    milestones: list[dict[str, object]]
    payment_schedule: list[dict[str, object]]
    approved_on: dt.date | None


class DeliverableView(BaseModel):
    id: int
    proposal_id: int | None
    milestone_id: str | None
    contact_id: int
    title: str
    category: str | None
    status: DeliverableStatus
    due_date: dt.date | None
    completed_at: dt.datetime | None
    notes: str | None
    overdue: bool = False  # as of the call's day; always False on write results
    days_overdue: int = 0


class PaymentView(BaseModel):
    id: int
    proposal_id: int
    description: str
    amount: Decimal
    currency: str
    due_date: dt.date
    status: PaymentStatus
    paid_at: dt.datetime | None
    transaction_id: str | None
    overdue: bool = False
    days_overdue: int = 0


class ApprovalResult(BaseModel):
    """An approved proposal with the deliverables and payments approval created (none on a retry)."""

    proposal: ProposalView
    created_deliverable_ids: list[int]
    created_payment_ids: list[int]
    deliverable_ids: list[int]
    payment_ids: list[int]


class NextMilestone(BaseModel):
    proposal_id: int
    milestone_id: str | None
    deliverable_id: int
    name: str
    due_date: dt.date | None


class EngagementStatus(BaseModel):
    """Where a client's engagements stand: what we owe them, what they owe us, what is next and what is stuck."""

    client_id: int
    client_name: str
    as_of: dt.date
    proposal_ids: list[int]
    overall: str  # pending | in-progress | blocked | completed
    deliverables: list[DeliverableView]  # by due date, undated last
    payments: list[PaymentView]  # by due date
    completed_deliverables: int
    total_deliverables: int
    next_milestone: NextMilestone | None
    next_payment: PaymentView | None
    blocked: list[DeliverableView]
    overdue_deliverables: int
    overdue_payments: int
    source_ids: dict[str, list[int]] = Field(default_factory=dict)


class OverdueDeliverable(BaseModel):
    deliverable_id: int
    client_id: int
    client_name: str
    proposal_id: int | None
    title: str
    status: DeliverableStatus
    due_date: dt.date
    days_overdue: int


class OverduePayment(BaseModel):
    payment_id: int
    client_id: int
    client_name: str
    proposal_id: int
    description: str
    amount: Decimal
    currency: str
    due_date: dt.date
    days_overdue: int


class OverdueItems(BaseModel):
    """Everything past due in a workspace on a day, for the alerts engine."""

    workspace_id: int
    as_of: dt.date
    deliverables: list[OverdueDeliverable]
    payments: list[OverduePayment]


class OutcomeContract(BaseModel):
    """A proposal framed by the client's active result target (seed 000)."""

    target_id: int
    metric: str
    unit: str
    direction: MetricDirection
    current_state: str
    target_state: str
    current_value: Decimal
    target_value: Decimal
    start_date: dt.date
    target_date: dt.date


class ProposalSummary(BaseModel):
    proposal_id: int
    client_id: int
    client_name: str
    as_of: dt.date | None
    title: str
    purpose: str | None
    status: ProposalStatus
    is_outcome_contract: bool
    outcome_contract: OutcomeContract | None
    framing: str  # "Outcome contract: <metric> from <current> to <target> <unit> by <date>." or a plain line
    phases: list[str]
    milestones: list[str]
    payment_total: Decimal
    source_ids: dict[str, list[int]] = Field(default_factory=dict)
