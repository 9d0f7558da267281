"""CHECK constraints reject rows that break a rule and accept the boundary values, on every backend."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain.alerts.models import Alert
from domain.enums import AlertStatus, DeliverableStatus, InvoiceStatus, PaymentStatus, RiskStatus, SurveyKind
from domain.operations.models import Company
from tests.factories import Factory

NOW = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)
TODAY = NOW.date()
NPS, CSAT = SurveyKind.NPS, SurveyKind.CSAT

# Which parent rows each factory method takes, by name in the `parents` fixture.
PARENTS = {
    "user": ("workspace",),
    "client": ("workspace",),
    "feature": ("workspace",),
    "score_config": ("workspace",),
    "contact": ("client",),
    "alert": ("client",),
    "engagement_event": ("client",),
    "invoice": ("client",),
    "result_target": ("client",),
    "risk": ("client",),
    "support_ticket": ("client",),
    "survey_response": ("client",),
    "usage_rollup": ("client",),
    "activity": ("client", "user"),
    "churn_prediction": ("client", "churn_model"),
    "feature_adoption": ("client", "feature"),
    "health_snapshot": ("client", "config"),
    "contract": ("company",),
    "payment": ("proposal",),
    "deliverable": ("contact",),
}

# (factory method, overrides that break the rule, the constraint that must say so)
REJECTED: list[tuple[str, dict[str, Any], str]] = [
    ("user", {"email": "Ann@Example.com"}, "ck_users_email_lowercase"),
    ("user", {"briefing_hour": 24}, "ck_users_briefing_hour_range"),
    ("client", {"current_health_score": 101}, "ck_clients_health_score_range"),
    ("client", {"current_health_score": -1}, "ck_clients_health_score_range"),
    ("client", {"churn_risk_score": 101}, "ck_clients_churn_risk_range"),
    ("client", {"annual_recurring_revenue": Decimal("-1")}, "ck_clients_arr_non_negative"),
    ("client", {"employee_count": -1}, "ck_clients_employee_count_non_negative"),
    ("client", {"licensed_user_count": -1}, "ck_clients_licensed_users_non_negative"),
    (
        "client",
        {"contract_start_date": TODAY, "contract_end_date": TODAY - dt.timedelta(days=1)},
        "contract_dates_order",
    ),
    ("contact", {"left_company_at": NOW}, "ck_contacts_left_means_inactive"),
    ("health_snapshot", {"overall_score": 100.5}, "ck_health_snapshots_overall_range"),
    ("health_snapshot", {"overall_score": -0.1}, "ck_health_snapshots_overall_range"),
    ("score_config", {"version": 0}, "ck_score_configs_version_positive"),
    ("survey_response", {"kind": NPS, "score": 11}, "ck_survey_responses_score_range_by_kind"),
    ("survey_response", {"kind": NPS, "score": -1}, "ck_survey_responses_score_range_by_kind"),
    ("survey_response", {"kind": CSAT, "score": 0}, "ck_survey_responses_score_range_by_kind"),
    ("survey_response", {"kind": CSAT, "score": 6}, "ck_survey_responses_score_range_by_kind"),
    ("support_ticket", {"csat": 6}, "ck_support_tickets_csat_range"),
    ("support_ticket", {"closed_at": NOW - dt.timedelta(minutes=1)}, "ck_support_tickets_closed_after_opened"),
    ("invoice", {"status": InvoiceStatus.PAID, "paid_on": None}, "ck_invoices_paid_iff_paid_on"),
    ("invoice", {"status": InvoiceStatus.OPEN, "paid_on": TODAY}, "ck_invoices_paid_iff_paid_on"),
    ("invoice", {"amount": Decimal("0")}, "ck_invoices_amount_positive"),
    ("invoice", {"issued_on": TODAY, "due_date": TODAY - dt.timedelta(days=1)}, "ck_invoices_due_after_issue"),
    ("payment", {"status": PaymentStatus.PAID, "paid_at": None}, "ck_payments_paid_iff_paid_at"),
    ("payment", {"status": PaymentStatus.OVERDUE, "paid_at": NOW}, "ck_payments_paid_iff_paid_at"),
    ("payment", {"amount": Decimal("-5")}, "ck_payments_amount_positive"),
    ("contract", {"value": Decimal("-1")}, "ck_contracts_value_non_negative"),
    ("deliverable", {"status": DeliverableStatus.COMPLETED}, "ck_deliverables_completed_needs_date"),
    ("deliverable", {"status": DeliverableStatus.BLOCKED}, "ck_deliverables_blocked_needs_note"),
    ("risk", {"status": RiskStatus.RESOLVED}, "ck_risks_resolved_iff_resolution"),
    ("risk", {"status": RiskStatus.RESOLVED, "resolved_at": NOW}, "ck_risks_resolved_iff_resolution"),
    ("risk", {"status": RiskStatus.RESOLVED, "resolution": "Hired"}, "ck_risks_resolved_iff_resolution"),
    (
        "risk",
        {"status": RiskStatus.OPEN, "resolved_at": NOW, "resolution": "Hired"},
        "ck_risks_resolved_iff_resolution",
    ),
    ("alert", {"status": AlertStatus.SNOOZED}, "ck_alerts_snooze_needs_until"),
    ("alert", {"status": AlertStatus.RESOLVED}, "ck_alerts_resolved_needs_time"),
    ("alert", {"status": AlertStatus.DISMISSED}, "ck_alerts_dismissed_needs_time"),
    (
        "churn_prediction",
        {"probability_30d": 0.4, "probability_60d": 0.3},
        "ck_churn_predictions_probabilities_ordered",
    ),
    (
        "churn_prediction",
        {"probability_60d": 0.6, "probability_90d": 0.5},
        "ck_churn_predictions_probabilities_ordered",
    ),
    ("churn_prediction", {"probability_90d": 1.1}, "ck_churn_predictions_probabilities_ordered"),
    ("churn_prediction", {"probability_30d": -0.1}, "ck_churn_predictions_probabilities_ordered"),
    ("churn_prediction", {"confidence": 1.5}, "ck_churn_predictions_confidence_range"),
    ("result_target", {"start_date": TODAY, "target_date": TODAY}, "ck_result_targets_target_after_start"),
    ("result_target", {"current_value": Decimal("10"), "target_value": Decimal("10")}, "target_differs_from_current"),
    ("usage_rollup", {"daily_active_users": 5, "weekly_active_users": 4}, "ck_usage_rollups_wau_at_least_dau"),
    ("usage_rollup", {"weekly_active_users": 5, "monthly_active_users": 4}, "ck_usage_rollups_mau_at_least_wau"),
    ("usage_rollup", {"daily_active_users": -1, "weekly_active_users": 0}, "ck_usage_rollups_dau_non_negative"),
    ("engagement_event", {"occurred_hour": 24}, "ck_engagement_events_hour_range"),
    ("engagement_event", {"duration_seconds": -1}, "ck_engagement_events_duration_non_negative"),
    ("feature_adoption", {"is_configured": True, "is_licensed": False}, "configured_needs_licence"),
    ("feature_adoption", {"usage_30_days": -1}, "ck_feature_adoptions_usage_non_negative"),
    ("feature_adoption", {"adoption_percentile": 101}, "ck_feature_adoptions_percentile_range"),
    ("feature", {"expected_monthly_usage": -1.0}, "ck_features_expected_usage_non_negative"),
    ("activity", {"duration_minutes": -5}, "ck_activities_duration_non_negative"),
    ("activity", {"follow_up_completed": True, "follow_up_date": None}, "ck_activities_completion_needs_date"),
]

# (factory method, overrides on the edge of a rule that must stay valid)
ACCEPTED: list[tuple[str, dict[str, Any]]] = [
    ("client", {"current_health_score": 0, "churn_risk_score": 0}),
    ("client", {"current_health_score": 100, "churn_risk_score": 100}),
    ("client", {"current_health_score": None, "annual_recurring_revenue": None}),
    ("client", {"contract_start_date": TODAY, "contract_end_date": TODAY}),
    ("user", {"email": "ann.lee+cs@example.com", "briefing_hour": 23}),
    ("contact", {"left_company_at": NOW, "is_active": False}),
    ("health_snapshot", {"overall_score": 0.0}),
    ("health_snapshot", {"overall_score": 100.0}),
    ("survey_response", {"kind": NPS, "score": 0}),
    ("survey_response", {"kind": NPS, "score": 10}),
    ("survey_response", {"kind": CSAT, "score": 1}),
    ("survey_response", {"kind": CSAT, "score": 5}),
    ("support_ticket", {"csat": 5, "closed_at": NOW}),
    ("invoice", {"status": InvoiceStatus.PAID, "paid_on": TODAY}),
    ("invoice", {"status": InvoiceStatus.OVERDUE, "issued_on": TODAY, "due_date": TODAY}),
    ("payment", {"status": PaymentStatus.PAID, "paid_at": NOW}),
    ("contract", {"value": Decimal("0")}),
    ("deliverable", {"status": DeliverableStatus.COMPLETED, "completed_at": NOW}),
    ("deliverable", {"status": DeliverableStatus.BLOCKED, "notes": "Waiting for API keys"}),
    ("deliverable", {"status": DeliverableStatus.IN_PROGRESS}),
    ("risk", {"status": RiskStatus.RESOLVED, "resolved_at": NOW, "resolution": "Hired a new champion"}),
    ("risk", {"status": RiskStatus.OPEN}),
    ("alert", {"status": AlertStatus.SNOOZED, "snoozed_until": NOW}),
    ("alert", {"status": AlertStatus.RESOLVED, "resolved_at": NOW}),
    ("churn_prediction", {"probability_30d": 0.0, "probability_60d": 0.0, "probability_90d": 0.0, "confidence": 0.0}),
    ("churn_prediction", {"probability_30d": 1.0, "probability_60d": 1.0, "probability_90d": 1.0, "confidence": 1.0}),
    ("result_target", {"start_date": TODAY, "target_date": TODAY + dt.timedelta(days=1)}),
    ("usage_rollup", {"daily_active_users": 0, "weekly_active_users": 0, "monthly_active_users": 0}),
    ("usage_rollup", {"daily_active_users": 4, "weekly_active_users": 4, "monthly_active_users": 4}),
    ("engagement_event", {"occurred_hour": 0, "duration_seconds": 0}),
    ("engagement_event", {"occurred_hour": 23}),
    ("feature_adoption", {"is_licensed": True, "is_configured": True, "adoption_percentile": 100}),
    ("feature_adoption", {"is_licensed": True, "is_configured": False, "adoption_percentile": 0}),
    ("activity", {"follow_up_completed": True, "follow_up_date": TODAY, "duration_minutes": 0}),
]


def case_id(value: object) -> str:
    if isinstance(value, dict):
        return ",".join(f"{key}={getattr(item, 'value', item)}" for key, item in value.items())
    return str(value)


@pytest.fixture
def parents(factory: Factory) -> dict[str, Any]:
    workspace = factory.workspace()
    client = factory.client(workspace)
    proposal = factory.proposal(client)
    return {
        "workspace": workspace,
        "client": client,
        "user": factory.user(workspace),
        "contact": factory.contact(client),
        "proposal": proposal,
        "company": factory.session.get(Company, proposal.company_id),
        "feature": factory.feature(workspace),
        "config": factory.score_config(workspace),
        "churn_model": factory.churn_model(workspace),
    }


def build(factory: Factory, parents: dict[str, Any], kind: str, overrides: dict[str, Any]) -> Any:
    return getattr(factory, kind)(*(parents[name] for name in PARENTS[kind]), **overrides)


@pytest.mark.parametrize(("kind", "overrides", "constraint"), REJECTED, ids=case_id)
def test_check_constraint_rejects(
    db_session: Session,
    factory: Factory,
    parents: dict[str, Any],
    kind: str,
    overrides: dict[str, Any],
    constraint: str,
) -> None:
    with pytest.raises(IntegrityError, match=constraint), db_session.begin_nested():
        build(factory, parents, kind, overrides)


@pytest.mark.parametrize(("kind", "overrides"), ACCEPTED, ids=case_id)
def test_check_constraint_accepts_boundary(
    db_session: Session, factory: Factory, parents: dict[str, Any], kind: str, overrides: dict[str, Any]
) -> None:
    with db_session.begin_nested():
        row = build(factory, parents, kind, overrides)
    db_session.expire(row)
    for name, value in overrides.items():
        assert getattr(row, name) == value, name


def test_updating_into_an_invalid_state_is_rejected_too(
    db_session: Session, factory: Factory, parents: dict[str, Any]
) -> None:
    alert = factory.alert(parents["client"])
    snooze = update(Alert).where(Alert.id == alert.id).values(status=AlertStatus.SNOOZED)
    with pytest.raises(IntegrityError, match="ck_alerts_snooze_needs_until"), db_session.begin_nested():
        db_session.execute(snooze)
    db_session.refresh(alert)
    assert alert.status is AlertStatus.NEW
