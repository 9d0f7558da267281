"""Seed 004 alert endpoints: the caller's alerts, a client's, and the lifecycle (acknowledge, snooze, ...)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from channels.web.api_deps import ClientId, NowDep, id_path
from channels.web.deps import ActorDep, SessionDep
from channels.web.pagination import Page, PageDep
from channels.web.schemas.alerts import ResolveIn, SnoozeIn
from channels.web.schemas.errors import ERRORS
from domain.alerts.schemas import AlertView
from domain.alerts.service import acknowledge_alert, dismiss_alert, list_alerts, resolve_alert, snooze_alert
from domain.enums import AlertSeverity, AlertStatus

router = APIRouter(prefix="/api/v1/client-success", tags=["alerts"], responses=ERRORS)
AlertId = Annotated[int, id_path("alert")]
StatusFilter = Annotated[
    AlertStatus | None, Query(description="Default: those needing attention (NEW and ACKNOWLEDGED)")
]


@router.get("/alerts", response_model=Page[AlertView], summary="List all alerts")
def get_alerts(
    session: SessionDep,
    actor: ActorDep,
    now: NowDep,
    paging: PageDep,
    status: StatusFilter = None,
    severity: AlertSeverity | None = None,
    client_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> Page[AlertView]:
    """Alerts of the caller's clients, most severe first, then newest."""
    rows = list_alerts(db_session=session, actor=actor, now=now, status=status, client_id=client_id, severity=severity)
    return paging.cut(rows)


@router.get("/clients/{client_id}/alerts", response_model=Page[AlertView], summary="Client's alerts")
def get_client_alerts(
    client_id: ClientId,
    session: SessionDep,
    actor: ActorDep,
    now: NowDep,
    paging: PageDep,
    status: StatusFilter = None,
    severity: AlertSeverity | None = None,
) -> Page[AlertView]:
    rows = list_alerts(db_session=session, actor=actor, now=now, status=status, client_id=client_id, severity=severity)
    return paging.cut(rows)


@router.put("/alerts/{alert_id}/acknowledge", response_model=AlertView, summary="Acknowledge alert")
def put_acknowledge(alert_id: AlertId, session: SessionDep, actor: ActorDep, now: NowDep) -> AlertView:
    return acknowledge_alert(db_session=session, actor=actor, alert_id=alert_id, now=now)


@router.put("/alerts/{alert_id}/snooze", response_model=AlertView, summary="Snooze alert")
def put_snooze(alert_id: AlertId, body: SnoozeIn, session: SessionDep, actor: ActorDep, now: NowDep) -> AlertView:
    """Hide the alert for some days or until a time; it comes back as NEW."""
    return snooze_alert(db_session=session, actor=actor, alert_id=alert_id, now=now, until=body.until, days=body.days)


@router.put("/alerts/{alert_id}/dismiss", response_model=AlertView, summary="Dismiss alert")
def put_dismiss(alert_id: AlertId, session: SessionDep, actor: ActorDep, now: NowDep) -> AlertView:
    return dismiss_alert(db_session=session, actor=actor, alert_id=alert_id, now=now)


@router.put("/alerts/{alert_id}/resolve", response_model=AlertView, summary="Resolve alert")
def put_resolve(alert_id: AlertId, body: ResolveIn, session: SessionDep, actor: ActorDep, now: NowDep) -> AlertView:
    return resolve_alert(db_session=session, actor=actor, alert_id=alert_id, now=now, notes=body.notes)
