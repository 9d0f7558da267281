"""Client queries, always scoped by the asking Actor."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from domain.access import Actor, visible_clients_clause
from domain.clients.models import Client
from domain.clients.schemas import ClientSummary
from domain.enums import ContractTier, HealthStatus
from domain.staff.models import User


def list_clients(
    *,
    db_session: Session,
    actor: Actor,
    as_of: dt.date,
    health_status: HealthStatus | None = None,
    tier: ContractTier | None = None,
    csm_user_id: int | None = None,
) -> list[ClientSummary]:
    """List the clients the actor may see, worst health first, then by name."""
    csm = aliased(User)
    query = (
        select(Client, csm.email, csm.name)
        .outerjoin(csm, csm.id == Client.csm_user_id)
        .where(visible_clients_clause(actor))
        .order_by(Client.current_health_score.asc().nulls_last(), Client.name)
    )
    if health_status is not None:
        query = query.where(Client.health_status == health_status)
    if tier is not None:
        query = query.where(Client.contract_tier == tier)
    if csm_user_id is not None:
        query = query.where(Client.csm_user_id == csm_user_id)
    rows = db_session.execute(query)
    return [client_summary(client, csm_email, csm_name, as_of) for client, csm_email, csm_name in rows]


def client_summary(client: Client, csm_email: str | None, csm_name: str | None, as_of: dt.date) -> ClientSummary:
    days_to_renewal = (client.next_renewal_date - as_of).days if client.next_renewal_date else None
    return ClientSummary(
        id=client.id,
        name=client.name,
        health_score=client.current_health_score,
        health_status=client.health_status,
        health_trend=client.health_trend,
        churn_risk_score=client.churn_risk_score,
        csm_email=csm_email,
        csm_name=csm_name,
        contract_tier=client.contract_tier,
        industry=client.industry,
        lifecycle_status=client.lifecycle_status,
        annual_recurring_revenue=client.annual_recurring_revenue,
        next_renewal_date=client.next_renewal_date,
        days_to_renewal=days_to_renewal,
        last_csm_contact_at=client.last_csm_contact_at,
        segment=client.segment,
        tags=list(client.tags),
    )
