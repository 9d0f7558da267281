"""Seed 003's operations: company with contract, proposals, consultant deliverables and payments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from domain.db import Base, IdMixin, TenantMixin, TimestampMixin, enum_type
from domain.enums import ContractStatus, DeliverableStatus, PaymentStatus, ProposalStatus


class Company(IdMixin, TenantMixin, TimestampMixin, Base):
    """The client business as seed 003 sees it; one per client, carrying its contract id."""

    __tablename__ = "companies"
    __table_args__ = (UniqueConstraint("client_id"), UniqueConstraint("workspace_id", "name"))

    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    # seed 003's Company.contractId: the reference of the signed Contract ("contract-xxx"), a string as there.
    contract_id: Mapped[str | None] = mapped_column(String(64))


class Contract(IdMixin, TenantMixin, TimestampMixin, Base):
    __tablename__ = "contracts"
    __table_args__ = (
        UniqueConstraint("workspace_id", "reference"),
        CheckConstraint("value IS NULL OR value >= 0", name="value_non_negative"),
    )

    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    reference: Mapped[str] = mapped_column(String(64))  # "contract-xxx" in seed 003
    status: Mapped[ContractStatus] = mapped_column(enum_type(ContractStatus), default=ContractStatus.PENDING)
    signed_on: Mapped[dt.date | None] = mapped_column(Date)
    value: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))


class Proposal(IdMixin, TenantMixin, TimestampMixin, Base):
    """The engagement plan; its consultant owns the engagement (and so may see the client)."""

    __tablename__ = "proposals"
    __table_args__ = (Index("ix_proposals_consultant", "consultant_id"),)

    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    consultant_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(300))
    purpose: Mapped[str | None] = mapped_column(Text)
    status: Mapped[ProposalStatus] = mapped_column(enum_type(ProposalStatus), default=ProposalStatus.DRAFT)
    phases: Mapped[list[dict[str, Any]]] = mapped_column(default=list)  # [{"id","name","weeks"}]
    milestones: Mapped[list[dict[str, Any]]] = mapped_column(default=list)  # [{"id","name","due_date"}]
    # seed 003's Proposal.compensation.paymentSchedule [{"description","amount","due_date"}]; approval
    # turns it into Payment rows, so a draft's schedule never shows as money owed.
    payment_schedule: Mapped[list[dict[str, Any]]] = mapped_column(default=list)
    approved_on: Mapped[dt.date | None] = mapped_column(Date)


class Deliverable(IdMixin, TimestampMixin, Base):
    """seed 003's ConsultantDeliverable: what we are providing, linked to the client contact."""

    __tablename__ = "deliverables"
    __table_args__ = (
        CheckConstraint("status != 'completed' OR completed_at IS NOT NULL", name="completed_needs_date"),
        CheckConstraint("status != 'blocked' OR notes IS NOT NULL", name="blocked_needs_note"),
        UniqueConstraint("proposal_id", "milestone_id"),
    )

    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id", ondelete="SET NULL"), index=True)
    milestone_id: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[DeliverableStatus] = mapped_column(enum_type(DeliverableStatus), default=DeliverableStatus.PENDING)
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    completed_at: Mapped[dt.datetime | None]
    notes: Mapped[str | None] = mapped_column(Text)


class Payment(IdMixin, TimestampMixin, Base):
    __tablename__ = "payments"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("(status = 'paid') = (paid_at IS NOT NULL)", name="paid_iff_paid_at"),
    )

    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(String(300))
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    due_date: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[PaymentStatus] = mapped_column(enum_type(PaymentStatus), default=PaymentStatus.PENDING)
    paid_at: Mapped[dt.datetime | None]
    transaction_id: Mapped[str | None] = mapped_column(String(100))


class PortalLink(IdMixin, TenantMixin, Base):
    """An unguessable, revocable link to a proposal's client portal; only the token's hash is stored."""

    __tablename__ = "portal_links"

    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(128), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=lambda: dt.datetime.now(dt.UTC))
    last_viewed_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]
