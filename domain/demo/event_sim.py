"""Simulate one client's platform events day by day: sessions that open with a login, then actions.

Events stay compact tuples (no dicts, no datetimes) until they are written: a large demo has millions.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate

from domain.demo.clock import HISTORY_DAYS
from domain.demo.plan import UsagePlan
from domain.enums import EventType

# (second after midnight UTC, session id, user ref, event type value, feature key, duration in seconds)
SimEvent = tuple[int, str, str, str, str | None, int]
Action = tuple[str, str | None]  # (event type value, feature key)

LOGIN = EventType.LOGIN.value
FEATURE_USE = EventType.FEATURE_USE.value
# Seed 001's engagement events that pad a session around the feature work seed 004 tracks.
FILLER_ACTIONS: tuple[Action, ...] = tuple(
    (event_type.value, None)
    for event_type in (
        EventType.PAGE_VIEW, EventType.TASK_COMPLETED, EventType.INSIGHT_REVIEWED, EventType.EXPORT_DOWNLOADED,
        EventType.CONTENT_GENERATED, EventType.VISUAL_CREATED, EventType.SETTINGS_UPDATED,
        EventType.FEEDBACK_GIVEN, EventType.VOICE_INTERACTION,
    )
)  # fmt: skip
FILLER_CUM_WEIGHTS = list(accumulate((50, 15, 10, 6, 6, 4, 3, 2, 2)))
WEEKEND_FACTOR = 0.12  # compliance teams rarely work weekends
# Feature uses per day scale so that a week (5 weekdays + 2 weekend days) averages the monthly rate / 30.
FEATURE_WEEKDAY_FACTOR = 7 / (5 + 2 * WEEKEND_FACTOR)
SECOND_SESSION_CHANCE = 0.1
LATEST_SESSION_START = 23 * 3600  # sessions last under an hour, so they end on the day they start


@dataclass(slots=True)
class _Session:
    user: int
    number: int
    start: int  # seconds after midnight UTC
    actions: list[Action]


@dataclass(slots=True)
class ClientEvents:
    """The fixed context of one client's simulation."""

    plan: UsagePlan
    rng: random.Random
    client_index: int
    first_weekday: int  # weekday of day 0 (Monday = 0)


def simulate_days(ctx: ClientEvents) -> Iterator[tuple[int, list[SimEvent]]]:
    """Yield (day number, that day's events in time order), oldest day first; all draws come from ctx.rng."""
    feature_actions: dict[str, Action] = {key: (FEATURE_USE, key) for key in ctx.plan.feature_rates}
    for day_number in range(HISTORY_DAYS):
        weekday = (ctx.first_weekday + day_number) % 7 < 5
        sessions = _sessions(ctx, day_number, weekday, feature_actions)
        yield day_number, _events(ctx, day_number, sessions)


def _level(plan: UsagePlan, day_number: int) -> float:
    """Activity relative to the baseline: a linear trend, times any step change a story sets."""
    level = 1.0 + plan.trend * day_number / (HISTORY_DAYS - 1)
    if plan.step_day is not None and day_number >= plan.step_day:
        level *= plan.step_factor
    return max(0.0, level)


def _sessions(ctx: ClientEvents, day_number: int, weekday: bool, feature_actions: dict[str, Action]) -> list[_Session]:
    plan, rnd = ctx.plan, ctx.rng.random
    trend_level = _level(plan, day_number)
    level = trend_level * (1.0 if weekday else WEEKEND_FACTOR)
    first, last, propensity = plan.first_day, plan.last_day, plan.propensity
    active = [u for u in range(len(propensity)) if first[u] <= day_number <= last[u] and rnd() < propensity[u] * level]
    for user in plan.forced_days.get(day_number, ()):
        if user not in active:
            active.append(user)
    sessions = [_new_session(ctx, user, 0) for user in active]
    sessions += [_new_session(ctx, user, 1) for user in active if rnd() < SECOND_SESSION_CHANCE]
    if sessions:
        _assign_feature_uses(ctx, day_number, weekday, trend_level, sessions, feature_actions)
    return sessions


def _new_session(ctx: ClientEvents, user: int, number: int) -> _Session:
    """A session in the user's working hours (peaking late morning), shifted to UTC."""
    rng = ctx.rng
    local_hour = int(rng.triangular(7, 19, 10.5))
    hour = (local_hour + ctx.plan.utc_shift_hours) % 24
    start = min(hour * 3600 + int(rng.random() * 3600), LATEST_SESSION_START)
    filler = rng.choices(FILLER_ACTIONS, cum_weights=FILLER_CUM_WEIGHTS, k=int(rng.random() * 2))
    return _Session(user, number, start, filler)


def _assign_feature_uses(
    ctx: ClientEvents,
    day_number: int,
    weekday: bool,
    level: float,
    sessions: list[_Session],
    feature_actions: dict[str, Action],
) -> None:
    """Feature uses follow each feature's monthly rate and land in that day's sessions."""
    rnd, plan = ctx.rng.random, ctx.plan
    day_factor = FEATURE_WEEKDAY_FACTOR * (1.0 if weekday else WEEKEND_FACTOR)
    for key, rate in plan.feature_rates.items():
        if rate <= 0 or day_number > plan.feature_last_day.get(key, HISTORY_DAYS):
            continue
        expected = rate / 30 * level * day_factor
        uses = int(expected) + (1 if rnd() < expected - int(expected) else 0)
        for _ in range(uses):
            sessions[int(rnd() * len(sessions))].actions.append(feature_actions[key])


def _events(ctx: ClientEvents, day_number: int, sessions: list[_Session]) -> list[SimEvent]:
    """Each session's login then its actions, a little apart; the day's events sorted by time."""
    rnd, user_refs = ctx.rng.random, ctx.plan.user_refs
    events: list[SimEvent] = []
    for session in sessions:
        gaps = [20 + int(rnd() * 280) for _ in session.actions]
        session_id = f"ses-{ctx.client_index + 1:05d}-{day_number:03d}-{session.user:04d}-{session.number}"
        user_ref = user_refs[session.user]
        events.append((session.start, session_id, user_ref, LOGIN, None, sum(gaps)))
        second = session.start
        for (event_type, feature_key), gap in zip(session.actions, gaps, strict=True):
            second += gap
            events.append((second, session_id, user_ref, event_type, feature_key, gap))
    events.sort()  # by time, then session id: a session's own events never share a second
    return events
