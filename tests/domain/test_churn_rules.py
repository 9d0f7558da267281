"""Pure churn math with plain values: features, horizons, bands, factor shares, confidence, labels."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.churn.coefficients import DEFAULT_COEFFICIENTS, HORIZONS, Coefficients, horizon_intercepts
from domain.churn.features import FEATURE_NAMES, FeatureContext, FeatureVector, client_features
from domain.churn.rules import (
    CHECK_IN_ABOVE,
    FactorEffect,
    confidence,
    impact_of,
    logit,
    predict,
    recommended_actions,
    risk_band,
)
from domain.churn.training import calibration_bins, latest_renewal, outcome_for
from domain.enums import ContractTier, LifecycleStatus
from domain.errors import ValidationError
from domain.scoring.inputs import ClientInputs

AS_OF = dt.date(2025, 6, 1)
CATALOGUE = {f"f{n}": ("Core", 10.0) for n in range(5)}


def _at(days_ago: int) -> dt.datetime:
    return dt.datetime.combine(AS_OF - dt.timedelta(days=days_ago), dt.time(12), tzinfo=dt.UTC)


def healthy_inputs() -> ClientInputs:
    return ClientInputs(
        client_id=1,
        as_of=AS_OF,
        tier=ContractTier.PROFESSIONAL,
        segment=None,
        licensed_user_count=20,
        licensed_modules=["Core"],
        days_to_renewal=300,
        dau_30d=10.0,
        dau_prev_30d=10.0,
        feature_uses_30d=dict.fromkeys(CATALOGUE, 20),
        tickets_30d=1,
        tickets_prior_90d=3,
        last_csm_contact=_at(5),
        champion_name="Sarah Chen",
        champion_last_login=_at(1),
        latest_nps=9,
    )


def risky_inputs() -> ClientInputs:
    inputs = healthy_inputs()
    inputs.dau_30d = 6.0  # down 40%
    inputs.feature_uses_30d = {"f0": 20, "f1": 20}  # 2 of 5
    inputs.tickets_30d = 3  # 3x the normal 1/month
    inputs.last_csm_contact = _at(60)
    inputs.champion_last_login = _at(21)
    inputs.latest_nps = 6
    inputs.overdue_invoices, inputs.overdue_amount = 1, Decimal(1200)
    inputs.days_to_renewal = 45
    return inputs


def features(inputs: ClientInputs, *, started_days_ago: int = 3 * 365) -> FeatureVector:
    context = FeatureContext(contract_start=AS_OF - dt.timedelta(days=started_days_ago), catalogue=CATALOGUE)
    return client_features(inputs, context)


def test_features_are_scaled_and_explained_in_plain_words() -> None:
    vector = features(risky_inputs())
    assert vector.values["usage_trend"] == pytest.approx(-0.4)
    assert vector.values["adoption_gap"] == pytest.approx(0.6)
    assert vector.values["support_load"] == pytest.approx(0.5)
    assert vector.values["champion_inactivity"] == pytest.approx(14 / 30)
    assert vector.values["nps"] == pytest.approx(0.25)
    assert vector.details["champion_inactivity"] == "champion Sarah Chen no login in 21 days"
    assert vector.details["support_load"].startswith("3x normal ticket volume")
    assert vector.details["usage_trend"].startswith("DAU down 40%")
    assert vector.details["adoption_gap"].startswith("2 of 5 licensed features")
    assert vector.missing == frozenset()


def test_features_stay_in_their_documented_ranges_at_the_extremes() -> None:
    inputs = risky_inputs()
    inputs.dau_30d, inputs.tickets_30d, inputs.latest_nps, inputs.overdue_invoices = 0.0, 50, 0, 7
    inputs.last_csm_contact, inputs.champion_last_login, inputs.days_to_renewal = None, None, -30
    worst = features(inputs, started_days_ago=10)
    assert {name: worst.values[name] for name in FEATURE_NAMES} == {
        "usage_trend": -1.0,
        "adoption_gap": 0.6,
        "support_load": 1.0,
        "relationship_recency": 1.0,
        "nps": 1.0,
        "payment_issues": 1.0,
        "champion_inactivity": 1.0,
        "renewal_proximity": 1.0,
        "tenure": pytest.approx(-355 / 365),
    }
    assert features(healthy_inputs(), started_days_ago=5 * 365).values["tenure"] == 1.0


def test_missing_data_counts_as_healthy_and_is_flagged() -> None:
    inputs = healthy_inputs()
    inputs.dau_prev_30d, inputs.latest_nps, inputs.champion_name, inputs.days_to_renewal = None, None, None, None
    vector = features(inputs)
    assert vector.missing == {"usage_trend", "nps", "champion_inactivity", "renewal_proximity"}
    assert all(vector.values[name] == 0.0 for name in vector.missing)
    assert vector.details["nps"] == "no NPS response"


def _vector(values: dict[str, float], missing: frozenset[str] = frozenset()) -> FeatureVector:
    return FeatureVector(values={name: values.get(name, 0.0) for name in FEATURE_NAMES}, missing=missing, details={})


feature_values = st.fixed_dictionaries(
    {name: st.floats(-1.0 if name in ("usage_trend", "tenure") else 0.0, 1.0) for name in FEATURE_NAMES}
)


@given(
    values=feature_values, intercept=st.floats(-8.0, 4.0), weights=st.lists(st.floats(-5, 5), min_size=9, max_size=9)
)
def test_horizons_are_monotonic_for_any_client_and_any_model(
    values: dict[str, float], intercept: float, weights: list[float]
) -> None:
    for coefficients in (
        DEFAULT_COEFFICIENTS,
        Coefficients(weights=dict(zip(FEATURE_NAMES, weights, strict=True)), intercepts=horizon_intercepts(intercept)),
    ):
        probabilities = predict(coefficients, _vector(values)).probabilities
        assert 0.0 <= probabilities[30] <= probabilities[60] <= probabilities[90] <= 1.0


@pytest.mark.parametrize(
    ("probability", "band"),
    [(0.0, "low"), (0.1999, "low"), (0.2, "medium"), (0.35, "medium"), (0.5, "medium"), (0.5001, "high"), (1, "high")],
)
def test_risk_bands_follow_seed_004_at_the_boundaries(probability: float, band: str) -> None:
    assert risk_band(probability) == band


@given(values=feature_values)
def test_factor_shares_sum_to_one_over_the_factors_that_raise_risk(values: dict[str, float]) -> None:
    effects = predict(DEFAULT_COEFFICIENTS, _vector(values)).effects
    raising = [effect for effect in effects if effect.contribution > 0]
    assert all(effect.share == 0 for effect in effects if effect.contribution <= 0)
    if raising:
        assert sum(effect.share for effect in raising) == pytest.approx(1.0)


def test_a_client_with_every_risk_factor_scores_higher_than_one_with_none() -> None:
    safe = predict(DEFAULT_COEFFICIENTS, features(healthy_inputs()))
    risky = predict(DEFAULT_COEFFICIENTS, features(risky_inputs(), started_days_ago=120))
    assert risky.probability_90d > 0.5 > 0.2 > safe.probability_90d
    assert (risky.band, safe.band) == ("high", "low")
    assert [effect.factor for effect in risky.effects][:2] == ["adoption_gap", "usage_trend"]
    assert {effect.factor for effect in risky.effects if effect.share > 0} == set(FEATURE_NAMES)


def test_healthy_reference_client_gets_the_documented_baseline() -> None:
    probabilities = predict(DEFAULT_COEFFICIENTS, _vector({})).probabilities
    assert probabilities == {30: 0.0134, 60: 0.0265, 90: 0.0392}


@pytest.mark.parametrize(("contribution", "impact"), [(0.70, "high"), (-0.70, "high"), (0.3, "medium"), (0.2, "low")])
def test_impact_is_by_how_much_a_factor_moves_the_odds(contribution: float, impact: str) -> None:
    assert impact_of(contribution) == impact


def test_confidence_falls_with_missing_data_and_near_thresholds() -> None:
    weights = DEFAULT_COEFFICIENTS.weights
    assert confidence(weights, frozenset(), logit(0.02)) == 1.0
    assert confidence(weights, frozenset(), logit(CHECK_IN_ABOVE)) == 0.6
    partial = confidence(weights, frozenset({"nps", "usage_trend"}), logit(0.02))
    assert partial == round(1 - (1.6 + 2.0) / sum(abs(w) for w in weights.values()), 2)


def _effect(factor: str, contribution: float, share: float) -> FactorEffect:
    return FactorEffect(factor, 1.0, contribution, share, impact_of(contribution), "", missing=False)


def test_actions_follow_seed_002_thresholds_then_the_playbook() -> None:
    effects = [_effect("champion_inactivity", 1.5, 0.75), _effect("nps", 0.1, 0.25), _effect("tenure", -0.6, 0.0)]
    assert recommended_actions(0.71, effects) == [
        "Assign to client success as high priority",
        "Prepare a personal retention offer",
        "Call the champion and confirm they are still in role",
    ]
    assert recommended_actions(0.7, effects)[0] == "Schedule a check-in"
    assert recommended_actions(0.4, effects) == ["Call the champion and confirm they are still in role"]
    assert recommended_actions(0.1, []) == []


def test_coefficients_round_trip_and_refuse_bad_models() -> None:
    assert Coefficients.from_json(DEFAULT_COEFFICIENTS.to_json()) == DEFAULT_COEFFICIENTS
    with pytest.raises(ValidationError, match="malformed"):
        Coefficients.from_json({"x": 1.0})
    disordered = DEFAULT_COEFFICIENTS.to_json() | {"intercepts": {"30": 0.0, "60": -1.0, "90": -2.0}}
    with pytest.raises(ValidationError, match="must not fall"):
        Coefficients.from_json(disordered)
    assert list(horizon_intercepts(-3.2)) == list(HORIZONS)


def test_labels_place_churn_at_contract_end_and_retention_at_the_latest_renewal() -> None:
    start = dt.date(2022, 2, 28)
    churned = outcome_for(1, LifecycleStatus.CHURNED, start, dt.date(2024, 10, 1), AS_OF)
    assert churned is not None
    assert (churned.churned, churned.feature_day) == (True, dt.date(2024, 7, 3))
    assert outcome_for(1, LifecycleStatus.CHURNED, start, None, AS_OF) is None
    assert outcome_for(1, LifecycleStatus.CHURNED, start, dt.date(2025, 9, 1), AS_OF) is None
    retained = outcome_for(2, LifecycleStatus.ACTIVE, start, None, AS_OF)
    assert retained is not None
    assert (retained.churned, retained.outcome_day) == (False, dt.date(2025, 2, 28))
    assert outcome_for(3, LifecycleStatus.ACTIVE, dt.date(2024, 9, 1), None, AS_OF) is None
    assert latest_renewal(dt.date(2024, 2, 29), None, dt.date(2025, 3, 1)) == dt.date(2025, 2, 28)
    assert latest_renewal(dt.date(2024, 1, 1), dt.date(2024, 12, 1), AS_OF) == dt.date(2025, 1, 1)


def test_calibration_bins_compare_predicted_with_observed() -> None:
    bins = calibration_bins([True, False, False, True, True], [0.1, 0.15, 0.5, 0.9, 1.0])
    assert bins == [
        {"low": 0.0, "high": 0.2, "clients": 2, "mean_predicted": 0.125, "observed_rate": 0.5},
        {"low": 0.4, "high": 0.6, "clients": 1, "mean_predicted": 0.5, "observed_rate": 0.0},
        {"low": 0.8, "high": 1.0, "clients": 2, "mean_predicted": 0.95, "observed_rate": 1.0},
    ]
