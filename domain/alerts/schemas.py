"""Pydantic views of alerts, alert runs and alert settings: what services return, never ORM rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field

from domain.enums import AlertSeverity, AlertStatus, AlertType


class AlertView(BaseModel):
    """One alert as a user sees it; a snooze whose time has passed already shows as NEW."""

    id: int
    client_id: int
    client_name: str
    alert_type: AlertType
    severity: AlertSeverity
    status: AlertStatus
    subject_key: str
    title: str
    description: str
    trigger_metric: str | None
    trigger_value: str | None
    trigger_threshold: str | None
    related_entity_type: str | None
    related_entity_id: str | None
    recommended_action: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    acknowledged_at: dt.datetime | None
    acknowledged_by_id: int | None
    snoozed_until: dt.datetime | None
    dismissed_at: dt.datetime | None
    dismissed_by_id: int | None
    resolved_at: dt.datetime | None
    resolution_notes: str | None


class AlertRunReport(BaseModel):
    """What one evaluation changed; `created_alert_ids` are the alerts a notifier may announce."""

    workspace_id: int
    as_of: dt.date
    now: dt.datetime
    clients: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    resolved: int = 0
    suppressed: int = 0  # conditions that still hold but whose alert was dismissed
    unsnoozed: int = 0
    escalated: int = 0  # acknowledged or snoozed alerts that got more severe and are NEW again
    created_alert_ids: list[int] = Field(default_factory=list)


class AlertSettingsView(BaseModel):
    """The settings in force for the workspace (client_id None) or one client, and what that row overrides."""

    client_id: int | None
    enabled: dict[AlertType, bool]
    thresholds: dict[AlertType, dict[str, Any]]
    overrides: dict[str, Any]
    quiet_hours_start: dt.time | None
    quiet_hours_end: dt.time | None
    muted_until: dt.datetime | None
