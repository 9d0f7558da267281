"""Operations alert rules (seed 003 deliverables and payments, seed 004 invoices) and threshold settings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from domain.alerts.facts import AlertInputs, OpenDeliverable, OpenPayment, UnpaidInvoice
from domain.alerts.rules import RULES
from domain.alerts.thresholds import (
    DEFAULT_THRESHOLDS,
    SettingsLayer,
    in_quiet_hours,
    merge_settings,
    validate_overrides,
)
from domain.enums import AlertSeverity, AlertType, DeliverableStatus, PaymentStatus
from domain.errors import ValidationError

T = AlertType
AS_OF = dt.date(2025, 6, 15)
NOW = dt.datetime(2025, 6, 15, 12, 0, tzinfo=dt.UTC)


def facts(**overrides: Any) -> AlertInputs:
    return AlertInputs(**{"client_id": 1, "client_name": "Acme", "as_of": AS_OF, "now": NOW, **overrides})


def run(alert_type: AlertType, inputs: AlertInputs, **params: Any) -> list[Any]:
    found = RULES[alert_type](inputs, {**DEFAULT_THRESHOLDS[alert_type], **params})
    assert found is not None  # operations rules always have what they need
    return found


def deliverable(
    status: DeliverableStatus, *, updated_hours_ago: float = 1, due_in: int | None = None
) -> OpenDeliverable:
    due = AS_OF + dt.timedelta(days=due_in) if due_in is not None else None
    return OpenDeliverable(41, "Data import", status, NOW - dt.timedelta(hours=updated_hours_ago), due, "no CSV yet")


def payment(due_in: int, status: PaymentStatus = PaymentStatus.PENDING) -> OpenPayment:
    return OpenPayment(8, "Deposit", Decimal("1500"), AS_OF + dt.timedelta(days=due_in), status)


@pytest.mark.parametrize(
    ("status", "hours", "alerts"),
    [
        (DeliverableStatus.IN_PROGRESS, 72, 1),
        (DeliverableStatus.IN_PROGRESS, 71.9, 0),
        (DeliverableStatus.PENDING, 99, 0),
    ],
)
def test_task_stalled_after_seventy_two_hours_in_progress(status: DeliverableStatus, hours: float, alerts: int) -> None:
    found = run(T.TASK_STALLED, facts(deliverables=[deliverable(status, updated_hours_ago=hours)]))
    assert [(a.subject_key, a.related_entity_type, a.severity) for a in found] == [
        ("41", "deliverable", AlertSeverity.MEDIUM)
    ] * alerts


@pytest.mark.parametrize(("due_in", "alerts"), [(-1, 1), (0, 0), (None, 0)])
def test_deliverable_overdue_once_its_due_date_has_passed(due_in: int | None, alerts: int) -> None:
    found = run(T.DELIVERABLE_OVERDUE, facts(deliverables=[deliverable(DeliverableStatus.PENDING, due_in=due_in)]))
    assert len(found) == alerts
    if found:
        assert "and is 1 day late" in found[0].description


def test_deliverable_overdue_grace_days() -> None:
    late_two = facts(deliverables=[deliverable(DeliverableStatus.IN_PROGRESS, due_in=-2)])
    assert run(T.DELIVERABLE_OVERDUE, late_two, grace_days=2) == []
    assert run(T.DELIVERABLE_OVERDUE, late_two, grace_days=1)


def test_deliverable_blocked_says_why() -> None:
    found = run(T.DELIVERABLE_BLOCKED, facts(deliverables=[deliverable(DeliverableStatus.BLOCKED)]))
    assert [(a.severity, a.subject_key) for a in found] == [(AlertSeverity.HIGH, "41")]
    assert "no CSV yet" in found[0].description
    assert run(T.DELIVERABLE_BLOCKED, facts(deliverables=[deliverable(DeliverableStatus.IN_PROGRESS)])) == []


@pytest.mark.parametrize(("due_in", "alerts"), [(0, 1), (7, 1), (8, 0), (-1, 0)])
def test_payment_due_within_seven_days(due_in: int, alerts: int) -> None:
    found = run(T.PAYMENT_DUE, facts(payments=[payment(due_in)]))
    if due_in == 0:
        assert found[0].title == "Acme: Deposit due today"
    assert [(a.severity, a.subject_key, a.related_entity_type) for a in found] == [
        (AlertSeverity.LOW, "8", "payment")
    ] * alerts


@pytest.mark.parametrize(
    ("due_in", "status", "alerts"),
    [(-1, PaymentStatus.PENDING, 1), (0, PaymentStatus.PENDING, 0), (-30, PaymentStatus.OVERDUE, 1)],
)
def test_payment_overdue_once_past_due_and_unpaid(due_in: int, status: PaymentStatus, alerts: int) -> None:
    found = run(T.PAYMENT_OVERDUE, facts(payments=[payment(due_in, status)]))
    assert [a.severity for a in found] == [AlertSeverity.HIGH] * alerts
    if found:
        assert "USD 1,500.00" in found[0].description


@pytest.mark.parametrize(("late", "grace", "alerts"), [(1, 0, 1), (3, 3, 0), (4, 3, 1)])
def test_payment_issue_for_each_overdue_invoice(late: int, grace: int, alerts: int) -> None:
    invoice = UnpaidInvoice("INV-7", Decimal("1200"), AS_OF - dt.timedelta(days=late))
    found = run(T.PAYMENT_ISSUE, facts(unpaid_invoices=[invoice]), grace_days=grace)
    assert [(a.subject_key, a.severity, a.related_entity_id) for a in found] == [
        ("INV-7", AlertSeverity.HIGH, "INV-7")
    ] * alerts


def test_defaults_apply_when_nothing_is_configured() -> None:
    effective = merge_settings(None, None)
    assert all(effective.is_enabled(alert_type) for alert_type in AlertType)
    assert effective.params(T.HEALTH_DROP) == {"points": 10, "days": 7}


def test_client_overrides_win_over_the_workspace_per_parameter() -> None:
    workspace = SettingsLayer(enabled={"PAYMENT_DUE": False}, thresholds={"HEALTH_DROP": {"points": 15}})
    client = SettingsLayer(
        enabled={"PAYMENT_DUE": True, "NPS_DETRACTOR": False},
        thresholds={"HEALTH_DROP": {"days": 14}},
        muted_until=NOW,
    )
    assert not merge_settings(workspace).is_enabled(T.PAYMENT_DUE)
    effective = merge_settings(workspace, client)
    assert effective.is_enabled(T.PAYMENT_DUE)
    assert not effective.is_enabled(T.NPS_DETRACTOR)
    assert effective.params(T.HEALTH_DROP) == {"points": 15, "days": 14}
    assert effective.muted_until == NOW
    assert DEFAULT_THRESHOLDS[T.HEALTH_DROP] == {"points": 10, "days": 7}  # defaults never mutate


@pytest.mark.parametrize(
    ("enabled", "thresholds", "message"),
    [
        ({"HEALTH_DIP": True}, {}, "unknown alert type"),
        ({"HEALTH_DROP": "yes"}, {}, "true or false"),
        ({}, {"HEALTH_DROP": {"pts": 5}}, "no parameter 'pts'"),
        ({}, {"HEALTH_DROP": {"points": -1}}, "number >= 0"),
        ({}, {"HEALTH_DROP": {"points": True}}, "number >= 0"),
        ({}, {"RENEWAL_APPROACHING": {"days": []}}, "non-empty list"),
        ({}, {"USAGE_DECLINE": {"slow_months_by_segment": {"photographers": [11]}}}, "no parameter"),
    ],
)
def test_bad_overrides_are_refused(enabled: dict[str, Any], thresholds: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        validate_overrides(enabled, thresholds)


def test_good_overrides_pass() -> None:
    validate_overrides(
        {"PAYMENT_DUE": False},
        {"HEALTH_DROP": {"points": 15}, "RENEWAL_APPROACHING": {"days": [120, 60]}, "USAGE_DECLINE": {"drop_pct": 40}},
    )


@pytest.mark.parametrize(
    ("local", "start", "end", "quiet"),
    [
        ("23:30", "22:00", "07:00", True),
        ("06:59", "22:00", "07:00", True),
        ("07:00", "22:00", "07:00", False),
        ("12:00", "22:00", "07:00", False),
        ("13:00", "12:00", "14:00", True),
        ("14:00", "12:00", "14:00", False),
        ("12:00", "12:00", "12:00", False),
    ],
)
def test_quiet_hours_including_windows_across_midnight(local: str, start: str, end: str, quiet: bool) -> None:
    assert (
        in_quiet_hours(dt.time.fromisoformat(local), dt.time.fromisoformat(start), dt.time.fromisoformat(end)) is quiet
    )
    assert in_quiet_hours(dt.time.fromisoformat(local), None, None) is False
