"""The demo tenant's stories show up in the scores, drivers and alerts a CSM would look at."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.access import actor_for_email
from domain.alerts.models import OPEN_ALERT_STATUSES, Alert
from domain.clients.models import Client
from domain.db import make_engine, make_session_factory
from domain.enums import AlertType, HealthStatus
from domain.scoring.drivers import explain_drivers
from tests.demo_fixture import DEMO_AS_OF


@pytest.fixture
def demo(demo_template: Path) -> Session:
    engine = make_engine(f"sqlite:///{demo_template}")
    return make_session_factory(engine)()


def _client(session: Session, name: str) -> Client:
    return session.scalars(select(Client).where(Client.name == name)).one()


def _open_alert_types(session: Session, client: Client) -> set[AlertType]:
    rows = session.scalars(
        select(Alert.alert_type).where(Alert.client_id == client.id, Alert.status.in_(OPEN_ALERT_STATUSES))
    )
    return set(rows)


def test_quiet_champion_is_at_risk_with_the_champion_named_as_a_driver(demo: Session) -> None:
    acme = _client(demo, "Acme Corp")
    assert acme.health_status is HealthStatus.AT_RISK
    jane = actor_for_email(demo, "jane@demo.csagent.dev")
    report = explain_drivers(db_session=demo, actor=jane, client_id=acme.id, to_day=DEMO_AS_OF)
    assert report.change < 0
    relationship = next(driver for driver in report.drivers if driver.component == "relationship")
    assert relationship.contribution < 0
    assert "champion Sarah Chen has not logged in" in (relationship.evidence_after or "")
    assert {AlertType.CHAMPION_RISK, AlertType.KEY_USER_INACTIVE} <= _open_alert_types(demo, acme)


def test_support_spike_raises_support_spike(demo: Session) -> None:
    assert AlertType.SUPPORT_SPIKE in _open_alert_types(demo, _client(demo, "Beta Industries"))


def test_overdue_invoice_raises_payment_issue(demo: Session) -> None:
    assert AlertType.PAYMENT_ISSUE in _open_alert_types(demo, _client(demo, "Delta Inc"))


def test_abandoned_module_raises_feature_abandoned(demo: Session) -> None:
    assert AlertType.FEATURE_ABANDONED in _open_alert_types(demo, _client(demo, "Epsilon Health"))
