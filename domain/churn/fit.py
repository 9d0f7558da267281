"""Fit the churn model on a workspace's own renewal and churn history and make it the active model."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from domain.audit import record_audit
from domain.churn.coefficients import DEFAULT_COEFFICIENTS, HORIZONS, Coefficients
from domain.churn.features import FeatureVector
from domain.churn.gather import ClientFacts, client_facts, gather_features
from domain.churn.models import ChurnModel
from domain.churn.schemas import CalibrationBin, ChurnFitReport
from domain.churn.training import (
    LOOKBACK_DAYS,
    MIN_OUTCOMES_PER_CLASS,
    Backtest,
    Outcome,
    auc_of,
    backtest,
    fit_coefficients,
    outcome_for,
)
from domain.clients.models import Client
from domain.enums import LifecycleStatus
from domain.errors import ValidationError
from domain.progress import ProgressCallback, no_progress
from domain.scoring.inputs import licensed_feature_expectations


def fit_churn_model(
    *, db_session: Session, workspace_id: int, as_of: dt.date, progress: ProgressCallback | None = None
) -> ChurnFitReport:
    """Fit, backtest and activate a churn model on the workspace's history up to as_of."""
    facts = client_facts(db_session=db_session, where=Client.workspace_id == workspace_id)
    outcomes, skipped = _label(facts, as_of)
    churned = sum(outcome.churned for outcome in outcomes)
    _refuse_thin_history(as_of, churned=churned, retained=len(outcomes) - churned, skipped=skipped)
    vectors = _training_vectors(db_session, workspace_id, facts, outcomes, progress or no_progress)
    labels = [outcome.churned for outcome in outcomes]
    rows = [vectors[outcome.client_id] for outcome in outcomes]
    checked = backtest(rows, labels)
    coefficients = fit_coefficients(rows, labels)
    default_auc = auc_of(DEFAULT_COEFFICIENTS, rows, labels)
    metrics = _metrics(checked, default_auc, as_of, churned=churned, retained=len(rows) - churned, skipped=skipped)
    replaced = _deactivate_active_models(db_session, workspace_id)
    model = _store_model(db_session, workspace_id, as_of, coefficients, metrics, len(rows))
    return _report(model, coefficients, checked, metrics, replaced)


def _refuse_thin_history(as_of: dt.date, *, churned: int, retained: int, skipped: int) -> None:
    """Refuse before touching anything: a fit on a handful of outcomes would be noise presented as a model."""
    if churned >= MIN_OUTCOMES_PER_CLASS and retained >= MIN_OUTCOMES_PER_CLASS:
        return
    raise ValidationError(
        f"not enough history to fit a churn model as of {as_of}: {churned} churned and {retained} retained"
        f" clients with a known outcome (and {skipped} churned clients that cannot be placed in time);"
        f" need at least {MIN_OUTCOMES_PER_CLASS} of each. Predictions keep using the current model."
    )


def _store_model(
    session: Session,
    workspace_id: int,
    as_of: dt.date,
    coefficients: Coefficients,
    metrics: dict[str, Any],
    rows: int,
) -> ChurnModel:
    model = ChurnModel(
        workspace_id=workspace_id,
        version=_next_version(session, workspace_id, as_of),
        coefficients=coefficients.to_json(),
        metrics=metrics,
        trained_on_rows=rows,
        is_active=True,
    )
    session.add(model)
    session.flush()
    record_audit(
        session,
        workspace_id=workspace_id,
        actor_user_id=None,
        action="fit",
        entity_type="churn_model",
        entity_id=model.id,
        after={"version": model.version, "auc": metrics["auc"], "brier": metrics["brier"], "rows": rows},
    )
    return model


def _label(facts: dict[int, ClientFacts], as_of: dt.date) -> tuple[list[Outcome], int]:
    outcomes, skipped = [], 0
    for client_id, fact in sorted(facts.items()):
        outcome = outcome_for(client_id, fact.lifecycle_status, fact.contract_start_date, fact.contract_end_date, as_of)
        if outcome is not None:
            outcomes.append(outcome)
        elif fact.lifecycle_status is LifecycleStatus.CHURNED:
            skipped += 1
    return outcomes, skipped


def _training_vectors(
    session: Session,
    workspace_id: int,
    facts: dict[int, ClientFacts],
    outcomes: list[Outcome],
    progress: ProgressCallback,
) -> dict[int, FeatureVector]:
    """Features of each labelled client on its own feature day, one grouped gather per distinct day."""
    by_day: dict[dt.date, list[int]] = defaultdict(list)
    for outcome in outcomes:
        by_day[outcome.feature_day].append(outcome.client_id)
    catalogue = licensed_feature_expectations(db_session=session, workspace_id=workspace_id)
    vectors: dict[int, FeatureVector] = {}
    for done, (day, client_ids) in enumerate(sorted(by_day.items()), start=1):
        vectors |= gather_features(
            db_session=session,
            workspace_id=workspace_id,
            as_of=day,
            clients=facts,
            client_ids=client_ids,
            days_to_renewal=LOOKBACK_DAYS,  # every outcome is its own renewal, this far ahead
            catalogue=catalogue,
        )
        progress("gathering churn history", done, len(by_day))
    return vectors


def _deactivate_active_models(session: Session, workspace_id: int) -> list[str]:
    active = list(
        session.scalars(
            select(ChurnModel.version).where(ChurnModel.workspace_id == workspace_id, ChurnModel.is_active.is_(True))
        )
    )
    session.execute(
        update(ChurnModel)
        .where(ChurnModel.workspace_id == workspace_id, ChurnModel.is_active.is_(True))
        .values(is_active=False)
    )
    return active


def _next_version(session: Session, workspace_id: int, as_of: dt.date) -> str:
    prefix = f"fit-{as_of.isoformat()}-"
    same_day = session.scalar(
        select(func.count()).where(ChurnModel.workspace_id == workspace_id, ChurnModel.version.startswith(prefix))
    )
    return f"{prefix}{int(same_day or 0) + 1}"


def _metrics(
    checked: Backtest, default_auc: float, as_of: dt.date, *, churned: int, retained: int, skipped: int
) -> dict[str, Any]:
    return {
        "auc": checked.auc,
        "brier": checked.brier,
        "default_auc": default_auc,
        "folds": checked.folds,
        "calibration": checked.calibration,
        "churned": churned,
        "retained": retained,
        "skipped": skipped,
        "fitted_as_of": as_of.isoformat(),
        "method": "logistic regression, L2 C=1; stratified k-fold out-of-fold backtest",
    }


def _report(
    model: ChurnModel, coefficients: Coefficients, checked: Backtest, metrics: dict[str, Any], replaced: list[str]
) -> ChurnFitReport:
    return ChurnFitReport(
        model_id=model.id,
        version=model.version,
        as_of=dt.date.fromisoformat(metrics["fitted_as_of"]),
        trained_on_rows=model.trained_on_rows,
        churned=metrics["churned"],
        retained=metrics["retained"],
        skipped=metrics["skipped"],
        folds=checked.folds,
        auc=checked.auc,
        brier=checked.brier,
        default_auc=metrics["default_auc"],
        calibration=[CalibrationBin(**entry) for entry in checked.calibration],
        weights={name: round(weight, 4) for name, weight in coefficients.weights.items()},
        intercepts={str(horizon): round(coefficients.intercepts[horizon], 4) for horizon in HORIZONS},
        replaced_versions=replaced,
    )
