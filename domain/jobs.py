"""The derived-data pipeline: what runs after new data arrives (demo load, ingestion, the hourly job).

Order matters: adoption feeds benchmarks, scores feed churn and alerts, so each step reads the previous one.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel
from sqlalchemy.orm import Session

from domain.adoption.refresh import refresh_feature_adoption
from domain.alerts.engine import evaluate_alerts
from domain.churn.service import predict_churn
from domain.onboarding.interventions import ensure_default_rules, run_daily_interventions
from domain.onboarding.milestone_definitions import ensure_default_milestones
from domain.onboarding.milestones import detect_milestones
from domain.progress import ProgressCallback, no_progress
from domain.scoring.presets import PRESETS
from domain.scoring.recompute import recompute_scores


class RefreshReport(BaseModel):
    workspace_id: int
    as_of: dt.date
    snapshots: int
    churn_predictions: int
    alerts_created: int
    alerts_resolved: int
    interventions: int
    milestones: int


def refresh_derived_data(
    *,
    db_session: Session,
    workspace_id: int,
    as_of: dt.date,
    now: dt.datetime | None = None,
    backfill_days: int = 0,
    progress: ProgressCallback | None = None,
) -> RefreshReport:
    """Recompute adoption, scores (health backfilled `backfill_days`), churn, milestones, interventions, alerts."""
    report = progress or no_progress
    now = now or dt.datetime.combine(as_of, dt.time(12), tzinfo=dt.UTC)
    refresh_feature_adoption(db_session=db_session, workspace_id=workspace_id, as_of=as_of)
    snapshots = 0
    for model_key in PRESETS:
        start = as_of - dt.timedelta(days=backfill_days if model_key == "health" else 0)
        scored = recompute_scores(
            db_session=db_session,
            workspace_id=workspace_id,
            start=start,
            end=as_of,
            model_key=model_key,
            progress=report,
        )
        snapshots += scored.snapshots
    report("churn, milestones, alerts", 0, 3)
    churn = predict_churn(db_session=db_session, workspace_id=workspace_id, as_of=as_of)
    ensure_default_milestones(db_session=db_session, workspace_id=workspace_id)
    milestones = detect_milestones(db_session=db_session, workspace_id=workspace_id, as_of=as_of)
    report("churn, milestones, alerts", 2, 3)
    ensure_default_rules(db_session=db_session, workspace_id=workspace_id)
    interventions = run_daily_interventions(db_session=db_session, workspace_id=workspace_id, as_of=as_of)
    alerts = evaluate_alerts(db_session=db_session, workspace_id=workspace_id, as_of=as_of, now=now)
    report("churn, milestones, alerts", 3, 3)
    return RefreshReport(
        workspace_id=workspace_id,
        as_of=as_of,
        snapshots=snapshots,
        churn_predictions=len(churn),
        alerts_created=alerts.created,
        alerts_resolved=alerts.resolved,
        interventions=interventions.recommended,
        milestones=len(milestones),
    )
