"""Alert rules with plain values, at and around each threshold (seed 004 F8 and seed 001 momentum)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from domain.alerts.facts import AlertInputs, KeyContact, NpsResponse, OpenDeliverable, OpenPayment, UnpaidInvoice
from domain.alerts.rules import RULES, evaluate_client
from domain.alerts.thresholds import DEFAULT_THRESHOLDS
from domain.enums import AlertSeverity, AlertType, ContactRole, DeliverableStatus

T = AlertType
AS_OF = dt.date(2025, 6, 15)
NOW = dt.datetime(2025, 6, 15, 12, 0, tzinfo=dt.UTC)


def facts(**overrides: Any) -> AlertInputs:
    return AlertInputs(**{"client_id": 1, "client_name": "Acme", "as_of": AS_OF, "now": NOW, **overrides})


def run(alert_type: AlertType, inputs: AlertInputs, **params: Any) -> list[Any] | None:
    return RULES[alert_type](inputs, {**DEFAULT_THRESHOLDS[alert_type], **params})


def days_ago(days: float) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


def everything_fires() -> AlertInputs:
    """One client on which every rule raises an alert, to check what every alert carries."""
    champion = KeyContact(7, "Cleo", ContactRole.CHAMPION, last_login=days_ago(30))
    return facts(
        segment="smb",
        licensed_user_count=100,
        licensed_features=("reports",),
        next_renewal_date=AS_OF + dt.timedelta(days=30),
        health={0: 40.0, 7: 55.0, 30: 75.0},
        has_usage_data=True,
        dau_7d=2.0,
        dau_baseline=10.0,
        mau=10,
        feature_uses_prev_30d={"reports": 5},
        tickets_30d=9,
        last_activity_at=days_ago(4),
        key_contacts=[champion],
        latest_nps=NpsResponse(3, 4, days_ago(10)),
        deliverables=[
            OpenDeliverable(1, "Kickoff deck", DeliverableStatus.IN_PROGRESS, days_ago(5), AS_OF - dt.timedelta(1)),
            OpenDeliverable(2, "Data import", DeliverableStatus.BLOCKED, days_ago(1), notes="waiting on CSV export"),
        ],
        payments=[
            OpenPayment(1, "Deposit", Decimal("1000"), AS_OF - dt.timedelta(days=3)),
            OpenPayment(2, "Milestone 2", Decimal("2000"), AS_OF + dt.timedelta(days=3)),
        ],
        unpaid_invoices=[UnpaidInvoice("INV-9", Decimal("1200"), AS_OF - dt.timedelta(days=10))],
    )


def test_every_alert_type_has_a_rule_and_documented_defaults() -> None:
    assert set(RULES) == set(AlertType) == set(DEFAULT_THRESHOLDS)


@pytest.mark.parametrize("alert_type", list(AlertType))
def test_every_alert_explains_itself_with_numbers_and_an_action(alert_type: AlertType) -> None:
    found = run(alert_type, everything_fires())
    assert found, alert_type
    for alert in found:
        assert alert.alert_type is alert_type
        assert "Acme" in alert.title
        assert any(ch.isdigit() for ch in alert.description) or alert_type is T.DELIVERABLE_BLOCKED
        assert alert.trigger_metric
        assert alert.trigger_value
        assert alert.trigger_threshold
        assert alert.recommended_action


@pytest.mark.parametrize(
    ("then", "now", "expected"),
    [(80.0, 70.0, [AlertSeverity.HIGH]), (80.0, 70.5, []), (70.0, 75.0, [])],
)
def test_health_drop_of_ten_points_in_a_week(then: float, now: float, expected: list[AlertSeverity]) -> None:
    found = run(T.HEALTH_DROP, facts(health={0: now, 7: then}))
    assert [alert.severity for alert in found or []] == expected


def test_health_drop_needs_both_snapshots_to_judge() -> None:
    assert run(T.HEALTH_DROP, facts(health={0: 50.0})) is None
    assert run(T.HEALTH_DROP, facts(health={7: 50.0})) is None


def test_health_drop_threshold_and_window_are_parameters() -> None:
    assert run(T.HEALTH_DROP, facts(health={0: 70.0, 7: 80.0}), points=15) == []
    found = run(T.HEALTH_DROP, facts(health={0: 70.0, 14: 85.0}), days=14, points=15)
    assert found
    assert found[0].trigger_value == "15"
    assert "from 85 to 70" in found[0].description


@pytest.mark.parametrize(
    ("drop", "severity"),
    [(19.9, None), (20, AlertSeverity.MEDIUM), (29.9, AlertSeverity.MEDIUM), (30, AlertSeverity.CRITICAL)],
)
def test_score_drop_warning_and_critical(drop: float, severity: AlertSeverity | None) -> None:
    found = run(T.SCORE_DROP, facts(health={0: 90 - drop, 30: 90.0}))
    assert [alert.severity for alert in found or []] == ([severity] if severity else [])


@pytest.mark.parametrize(("idle_days", "alerts"), [(14, 1), (13, 0)])
def test_key_user_inactive_after_fourteen_days(idle_days: int, alerts: int) -> None:
    contact = KeyContact(5, "Eve", ContactRole.EXECUTIVE_SPONSOR, last_login=days_ago(idle_days))
    found = run(T.KEY_USER_INACTIVE, facts(key_contacts=[contact])) or []
    assert len(found) == alerts
    if found:
        assert (found[0].subject_key, found[0].related_entity_type, found[0].severity) == ("5", "contact", "HIGH")
        assert "14 days ago" in found[0].description


def test_key_user_without_a_login_on_record_or_gone_is_not_inactive() -> None:
    never = KeyContact(1, "Nobody", ContactRole.ADMIN)
    gone = KeyContact(2, "Gone", ContactRole.ADMIN, last_login=days_ago(40), is_active=False, left_company_at=NOW)
    assert run(T.KEY_USER_INACTIVE, facts(key_contacts=[never, gone])) == []


@pytest.mark.parametrize(
    ("recent", "prior_90d", "alerts"),
    [(3, 0, 1), (2, 0, 0), (30, 30, 1), (29, 30, 0), (0, 0, 0)],
)
def test_support_spike_at_three_times_normal_with_a_floor_of_one(recent: int, prior_90d: int, alerts: int) -> None:
    found = run(T.SUPPORT_SPIKE, facts(tickets_30d=recent, tickets_prior_90d=prior_90d)) or []
    assert len(found) == alerts
    assert all(alert.severity is AlertSeverity.MEDIUM for alert in found)


@pytest.mark.parametrize(("dau_7d", "alerts"), [(7.0, 1), (7.1, 0), (12.0, 0)])
def test_usage_decline_at_thirty_percent(dau_7d: float, alerts: int) -> None:
    found = run(T.USAGE_DECLINE, facts(dau_7d=dau_7d, dau_baseline=10.0)) or []
    assert len(found) == alerts


def test_usage_decline_needs_data_and_a_meaningful_baseline() -> None:
    assert run(T.USAGE_DECLINE, facts(dau_7d=None, dau_baseline=10.0)) is None
    assert run(T.USAGE_DECLINE, facts(dau_7d=1.0, dau_baseline=None)) is None
    assert run(T.USAGE_DECLINE, facts(dau_7d=0.0, dau_baseline=0.5)) == []


def test_usage_decline_expects_less_in_a_slow_month() -> None:
    quiet = {"dau_7d": 6.0, "dau_baseline": 10.0, "segment": "photographers"}
    # 40% down, but a slow month expects 70% of normal: 7 expected, so only 14% below expectation.
    assert run(T.USAGE_DECLINE, facts(expected_usage_factor=0.7, **quiet)) == []
    assert run(T.USAGE_DECLINE, facts(expected_usage_factor=1.0, **quiet))
    steep = run(T.USAGE_DECLINE, facts(expected_usage_factor=0.7, **{**quiet, "dau_7d": 4.0}))
    assert steep
    assert "a slow month for photographers: 7 expected" in steep[0].description


def test_feature_abandoned_when_used_before_and_not_for_thirty_days() -> None:
    base = {"has_usage_data": True, "licensed_features": ("reports", "cases")}
    found = run(T.FEATURE_ABANDONED, facts(feature_uses_prev_30d={"reports": 1, "other": 9}, **base)) or []
    assert [(alert.subject_key, alert.severity) for alert in found] == [("reports", AlertSeverity.LOW)]
    still_used = facts(feature_uses_prev_30d={"reports": 4}, feature_uses_30d={"reports": 1}, **base)
    assert run(T.FEATURE_ABANDONED, still_used) == []
    assert run(T.FEATURE_ABANDONED, facts(**base)) == []
    assert run(T.FEATURE_ABANDONED, facts(licensed_features=("reports",))) is None


@pytest.mark.parametrize(
    ("days_left", "subject", "severity"),
    [
        (91, None, None),
        (90, "renewal-90", AlertSeverity.MEDIUM),
        (61, "renewal-90", AlertSeverity.MEDIUM),
        (60, "renewal-60", AlertSeverity.MEDIUM),
        (31, "renewal-60", AlertSeverity.MEDIUM),
        (30, "renewal-30", AlertSeverity.HIGH),
        (0, "renewal-30", AlertSeverity.HIGH),
        (-1, None, None),
    ],
)
def test_renewal_reminders_at_ninety_sixty_and_thirty_days(
    days_left: int, subject: str | None, severity: AlertSeverity | None
) -> None:
    found = run(T.RENEWAL_APPROACHING, facts(next_renewal_date=AS_OF + dt.timedelta(days=days_left))) or []
    assert [(alert.subject_key, alert.severity) for alert in found] == ([(subject, severity)] if subject else [])


@pytest.mark.parametrize(("mau", "alerts"), [(49, 1), (50, 0)])
def test_contract_utilization_below_half_of_licensed_users(mau: int, alerts: int) -> None:
    assert len(run(T.CONTRACT_UTILIZATION_LOW, facts(licensed_user_count=100, mau=mau)) or []) == alerts
    assert run(T.CONTRACT_UTILIZATION_LOW, facts(licensed_user_count=0, mau=mau)) is None
    assert run(T.CONTRACT_UTILIZATION_LOW, facts(licensed_user_count=100, mau=None)) is None


@pytest.mark.parametrize(("idle", "renewal_in", "alerts"), [(21, 120, 1), (20, 120, 0), (21, 121, 0), (40, -1, 0)])
def test_champion_inactive_before_a_renewal(idle: int, renewal_in: int, alerts: int) -> None:
    champion = KeyContact(3, "Cleo", ContactRole.CHAMPION, last_login=days_ago(idle))
    renewal = AS_OF + dt.timedelta(days=renewal_in)
    found = run(T.CHAMPION_RISK, facts(key_contacts=[champion], next_renewal_date=renewal)) or []
    assert [(alert.subject_key, alert.severity) for alert in found] == [("3", AlertSeverity.HIGH)] * alerts


def test_champion_who_left_is_a_risk_unless_another_champion_is_active() -> None:
    renewal = AS_OF + dt.timedelta(days=60)
    gone = KeyContact(3, "Cleo", ContactRole.CHAMPION, is_active=False, left_company_at=days_ago(5))
    found = run(T.CHAMPION_RISK, facts(key_contacts=[gone], next_renewal_date=renewal)) or []
    assert [alert.subject_key for alert in found] == ["3"]
    assert "left the company" in found[0].description
    successor = KeyContact(4, "Sam", ContactRole.CHAMPION, last_login=days_ago(1))
    assert run(T.CHAMPION_RISK, facts(key_contacts=[gone, successor], next_renewal_date=renewal)) == []


@pytest.mark.parametrize(("score", "alerts"), [(6, 1), (7, 0), (0, 1)])
def test_nps_detractor_at_six_or_less(score: int, alerts: int) -> None:
    found = run(T.NPS_DETRACTOR, facts(latest_nps=NpsResponse(12, score, days_ago(3)))) or []
    assert [(alert.subject_key, alert.severity) for alert in found] == [("nps-12", AlertSeverity.MEDIUM)] * alerts
    assert run(T.NPS_DETRACTOR, facts()) == []


@pytest.mark.parametrize(("hours", "alerts"), [(48, 1), (47.9, 0)])
def test_inactivity_after_forty_eight_hours(hours: float, alerts: int) -> None:
    found = run(T.INACTIVITY, facts(last_activity_at=NOW - dt.timedelta(hours=hours))) or []
    assert [alert.severity for alert in found] == [AlertSeverity.MEDIUM] * alerts


@pytest.mark.parametrize(("hours", "alerts"), [(72, 1), (71.9, 0)])
def test_zero_activity_after_three_days_is_critical(hours: float, alerts: int) -> None:
    found = run(T.ZERO_ACTIVITY, facts(last_activity_at=NOW - dt.timedelta(hours=hours))) or []
    assert [alert.severity for alert in found] == [AlertSeverity.CRITICAL] * alerts


def test_activity_rules_fall_back_to_go_live_and_otherwise_cannot_judge() -> None:
    assert run(T.INACTIVITY, facts()) is None
    assert run(T.ZERO_ACTIVITY, facts(go_live_date=AS_OF + dt.timedelta(days=1))) is None
    found = run(T.ZERO_ACTIVITY, facts(go_live_date=AS_OF - dt.timedelta(days=5))) or []
    assert found
    assert "since go-live" in found[0].description


def test_zero_activity_supersedes_inactivity() -> None:
    enabled = {t: DEFAULT_THRESHOLDS[t] for t in (T.INACTIVITY, T.ZERO_ACTIVITY)}
    quiet_two_days = evaluate_client(facts(last_activity_at=days_ago(2.5)), enabled)
    assert quiet_two_days[T.INACTIVITY]
    assert quiet_two_days[T.ZERO_ACTIVITY] == []
    quiet_four_days = evaluate_client(facts(last_activity_at=days_ago(4)), enabled)
    assert quiet_four_days[T.INACTIVITY] == []
    assert quiet_four_days[T.ZERO_ACTIVITY]
