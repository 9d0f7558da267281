"""Support tickets, NPS/CSAT survey responses and seed 002's support interactions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from domain.db import Base, IdMixin, TimestampMixin, client_fk, enum_type
from domain.enums import SupportInteractionType, SurveyKind, TicketSeverity, TicketStatus


class SupportTicket(IdMixin, TimestampMixin, Base):
    __tablename__ = "support_tickets"
    __table_args__ = (
        UniqueConstraint("client_id", "external_ref"),
        CheckConstraint("closed_at IS NULL OR closed_at >= opened_at", name="closed_after_opened"),
        CheckConstraint("csat IS NULL OR (csat >= 1 AND csat <= 5)", name="csat_range"),
        Index("ix_support_tickets_client_opened", "client_id", "opened_at"),
    )

    client_id: Mapped[int] = client_fk()
    external_ref: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    severity: Mapped[TicketSeverity] = mapped_column(enum_type(TicketSeverity))
    status: Mapped[TicketStatus] = mapped_column(enum_type(TicketStatus))
    opened_at: Mapped[dt.datetime]
    closed_at: Mapped[dt.datetime | None]
    csat: Mapped[int | None]
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))


class SurveyResponse(IdMixin, Base):
    __tablename__ = "survey_responses"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'NPS' AND score >= 0 AND score <= 10) OR (kind = 'CSAT' AND score >= 1 AND score <= 5)",
            name="score_range_by_kind",
        ),
        Index("ix_survey_responses_client_responded", "client_id", "responded_at"),
    )

    client_id: Mapped[int] = client_fk()
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    kind: Mapped[SurveyKind] = mapped_column(enum_type(SurveyKind))
    score: Mapped[int]
    comment: Mapped[str | None] = mapped_column(Text)
    responded_at: Mapped[dt.datetime]


class SupportInteraction(IdMixin, Base):
    """Seed 002's support_interactions: onboarding calls, check-ins, technical support."""

    __tablename__ = "support_interactions"

    client_id: Mapped[int] = client_fk()
    type: Mapped[SupportInteractionType] = mapped_column(enum_type(SupportInteractionType))
    notes: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(200))
    performed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    occurred_at: Mapped[dt.datetime]
