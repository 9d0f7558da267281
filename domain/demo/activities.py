"""CSM activities (seed 004 F9): every type and outcome, with contacts, durations and follow-ups."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from domain.demo.activity_text import describe
from domain.demo.clock import days_before, stamps, utc_at
from domain.demo.plan import ClientPlan
from domain.demo.staff import VP_CLIENT_SUCCESS
from domain.enums import ActivityOutcome, ActivityType, ContactRole

TYPES = tuple(ActivityType)
OUTCOMES = tuple(ActivityOutcome)
# Touchpoints that count as talking to the client; an internal discussion does not.
CONTACT_TYPES = (ActivityType.CALL, ActivityType.EMAIL, ActivityType.MEETING)
TYPE_WEIGHTS = {
    ActivityType.CALL: 22, ActivityType.EMAIL: 25, ActivityType.MEETING: 10, ActivityType.QBR: 5,
    ActivityType.TRAINING: 7, ActivityType.ONBOARDING: 4, ActivityType.SUPPORT_ESCALATION: 6,
    ActivityType.EXECUTIVE_TOUCHPOINT: 4, ActivityType.INTERNAL_DISCUSSION: 12, ActivityType.OTHER: 5,
}  # fmt: skip
OUTCOME_WEIGHTS = {
    "healthy": (45, 5, 15, 2, 13, 20),
    "monitor": (30, 15, 8, 10, 25, 12),
    "at_risk": (15, 25, 2, 30, 25, 3),
}  # in OUTCOMES order
DURATIONS = {
    ActivityType.CALL: (15, 60), ActivityType.MEETING: (30, 90), ActivityType.QBR: (60, 120),
    ActivityType.TRAINING: (45, 120), ActivityType.ONBOARDING: (45, 90), ActivityType.SUPPORT_ESCALATION: (20, 60),
    ActivityType.EXECUTIVE_TOUCHPOINT: (30, 60), ActivityType.INTERNAL_DISCUSSION: (15, 45),
    ActivityType.OTHER: (10, 30),
}  # fmt: skip
FOLLOW_UP_OUTCOMES = {
    ActivityOutcome.FOLLOW_UP_REQUIRED,
    ActivityOutcome.ISSUE_IDENTIFIED,
    ActivityOutcome.RISK_IDENTIFIED,
    ActivityOutcome.EXPANSION_OPPORTUNITY,
}


@dataclass(slots=True)
class ActivityPlan:
    activity_type: ActivityType
    performer_email: str
    contact_indices: list[int]
    occurred_at: dt.datetime
    outcome: ActivityOutcome
    duration_minutes: int | None


def plan_activities(plan: ClientPlan, rng: random.Random, as_of: dt.date) -> list[ActivityPlan]:
    """The latest client touchpoint lands exactly `last_contact_days` ago (if the client is that old)."""
    oldest = plan.age_in_window(as_of)
    latest = min(plan.last_contact_days, oldest)
    activities = [_activity(plan, rng, rng.choice(CONTACT_TYPES), days_before(as_of, latest))]
    for number in range(1, plan.activity_count):
        kind = _kind(plan, rng, number)
        # Internal discussions may come after the last touchpoint; client-facing ones may not.
        newest = 0 if kind is ActivityType.INTERNAL_DISCUSSION else min(latest + 1, oldest)
        day = days_before(as_of, rng.randint(newest, oldest))
        activities.append(_activity(plan, rng, kind, day))
    activities.sort(key=lambda activity: activity.occurred_at)
    return activities


def _kind(plan: ClientPlan, rng: random.Random, number: int) -> ActivityType:
    """Story accounts walk through every type in turn, so even a 10-client demo shows them all."""
    if plan.story is not None:
        return TYPES[(plan.index * 3 + number) % len(TYPES)]
    return rng.choices(TYPES, weights=[TYPE_WEIGHTS[kind] for kind in TYPES])[0]


def _activity(plan: ClientPlan, rng: random.Random, kind: ActivityType, day: dt.date) -> ActivityPlan:
    low, high = DURATIONS.get(kind, (0, 0))
    outcome = rng.choices(OUTCOMES, weights=OUTCOME_WEIGHTS[plan.archetype.key])[0]
    if plan.story is not None and kind is not ActivityType.EMAIL:
        outcome = OUTCOMES[(plan.index + TYPES.index(kind)) % len(OUTCOMES)]
    performer = VP_CLIENT_SUCCESS if kind is ActivityType.EXECUTIVE_TOUCHPOINT else plan.csm_email
    if kind in (ActivityType.CALL, ActivityType.MEETING) and plan.ae_email and rng.random() < 0.1:
        performer = plan.ae_email
    return ActivityPlan(
        activity_type=kind,
        performer_email=performer,
        contact_indices=_attendees(plan, rng, kind),
        occurred_at=utc_at(day, rng.randint(13, 21), rng.choice((0, 15, 30, 45))),
        outcome=outcome,
        duration_minutes=rng.randint(low, high) if high else None,
    )


def _attendees(plan: ClientPlan, rng: random.Random, kind: ActivityType) -> list[int]:
    champion = plan.contact_with_role(ContactRole.CHAMPION)
    sponsor = plan.contact_with_role(ContactRole.EXECUTIVE_SPONSOR)
    admin = plan.contact_with_role(ContactRole.ADMIN)
    users = [i for i, contact in enumerate(plan.contacts) if contact.role is ContactRole.USER]
    by_kind = {
        ActivityType.INTERNAL_DISCUSSION: [],
        ActivityType.EXECUTIVE_TOUCHPOINT: [sponsor],
        ActivityType.QBR: [champion, sponsor],
        ActivityType.TRAINING: sorted([admin, *rng.sample(users, min(2, len(users)))]),
        ActivityType.SUPPORT_ESCALATION: [admin],
        ActivityType.ONBOARDING: [champion, admin],
    }
    return by_kind.get(kind, [champion])


def last_contacts(activities: list[ActivityPlan]) -> tuple[dt.datetime | None, dict[int, dt.datetime]]:
    """The client's last CSM touchpoint and each contact's, from the planned activities."""
    client_last: dt.datetime | None = None
    per_contact: dict[int, dt.datetime] = {}
    for activity in activities:  # in time order, so later ones overwrite
        if activity.activity_type is ActivityType.INTERNAL_DISCUSSION:
            continue
        client_last = activity.occurred_at
        for index in activity.contact_indices:
            per_contact[index] = activity.occurred_at
    return client_last, per_contact


def activity_rows(
    plan: ClientPlan,
    activities: list[ActivityPlan],
    client_id: int,
    contact_ids: list[int],
    user_ids: dict[str, int],
    rng: random.Random,
    as_of: dt.date,
) -> list[dict[str, Any]]:
    rows = []
    for activity in activities:
        text = describe(plan, activity.activity_type, activity.outcome, rng)
        rows.append(
            {
                "client_id": client_id,
                "activity_type": activity.activity_type,
                "performed_by_id": user_ids[activity.performer_email],
                "contact_ids": [str(contact_ids[i]) for i in activity.contact_indices],
                "occurred_at": activity.occurred_at,
                "duration_minutes": activity.duration_minutes,
                "outcome": activity.outcome,
                **text,
                **_follow_up(activity, rng, as_of),
                **_crm_ids(plan, rng),
                **stamps(activity.occurred_at + dt.timedelta(hours=1)),
            }
        )
    return rows


def _follow_up(activity: ActivityPlan, rng: random.Random, as_of: dt.date) -> dict[str, Any]:
    """Follow-ups after findings: most past ones done, some overdue, recent ones still open."""
    if activity.outcome not in FOLLOW_UP_OUTCOMES:
        return {"follow_up_date": None, "follow_up_completed": False, "follow_up_completed_at": None}
    due = activity.occurred_at.date() + dt.timedelta(days=rng.randint(3, 14))
    done = due < as_of and rng.random() < 0.7
    completed_day = min(as_of, due + dt.timedelta(days=rng.randint(-2, 2)))
    completed_day = max(completed_day, activity.occurred_at.date())
    return {
        "follow_up_date": due,
        "follow_up_completed": done,
        "follow_up_completed_at": utc_at(completed_day, 22) if done else None,
    }


def _crm_ids(plan: ClientPlan, rng: random.Random) -> dict[str, Any]:
    digits = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(15))
    return {
        "salesforce_activity_id": f"00T{digits}" if plan.salesforce_id else None,
        "hubspot_engagement_id": str(rng.randint(10**10, 10**11 - 1)) if plan.hubspot_id else None,
    }
