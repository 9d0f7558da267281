"""Subscription invoices and their payment (what seed 004's contract health and PAYMENT_ISSUE read)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from domain.db import Base, IdMixin, TimestampMixin, client_fk, enum_type
from domain.enums import InvoiceStatus


class Invoice(IdMixin, TimestampMixin, Base):
    __tablename__ = "invoices"
    __table_args__ = (
        UniqueConstraint("client_id", "number"),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("due_date >= issued_on", name="due_after_issue"),
        CheckConstraint("(status = 'PAID') = (paid_on IS NOT NULL)", name="paid_iff_paid_on"),
    )

    client_id: Mapped[int] = client_fk()
    number: Mapped[str] = mapped_column(String(40))
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    issued_on: Mapped[dt.date] = mapped_column(Date)
    due_date: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[InvoiceStatus] = mapped_column(enum_type(InvoiceStatus))
    paid_on: Mapped[dt.date | None] = mapped_column(Date)
