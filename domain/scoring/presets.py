"""The three score models shipped as data, each straight from its seed document."""

from __future__ import annotations

from typing import Any

STANDARD_BANDS = [
    {"status": "HEALTHY", "min": 80},
    {"status": "MONITOR", "min": 60},
    {"status": "AT_RISK", "min": 40},
    {"status": "CRITICAL", "min": 0},
]

HEALTH: dict[str, Any] = {
    "model_key": "health",
    "name": "Client health (seed 004 F3)",
    "components": [
        {"name": "usage", "metric": "usage_vs_expected", "weight": 25, "normalise": {"kind": "percent"}},
        {"name": "adoption", "metric": "feature_adoption", "weight": 20, "normalise": {"kind": "percent"}},
        {"name": "support", "metric": "support_health", "weight": 15, "normalise": {"kind": "identity"}},
        {"name": "relationship", "metric": "relationship_health", "weight": 15, "normalise": {"kind": "identity"}},
        {"name": "contract", "metric": "contract_health", "weight": 15, "normalise": {"kind": "identity"}},
        {"name": "outcome", "metric": "outcome_delivery", "weight": 10, "normalise": {"kind": "percent"}},
    ],
    "bands": STANDARD_BANDS,
    "trend_rules": {"window_days": 30, "delta": 5},
}

SUCCESS: dict[str, Any] = {
    "model_key": "success",
    "name": "Client success (seed 001)",
    "components": [
        {
            "name": "engagement",
            "metric": "active_days",
            "weight": 25,
            "normalise": {"kind": "linear", "zero_at": 0, "full_at": 22},
        },
        {"name": "activation", "metric": "onboarding_completion", "weight": 20, "normalise": {"kind": "percent"}},
        {
            "name": "progress",
            "metric": "milestones_achieved",
            "weight": 25,
            "normalise": {"kind": "linear", "zero_at": 0, "full_at": 3},
        },
        {"name": "satisfaction", "metric": "satisfaction", "weight": 15, "normalise": {"kind": "identity"}},
        {
            "name": "momentum",
            "metric": "week_over_week_change",
            "weight": 15,
            "normalise": {"kind": "linear", "zero_at": -1, "full_at": 1},
        },
    ],
    "bands": STANDARD_BANDS,
    "trend_rules": {"window_days": 30, "delta": 5},
}

# Seed 002's points model: each component is scored 0-100 and weighted by its points, so that e.g. a login
# 5 days ago scores 66.67 x 30% = 20 points exactly as in the seed's step function.
SUPPLIER: dict[str, Any] = {
    "model_key": "supplier",
    "name": "Supplier health points (seed 002)",
    "components": [
        {
            "name": "login_recency",
            "metric": "days_since_last_login",
            "weight": 30,
            "normalise": {"kind": "steps", "steps": [[3, 100], [7, 200 / 3], [14, 100 / 3]], "otherwise": 0},
        },
        {"name": "feature_adoption", "metric": "feature_adoption", "weight": 25, "normalise": {"kind": "percent"}},
        {"name": "client_activity", "metric": "active_user_share", "weight": 25, "normalise": {"kind": "percent"}},
        {"name": "form_completion", "metric": "form_completion_rate", "weight": 10, "normalise": {"kind": "percent"}},
        {"name": "journey_performance", "metric": "journey_open_rate", "weight": 10, "normalise": {"kind": "percent"}},
    ],
    "bands": [{"status": "HEALTHY", "min": 70}, {"status": "AT_RISK", "min": 40}, {"status": "CRITICAL", "min": 0}],
    "trend_rules": {"window_days": 30, "delta": 5},
}

PRESETS: dict[str, dict[str, Any]] = {preset["model_key"]: preset for preset in (HEALTH, SUCCESS, SUPPLIER)}
