"""Outbound messages csagent has sent (briefings, weekly client emails), one per recipient per period."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from domain.db import Base, IdMixin, TenantMixin


class Delivery(IdMixin, TenantMixin, Base):
    """A message claimed for sending; the unique key makes re-running a job never send twice."""

    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("kind", "channel", "recipient", "period_key"),)

    kind: Mapped[str] = mapped_column(String(32))  # "briefing" | "weekly_client_email"
    channel: Mapped[str] = mapped_column(String(16))  # "slack" | "email"
    recipient: Mapped[str] = mapped_column(String(254))  # email address or Slack user id
    period_key: Mapped[str] = mapped_column(String(32))  # "2026-11-22" (daily) or "2026-W47" (weekly)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default="pending")  # "pending" | "sent" | "failed"
    message_id: Mapped[str | None] = mapped_column(String(255))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=lambda: dt.datetime.now(dt.UTC))
    sent_at: Mapped[dt.datetime | None]
