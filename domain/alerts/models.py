"""Alerts with their lifecycle (seed 004 F8, seed 001 momentum alerts, seed 003 operations alerts)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, Time, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from domain.db import Base, IdMixin, TenantMixin, TimestampMixin, client_fk, enum_type
from domain.enums import AlertSeverity, AlertStatus, AlertType

OPEN_ALERT_STATUSES = (AlertStatus.NEW, AlertStatus.ACKNOWLEDGED, AlertStatus.SNOOZED)
_OPEN_SQL = "status IN ('NEW', 'ACKNOWLEDGED', 'SNOOZED')"


class Alert(IdMixin, TimestampMixin, Base):
    __tablename__ = "alerts"
    __table_args__ = (
        # One open alert per client, type and subject: re-running the engine never duplicates.
        Index(
            "uq_alerts_open_subject",
            "client_id",
            "alert_type",
            "subject_key",
            unique=True,
            sqlite_where=text(_OPEN_SQL),
            postgresql_where=text(_OPEN_SQL),
        ),
        Index("ix_alerts_client_status", "client_id", "status"),
        CheckConstraint("status != 'SNOOZED' OR snoozed_until IS NOT NULL", name="snooze_needs_until"),
        CheckConstraint("status != 'RESOLVED' OR resolved_at IS NOT NULL", name="resolved_needs_time"),
        CheckConstraint("status != 'DISMISSED' OR dismissed_at IS NOT NULL", name="dismissed_needs_time"),
    )

    client_id: Mapped[int] = client_fk()
    alert_type: Mapped[AlertType] = mapped_column(enum_type(AlertType))
    severity: Mapped[AlertSeverity] = mapped_column(enum_type(AlertSeverity))
    # What the alert is about within the client: a contact id, a feature key, "renewal-60", or "" for the client.
    subject_key: Mapped[str] = mapped_column(String(120), default="")
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text)
    trigger_metric: Mapped[str | None] = mapped_column(String(100))
    trigger_value: Mapped[str | None] = mapped_column(String(100))
    trigger_threshold: Mapped[str | None] = mapped_column(String(100))
    related_entity_type: Mapped[str | None] = mapped_column(String(40))
    related_entity_id: Mapped[str | None] = mapped_column(String(64))
    recommended_action: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[AlertStatus] = mapped_column(enum_type(AlertStatus), default=AlertStatus.NEW)
    acknowledged_at: Mapped[dt.datetime | None]
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    snoozed_until: Mapped[dt.datetime | None]
    dismissed_at: Mapped[dt.datetime | None]
    dismissed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # On a DISMISSED alert resolved_at marks when its condition cleared: until then the engine does not
    # raise the same subject again ("don't show again for this event"); afterwards a recurrence is new.
    resolved_at: Mapped[dt.datetime | None]
    resolution_notes: Mapped[str | None] = mapped_column(Text)


class AlertSetting(IdMixin, TenantMixin, TimestampMixin, Base):
    """Alert configuration: one workspace row (client_id NULL) of defaults, optional per-client overrides.

    `enabled` maps an alert type to true/false and `thresholds` an alert type to {parameter: value}; what a
    row leaves out is inherited (client row -> workspace row -> domain.alerts.thresholds.DEFAULT_THRESHOLDS).
    """

    __tablename__ = "alert_settings"
    __table_args__ = (
        Index(
            "uq_alert_settings_workspace_default",
            "workspace_id",
            unique=True,
            sqlite_where=text("client_id IS NULL"),
            postgresql_where=text("client_id IS NULL"),
        ),
        UniqueConstraint("client_id"),
        CheckConstraint("(quiet_hours_start IS NULL) = (quiet_hours_end IS NULL)", name="quiet_hours_pair"),
        # Quiet hours belong to the tenant and muting to a client, so each lives on its own kind of row.
        CheckConstraint("client_id IS NULL OR quiet_hours_start IS NULL", name="quiet_hours_workspace_only"),
        CheckConstraint("client_id IS NOT NULL OR muted_until IS NULL", name="mute_needs_client"),
    )

    client_id: Mapped[int | None] = client_fk(nullable=True)
    enabled: Mapped[dict[str, Any]] = mapped_column(default=dict)
    thresholds: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Wall-clock times read in each user's own timezone; start > end spans midnight (22:00-07:00).
    quiet_hours_start: Mapped[dt.time | None] = mapped_column(Time)
    quiet_hours_end: Mapped[dt.time | None] = mapped_column(Time)
    muted_until: Mapped[dt.datetime | None]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
