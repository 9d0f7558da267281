"""Alert settings: load the workspace and client layers in one query, read and change them as an Actor."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.access import Actor, get_visible_client
from domain.alerts.models import AlertSetting
from domain.alerts.schemas import AlertSettingsView
from domain.alerts.thresholds import EffectiveSettings, SettingsLayer, merge_settings, validate_overrides
from domain.audit import record_audit
from domain.enums import AlertType, Role
from domain.errors import AccessDeniedError, ValidationError

WORKSPACE_SETTINGS_EDITORS = frozenset({Role.VP_CLIENT_SUCCESS, Role.ADMIN})


@dataclass(frozen=True, slots=True)
class WorkspaceAlertSettings:
    """Every settings layer of a workspace, loaded once per run and merged per client on demand."""

    workspace: SettingsLayer | None = None
    clients: Mapping[int, SettingsLayer] = field(default_factory=dict)
    quiet_hours: tuple[dt.time, dt.time] | None = None

    def for_client(self, client_id: int) -> EffectiveSettings:
        return merge_settings(self.workspace, self.clients.get(client_id))

    def configured_values(self, alert_type: AlertType, name: str) -> set[Any]:
        """Every value a parameter takes anywhere in the workspace (so one query can cover all clients)."""
        values = {merge_settings(self.workspace).params(alert_type)[name]}
        values.update(self.for_client(client_id).params(alert_type)[name] for client_id in self.clients)
        return values


def load_alert_settings(
    *, db_session: Session, workspace_id: int, client_ids: Collection[int] | None = None
) -> WorkspaceAlertSettings:
    """Load the workspace row and the client rows (of the given clients, or all) in one query."""
    query = select(AlertSetting).where(AlertSetting.workspace_id == workspace_id)
    if client_ids is not None:
        query = query.where((AlertSetting.client_id.is_(None)) | (AlertSetting.client_id.in_(list(client_ids))))
    workspace, clients, quiet = None, {}, None
    for row in db_session.scalars(query):
        layer = SettingsLayer(row.enabled or {}, row.thresholds or {}, row.muted_until)
        if row.client_id is None:
            workspace = layer
            if row.quiet_hours_start is not None and row.quiet_hours_end is not None:
                quiet = (row.quiet_hours_start, row.quiet_hours_end)
        else:
            clients[row.client_id] = layer
    return WorkspaceAlertSettings(workspace, clients, quiet)


def get_alert_settings(*, db_session: Session, actor: Actor, client_id: int | None = None) -> AlertSettingsView:
    """Show the alert settings that apply to the workspace, or to one client with its overrides."""
    if client_id is not None:
        get_visible_client(db_session, actor, client_id)
    settings = load_alert_settings(
        db_session=db_session, workspace_id=actor.workspace_id, client_ids=[client_id] if client_id else []
    )
    row = _row(db_session, actor.workspace_id, client_id)
    return _view(settings, row, client_id)


def update_alert_settings(
    *,
    db_session: Session,
    actor: Actor,
    now: dt.datetime,
    client_id: int | None = None,
    enabled: Mapping[str, bool] | None = None,
    thresholds: Mapping[str, Mapping[str, Any]] | None = None,
    quiet_hours: tuple[dt.time, dt.time] | None = None,
    clear_quiet_hours: bool = False,
) -> AlertSettingsView:
    """Change alert settings: workspace defaults (VP or admin) or one client's overrides (whoever sees it).

    `enabled` and `thresholds` are merged into what is stored; `{}` for a type removes its overrides.
    """
    _check_editor(db_session, actor, client_id)
    validate_overrides(enabled or {}, thresholds or {})
    if client_id is not None and (quiet_hours or clear_quiet_hours):
        raise ValidationError("quiet hours are set for the whole workspace, not per client")
    row = _row(db_session, actor.workspace_id, client_id) or _new_row(db_session, actor.workspace_id, client_id)
    before = _snapshot(row)
    row.enabled = {**(row.enabled or {}), **(enabled or {})}
    merged = {**(row.thresholds or {}), **{key: dict(params) for key, params in (thresholds or {}).items()}}
    row.thresholds = {key: params for key, params in merged.items() if params}
    if quiet_hours is not None:
        row.quiet_hours_start, row.quiet_hours_end = quiet_hours
    elif clear_quiet_hours:
        row.quiet_hours_start = row.quiet_hours_end = None
    _touch(db_session, row, actor, now, before, "update")
    return get_alert_settings(db_session=db_session, actor=actor, client_id=client_id)


def mute_client(
    *, db_session: Session, actor: Actor, client_id: int, now: dt.datetime, until: dt.datetime | None
) -> AlertSettingsView:
    """Mute a client's alert notifications until a time (None unmutes); alerts are still recorded."""
    get_visible_client(db_session, actor, client_id)
    if until is not None and until <= now:
        raise ValidationError("mute until a time in the future (or pass none to unmute)")
    row = _row(db_session, actor.workspace_id, client_id) or _new_row(db_session, actor.workspace_id, client_id)
    before = _snapshot(row)
    row.muted_until = until
    _touch(db_session, row, actor, now, before, "mute" if until else "unmute")
    return get_alert_settings(db_session=db_session, actor=actor, client_id=client_id)


