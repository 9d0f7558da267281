"""Seed 001's weekly insights as pure rules over one client's week. No I/O.

Truth layer: every number in an insight is a count of the client's own recorded events, milestones or
onboarding actions. A rule with nothing real to say stays silent: a quiet client gets a nudge, never
an achievement.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from domain.enums import InsightStatus, InsightType
from domain.onboarding.path_rules import humanize

ACTIVITY_UP_PERCENT = 20  # an achievement when actions grew at least this much on the week before
ACTIVITY_DROP_PERCENT = 50  # a recommendation when actions fell at least this much ...
ACTIVITY_DROP_MIN_BASE = 10  # ... from a week before with at least this many actions (tiny bases are noise)
ONBOARDING_ALMOST_DONE = 2  # a tip when this many onboarding actions or fewer remain
FEATURES_LISTED = 4

# Priority 1 is the most pressing; the insights table allows 1..5.
PRIORITY = {"nudge": 1, "drop": 2, "milestone": 2, "achievement": 3, "summary": 3, "features": 3, "tip": 4}


@dataclass(frozen=True, slots=True)
class WeekFacts:
    """One client's week (Monday to Sunday) and the week before, as recorded."""

    week_start: dt.date
    active_days: int = 0
    actions: int = 0
    actions_prev: int = 0
    tasks_completed: int = 0
    content: int = 0  # content generated plus visuals created
    content_prev: int = 0
    last_active_day: dt.date | None = None  # up to the week's end, within the usage look-back
    milestones: tuple[tuple[str, str, dt.date], ...] = ()  # (key, name, day reached) within the week
    onboarding_remaining: tuple[str, ...] | None = None  # None: no onboarding on record, or complete
    licensed_features: int = 0
    unused_features: tuple[str, ...] = ()  # licensed, not actively used in the 30 days to the week's end


@dataclass(frozen=True, slots=True)
class InsightDraft:
    key: str  # stable per rule (and milestone), so regenerating a week is idempotent
    insight_type: InsightType
    title: str
    body: str
    priority: int


def weekly_insights(facts: WeekFacts) -> list[InsightDraft]:
    """Every insight the week supports, summary first."""
    drafts = [_summary(facts)]
    drafts += _achievements(facts)
    drafts += [
        InsightDraft(
            f"milestone_{key}",
            InsightType.MILESTONE,
            f"Milestone reached: {name}",
            f"Reached on {day}.",
            PRIORITY["milestone"],
        )
        for key, name, day in facts.milestones
    ]
    drafts += _recommendations(facts)
    tip = _onboarding_tip(facts)
    return drafts + ([tip] if tip else [])


def _summary(facts: WeekFacts) -> InsightDraft:
    week = f"Week of {facts.week_start.isoformat()}"
    if facts.actions == 0:
        return InsightDraft(
            "weekly_summary", InsightType.WEEKLY_SUMMARY, f"{week}: no activity", _quiet(facts), PRIORITY["summary"]
        )
    title = f"{week}: {_count(facts.active_days, 'active day')}, {_count(facts.actions, 'action')}"
    body = (
        f"{_count(facts.active_days, 'active day')}, {_count(facts.actions, 'action')}, "
        f"{_count(facts.tasks_completed, 'task')} completed, {_count(facts.content, 'piece')} of content created. "
        f"The week before: {_count(facts.actions_prev, 'action')}."
    )
    return InsightDraft("weekly_summary", InsightType.WEEKLY_SUMMARY, title, body, PRIORITY["summary"])


