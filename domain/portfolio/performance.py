"""CSM scorecards for VPs (seed 004 US-015-042): portfolio, health and its change, activity, follow-ups.

Only TEAM_VIEW_ROLES (VPs, admins) may compare colleagues; anyone else gets AccessDeniedError. The period
is the `days` UTC days up to and including as_of. Activities count by who performed them, on any client
of the tenant; clients, ARR and health by the CSM assigned today.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from decimal import Decimal

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from domain.access import Actor, visible_clients_clause
from domain.activities.models import Activity
from domain.activities.rules import day_window
from domain.clients.models import Client
from domain.enums import ActivityType, Role
from domain.errors import AccessDeniedError, ValidationError
from domain.portfolio import rules
from domain.portfolio.facts import ClientFacts, load_facts, portfolio_scope
from domain.portfolio.schemas import CsmPerformanceReport, CsmScorecard
from domain.staff.models import User

CSM_ROLES = (Role.CSM, Role.SENIOR_CSM)
MAX_DAYS = 365


def csm_performance(*, db_session: Session, actor: Actor, as_of: dt.date, days: int = 90) -> CsmPerformanceReport:
    """Compare CSMs: clients, ARR, average health and its change over the period, at-risk, activities, follow-ups."""
    if actor.role not in rules.TEAM_VIEW_ROLES:
        raise AccessDeniedError("CSM performance is for VPs and admins")
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise ValidationError(f"days must be a whole number from 1 to {MAX_DAYS}, got {days!r}")
    period_start = as_of - dt.timedelta(days=days - 1)
    facts = load_facts(db_session, where=portfolio_scope(actor), as_of=as_of, then=period_start)
    by_csm: dict[int | None, list[ClientFacts]] = defaultdict(list)
    for fact in facts:
        by_csm[fact.csm_user_id].append(fact)
    activity = _activity_counts(db_session, actor, period_start, as_of)
    overdue = _overdue_follow_ups(db_session, actor, as_of)
    last_at = _last_activity(db_session, actor, as_of)
    names = _csm_names(db_session, actor, {csm for csm in by_csm if csm is not None})
    cards = [
        _scorecard(user_id, name, by_csm.get(user_id, []), activity.get(user_id), overdue, last_at)
        for user_id, name in sorted(names.items(), key=lambda item: (item[1], item[0]))
    ]
    if by_csm.get(None):
        cards.append(_scorecard(None, "Unassigned", by_csm[None], None, overdue, last_at))
    return CsmPerformanceReport(
        as_of=as_of, days=days, period_start=period_start, csms=cards, client_ids=[fact.client_id for fact in facts]
    )


def _scorecard(
    user_id: int | None,
    name: str,
    clients: list[ClientFacts],
    activity: Counter[ActivityType] | None,
    overdue: dict[int, int],
    last_at: dict[int, dt.datetime],
) -> CsmScorecard:
    counts = activity or Counter()
    average_now = rules.average(fact.health for fact in clients)
    average_then = rules.average(fact.then.value if fact.then else None for fact in clients)
    return CsmScorecard(
        csm_user_id=user_id,
        csm_name=name,
        clients=len(clients),
        arr=sum((fact.arr or Decimal(0) for fact in clients), Decimal(0)),
        average_health=average_now,
        average_health_then=average_then,
        average_health_change=rules.change(average_now, average_then),
        at_risk_count=sum(1 for fact in clients if rules.is_at_risk(fact.status)),
        activities=sum(counts.values()),
        activities_by_type={kind: counts[kind] for kind in ActivityType if counts[kind]},
        qbrs=counts[ActivityType.QBR],
        follow_ups_overdue=0 if user_id is None else overdue.get(user_id, 0),
        last_activity_at=None if user_id is None else last_at.get(user_id),
    )


def _activity_counts(session: Session, actor: Actor, start: dt.date, end: dt.date) -> dict[int, Counter[ActivityType]]:
    window_start, window_end = day_window(start, end)
    rows = session.execute(
        select(Activity.performed_by_id, Activity.activity_type, func.count())
        .join(Client, Client.id == Activity.client_id)
        .where(
            visible_clients_clause(actor),
            Activity.performed_by_id.is_not(None),
            Activity.occurred_at >= window_start,
            Activity.occurred_at < window_end,
        )
        .group_by(Activity.performed_by_id, Activity.activity_type)
    )
    counts: dict[int, Counter[ActivityType]] = defaultdict(Counter)
    for performer_id, kind, count in rows:
        counts[performer_id][ActivityType(kind)] += count
    return counts


def _overdue_follow_ups(session: Session, actor: Actor, as_of: dt.date) -> dict[int, int]:
    rows = session.execute(
        select(Activity.performed_by_id, func.count())
        .join(Client, Client.id == Activity.client_id)
        .where(
            visible_clients_clause(actor),
            Activity.follow_up_completed.is_(False),
            Activity.follow_up_date < as_of,
        )
        .group_by(Activity.performed_by_id)
    )
    return {performer_id: count for performer_id, count in rows if performer_id is not None}


def _last_activity(session: Session, actor: Actor, as_of: dt.date) -> dict[int, dt.datetime]:
    _, window_end = day_window(as_of, as_of)
    rows = session.execute(
        select(Activity.performed_by_id, func.max(Activity.occurred_at))
        .join(Client, Client.id == Activity.client_id)
        .where(visible_clients_clause(actor), Activity.occurred_at < window_end)
        .group_by(Activity.performed_by_id)
    )
    # max() bypasses the column type on SQLite, so the timezone is restored here.
    return {performer: _aware(moment) for performer, moment in rows if performer is not None and moment is not None}


def _aware(moment: dt.datetime | str) -> dt.datetime:
    value = dt.datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _csm_names(session: Session, actor: Actor, owners: set[int]) -> dict[int, str]:
    """Active CSMs of the tenant (an empty portfolio is worth seeing), plus whoever owns clients."""
    rows = session.execute(
        select(User.id, User.name).where(
            User.workspace_id == actor.workspace_id,
            or_(and_(User.role.in_(CSM_ROLES), User.is_active.is_(True)), User.id.in_(sorted(owners))),
        )
    )
    return dict(rows.tuples().all())
