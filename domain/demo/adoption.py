"""Feature adoption rows (seed 004 F5) that agree with the generated feature-use events."""

from __future__ import annotations

import datetime as dt
from typing import Any

from domain.adoption.rules import adoption_level, usage_trend
from domain.demo.catalogue import FEATURES, FeatureSeed
from domain.demo.clock import stamps, utc_at
from domain.demo.plan import ClientPlan
from domain.demo.usage_stats import UsageStats


def adoption_rows(
    plan: ClientPlan, client_id: int, feature_ids: dict[str, int], stats: UsageStats, as_of: dt.date
) -> list[dict[str, Any]]:
    """One row per catalogue feature, licensed or not (unlicensed use is an expansion signal).

    Levels and trends come from domain.adoption.rules, the rules the daily adoption refresh applies.
    """
    return [_row(plan, client_id, feature_ids[feature.key], feature, stats, as_of) for feature in FEATURES]


def _row(
    plan: ClientPlan, client_id: int, feature_id: int, feature: FeatureSeed, stats: UsageStats, as_of: dt.date
) -> dict[str, Any]:
    licensed = feature.module in plan.modules
    configured = licensed and feature.key in plan.configured_features
    recent, previous = stats.feature_recent[feature.key], stats.feature_previous[feature.key]
    setup_day = plan.go_live or plan.contract_start
    last_used = stats.at(stats.feature_last.get(feature.key))
    return {
        "client_id": client_id,
        "feature_id": feature_id,
        "is_licensed": licensed,
        "licensed_at": utc_at(plan.contract_start) if licensed else None,
        "is_configured": configured,
        "configured_at": utc_at(min(setup_day, as_of), 12) if configured else None,
        "adoption_status": adoption_level(
            is_licensed=licensed, is_configured=configured, uses_30_days=recent, expected=feature.expected_monthly_usage
        ),
        # Day precision, as the adoption refresh job stores it, so its first run changes nothing here.
        "last_used_at": utc_at(last_used.date()) if last_used else None,
        "usage_30_days": recent,
        "usage_trend": usage_trend(recent, previous),
        "expected_usage": feature.expected_monthly_usage,
        "adoption_percentile": None,  # a cohort ranking: the adoption refresh job computes it
        "assessed_on": as_of,
        **stamps(utc_at(plan.contract_start)),
    }
