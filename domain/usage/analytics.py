"""The Usage tab (seed 004 F4, US-015-010/012): a client's usage metrics and its users' engagement.

Every read is scoped by the actor; the tier comparison reads aggregates of the tenant's clients only.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from domain.access import Actor, get_visible_client
from domain.adoption.assess import load_catalogue
from domain.benchmarks.rules import NOT_PEERS
from domain.clients.models import Client
from domain.enums import EngagementStatus
from domain.errors import ValidationError
from domain.seasonality import expected_usage_factor, load_seasonality
from domain.usage import analytics_rules as rules
from domain.usage.analytics_schemas import (
    CohortUsage,
    FeatureBreadth,
    LoginHeatmap,
    MetricTrend,
    PowerUser,
    UsageSummary,
    UserEngagement,
    UserEngagementReport,
)
from domain.usage.models import UsageRollup
from domain.usage.user_activity import (
    KEY_STAKEHOLDER_ROLES,
    ContactMatch,
    UserActivity,
    load_contact_matches,
    load_user_activity,
    period_bounds,
)


def usage_summary(*, db_session: Session, actor: Actor, client_id: int, as_of: dt.date, days: int = 30) -> UsageSummary:
    """Summarise a client's usage over the `days` days up to as_of, against its own past and its tier."""
    _check_days(days)
    client = get_visible_client(db_session, actor, client_id)
    start, previous_start = period_bounds(as_of, days)
    rows = db_session.scalars(
        select(UsageRollup)
        .where(UsageRollup.client_id == client.id, UsageRollup.day.between(previous_start, as_of))
        .order_by(UsageRollup.day)
    ).all()
    period = [row for row in rows if row.day >= start]
    before = [row for row in rows if row.day < start]
    activity = load_user_activity(db_session=db_session, client_id=client.id, as_of=as_of, days=days)
    factor, note = _seasonality(db_session, client, as_of)
    return UsageSummary(
        client_id=client.id,
        client_name=client.name,
        as_of=as_of,
        period_start=start,
        days=days,
        **_user_counts(period, before),
        **_sessions(period),
        feature_breadth=_breadth(db_session, client, period),
        active_users=sum(1 for item in activity.values() if item.events > 0),
        power_users=_power_users(db_session, client.id, activity),
        heatmap=_heatmap(period),
        tier_cohort=_tier_cohort(db_session, client, start, as_of),
        seasonal_factor=factor,
        seasonal_note=note,
    )


def user_engagement(
    *, db_session: Session, actor: Actor, client_id: int, as_of: dt.date, days: int = 30
) -> UserEngagementReport:
    """List a client's platform users, most engaged first, flagging who is declining or inactive (14+ days)."""
    _check_days(days)
    client = get_visible_client(db_session, actor, client_id)
    activity = load_user_activity(db_session=db_session, client_id=client.id, as_of=as_of, days=days)
    contacts = load_contact_matches(db_session=db_session, client_id=client.id)
    # Contacts who never used the platform are listed too (never active), unless they have left.
    refs = set(activity) | {ref for ref, contact in contacts.items() if contact.is_active}
    users = [
        _engagement(ref, activity.get(ref) or UserActivity(ref, None, 0, 0, 0), contacts.get(ref), as_of)
        for ref in refs
    ]
    users.sort(key=lambda user: (-user.events, -user.sessions, user.name or user.user_ref, user.user_ref))
    statuses = [user.status for user in users]
    return UserEngagementReport(
        client_id=client.id,
        client_name=client.name,
        as_of=as_of,
        days=days,
        users=users,
        active=statuses.count(EngagementStatus.ACTIVE),
        declining=statuses.count(EngagementStatus.DECLINING),
        inactive=statuses.count(EngagementStatus.INACTIVE),
        key_stakeholders_at_risk=[
            user.headline for user in users if user.is_key_stakeholder and user.status is not EngagementStatus.ACTIVE
        ],
    )


def _check_days(days: int) -> None:
    if not 1 <= days <= 365:
        raise ValidationError("the period is 1 to 365 days")


def _user_counts(period: Sequence[UsageRollup], before: Sequence[UsageRollup]) -> dict[str, Any]:
    """DAU/WAU/MAU on the latest day of the period against their average over the period before."""
    measured = period[-1] if period else None
    average_dau = rules.mean([row.daily_active_users for row in period])
    average_mau = rules.mean([row.monthly_active_users for row in period])
    return {
        "measured_on": measured.day if measured else None,
        "dau": _trend(measured.daily_active_users if measured else None, [r.daily_active_users for r in before]),
        "wau": _trend(measured.weekly_active_users if measured else None, [r.weekly_active_users for r in before]),
        "mau": _trend(measured.monthly_active_users if measured else None, [r.monthly_active_users for r in before]),
        "average_dau": average_dau,
        "average_mau": average_mau,
        "stickiness": rules.stickiness(average_dau, average_mau),
    }


def _sessions(period: Sequence[UsageRollup]) -> dict[str, Any]:
    sessions = sum(row.total_sessions for row in period)
    actions = sum(row.total_actions for row in period)
    duration = rules.weighted_average((row.avg_session_duration_seconds, row.total_sessions) for row in period)
    return {
        "total_sessions": sessions,
        "total_actions": actions,
        "avg_session_duration_seconds": duration,
        "avg_session_depth": actions / sessions if sessions else None,  # F4: total actions / session count
    }


