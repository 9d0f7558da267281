"""Expansion-ready clients across a portfolio (seed 004 F5): near their seat limit, power users, promoters.

Set-based: a handful of grouped queries over the actor's visible clients, never one per client.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session

from domain.access import Actor, visible_clients_clause
from domain.adoption.models import FeatureAdoption
from domain.adoption.schemas import ExpansionSignal
from domain.benchmarks.rules import NOT_PEERS
from domain.clients.models import Client
from domain.enums import AdoptionStatus, ContractTier, SurveyKind
from domain.support.models import SurveyResponse
from domain.usage.models import UsageRollup

SEAT_SHARE = 0.9  # monthly active users at 90% of licensed users: the next hire needs a seat
POWER_SHARE = 0.5  # Power Use of more than half the licensed features
PROMOTER_NPS = 9
NPS_LOOKBACK_DAYS = 180
MAU_LOOKBACK_DAYS = 7  # the latest rollup within a week stands for "now" when today's is not built yet


@dataclass(frozen=True, slots=True)
class _Candidate:
    client_id: int
    name: str
    tier: ContractTier
    licensed_users: int | None
    arr: Decimal | None


def expansion_signals(*, db_session: Session, actor: Actor, as_of: dt.date) -> list[ExpansionSignal]:
    """List the actor's clients that look ready to expand, the strongest first.

    Signals: MAU >= 90% of licensed users; Power Use of most licensed features (as of the last adoption
    refresh); a promoter NPS (9-10) in the last 180 days. Ties rank by seat use, then ARR, then name.
    """
    scope = and_(visible_clients_clause(actor), Client.lifecycle_status.not_in(sorted(NOT_PEERS)))
    candidates = [
        _Candidate(*row)
        for row in db_session.execute(
            select(
                Client.id,
                Client.name,
                Client.contract_tier,
                Client.licensed_user_count,
                Client.annual_recurring_revenue,
            ).where(scope)
        )
    ]
    mau = _latest_mau(db_session, scope, as_of)
    power = _power_shares(db_session, scope)
    nps = _latest_nps(db_session, scope, as_of)
    signals = [
        signal
        for candidate in candidates
        if (signal := _signal(candidate, mau.get(candidate.client_id), power.get(candidate.client_id), nps))
    ]
    arr = {candidate.client_id: candidate.arr or Decimal(0) for candidate in candidates}
    return sorted(
        signals,
        key=lambda s: (-s.strength, -(s.seat_utilisation or 0.0), -arr[s.client_id], s.client_name),
    )


def _signal(candidate: _Candidate, mau: int | None, power: float | None, nps: dict[int, int]) -> ExpansionSignal | None:
    reasons = []
    seats = mau / candidate.licensed_users if mau is not None and candidate.licensed_users else None
    if seats is not None and seats >= SEAT_SHARE:
        reasons.append(f"{mau} monthly active users on {candidate.licensed_users} licensed seats ({seats:.0%})")
    if power is not None and power > POWER_SHARE:
        reasons.append(f"power use of {power:.0%} of licensed features")
    score = nps.get(candidate.client_id)
    if score is not None and score >= PROMOTER_NPS:
        reasons.append(f"promoter: latest NPS {score}")
    if not reasons:
        return None
    return ExpansionSignal(
        client_id=candidate.client_id,
        client_name=candidate.name,
        tier=candidate.tier,
        strength=len(reasons),
        reasons=reasons,
        seat_utilisation=None if seats is None else round(seats, 4),
        power_feature_share=None if power is None else round(power, 4),
        latest_nps=score,
    )


def _latest_mau(session: Session, scope: ColumnElement[bool], as_of: dt.date) -> dict[int, int]:
    first = as_of - dt.timedelta(days=MAU_LOOKBACK_DAYS - 1)
    latest = (
        select(UsageRollup.client_id, func.max(UsageRollup.day).label("day"))
        .join(Client, Client.id == UsageRollup.client_id)
        .where(scope, UsageRollup.day.between(first, as_of))
        .group_by(UsageRollup.client_id)
        .subquery()
    )
    rows = session.execute(
        select(UsageRollup.client_id, UsageRollup.monthly_active_users).join(
            latest, and_(latest.c.client_id == UsageRollup.client_id, latest.c.day == UsageRollup.day)
        )
    )
    return {int(client_id): int(mau) for client_id, mau in rows}


def _power_shares(session: Session, scope: ColumnElement[bool]) -> dict[int, float]:
    power = case((FeatureAdoption.adoption_status == AdoptionStatus.POWER_USE, 1), else_=0)
    rows = session.execute(
        select(FeatureAdoption.client_id, func.count(), func.sum(power))
        .join(Client, Client.id == FeatureAdoption.client_id)
        .where(scope, FeatureAdoption.is_licensed.is_(True))
        .group_by(FeatureAdoption.client_id)
    )
    return {client_id: int(powered or 0) / licensed for client_id, licensed, powered in rows if licensed}


def _latest_nps(session: Session, scope: ColumnElement[bool], as_of: dt.date) -> dict[int, int]:
    """Each client's most recent NPS in the lookback (several on the same instant are averaged)."""
    end = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    start = end - dt.timedelta(days=NPS_LOOKBACK_DAYS)
    nps = and_(SurveyResponse.kind == SurveyKind.NPS, SurveyResponse.responded_at >= start)
    latest = (
        select(SurveyResponse.client_id, func.max(SurveyResponse.responded_at).label("last"))
        .join(Client, Client.id == SurveyResponse.client_id)
        .where(scope, nps, SurveyResponse.responded_at < end)
        .group_by(SurveyResponse.client_id)
        .subquery()
    )
    rows = session.execute(
        select(SurveyResponse.client_id, func.avg(SurveyResponse.score))
        .join(
            latest, and_(latest.c.client_id == SurveyResponse.client_id, latest.c.last == SurveyResponse.responded_at)
        )
        .where(SurveyResponse.kind == SurveyKind.NPS)
        .group_by(SurveyResponse.client_id)
    )
    return {client_id: round(float(score)) for client_id, score in rows}
