"""Partial unique indexes: one open alert per client, type and subject; one active result target per client."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain.alerts.models import OPEN_ALERT_STATUSES, Alert
from domain.clients.models import Client
from domain.enums import AlertStatus, AlertType
from domain.success.models import ResultTarget
from tests.factories import Factory

NOW = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)
OPEN_ALERT_TAKEN = "uq_alerts_open_subject|" + re.escape(
    "UNIQUE constraint failed: alerts.client_id, alerts.alert_type, alerts.subject_key"
)
ACTIVE_TARGET_TAKEN = "uq_result_targets_one_active|" + re.escape("UNIQUE constraint failed: result_targets.client_id")

# The extra columns each alert status needs to satisfy its CHECK constraints.
STATUS_FIELDS: dict[AlertStatus, dict[str, Any]] = {
    AlertStatus.NEW: {},
    AlertStatus.ACKNOWLEDGED: {"acknowledged_at": NOW},
    AlertStatus.SNOOZED: {"snoozed_until": NOW + dt.timedelta(days=7)},
    AlertStatus.DISMISSED: {"dismissed_at": NOW},
    AlertStatus.RESOLVED: {"resolved_at": NOW},
}
CLOSED = [status for status in AlertStatus if status not in OPEN_ALERT_STATUSES]


def alert(factory: Factory, client: Client, status: AlertStatus = AlertStatus.NEW, **overrides: Any) -> Alert:
    return factory.alert(client, status=status, **{**STATUS_FIELDS[status], **overrides})


@pytest.fixture
def clients(factory: Factory) -> tuple[Client, Client]:
    workspace = factory.workspace()
    return factory.client(workspace), factory.client(workspace)


def test_open_statuses_are_new_acknowledged_and_snoozed() -> None:
    assert set(OPEN_ALERT_STATUSES) == {AlertStatus.NEW, AlertStatus.ACKNOWLEDGED, AlertStatus.SNOOZED}


@pytest.mark.parametrize("first", OPEN_ALERT_STATUSES)
@pytest.mark.parametrize("second", OPEN_ALERT_STATUSES)
def test_two_open_alerts_on_one_subject_are_refused(
    db_session: Session, factory: Factory, clients: tuple[Client, Client], first: AlertStatus, second: AlertStatus
) -> None:
    client, _ = clients
    alert(factory, client, first, subject_key="contact-7")
    with pytest.raises(IntegrityError, match=OPEN_ALERT_TAKEN), db_session.begin_nested():
        alert(factory, client, second, subject_key="contact-7")


@pytest.mark.parametrize("closed", CLOSED)
@pytest.mark.parametrize("new_status", OPEN_ALERT_STATUSES)
def test_closed_alerts_do_not_block_a_new_open_one(
    factory: Factory, clients: tuple[Client, Client], closed: AlertStatus, new_status: AlertStatus
) -> None:
    client, _ = clients
    history = [alert(factory, client, closed), alert(factory, client, closed)]
    current = alert(factory, client, new_status)
    assert len({row.id for row in [*history, current]}) == 3


def test_open_alerts_differing_in_client_type_or_subject_coexist(
    db_session: Session, factory: Factory, clients: tuple[Client, Client]
) -> None:
    client, other = clients
    alert(factory, client, subject_key="contact-7")
    alert(factory, client, subject_key="contact-8")
    alert(factory, client, subject_key="contact-7", alert_type=AlertType.CHAMPION_RISK)
    alert(factory, other, subject_key="contact-7")
    total = db_session.scalar(select(func.count()).select_from(Alert).where(Alert.client_id.in_([client.id, other.id])))
    assert total == 4


def test_resolving_the_open_alert_makes_room_for_a_new_one(
    db_session: Session, factory: Factory, clients: tuple[Client, Client]
) -> None:
    client, _ = clients
    old = alert(factory, client, subject_key="renewal-60")
    with pytest.raises(IntegrityError, match=OPEN_ALERT_TAKEN), db_session.begin_nested():
        alert(factory, client, subject_key="renewal-60")
    old.status, old.resolved_at = AlertStatus.RESOLVED, NOW
    db_session.flush()
    assert alert(factory, client, subject_key="renewal-60").id != old.id


def test_reopening_a_resolved_alert_is_refused_while_another_is_open(
    db_session: Session, factory: Factory, clients: tuple[Client, Client]
) -> None:
    client, _ = clients
    resolved = alert(factory, client, AlertStatus.RESOLVED)
    alert(factory, client)
    with pytest.raises(IntegrityError, match=OPEN_ALERT_TAKEN), db_session.begin_nested():
        db_session.execute(Alert.__table__.update().where(Alert.id == resolved.id).values(status="NEW"))


def test_one_active_result_target_per_client(
    db_session: Session, factory: Factory, clients: tuple[Client, Client]
) -> None:
    client, other = clients
    factory.result_target(client)
    with pytest.raises(IntegrityError, match=ACTIVE_TARGET_TAKEN), db_session.begin_nested():
        factory.result_target(client, metric="hours_saved")
    # Another client has its own active target.
    assert factory.result_target(other).is_active


def test_inactive_target_history_is_kept_beside_the_active_one(
    db_session: Session, factory: Factory, clients: tuple[Client, Client]
) -> None:
    client, _ = clients
    for metric in ("leads_per_week", "reply_rate"):
        factory.result_target(client, metric=metric, is_active=False)
    factory.result_target(client, metric="hours_saved")
    rows = db_session.execute(
        select(ResultTarget.metric, ResultTarget.is_active).where(ResultTarget.client_id == client.id)
    ).all()
    assert sorted(rows) == [("hours_saved", True), ("leads_per_week", False), ("reply_rate", False)]


def test_deactivating_the_active_target_makes_room_for_a_new_one(
    db_session: Session, factory: Factory, clients: tuple[Client, Client]
) -> None:
    client, _ = clients
    old = factory.result_target(client)
    with pytest.raises(IntegrityError, match=ACTIVE_TARGET_TAKEN), db_session.begin_nested():
        factory.result_target(client, metric="hours_saved")
    old.is_active = False
    db_session.flush()
    new = factory.result_target(client, metric="hours_saved")
    assert (new.is_active, new.id != old.id) == (True, True)