def _trend(value: int | None, earlier: Sequence[int]) -> MetricTrend:
    baseline = rules.mean([float(item) for item in earlier])
    current = None if value is None else float(value)
    return MetricTrend(value=current, baseline=baseline, change=rules.change_ratio(current, baseline))


def _breadth(session: Session, client: Client, period: Sequence[UsageRollup]) -> FeatureBreadth:
    module_of = {
        feature.key: feature.module for feature in load_catalogue(db_session=session, workspace_id=client.workspace_id)
    }
    used = {
        module_of[key]
        for row in period
        for key, uses in (row.feature_counts or {}).items()
        if key in module_of and int(uses) > 0
    }
    licensed = sorted(set(client.licensed_modules or []))
    used_licensed = sorted(used & set(licensed))
    return FeatureBreadth(
        modules_licensed=licensed,
        modules_used=used_licensed,
        breadth=len(used_licensed) / len(licensed) if licensed else None,
        unlicensed_modules_used=sorted(used - set(licensed)),
    )


def _power_users(session: Session, client_id: int, activity: dict[str, UserActivity]) -> list[PowerUser]:
    contacts = load_contact_matches(db_session=session, client_id=client_id)
    top = rules.top_users({ref: item.events for ref, item in activity.items()})
    return [
        PowerUser(
            user_ref=ref,
            name=contacts[ref].name if ref in contacts else None,
            role=contacts[ref].role if ref in contacts else None,
            events=events,
        )
        for ref, events in top
    ]


def _heatmap(period: Sequence[UsageRollup]) -> LoginHeatmap:
    grid = rules.login_grid((row.day, row.logins_by_hour) for row in period)
    peak = rules.peak_slot(grid)
    by_weekday = {weekday: sum(hours) for weekday, hours in grid.items()}
    return LoginHeatmap(
        grid=grid,
        by_hour=[sum(grid[weekday][hour] for weekday in rules.WEEKDAYS) for hour in range(rules.HOURS)],
        by_weekday=by_weekday,
        total_logins=sum(by_weekday.values()),
        peak_weekday=peak[0] if peak else None,
        peak_hour=peak[1] if peak else None,
    )


def _tier_cohort(session: Session, client: Client, start: dt.date, as_of: dt.date) -> CohortUsage:
    """Average DAU, MAU and stickiness over the period for live clients of the client's tier (itself included)."""
    members = or_(Client.lifecycle_status.not_in(sorted(NOT_PEERS)), Client.id == client.id)
    rows = session.execute(
        select(func.avg(UsageRollup.daily_active_users), func.avg(UsageRollup.monthly_active_users))
        .join(Client, Client.id == UsageRollup.client_id)
        .where(
            Client.workspace_id == client.workspace_id,
            Client.contract_tier == client.contract_tier,
            members,
            UsageRollup.day.between(start, as_of),
        )
        .group_by(UsageRollup.client_id)
    ).all()
    dau = [float(average_dau) for average_dau, _ in rows]
    mau = [float(average_mau) for _, average_mau in rows]
    ratios = [ratio for d, m in zip(dau, mau, strict=True) if (ratio := rules.stickiness(d, m)) is not None]
    return CohortUsage(
        tier=client.contract_tier,
        clients=len(rows),
        average_dau=rules.mean(dau),
        average_mau=rules.mean(mau),
        average_stickiness=rules.mean(ratios),
    )


def _seasonality(session: Session, client: Client, as_of: dt.date) -> tuple[float, str | None]:
    settings = load_seasonality(db_session=session, workspace_id=client.workspace_id)
    factor = expected_usage_factor(client.segment, as_of.month, settings)
    if factor >= 1.0:
        return factor, None
    segment = client.segment or "every segment"
    month = calendar.month_name[as_of.month]
    return factor, f"{month} is a slow month for {segment}: usage is expected at {factor:.0%} of normal"


def _engagement(ref: str, activity: UserActivity, contact: ContactMatch | None, as_of: dt.date) -> UserEngagement:
    last = activity.last_active_at
    days_inactive = None if last is None else (as_of - last.date()).days
    status = rules.engagement_status(days_inactive, activity.sessions, activity.previous_sessions)
    return UserEngagement(
        user_ref=ref,
        contact_id=None if contact is None else contact.contact_id,
        name=None if contact is None else contact.name,
        role=None if contact is None else contact.role,
        title=None if contact is None else contact.title,
        is_key_stakeholder=contact is not None and contact.is_active and contact.role in KEY_STAKEHOLDER_ROLES,
        last_active_at=last,
        days_inactive=days_inactive,
        sessions=activity.sessions,
        previous_sessions=activity.previous_sessions,
        events=activity.events,
        status=status,
        headline=_headline(ref, contact, status, days_inactive, activity),
    )


def _headline(
    ref: str, contact: ContactMatch | None, status: EngagementStatus, days: int | None, activity: UserActivity
) -> str:
    """One line a CSM can act on, e.g. "Sarah Chen (CHAMPION) inactive 21 days"."""
    who = ref if contact is None else f"{contact.name} ({contact.role.value})"
    if days is None:
        return f"{who} never active"
    if status is EngagementStatus.INACTIVE:
        return f"{who} inactive {days} days"
    if status is EngagementStatus.DECLINING:
        return (
            f"{who} declining: {activity.sessions} sessions vs {activity.previous_sessions} the period before, "
            f"last active {days} days ago"
        )
    return f"{who} active, last active {days} days ago"
