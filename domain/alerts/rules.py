"""Alert rules on health, usage, support and activity (seeds 004 F8 and 001), and the registry of all rules.

Pure: each rule reads AlertInputs and its own parameters and returns the alerts that hold now.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from domain.alerts.facts import AlertCandidate, AlertInputs, Rule, number
from domain.alerts.operations_rules import (
    deliverable_blocked,
    deliverable_overdue,
    payment_due,
    payment_issue,
    payment_overdue,
    task_stalled,
)
from domain.alerts.relationship_rules import (
    champion_risk,
    key_user_inactive,
    nps_detractor,
    renewal_approaching,
)
from domain.enums import AlertSeverity, AlertType

T = AlertType
S = AlertSeverity

# stronger -> weaker: ZERO_ACTIVITY is INACTIVITY escalated, so while it holds the weaker alert resolves.
SUPERSEDES: dict[AlertType, AlertType] = {T.ZERO_ACTIVITY: T.INACTIVITY}


def health_drop(inputs: AlertInputs, params: Mapping[str, Any]) -> list[AlertCandidate] | None:
    days, points = int(params["days"]), float(params["points"])
    drop = _drop(inputs, days)
    if drop is None:
        return None
    if drop < points:
        return []
    return [
        AlertCandidate(
            T.HEALTH_DROP,
            S.HIGH,
            f"{inputs.client_name}: health dropped {number(drop)} points in {days} days",
            f"{_drop_words(inputs, days)}. Alerts fire at a drop of {number(points)} points or more in {days} days.",
            f"health_score_drop_{days}d",
            number(drop),
            f">= {number(points)}",
            "Review the score drivers, find which component fell and call the main contact this week.",
        )
    ]


def score_drop(inputs: AlertInputs, params: Mapping[str, Any]) -> list[AlertCandidate] | None:
    days = int(params["days"])
    warning, critical = float(params["warning_points"]), float(params["critical_points"])
    drop = _drop(inputs, days)
    if drop is None:
        return None
    if drop < warning:
        return []
    severity, threshold = (S.CRITICAL, critical) if drop >= critical else (S.MEDIUM, warning)
    level = "critical" if severity is S.CRITICAL else "warning"
    return [
        AlertCandidate(
            T.SCORE_DROP,
            severity,
            f"{inputs.client_name}: score down {number(drop)} points in {days} days",
            f"{_drop_words(inputs, days)}. That is past the {level} level ({number(threshold)} points; warning at "
            f"{number(warning)}, critical at {number(critical)}).",
            f"health_score_drop_{days}d",
            number(drop),
            f">= {number(threshold)}",
            "Escalate to the account team: agree a recovery plan and book an executive check-in.",
        )
    ]


def _drop(inputs: AlertInputs, days: int) -> float | None:
    now, then = inputs.health.get(0), inputs.health.get(days)
    return None if now is None or then is None else then - now


def _drop_words(inputs: AlertInputs, days: int) -> str:
    now, then = inputs.health[0], inputs.health[days]
    return (
        f"Health score fell from {number(round(then, 1))} to {number(round(now, 1))} between "
        f"{inputs.as_of - dt.timedelta(days=days)} and {inputs.as_of}"
    )


def support_spike(inputs: AlertInputs, params: Mapping[str, Any]) -> list[AlertCandidate] | None:
    multiplier = float(params["multiplier"])
    normal = max(float(params["normal_floor"]), inputs.tickets_prior_90d / 3)
    limit = multiplier * normal
    if inputs.tickets_30d == 0 or inputs.tickets_30d < limit:
        return []
    return [
        AlertCandidate(
            T.SUPPORT_SPIKE,
            S.MEDIUM,
            f"{inputs.client_name}: {inputs.tickets_30d} support tickets in 30 days",
            f"{inputs.tickets_30d} tickets were opened in the last 30 days against a normal {number(round(normal, 2))} "
            f"a month ({inputs.tickets_prior_90d} in the 90 days before); alerts fire at {number(multiplier)}x normal.",
            "tickets_30d",
            str(inputs.tickets_30d),
            f">= {number(round(limit, 2))}",
            "Read the recent tickets for a common cause and offer the client a call with support.",
        )
    ]


def usage_decline(inputs: AlertInputs, params: Mapping[str, Any]) -> list[AlertCandidate] | None:
    if inputs.dau_7d is None or inputs.dau_baseline is None:
        return None
    if inputs.dau_baseline < float(params["min_baseline_dau"]):
        return []  # too little usage to tell a decline from noise
    slow = inputs.expected_usage_factor < 1.0
    # Seasonality: a declared slow month lowers what is expected instead of raising an alarm.
    expected = inputs.dau_baseline * inputs.expected_usage_factor
    drop_pct = (expected - inputs.dau_7d) / expected * 100
    if drop_pct < float(params["drop_pct"]):
        return []
    segment = f" for {inputs.segment}" if inputs.segment else ""
    season = f" (a slow month{segment}: {number(round(expected, 1))} expected)" if slow else ""
    return [
        AlertCandidate(
            T.USAGE_DECLINE,
            S.MEDIUM,
            f"{inputs.client_name}: daily active users down {drop_pct:.0f}%",
            f"Daily active users averaged {number(round(inputs.dau_7d, 1))} over the last 7 days against "
            f"{number(round(inputs.dau_baseline, 1))} over the 30 days before{season}; alerts fire at a "
            f"{number(float(params['drop_pct']))}% drop.",
            "dau_7d_vs_prior_30d_pct",
            f"-{drop_pct:.1f}%",
            f"<= -{number(float(params['drop_pct']))}%",
            "Ask the main contact what changed (team, priorities, a blocker) and offer a refresher session.",
        )
    ]


def feature_abandoned(inputs: AlertInputs, params: Mapping[str, Any]) -> list[AlertCandidate] | None:
    if not inputs.has_usage_data:
        return None
    minimum = max(1, int(params["min_prior_uses"]))
    found = []
    for key in sorted(inputs.licensed_features):
        before = inputs.feature_uses_prev_30d.get(key, 0)
        if before >= minimum and inputs.feature_uses_30d.get(key, 0) == 0:
            found.append(
                AlertCandidate(
                    T.FEATURE_ABANDONED,
                    S.LOW,
                    f"{inputs.client_name}: {key} unused for 30 days",
                    f"The licensed feature {key} was used {before} times in the previous 30 days and not at all "
                    "in the last 30.",
                    "feature_uses_30d",
                    "0",
                    f"previously >= {minimum}",
                    f"Check whether {key} still fits their workflow; offer a short training or a best-practice tip.",
                    subject_key=key,
                    related_entity_type="feature",
                    related_entity_id=key,
                )
            )
    return found


def contract_utilization_low(inputs: AlertInputs, params: Mapping[str, Any]) -> list[AlertCandidate] | None:
    if not inputs.licensed_user_count or inputs.mau is None:
        return None
    share, minimum = inputs.mau / inputs.licensed_user_count, float(params["min_share"])
    if share >= minimum:
        return []
    return [
        AlertCandidate(
            T.CONTRACT_UTILIZATION_LOW,
            S.LOW,
            f"{inputs.client_name}: {share:.0%} of licensed users active",
            f"{inputs.mau} of {inputs.licensed_user_count} licensed users were active in the last 30 days "
            f"({share:.0%}); alerts fire below {minimum:.0%}.",
            "mau_share_of_licensed",
            f"{share:.2f}",
            f"< {number(minimum)}",
            "Plan an adoption push: identify unactivated users and run an onboarding session for them.",
        )
    ]


def inactivity(inputs: AlertInputs, params: Mapping[str, Any]) -> list[AlertCandidate] | None:
    hours = _idle_hours(inputs)
    limit = float(params["hours"])
    if hours is None:
        return None
    if hours < limit:
        return []
    return [_idle_alert(T.INACTIVITY, S.MEDIUM, inputs, hours, f"{number(limit)} hours", "hours")]


def zero_activity(inputs: AlertInputs, params: Mapping[str, Any]) -> list[AlertCandidate] | None:
    hours = _idle_hours(inputs)
    days = float(params["days"])
    if hours is None:
        return None
    if hours < days * 24:
        return []
    return [_idle_alert(T.ZERO_ACTIVITY, S.CRITICAL, inputs, hours, f"{number(days)} days", "days")]


def _idle_hours(inputs: AlertInputs) -> float | None:
    if inputs.last_activity_at is not None:
        return inputs.hours_since(inputs.last_activity_at)
    if inputs.go_live_date is not None and inputs.go_live_date <= inputs.as_of:
        return (inputs.as_of - inputs.go_live_date).days * 24.0
    return None  # never active and not live yet: nothing to expect


def _idle_alert(
    alert_type: AlertType, severity: AlertSeverity, inputs: AlertInputs, hours: float, threshold: str, unit: str
) -> AlertCandidate:
    span = f"{hours / 24:.1f} days" if unit == "days" else f"{hours:.0f} hours"
    since = (
        f"the last event was at {inputs.last_activity_at:%Y-%m-%d %H:%M} UTC"
        if inputs.last_activity_at
        else f"nothing has been recorded since go-live on {inputs.go_live_date}"
    )
    return AlertCandidate(
        alert_type,
        severity,
        f"{inputs.client_name}: no activity for {span}",
        f"No platform events for {span}: {since}. Alerts fire after {threshold} without events.",
        "hours_since_last_event",
        f"{hours:.0f}",
        f">= {threshold}",
        "Send a personal check-in today; if it is a technical problem, loop in support.",
    )


RULES: dict[AlertType, Rule] = {
    T.HEALTH_DROP: health_drop,
    T.KEY_USER_INACTIVE: key_user_inactive,
    T.SUPPORT_SPIKE: support_spike,
    T.USAGE_DECLINE: usage_decline,
    T.FEATURE_ABANDONED: feature_abandoned,
    T.RENEWAL_APPROACHING: renewal_approaching,
    T.CONTRACT_UTILIZATION_LOW: contract_utilization_low,
    T.CHAMPION_RISK: champion_risk,
    T.NPS_DETRACTOR: nps_detractor,
    T.PAYMENT_ISSUE: payment_issue,
    T.INACTIVITY: inactivity,
    T.ZERO_ACTIVITY: zero_activity,
    T.TASK_STALLED: task_stalled,
    T.SCORE_DROP: score_drop,
    T.DELIVERABLE_OVERDUE: deliverable_overdue,
    T.DELIVERABLE_BLOCKED: deliverable_blocked,
    T.PAYMENT_DUE: payment_due,
    T.PAYMENT_OVERDUE: payment_overdue,
}


def evaluate_client(
    inputs: AlertInputs, enabled: Mapping[AlertType, Mapping[str, Any]]
) -> dict[AlertType, list[AlertCandidate] | None]:
    """Run every enabled rule (type -> its parameters) on one client; a stronger alert replaces its weaker one."""
    results = {alert_type: RULES[alert_type](inputs, params) for alert_type, params in enabled.items()}
    for stronger, weaker in SUPERSEDES.items():
        if results.get(stronger) and weaker in results:
            results[weaker] = []
    return results
