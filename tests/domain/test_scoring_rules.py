"""The score models reproduce their seeds' formulas; drivers always sum to the change."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.enums import HealthStatus, HealthTrend
from domain.scoring.presets import HEALTH, SUCCESS, SUPPLIER
from domain.scoring.rules import band, decompose_change, normalise, trend, weighted_score


def _weights(preset: dict) -> dict[str, float]:
    return {component["name"]: float(component["weight"]) for component in preset["components"]}


def test_seed_004_example_components_score_59_15() -> None:
    # Seed 004's health example: usage 45, adoption 72, support 55, relationship 40, contract 75, outcome 80.
    # 0.25*45 + 0.20*72 + 0.15*55 + 0.15*40 + 0.15*75 + 0.10*80 = 59.15. The PRD's mock-up prints 58 for the
    # same components: its arithmetic is off by 1.15, and we follow the formula, not the mock-up.
    scores = {"usage": 45, "adoption": 72, "support": 55, "relationship": 40, "contract": 75, "outcome": 80}
    result = weighted_score(_weights(HEALTH), scores)
    assert result.overall == pytest.approx(59.15)
    assert band(result.overall, HEALTH["bands"]) is HealthStatus.AT_RISK
    assert result.insufficient == []


@pytest.mark.parametrize(
    ("score", "status"),
    [
        (100, "HEALTHY"),
        (80, "HEALTHY"),
        (79.99, "MONITOR"),
        (60, "MONITOR"),
        (59.99, "AT_RISK"),
        (40, "AT_RISK"),
        (39.99, "CRITICAL"),
        (0, "CRITICAL"),
    ],
)
def test_seed_004_bands(score: float, status: str) -> None:
    assert band(score, HEALTH["bands"]) is HealthStatus(status)


@pytest.mark.parametrize(
    ("score", "status"),
    [(39.99, "CRITICAL"), (40, "AT_RISK"), (69.99, "AT_RISK"), (70, "HEALTHY"), (100, "HEALTHY")],
)
def test_seed_002_risk_thresholds(score: float, status: str) -> None:
    # seed 002: risk = score < 40 ? 'critical' : score < 70 ? 'at_risk' : 'healthy'
    assert band(score, SUPPLIER["bands"]) is HealthStatus(status)


def seed_002_calculate_health_score(
    login_days: float, adoption: float, activity: float, forms: float, journey: float
) -> float:
    """seed 002's calculateHealthScore, transcribed line by line."""
    score = 0.0
    if login_days < 3:
        score += 30
    elif login_days < 7:
        score += 20
    elif login_days < 14:
        score += 10
    score += min(25, adoption * 25)
    score += min(25, activity * 25)
    score += min(10, forms * 10)
    score += min(10, journey * 10)
    return score


def _supplier_score(raw: dict[str, float]) -> float:
    scores = {c["name"]: normalise(raw[c["name"]], c["normalise"]) for c in SUPPLIER["components"]}
    return weighted_score(_weights(SUPPLIER), scores).overall


@pytest.mark.parametrize(
    ("login_days", "expected_points"), [(0, 30), (2.9, 30), (3, 20), (6, 20), (7, 10), (13, 10), (14, 0), (40, 0)]
)
def test_seed_002_login_recency_points(login_days: float, expected_points: float) -> None:
    raw = {
        "login_recency": login_days,
        "feature_adoption": 0,
        "client_activity": 0,
        "form_completion": 0,
        "journey_performance": 0,
    }
    assert _supplier_score(raw) == pytest.approx(expected_points)


ratio = st.floats(min_value=0, max_value=1.5, allow_nan=False)


@given(st.floats(min_value=0, max_value=60, allow_nan=False), ratio, ratio, ratio, ratio)
def test_supplier_preset_equals_seed_002_formula(
    login: float, adoption: float, activity: float, forms: float, journey: float
) -> None:
    raw = {
        "login_recency": login,
        "feature_adoption": adoption,
        "client_activity": activity,
        "form_completion": forms,
        "journey_performance": journey,
    }
    expected = seed_002_calculate_health_score(login, adoption, activity, forms, journey)
    assert _supplier_score(raw) == pytest.approx(expected, abs=1e-9)


