"""Labelling history, fitting the logistic model and backtesting it. No I/O: plain values in and out.

Labels, one row per client, as of the fit date:
- churned: lifecycle CHURNED; its churn date is contract_end_date (no date, or a date after the fit
  date, and the row is skipped: it cannot be placed in time).
- retained: not churned (nor a prospect) and renewed at least once: its outcome date is the latest
  renewal on or before the fit date, i.e. the latest contract anniversary (contract running a year or
  more) or a contract end date already passed while still a client.
- Features are taken 90 days before the outcome date (the 90-day horizon); a row whose feature date
  would predate the contract start is skipped.

Fit: scikit-learn LogisticRegression, L2 penalty with C=1 (shrinks weights on small histories), on the
scaled features. renewal_proximity is constant in history by construction (every outcome is its own
renewal, 90 days after the features), so it cannot be learnt: it keeps its default weight and the
intercept absorbs weight x value, so training rows score as fitted. The fitted intercept is the 90-day
one; the 30- and 60-day intercepts keep the defaults' constant-hazard offsets ln(h / 90).

Backtest: stratified k-fold cross-validation (k = 5, or the smaller class size if below), shuffled with
a fixed seed; each fold is fitted exactly as above and scores its held-out rows. Out-of-fold
probabilities give the AUC, the Brier score and calibration in five equal-width probability bins.
Caveat: retained rows are at least 9 months into their contract while churners can be younger, so the
fitted tenure weight can overstate how much tenure protects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from dateutil.relativedelta import relativedelta
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]
from sklearn.metrics import brier_score_loss, roc_auc_score  # type: ignore[import-untyped]
from sklearn.model_selection import StratifiedKFold  # type: ignore[import-untyped]

from domain.churn.coefficients import DEFAULT_WEIGHTS, Coefficients, horizon_intercepts
from domain.churn.features import FEATURE_NAMES, FeatureVector
from domain.churn.rules import sigmoid
from domain.enums import LifecycleStatus

MIN_OUTCOMES_PER_CLASS = 10
LOOKBACK_DAYS = 90
MAX_FOLDS = 5
FIXED_FEATURES = ("renewal_proximity",)
FITTED_FEATURES = tuple(name for name in FEATURE_NAMES if name not in FIXED_FEATURES)


@dataclass(frozen=True, slots=True)
class Outcome:
    client_id: int
    outcome_day: dt.date
    churned: bool

    @property
    def feature_day(self) -> dt.date:
        return self.outcome_day - dt.timedelta(days=LOOKBACK_DAYS)


def latest_renewal(start: dt.date, end: dt.date | None, as_of: dt.date) -> dt.date | None:
    """The latest renewal on or before as_of: a contract anniversary, or a contract end already passed."""
    years = relativedelta(as_of, start).years
    candidates = [start + relativedelta(years=years)] if years >= 1 else []
    if end is not None and start < end <= as_of:
        candidates.append(end)
    return max(candidates, default=None)


def outcome_for(
    client_id: int, status: LifecycleStatus, start: dt.date, end: dt.date | None, as_of: dt.date
) -> Outcome | None:
    """The client's labelled outcome, or None when it has none (yet) or cannot be placed in time."""
    if status is LifecycleStatus.CHURNED:
        if end is None or end > as_of:
            return None
        outcome = Outcome(client_id, end, churned=True)
    elif status is LifecycleStatus.PROSPECT:
        return None
    else:
        renewal = latest_renewal(start, end, as_of)
        if renewal is None:
            return None
        outcome = Outcome(client_id, renewal, churned=False)
    return outcome if outcome.feature_day >= start else None


def _matrix(vectors: Sequence[FeatureVector], names: Sequence[str]) -> np.ndarray:
    return np.array([[vector.values[name] for name in names] for vector in vectors], dtype=float)


def fit_coefficients(vectors: Sequence[FeatureVector], churned: Sequence[bool]) -> Coefficients:
    """Fit the 90-day model on labelled rows and derive the 30/60-day intercepts."""
    regression = LogisticRegression(C=1.0, max_iter=1000)
    regression.fit(_matrix(vectors, FITTED_FEATURES), np.array(churned, dtype=int))
    weights = {name: float(weight) for name, weight in zip(FITTED_FEATURES, regression.coef_[0], strict=True)}
    fixed = {name: DEFAULT_WEIGHTS[name] for name in FIXED_FEATURES}
    # The fixed features are (near) constant in history: absorb their mean effect into the intercept.
    offset = sum(weight * float(_matrix(vectors, [name]).mean()) for name, weight in fixed.items())
    intercept_90 = float(regression.intercept_[0]) - offset
    ordered = {name: {**weights, **fixed}[name] for name in FEATURE_NAMES}
    return Coefficients(weights=ordered, intercepts=horizon_intercepts(intercept_90))


def probability_90d(coefficients: Coefficients, vector: FeatureVector) -> float:
    linear = sum(coefficients.weights[name] * vector.values[name] for name in coefficients.weights)
    return sigmoid(coefficients.intercepts[90] + linear)


def calibration_bins(churned: Sequence[bool], predicted: Sequence[float], bins: int = 5) -> list[dict[str, float]]:
    """Observed churn rate against mean predicted probability in equal-width bins; empty bins are left out."""
    rows = []
    for index in range(bins):
        low, high = index / bins, (index + 1) / bins
        members = [
            (bool(label), p) for label, p in zip(churned, predicted, strict=True) if low <= p < high or p == high == 1.0
        ]
        if members:
            rows.append(
                {
                    "low": low,
                    "high": high,
                    "clients": len(members),
                    "mean_predicted": round(sum(p for _, p in members) / len(members), 4),
                    "observed_rate": round(sum(label for label, _ in members) / len(members), 4),
                }
            )
    return rows


@dataclass(frozen=True, slots=True)
class Backtest:
    folds: int
    auc: float
    brier: float
    calibration: list[dict[str, float]]


def backtest(vectors: Sequence[FeatureVector], churned: Sequence[bool]) -> Backtest:
    """Stratified k-fold cross-validation of fit_coefficients: out-of-fold AUC, Brier and calibration."""
    labels = np.array(churned, dtype=int)
    folds = max(2, min(MAX_FOLDS, int(labels.sum()), int(len(labels) - labels.sum())))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    predicted = np.zeros(len(labels))
    for train, test in splitter.split(np.zeros((len(labels), 1)), labels):
        model = fit_coefficients([vectors[i] for i in train], [bool(labels[i]) for i in train])
        predicted[test] = [probability_90d(model, vectors[i]) for i in test]
    return Backtest(
        folds=folds,
        auc=round(float(roc_auc_score(labels, predicted)), 4),
        brier=round(float(brier_score_loss(labels, predicted)), 4),
        calibration=calibration_bins(list(churned), [float(p) for p in predicted]),
    )


def auc_of(coefficients: Coefficients, vectors: Sequence[FeatureVector], churned: Sequence[bool]) -> float:
    """AUC of a given model on labelled rows (the defaults, as the baseline a fit must beat)."""
    scores = [probability_90d(coefficients, vector) for vector in vectors]
    return round(float(roc_auc_score(np.array(churned, dtype=int), scores)), 4)
