"""Stored predictions to and from their row form, and the view a reader gets of one."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from domain.churn.features import FEATURE_LABELS
from domain.churn.models import ChurnModel, ChurnPrediction
from domain.churn.rules import FactorEffect, Prediction, RiskBand, impact_of, recommended_actions
from domain.churn.schemas import ChurnFactor, ChurnRiskView


def effect_to_json(effect: FactorEffect) -> dict[str, Any]:
    """One entry of ChurnPrediction.factors: every feature is kept, so the row explains itself later."""
    return {
        "factor": effect.factor,
        "share": round(effect.share, 4),
        "detail": effect.detail,
        "impact": effect.impact,
        "contribution": round(effect.contribution, 4),
        "value": round(effect.value, 4),
        "missing": effect.missing,
    }


def effect_from_json(entry: dict[str, Any]) -> FactorEffect:
    contribution = float(entry.get("contribution", 0.0))
    return FactorEffect(
        factor=str(entry["factor"]),
        value=float(entry.get("value", 0.0)),
        contribution=contribution,
        share=float(entry.get("share", 0.0)),
        impact=impact_of(contribution),
        detail=str(entry.get("detail", "")),
        missing=bool(entry.get("missing", False)),
    )


def prediction_row(client_id: int, day: dt.date, model_id: int, prediction: Prediction) -> dict[str, Any]:
    return {
        "client_id": client_id,
        "day": day,
        "model_id": model_id,
        "probability_30d": prediction.probabilities[30],
        "probability_60d": prediction.probabilities[60],
        "probability_90d": prediction.probabilities[90],
        "risk_band": prediction.band,
        "factors": [effect_to_json(effect) for effect in prediction.effects],
        "confidence": prediction.confidence,
    }


def _factor(effect: FactorEffect) -> ChurnFactor:
    return ChurnFactor(
        factor=effect.factor,
        label=FEATURE_LABELS.get(effect.factor, effect.factor),
        share=effect.share,
        impact=effect.impact,
        contribution=effect.contribution,
        value=effect.value,
        detail=effect.detail,
    )


def risk_view(row: ChurnPrediction, client_name: str, model: ChurnModel) -> ChurnRiskView:
    """The reader's view of a stored prediction; actions are derived from it, so they follow the rules."""
    effects = [effect_from_json(entry) for entry in row.factors]
    raising = sorted((effect for effect in effects if effect.share > 0), key=lambda effect: -effect.share)
    lowering = sorted((effect for effect in effects if effect.contribution < 0), key=lambda effect: effect.contribution)
    auc = model.metrics.get("auc")
    return ChurnRiskView(
        client_id=row.client_id,
        client_name=client_name,
        as_of=row.day,
        probability_30d=row.probability_30d,
        probability_60d=row.probability_60d,
        probability_90d=row.probability_90d,
        churn_risk_score=round(row.probability_90d * 100),
        risk_band=cast(RiskBand, row.risk_band),
        confidence=row.confidence,
        factors=[_factor(effect) for effect in raising],
        protective_factors=[_factor(effect) for effect in lowering],
        missing_inputs=[effect.detail for effect in effects if effect.missing],
        recommended_actions=recommended_actions(row.probability_90d, raising),
        model_id=model.id,
        model_version=model.version,
        model_auc=None if auc is None else float(auc),
        prediction_id=row.id,
    )