def test_seed_001_success_score_is_the_weighted_average() -> None:
    scores = {"engagement": 90, "activation": 50, "progress": 70, "satisfaction": 60, "momentum": 40}
    # 0.25*90 + 0.20*50 + 0.25*70 + 0.15*60 + 0.15*40 = 22.5 + 10 + 17.5 + 9 + 6 = 65
    assert weighted_score(_weights(SUCCESS), scores).overall == pytest.approx(65.0)


def test_insufficient_data_redistributes_weight_and_says_so() -> None:
    scores = {"usage": 45, "adoption": None, "support": 55, "relationship": 40, "contract": 75, "outcome": 80}
    result = weighted_score(_weights(HEALTH), scores)
    # adoption's 20 points go to the other 80 in proportion: (0.25*45+...+0.10*80 - 0) / 0.80
    assert result.overall == pytest.approx((59.15 - 0.20 * 72) / 0.80)
    assert result.insufficient == ["adoption"]
    assert result.components["adoption"] is None
    assert result.weights["adoption"] == 0
    assert sum(result.weights.values()) == pytest.approx(1.0)


def test_no_data_at_all_is_not_a_score() -> None:
    with pytest.raises(ValueError, match="no component has data"):
        weighted_score(_weights(HEALTH), dict.fromkeys(_weights(HEALTH)))


@pytest.mark.parametrize(
    ("spec", "raw", "expected"),
    [
        ({"kind": "percent"}, 0.45, 45.0),
        ({"kind": "percent"}, 1.7, 100.0),
        ({"kind": "identity"}, -3, 0.0),
        ({"kind": "linear", "zero_at": 90, "full_at": 14}, 14, 100.0),
        ({"kind": "linear", "zero_at": 90, "full_at": 14}, 52, 50.0),
        ({"kind": "linear", "zero_at": -1, "full_at": 1}, 0, 50.0),
        ({"kind": "steps", "steps": [[3, 100], [7, 50]], "otherwise": 5}, 8, 5.0),
    ],
)
def test_normalisers(spec: dict, raw: float, expected: float) -> None:
    assert normalise(raw, spec) == pytest.approx(expected)


def test_unknown_normaliser_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown normaliser"):
        normalise(1.0, {"kind": "magic"})


@pytest.mark.parametrize(
    ("current", "previous", "expected"),
    [
        (60, 55, HealthTrend.UP),
        (60, 55.01, HealthTrend.FLAT),
        (50, 55, HealthTrend.DOWN),
        (50, 54.99, HealthTrend.FLAT),
        (50, None, None),
    ],
)
def test_trend_uses_five_point_delta(current: float, previous: float | None, expected: HealthTrend | None) -> None:
    assert trend(current, previous) is expected


component_names = ["usage", "adoption", "support", "relationship", "contract", "outcome"]
maybe_score = st.one_of(st.none(), st.floats(min_value=0, max_value=100, allow_nan=False))
weight = st.floats(min_value=0, max_value=100, allow_nan=False)


@given(
    st.fixed_dictionaries(dict.fromkeys(component_names, weight)),
    st.fixed_dictionaries(dict.fromkeys(component_names, maybe_score)),
    st.fixed_dictionaries(dict.fromkeys(component_names, weight)),
    st.fixed_dictionaries(dict.fromkeys(component_names, maybe_score)),
)
def test_drivers_always_sum_to_the_change(w0: dict, s0: dict, w1: dict, s1: dict) -> None:
    try:
        before = weighted_score(w0, s0)
        after = weighted_score(w1, s1)
    except ValueError:
        return  # nothing scored on one side: there is no change to explain
    contributions = decompose_change(before.weights, before.components, after.weights, after.components)
    total = math.fsum(item.total for item in contributions)
    assert total == pytest.approx(after.overall - before.overall, abs=1e-6)
    assert [abs(c.total) for c in contributions] == sorted((abs(c.total) for c in contributions), reverse=True)
