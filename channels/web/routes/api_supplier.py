"""Seed 002's routes: supplier health score, milestones, recommendations, and booking a success call."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from channels.web.api_deps import AsOfDep, IdempotencyKeyDep, NowDep, id_path
from channels.web.deps import ActorDep, SessionDep
from channels.web.idempotency import scoped_key
from channels.web.schemas.errors import ERRORS
from channels.web.schemas.seed_routes import MilestoneIn, Recommendations, ScheduleCallIn, SupplierHealth
from domain.activities.schemas import ActivityView
from domain.activities.service import log_activity
from domain.enums import ActivityOutcome, ActivityType
from domain.onboarding.interventions import list_recommended_actions
from domain.onboarding.milestone_records import MilestoneRecorded, record_milestone
from domain.scoring.drivers import get_score

router = APIRouter(prefix="/api", tags=["seed 002: supplier success"], responses=ERRORS)
SupplierId = Annotated[int, id_path("supplier (client)")]
SUPPLIER_MODEL = "supplier"


@router.get("/health/score/{supplier_id}", response_model=SupplierHealth, summary="Current health score and risk")
def get_supplier_health(
    supplier_id: SupplierId, session: SessionDep, actor: ActorDep, as_of: AsOfDep
) -> SupplierHealth:
    """Seed 002's points model: login recency 30, adoption 25, client activity 25, forms 10, journeys 10."""
    score = get_score(db_session=session, actor=actor, client_id=supplier_id, as_of=as_of, model_key=SUPPLIER_MODEL)
    return SupplierHealth(
        supplier_id=score.client_id,
        health_score=score.overall,
        risk_level="healthy"
        if score.status.value == "HEALTHY"
        else "critical"
        if score.status.value == "CRITICAL"
        else "at_risk",
        status=score.status,
        calculated_on=score.day,
        components=score.components,
        snapshot_id=score.snapshot_id,
    )


@router.post("/success/milestone", response_model=MilestoneRecorded, summary="Record a success milestone")
def post_milestone(body: MilestoneIn, session: SessionDep, actor: ActorDep, now: NowDep) -> MilestoneRecorded:
    """Recorded once per supplier; a repeat returns the first record with created false."""
    return record_milestone(
        db_session=session,
        actor=actor,
        client_id=body.supplier_id,
        milestone_type=body.milestone_type,
        achieved_at=body.achieved_at or now,
        now=now,
    )


@router.get("/success/recommendations/{supplier_id}", response_model=Recommendations, summary="Recommendations")
def get_recommendations(
    supplier_id: SupplierId, session: SessionDep, actor: ActorDep, as_of: AsOfDep
) -> Recommendations:
    """The open intervention recommendations for the supplier (re-engagement, adoption tips, setup call...)."""
    rows = list_recommended_actions(db_session=session, actor=actor, as_of=as_of, client_id=supplier_id)
    return Recommendations(supplier_id=supplier_id, as_of=as_of, recommendations=rows)


@router.post("/support/schedule-call", response_model=ActivityView, status_code=201, summary="Book a success call")
def post_schedule_call(
    body: ScheduleCallIn, session: SessionDep, actor: ActorDep, now: NowDep, key: IdempotencyKeyDep
) -> ActivityView:
    """Books the call as a follow-up on the CSM's list for the given day (the booking is logged now)."""
    label = body.type.value.replace("_", " ")
    return log_activity(
        db_session=session,
        actor=actor,
        client_id=body.supplier_id,
        activity_type=ActivityType.OTHER,
        subject=f"{label.capitalize()} call booked for {body.date.isoformat()}",
        occurred_at=now,
        now=now,
        description=body.notes,
        outcome=ActivityOutcome.FOLLOW_UP_REQUIRED,
        follow_up_date=body.date,
        idempotency_key=scoped_key(actor, "schedule_call", key),
    )