def _check_editor(session: Session, actor: Actor, client_id: int | None) -> None:
    if client_id is not None:
        get_visible_client(session, actor, client_id)
    elif actor.role not in WORKSPACE_SETTINGS_EDITORS:
        raise AccessDeniedError("only a VP of client success or an admin can change workspace alert settings")


def _row(session: Session, workspace_id: int, client_id: int | None) -> AlertSetting | None:
    match = AlertSetting.client_id.is_(None) if client_id is None else AlertSetting.client_id == client_id
    return session.scalar(select(AlertSetting).where(AlertSetting.workspace_id == workspace_id, match))


def _new_row(session: Session, workspace_id: int, client_id: int | None) -> AlertSetting:
    row = AlertSetting(workspace_id=workspace_id, client_id=client_id, enabled={}, thresholds={})
    session.add(row)
    return row


def _touch(
    session: Session, row: AlertSetting, actor: Actor, now: dt.datetime, before: dict[str, Any], action: str
) -> None:
    row.updated_by_id, row.updated_at = actor.user_id, now
    if row.id is None:
        row.created_at = now
    session.flush()
    record_audit(
        session,
        workspace_id=actor.workspace_id,
        actor_user_id=actor.user_id,
        action=action,
        entity_type="alert_setting",
        entity_id=row.id,
        before=before,
        after=_snapshot(row),
    )


def _snapshot(row: AlertSetting) -> dict[str, Any]:
    return {
        "client_id": row.client_id,
        "enabled": dict(row.enabled or {}),
        "thresholds": dict(row.thresholds or {}),
        "quiet_hours": [row.quiet_hours_start.isoformat(), row.quiet_hours_end.isoformat()]
        if row.quiet_hours_start and row.quiet_hours_end
        else None,
        "muted_until": row.muted_until.isoformat() if row.muted_until else None,
    }


def _view(settings: WorkspaceAlertSettings, row: AlertSetting | None, client_id: int | None) -> AlertSettingsView:
    effective = settings.for_client(client_id) if client_id is not None else merge_settings(settings.workspace)
    return AlertSettingsView(
        client_id=client_id,
        enabled={alert_type: effective.is_enabled(alert_type) for alert_type in AlertType},
        thresholds={alert_type: dict(effective.params(alert_type)) for alert_type in AlertType},
        overrides={"enabled": dict(row.enabled or {}), "thresholds": dict(row.thresholds or {})} if row else {},
        quiet_hours_start=settings.quiet_hours[0] if settings.quiet_hours else None,
        quiet_hours_end=settings.quiet_hours[1] if settings.quiet_hours else None,
        muted_until=row.muted_until if row else None,
    )
