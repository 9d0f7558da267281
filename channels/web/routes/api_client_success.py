"""Seed 001's GET/POST/PATCH /api/client/success: success score, insights, heatmap, and engagement tracking."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from channels.web.api_deps import AsOfDep, NowDep
from channels.web.deps import ActorDep, SessionDep
from channels.web.schemas.errors import ERRORS
from channels.web.schemas.seed_routes import CalculateIn, SuccessOverview, SuccessPatched, SuccessPatchIn
from domain.enums import InsightStatus
from domain.errors import NotFoundError
from domain.ingest.event_batch import ingest_event_batch
from domain.insights.service import list_insights, set_insight_status
from domain.scoring.drivers import get_score
from domain.scoring.refresh import refresh_score
from domain.scoring.schemas import ScoreView
from domain.usage.analytics import usage_summary

router = APIRouter(prefix="/api/client/success", tags=["seed 001: client success"], responses=ERRORS)
SUCCESS_MODEL = "success"
PATCH_STATUS = {"mark-read": InsightStatus.READ, "dismiss": InsightStatus.DISMISSED}


@router.get("", response_model=SuccessOverview, summary="Score, insights and heatmap")
def get_success(
    client_id: Annotated[int, Query(alias="clientId", ge=1, le=2**31 - 1)],
    session: SessionDep,
    actor: ActorDep,
    as_of: AsOfDep,
) -> SuccessOverview:
    insights = list_insights(db_session=session, actor=actor, client_id=client_id)
    try:
        score = get_score(db_session=session, actor=actor, client_id=client_id, as_of=as_of, model_key=SUCCESS_MODEL)
    except NotFoundError:  # not calculated yet: POST calculates it
        score = None
    heatmap = usage_summary(db_session=session, actor=actor, client_id=client_id, as_of=as_of, days=30).heatmap
    return SuccessOverview(client_id=client_id, score=score, insights=insights, heatmap=heatmap)


@router.post("", response_model=ScoreView, summary="Calculate the success score")
def post_success(body: CalculateIn, session: SessionDep, actor: ActorDep, as_of: AsOfDep) -> ScoreView:
    """Engagement, activation, progress, satisfaction and momentum, weighted; recalculating replaces the day's."""
    return refresh_score(
        db_session=session, actor=actor, client_id=body.client_id, as_of=as_of, model_key=SUCCESS_MODEL
    )


@router.patch("", response_model=SuccessPatched, summary="mark-read, dismiss or track-event")
def patch_success(body: SuccessPatchIn, session: SessionDep, actor: ActorDep, now: NowDep) -> SuccessPatched:
    """Insights are marked read or dismissed; track-event stores one engagement event (idempotent by eventId)."""
    if body.action == "track-event":
        assert body.event is not None  # SuccessPatchIn requires both for track-event
        assert body.client_id is not None
        report = ingest_event_batch(
            db_session=session, actor=actor, events=[body.event.record()], client_id=body.client_id
        )
        return SuccessPatched(action=body.action, ingest=report)
    assert body.insight_id is not None
    insight = set_insight_status(
        db_session=session, actor=actor, insight_id=body.insight_id, status=PATCH_STATUS[body.action], now=now
    )
    return SuccessPatched(action=body.action, insight=insight)
