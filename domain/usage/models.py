"""Raw engagement events (seeds 001 and 004) and the daily rollups scores are computed from."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from domain.db import JSON, Base, BigId, IdMixin, TenantMixin, TimestampMixin, client_fk, enum_type
from domain.enums import EventType


class EngagementEvent(TenantMixin, Base):
    """One thing a client's user did; `event_id` is the sender's id, so re-sending is a no-op."""

    __tablename__ = "engagement_events"
    __table_args__ = (
        UniqueConstraint("workspace_id", "event_id"),
        CheckConstraint("duration_seconds IS NULL OR duration_seconds >= 0", name="duration_non_negative"),
        CheckConstraint("occurred_hour >= 0 AND occurred_hour <= 23", name="hour_range"),
        Index("ix_engagement_events_client_day", "client_id", "occurred_on"),
        # "when was this person last active as of day D" (champion recency, per-user engagement)
        Index("ix_engagement_events_client_user_day", "client_id", "user_ref", "occurred_on"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    # No single-column indexes on the two foreign keys (unlike TenantMixin and client_fk): the unique
    # (workspace_id, event_id) and the (client_id, ...) indexes lead with them, and every extra index
    # is paid on each of millions of inserts (migration 0003).
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    event_id: Mapped[str] = mapped_column(String(128))
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    user_ref: Mapped[str] = mapped_column(String(100))
    event_type: Mapped[EventType] = mapped_column(enum_type(EventType))
    feature_key: Mapped[str | None] = mapped_column(String(64))
    occurred_at: Mapped[dt.datetime]
    # Derived from occurred_at (UTC) at write time so rollups group without dialect-specific date SQL.
    occurred_on: Mapped[dt.date] = mapped_column(Date)
    occurred_hour: Mapped[int] = mapped_column(SmallInteger)
    session_id: Mapped[str | None] = mapped_column(String(100))
    duration_seconds: Mapped[int | None]
    properties: Mapped[dict[str, Any] | None]


class UsageRollup(Base):
    """Daily usage per client (seed 004's ClientUsageMetric), rebuilt from events."""

    __tablename__ = "usage_rollups"
    __table_args__ = (
        UniqueConstraint("client_id", "day"),
        CheckConstraint("daily_active_users >= 0", name="dau_non_negative"),
        CheckConstraint("weekly_active_users >= daily_active_users", name="wau_at_least_dau"),
        CheckConstraint("monthly_active_users >= weekly_active_users", name="mau_at_least_wau"),
        Index("ix_usage_rollups_day", "day"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    client_id: Mapped[int] = client_fk()
    day: Mapped[dt.date] = mapped_column(Date)
    daily_active_users: Mapped[int] = mapped_column(default=0)
    weekly_active_users: Mapped[int] = mapped_column(default=0)  # distinct users, rolling 7 days
    monthly_active_users: Mapped[int] = mapped_column(default=0)  # distinct users, rolling 30 days
    new_users: Mapped[int] = mapped_column(default=0)
    total_sessions: Mapped[int] = mapped_column(default=0)
    total_actions: Mapped[int] = mapped_column(default=0)
    avg_session_duration_seconds: Mapped[int | None]
    avg_session_depth: Mapped[float | None]  # actions per session
    logins: Mapped[int] = mapped_column(default=0)
    feature_counts: Mapped[dict[str, Any]] = mapped_column(default=dict)  # feature_key -> uses
    logins_by_hour: Mapped[dict[str, Any]] = mapped_column(default=dict)  # "0".."23" -> logins
    logins_by_weekday: Mapped[dict[str, Any]] = mapped_column(default=dict)  # "mon".."sun" -> logins


class SeasonalityRule(IdMixin, TenantMixin, TimestampMixin, Base):
    """A segment's slow months (seed 002: "November slowdown is normal") and the share of usage expected then.

    Read through domain.seasonality: scoring and alert rules lower what they expect instead of raising alarms.
    """

    __tablename__ = "seasonality_rules"
    __table_args__ = (
        UniqueConstraint("workspace_id", "segment"),
        CheckConstraint("usage_factor > 0 AND usage_factor <= 1", name="usage_factor_range"),
    )

    segment: Mapped[str] = mapped_column(String(100))  # Client.segment, or "*" for every segment without a rule
    slow_months: Mapped[list[int]] = mapped_column(JSON, default=list)  # 1 (January) .. 12 (December)
    usage_factor: Mapped[float] = mapped_column(default=0.7)  # expected usage is multiplied by this then
    note: Mapped[str | None] = mapped_column(String(300))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
