"""Seed 003's shapes: deliverable bodies (camelCase as the seed writes them), the envelopes, and portalData."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from domain.enums import DeliverableStatus
from domain.operations.deliverables import DeliverableIn
from domain.operations.schemas import DeliverableView, PaymentView

Id = Field(ge=1, le=2**31 - 1)


def _both(camel: str, snake: str) -> AliasChoices:
    return AliasChoices(camel, snake)


class DeliverableBody(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    contact_id: int = Field(ge=1, le=2**31 - 1, validation_alias=_both("contactId", "contact_id"))
    title: str = Field(min_length=1, max_length=300)
    description: str | None = Field(default=None, max_length=5000)
    category: str | None = Field(default=None, max_length=64)
    proposal_id: int | None = Field(
        default=None, ge=1, le=2**31 - 1, validation_alias=_both("proposalId", "proposal_id")
    )
    milestone_id: str | None = Field(
        default=None, min_length=1, max_length=64, validation_alias=_both("milestoneId", "milestone_id")
    )
    due_date: dt.date | None = Field(default=None, validation_alias=_both("dueDate", "due_date"))
    status: DeliverableStatus = DeliverableStatus.PENDING
    notes: str | None = Field(default=None, max_length=5000)

    def to_domain(self) -> DeliverableIn:
        return DeliverableIn(**self.model_dump())


class DeliverableStatusBody(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    status: DeliverableStatus
    completed_at: dt.datetime | None = Field(default=None, validation_alias=_both("completedAt", "completed_at"))
    notes: str | None = Field(default=None, max_length=5000)


class PaymentBody(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    status: Literal["paid"] = Field(description="Payments move to paid only; refunds are outside the portal")
    paid_at: dt.datetime | None = Field(default=None, validation_alias=_both("paidAt", "paid_at"))
    transaction_id: str | None = Field(
        default=None, max_length=100, validation_alias=_both("transactionId", "transaction_id")
    )


class DeliverableResult(BaseModel):
    success: bool = True
    deliverable: DeliverableView


class DeliverableList(BaseModel):
    success: bool = True
    deliverables: list[DeliverableView]


class PaymentResult(BaseModel):
    success: bool = True
    payment: PaymentView


class PortalClient(BaseModel):
    name: str | None
    company: str
    contactEmail: str | None  # noqa: N815 - seed 003's key names
    contactId: int | None  # noqa: N815


class PortalContract(BaseModel):
    contractId: str | None  # noqa: N815
    status: str
    signedDate: str | None  # noqa: N815


class PortalDeliverable(BaseModel):
    id: int
    title: str
    status: str
    completedAt: str | None  # noqa: N815
    dueDate: str | None  # noqa: N815
    category: str | None


class PortalProposal(BaseModel):
    id: int
    purpose: str | None
    phases: list[dict[str, Any]]
    milestones: list[dict[str, Any]]
    status: str


class PortalPayment(BaseModel):
    id: int
    amount: float
    dueDate: str | None  # noqa: N815
    status: str
    description: str


class NextPayment(BaseModel):
    amount: float
    dueDate: str | None  # noqa: N815


class PortalStatus(BaseModel):
    overall: str
    completedDeliverables: int  # noqa: N815
    totalDeliverables: int  # noqa: N815
    nextMilestone: str | None  # noqa: N815
    nextPayment: NextPayment | None  # noqa: N815


class PortalData(BaseModel):
    client: PortalClient
    contract: PortalContract
    deliverables: list[PortalDeliverable]
    proposal: PortalProposal
    payments: list[PortalPayment]
    status: PortalStatus


class PortalResponse(BaseModel):
    success: bool = True
    portalData: PortalData  # noqa: N815
