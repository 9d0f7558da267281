"""The benchmark metrics of many clients at once: health, usage intensity, adoption and support volume.

Set-based: one grouped query per metric over every client matching a condition, never one per client.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session

from domain.adoption.models import FeatureAdoption
from domain.adoption.rules import USED_LEVELS
from domain.clients.models import Client
from domain.enums import ContractTier, LifecycleStatus
from domain.scoring.models import HealthSnapshot
from domain.support.models import SupportTicket
from domain.usage.models import UsageRollup

WINDOW_DAYS = 30
HEALTH_MODEL = "health"


@dataclass(slots=True)
class ClientMetrics:
    client_id: int
    name: str
    tier: ContractTier
    industry: str
    lifecycle: LifecycleStatus
    health: float | None = None  # latest health snapshot on or before as_of
    usage_intensity: float | None = None  # average DAU over 30 days / licensed users
    adoption: float | None = None  # adoption score from the stored adoption rows
    adoption_assessed_on: dt.date | None = None
    support_tickets: int = 0  # opened in the 30 days up to as_of


def load_client_metrics(
    *, db_session: Session, clients: ColumnElement[bool], as_of: dt.date
) -> dict[int, ClientMetrics]:
    """Every benchmark metric of the clients matching `clients`, as of a day."""
    rows = db_session.execute(
        select(Client.id, Client.name, Client.contract_tier, Client.industry, Client.lifecycle_status).where(clients)
    )
    metrics = {row[0]: ClientMetrics(*row) for row in rows}
    if metrics:
        for client_id, health in latest_health(db_session=db_session, clients=clients, as_of=as_of).items():
            metrics[client_id].health = health
        _add_usage_intensity(db_session, clients, as_of, metrics)
        _add_adoption(db_session, clients, metrics)
        _add_support(db_session, clients, as_of, metrics)
    return metrics


def latest_health(*, db_session: Session, clients: ColumnElement[bool], as_of: dt.date) -> dict[int, float]:
    """Each matching client's overall health from its latest snapshot on or before as_of."""
    latest = (
        select(HealthSnapshot.client_id, func.max(HealthSnapshot.day).label("day"))
        .join(Client, Client.id == HealthSnapshot.client_id)
        .where(clients, HealthSnapshot.model_key == HEALTH_MODEL, HealthSnapshot.day <= as_of)
        .group_by(HealthSnapshot.client_id)
        .subquery()
    )
    rows = db_session.execute(
        select(HealthSnapshot.client_id, HealthSnapshot.overall_score)
        .join(latest, and_(latest.c.client_id == HealthSnapshot.client_id, latest.c.day == HealthSnapshot.day))
        .where(HealthSnapshot.model_key == HEALTH_MODEL)
    )
    return {client_id: float(overall) for client_id, overall in rows}


def _add_usage_intensity(
    session: Session, clients: ColumnElement[bool], as_of: dt.date, metrics: dict[int, ClientMetrics]
) -> None:
    start = as_of - dt.timedelta(days=WINDOW_DAYS - 1)
    rows = session.execute(
        select(UsageRollup.client_id, func.avg(UsageRollup.daily_active_users), func.max(Client.licensed_user_count))
        .join(Client, Client.id == UsageRollup.client_id)
        .where(clients, UsageRollup.day.between(start, as_of))
        .group_by(UsageRollup.client_id)
    )
    for client_id, average_dau, licensed_users in rows:
        if licensed_users:
            metrics[client_id].usage_intensity = float(average_dau) / licensed_users


def _add_adoption(session: Session, clients: ColumnElement[bool], metrics: dict[int, ClientMetrics]) -> None:
    used = case((FeatureAdoption.adoption_status.in_(sorted(USED_LEVELS)), 1), else_=0)
    rows = session.execute(
        select(FeatureAdoption.client_id, func.count(), func.sum(used), func.max(FeatureAdoption.assessed_on))
        .join(Client, Client.id == FeatureAdoption.client_id)
        .where(clients, FeatureAdoption.is_licensed.is_(True))
        .group_by(FeatureAdoption.client_id)
    )
    for client_id, licensed, in_use, assessed_on in rows:
        metrics[client_id].adoption = int(in_use or 0) / licensed * 100.0
        metrics[client_id].adoption_assessed_on = _as_date(assessed_on)


def _add_support(
    session: Session, clients: ColumnElement[bool], as_of: dt.date, metrics: dict[int, ClientMetrics]
) -> None:
    end = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    rows = session.execute(
        select(SupportTicket.client_id, func.count())
        .join(Client, Client.id == SupportTicket.client_id)
        .where(clients, SupportTicket.opened_at >= end - dt.timedelta(days=WINDOW_DAYS), SupportTicket.opened_at < end)
        .group_by(SupportTicket.client_id)
    )
    for client_id, tickets in rows:
        metrics[client_id].support_tickets = int(tickets)


def _as_date(value: dt.date | str | None) -> dt.date | None:
    # SQLite returns MAX() over a DATE column as text.
    return dt.date.fromisoformat(value) if isinstance(value, str) else value
