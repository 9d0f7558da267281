"""Seed 000's client success layer: result target, baseline, interventions, outcomes, risks, feedback, proof."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, Index, Numeric, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from domain.db import Base, IdMixin, TimestampMixin, client_fk, enum_type
from domain.enums import InterventionKind, MetricDirection, RiskStatus


class ResultTarget(IdMixin, TimestampMixin, Base):
    """The outcome contract: current state -> target state on one metric by a date. History is kept."""

    __tablename__ = "result_targets"
    __table_args__ = (
        Index(
            "uq_result_targets_one_active",
            "client_id",
            unique=True,
            sqlite_where=text("is_active = 1"),
            postgresql_where=text("is_active"),
        ),
        CheckConstraint("target_date > start_date", name="target_after_start"),
        CheckConstraint("target_value != current_value", name="target_differs_from_current"),
    )

    client_id: Mapped[int] = client_fk()
    current_state: Mapped[str] = mapped_column(Text)
    target_state: Mapped[str] = mapped_column(Text)
    metric: Mapped[str] = mapped_column(String(120))
    unit: Mapped[str] = mapped_column(String(40))
    direction: Mapped[MetricDirection] = mapped_column(enum_type(MetricDirection))
    current_value: Mapped[Decimal] = mapped_column(Numeric(16, 4))
    target_value: Mapped[Decimal] = mapped_column(Numeric(16, 4))
    start_date: Mapped[dt.date] = mapped_column(Date)
    target_date: Mapped[dt.date] = mapped_column(Date)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class BaselineSnapshot(IdMixin, TimestampMixin, Base):
    """ "Before" metrics at delivery start: {metric: {"value": 42.0, "unit": "hours/week"}}."""

    __tablename__ = "baseline_snapshots"
    __table_args__ = (UniqueConstraint("client_id", "captured_on"),)

    client_id: Mapped[int] = client_fk()
    captured_on: Mapped[dt.date] = mapped_column(Date)
    metrics: Mapped[dict[str, Any]] = mapped_column()
    notes: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Intervention(IdMixin, TimestampMixin, Base):
    __tablename__ = "interventions"

    client_id: Mapped[int] = client_fk()
    kind: Mapped[InterventionKind] = mapped_column(enum_type(InterventionKind))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    occurred_on: Mapped[dt.date] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class OutcomeEntry(IdMixin, TimestampMixin, Base):
    """One weekly scorecard value; a week holds one value per metric."""

    __tablename__ = "outcome_entries"
    __table_args__ = (UniqueConstraint("client_id", "metric", "week_start"),)

    client_id: Mapped[int] = client_fk()
    metric: Mapped[str] = mapped_column(String(120))
    unit: Mapped[str] = mapped_column(String(40))
    value: Mapped[Decimal] = mapped_column(Numeric(16, 4))
    week_start: Mapped[dt.date] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class Risk(IdMixin, TimestampMixin, Base):
    """A risk or bottleneck blocking results now; resolving it needs a resolution."""

    __tablename__ = "risks"
    __table_args__ = (
        CheckConstraint(
            "(status = 'resolved') = (resolved_at IS NOT NULL AND resolution IS NOT NULL)",
            name="resolved_iff_resolution",
        ),
    )

    client_id: Mapped[int] = client_fk()
    description: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(String(10), default="medium")
    status: Mapped[RiskStatus] = mapped_column(enum_type(RiskStatus), default=RiskStatus.OPEN)
    raised_on: Mapped[dt.date] = mapped_column(Date)
    resolved_at: Mapped[dt.datetime | None]
    resolution: Mapped[str | None] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class ClientFeedback(IdMixin, TimestampMixin, Base):
    """A check-in answer: "what still feels slow or confusing?"."""

    __tablename__ = "client_feedback"

    client_id: Mapped[int] = client_fk()
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    question: Mapped[str] = mapped_column(String(300), default="What still feels slow or confusing?")
    response: Mapped[str] = mapped_column(Text)
    sentiment: Mapped[str | None] = mapped_column(String(10))  # positive | neutral | negative
    received_on: Mapped[dt.date] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class ProofPost(IdMixin, TimestampMixin, Base):
    """A proof post built from measured data, with the ids it was built from."""

    __tablename__ = "proof_posts"

    client_id: Mapped[int] = client_fk()
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    case_study_bullets: Mapped[list[str]] = mapped_column(default=list)
    proposal_snippet: Mapped[str | None] = mapped_column(Text)
    source_ids: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
