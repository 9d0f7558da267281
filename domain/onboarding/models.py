"""Seed 002: onboarding path progress, success milestones, intervention rules and their runs."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import Boolean, CheckConstraint, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from domain.db import Base, IdMixin, TenantMixin, TimestampMixin, client_fk, enum_type
from domain.enums import EventType


class OnboardingProgress(IdMixin, TimestampMixin, Base):
    __tablename__ = "onboarding_progress"
    __table_args__ = (UniqueConstraint("client_id"),)

    client_id: Mapped[int] = client_fk()
    started_on: Mapped[dt.date] = mapped_column(Date)
    completed_actions: Mapped[list[str]] = mapped_column(default=list)
    fully_activated_at: Mapped[dt.datetime | None]


class Milestone(IdMixin, Base):
    """A success milestone, recorded once per client (seed 002's success_milestones)."""

    __tablename__ = "milestones"
    __table_args__ = (UniqueConstraint("client_id", "milestone_type"),)

    client_id: Mapped[int] = client_fk()
    milestone_type: Mapped[str] = mapped_column(String(64))  # first_form, ten_clients, first_automation, ...
    achieved_at: Mapped[dt.datetime]
    celebrated: Mapped[bool] = mapped_column(Boolean, default=False)


class MilestoneMeasure(StrEnum):
    """What a milestone definition counts among a client's matching events."""

    EVENTS = "events"
    DISTINCT_USERS = "distinct_users"


class MilestoneDefinition(IdMixin, TenantMixin, TimestampMixin, Base):
    """How a tenant recognises a milestone: the `threshold`-th matching event (or user) achieves it."""

    __tablename__ = "milestone_definitions"
    __table_args__ = (
        UniqueConstraint("workspace_id", "key"),
        CheckConstraint("threshold >= 1", name="threshold_positive"),
    )

    key: Mapped[str] = mapped_column(String(64))  # stored as Milestone.milestone_type
    name: Mapped[str] = mapped_column(String(120))
    event_type: Mapped[EventType] = mapped_column(enum_type(EventType))
    feature_key: Mapped[str | None] = mapped_column(String(64))  # None: any event of the type
    measure: Mapped[MilestoneMeasure] = mapped_column(enum_type(MilestoneMeasure), default=MilestoneMeasure.EVENTS)
    threshold: Mapped[int] = mapped_column(default=1)
    celebration: Mapped[str] = mapped_column(String(200))  # what the CSM is advised to do, never sent
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)


class InterventionRule(IdMixin, TenantMixin, Base):
    """condition -> action -> template, evaluated daily; produces recommendations, never sends."""

    __tablename__ = "intervention_rules"
    __table_args__ = (UniqueConstraint("workspace_id", "condition"),)

    condition: Mapped[str] = mapped_column(String(64))  # no_login_7_days, low_client_adoption, ...
    action: Mapped[str] = mapped_column(String(64))
    template: Mapped[str] = mapped_column(String(64))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)


class InterventionRun(IdMixin, Base):
    __tablename__ = "intervention_runs"
    __table_args__ = (UniqueConstraint("rule_id", "client_id", "run_on"),)

    rule_id: Mapped[int] = mapped_column(ForeignKey("intervention_rules.id", ondelete="CASCADE"))
    client_id: Mapped[int] = client_fk()
    run_on: Mapped[dt.date] = mapped_column(Date)
    recommended_action: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(16), default="recommended")  # recommended | done | dismissed
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