def _achievements(facts: WeekFacts) -> list[InsightDraft]:
    drafts = []
    if facts.actions_prev > 0 and facts.actions * 100 >= facts.actions_prev * (100 + ACTIVITY_UP_PERCENT):
        change = (facts.actions - facts.actions_prev) / facts.actions_prev
        drafts.append(
            InsightDraft(
                "activity_up",
                InsightType.ACHIEVEMENT,
                f"Activity up {change:.0%} on last week",
                f"{_count(facts.actions, 'action')} this week vs {facts.actions_prev} the week before.",
                PRIORITY["achievement"],
            )
        )
    if facts.content > facts.content_prev:
        before = str(facts.content_prev) if facts.content_prev else "none"
        drafts.append(
            InsightDraft(
                "content_up",
                InsightType.ACHIEVEMENT,
                f"More content created: {facts.content} this week",
                f"{_count(facts.content, 'piece')} of content created this week vs {before} the week before.",
                PRIORITY["achievement"],
            )
        )
    return drafts


def _recommendations(facts: WeekFacts) -> list[InsightDraft]:
    drafts = [_activity_nudge(facts), _unused_features(facts)]
    return [draft for draft in drafts if draft is not None]


def _activity_nudge(facts: WeekFacts) -> InsightDraft | None:
    if facts.actions == 0:
        return InsightDraft(
            "inactivity_nudge",
            InsightType.RECOMMENDATION,
            "No activity this week: time for a check-in",
            _quiet(facts) + " A short check-in call or a getting-started reminder could help.",
            PRIORITY["nudge"],
        )
    dropped = facts.actions * 100 <= facts.actions_prev * (100 - ACTIVITY_DROP_PERCENT)
    if facts.actions_prev < ACTIVITY_DROP_MIN_BASE or not dropped:
        return None
    drop = (facts.actions_prev - facts.actions) / facts.actions_prev
    return InsightDraft(
        "activity_drop",
        InsightType.RECOMMENDATION,
        f"Activity down {drop:.0%} on last week",
        f"{_count(facts.actions, 'action')} vs {facts.actions_prev} the week before: worth asking what changed.",
        PRIORITY["drop"],
    )


def _unused_features(facts: WeekFacts) -> InsightDraft | None:
    if not facts.unused_features or not facts.licensed_features:
        return None
    listed = ", ".join(humanize(key) for key in facts.unused_features[:FEATURES_LISTED])
    more = len(facts.unused_features) - FEATURES_LISTED
    if more > 0:
        listed += f" and {more} more"
    return InsightDraft(
        "underused_features",
        InsightType.RECOMMENDATION,
        f"{len(facts.unused_features)} of {facts.licensed_features} licensed features not in active use",
        f"Not actively used in the last 30 days: {listed}. Suggest a short walkthrough.",
        PRIORITY["features"],
    )


def _onboarding_tip(facts: WeekFacts) -> InsightDraft | None:
    remaining = facts.onboarding_remaining
    if not remaining or len(remaining) > ONBOARDING_ALMOST_DONE:
        return None
    steps = ", ".join(humanize(action) for action in remaining)
    return InsightDraft(
        "onboarding_almost_complete",
        InsightType.TIP,
        "Onboarding almost complete",
        f"{_count(len(remaining), 'step')} left to full activation: {steps}.",
        PRIORITY["tip"],
    )


def _quiet(facts: WeekFacts) -> str:
    week_end = facts.week_start + dt.timedelta(days=6)
    text = f"No logins or actions recorded from {facts.week_start} to {week_end}."
    if facts.last_active_day is not None:
        text += f" Last activity on {facts.last_active_day}."
    return text


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


# Read can still be dismissed or acted on; dismissed and acted-on are final, and nothing returns to unread.
ALLOWED_TRANSITIONS: dict[InsightStatus, frozenset[InsightStatus]] = {
    InsightStatus.UNREAD: frozenset({InsightStatus.READ, InsightStatus.DISMISSED, InsightStatus.ACTED_ON}),
    InsightStatus.READ: frozenset({InsightStatus.DISMISSED, InsightStatus.ACTED_ON}),
    InsightStatus.DISMISSED: frozenset(),
    InsightStatus.ACTED_ON: frozenset(),
}


def can_transition(current: InsightStatus, new: InsightStatus) -> bool:
    """Whether an insight may move from `current` to `new` (staying put is always allowed)."""
    return new == current or new in ALLOWED_TRANSITIONS[current]
