"""A client's overview: everything a CSM reads before a call, assembled from the other services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.access import Actor, get_visible_client
from domain.activities.schemas import ActivityView
from domain.activities.service import list_activities
from domain.alerts.schemas import AlertView
from domain.alerts.service import list_alerts
from domain.churn.schemas import ChurnRiskView
from domain.churn.service import get_churn_risk
from domain.clients.models import Client, Contact
from domain.enums import ContactRole, ContractTier, EngagementStatus, HealthStatus, HealthTrend, LifecycleStatus
from domain.errors import DomainError
from domain.operations.models import Proposal
from domain.operations.schemas import EngagementStatus as EngagementView
from domain.operations.status import engagement_status
from domain.scoring.models import HealthSnapshot
from domain.success.reads import get_success_data
from domain.success.rules import success_layer_refusal
from domain.success.schemas import ProgressView

KEY_ROLES = (ContactRole.CHAMPION, ContactRole.EXECUTIVE_SPONSOR, ContactRole.ADMIN, ContactRole.BILLING)


class ContactSummary(BaseModel):
    id: int
    name: str
    title: str | None
    role: ContactRole
    email: str | None
    last_platform_login: dt.datetime | None
    engagement_status: EngagementStatus


class TrendPoint(BaseModel):
    day: dt.date
    score: float
    status: HealthStatus


class ClientOverview(BaseModel):
    client_id: int
    name: str
    as_of: dt.date
    industry: str
    tier: ContractTier
    lifecycle_status: LifecycleStatus
    annual_recurring_revenue: Decimal | None
    next_renewal_date: dt.date | None
    days_to_renewal: int | None
    csm_user_id: int | None
    health_score: int | None
    health_status: HealthStatus | None
    health_trend: HealthTrend | None
    health_trend_90d: list[TrendPoint]
    churn: ChurnRiskView | None
    open_alerts: list[AlertView]
    recent_activities: list[ActivityView]
    key_contacts: list[ContactSummary]
    last_csm_contact_at: dt.datetime | None
    outcome_progress: ProgressView | None
    engagement: EngagementView | None
    source_ids: dict[str, list[int]]


def client_overview(
    *, db_session: Session, actor: Actor, client_id: int, as_of: dt.date, now: dt.datetime
) -> ClientOverview:
    """The client at a glance: health and its 90-day trend, churn, alerts, recent activity, contacts, outcomes."""
    client = get_visible_client(db_session, actor, client_id)
    trend = _trend(db_session, client.id, as_of)
    alerts = list_alerts(db_session=db_session, actor=actor, now=now, client_id=client.id)
    activities = list_activities(db_session=db_session, actor=actor, client_id=client.id, limit=5).activities
    return ClientOverview(
        client_id=client.id,
        name=client.name,
        as_of=as_of,
        industry=client.industry,
        tier=client.contract_tier,
        lifecycle_status=client.lifecycle_status,
        annual_recurring_revenue=client.annual_recurring_revenue,
        next_renewal_date=client.next_renewal_date,
        days_to_renewal=(client.next_renewal_date - as_of).days if client.next_renewal_date else None,
        csm_user_id=client.csm_user_id,
        health_score=client.current_health_score,
        health_status=client.health_status,
        health_trend=client.health_trend,
        health_trend_90d=trend,
        churn=_churn(db_session, actor, client.id, as_of),
        open_alerts=alerts[:5],
        recent_activities=activities,
        key_contacts=_contacts(db_session, client.id),
        last_csm_contact_at=client.last_csm_contact_at,
        outcome_progress=_progress(db_session, actor, client, as_of),
        engagement=_engagement(db_session, actor, client.id, as_of),
        source_ids={"client": [client.id], "alert": [a.id for a in alerts[:5]], "activity": [a.id for a in activities]},
    )


def _churn(session: Session, actor: Actor, client_id: int, as_of: dt.date) -> ChurnRiskView | None:
    try:
        return get_churn_risk(db_session=session, actor=actor, client_id=client_id, as_of=as_of)
    except DomainError:  # no churn prediction for a prospect or a churned client: the overview omits it
        return None


def _trend(session: Session, client_id: int, as_of: dt.date) -> list[TrendPoint]:
    rows = session.execute(
        select(HealthSnapshot.day, HealthSnapshot.overall_score, HealthSnapshot.status)
        .where(
            HealthSnapshot.client_id == client_id,
            HealthSnapshot.model_key == "health",
            HealthSnapshot.day.between(as_of - dt.timedelta(days=89), as_of),
        )
        .order_by(HealthSnapshot.day)
    )
    return [TrendPoint(day=day, score=round(score, 2), status=status) for day, score, status in rows]


def _contacts(session: Session, client_id: int) -> list[ContactSummary]:
    rows = session.scalars(
        select(Contact)
        .where(Contact.client_id == client_id, Contact.is_active.is_(True), Contact.role.in_(KEY_ROLES))
        .order_by(Contact.role, Contact.name)
    )
    return [
        ContactSummary(
            id=c.id,
            name=c.name,
            title=c.title,
            role=c.role,
            email=c.email,
            last_platform_login=c.last_platform_login,
            engagement_status=c.engagement_status,
        )
        for c in rows
    ]


def _progress(session: Session, actor: Actor, client: Client, as_of: dt.date) -> ProgressView | None:
    if success_layer_refusal(client.name, client.lifecycle_status) is not None:
        return None
    data = get_success_data(db_session=session, actor=actor, client_id=client.id, as_of=as_of)
    return data.progress


def _engagement(session: Session, actor: Actor, client_id: int, as_of: dt.date) -> EngagementView | None:
    if session.scalar(select(Proposal.id).where(Proposal.client_id == client_id).limit(1)) is None:
        return None
    return engagement_status(db_session=session, actor=actor, client_id=client_id, as_of=as_of)
