"""Pydantic views of churn predictions and model fits: what services return, never ORM rows."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from domain.churn.rules import Impact, RiskBand


class ChurnFactor(BaseModel):
    """One input's effect on a prediction (seed 004 F6 "Risk Factors Displayed")."""

    factor: str  # feature name, e.g. "champion_inactivity"
    label: str  # "Champion inactive"
    share: float  # of the total risk-raising log-odds; shares of the risk-raising factors sum to 1
    impact: Impact
    contribution: float  # log-odds against a healthy reference client; negative lowers risk
    value: float  # the scaled feature value
    detail: str  # plain words: "champion Sarah Chen no login in 21 days"


class ChurnRiskView(BaseModel):
    client_id: int
    client_name: str
    as_of: dt.date
    probability_30d: float
    probability_60d: float
    probability_90d: float
    churn_risk_score: int  # round(90-day probability x 100), the Client.churn_risk_score column
    risk_band: RiskBand  # seed 004 bands on the 90-day probability
    confidence: float  # 0-1, see domain/churn/rules.py
    factors: list[ChurnFactor]  # raising risk, biggest share first
    protective_factors: list[ChurnFactor]  # lowering risk
    missing_inputs: list[str]  # what had no data, in words (counted as healthy; lowers confidence)
    recommended_actions: list[str]  # recommendations only; nothing is sent
    model_id: int
    model_version: str
    model_auc: float | None  # cross-validated AUC of a fitted model; None for the untested defaults
    prediction_id: int


class CalibrationBin(BaseModel):
    low: float
    high: float
    clients: int
    mean_predicted: float
    observed_rate: float


class ChurnFitReport(BaseModel):
    model_id: int
    version: str
    as_of: dt.date
    trained_on_rows: int
    churned: int
    retained: int
    skipped: int  # churned clients left out: no churn date, dated after as_of, or within 90 days of starting
    folds: int
    auc: float  # out-of-fold, stratified k-fold cross-validation
    brier: float
    default_auc: float  # the default coefficients on the same rows, for comparison
    calibration: list[CalibrationBin]
    weights: dict[str, float]
    intercepts: dict[str, float]  # horizon in days -> intercept
    replaced_versions: list[str]  # previously active models, now deactivated
