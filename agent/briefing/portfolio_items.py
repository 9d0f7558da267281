"""Briefing items read off the portfolio facts: score moves, churn risk jumps and renewal marks."""

from __future__ import annotations

from sqlalchemy.orm import Session

from agent.briefing.models import BriefingItem, ItemKind
from agent.briefing.window import Window
from domain.enums import HealthStatus
from domain.portfolio.facts import ClientFacts, load_facts, portfolio_scope

MIN_SCORE_CHANGE = 3.0  # points; smaller moves are day-to-day noise
BIG_SCORE_DROP = 10.0
MIN_CHURN_JUMP = 0.10  # of 90-day churn probability
RENEWAL_MARKS = (30, 60, 90)
BAD = (HealthStatus.AT_RISK, HealthStatus.CRITICAL)
RENEWAL_ACTIONS = {
    90: "Start the renewal plan: confirm the value delivered and who signs.",
    60: "Send the renewal proposal and book the renewal meeting.",
    30: "Confirm the renewal decision and get the paperwork moving.",
}


def portfolio_items(session: Session, window: Window) -> list[BriefingItem]:
    """Score moves, churn jumps and renewals crossing 90/60/30 days, for the actor's current clients."""
    scope = portfolio_scope(window.actor)
    facts = load_facts(session, where=scope, as_of=window.as_of, then=window.since_day)
    before = {fact.client_id: fact for fact in load_facts(session, where=scope, as_of=window.since_day)}
    items: list[BriefingItem] = []
    for fact in facts:
        items.extend(_score_change(fact))
        items.extend(_churn_jump(fact, before.get(fact.client_id)))
        items.extend(_renewal(fact, window))
    return items


def _score_change(fact: ClientFacts) -> list[BriefingItem]:
    if fact.health is None or fact.then is None or fact.status is None:
        return []
    change = round(fact.health - fact.then.value, 1)
    if abs(change) < MIN_SCORE_CHANGE:
        return []
    worse = change < 0
    moved = fact.status is not fact.then.status
    status_text = f"{_word(fact.then.status)} to {_word(fact.status)}" if moved else f"still {_word(fact.status)}"
    direction = "fell" if worse else "rose"
    return [
        BriefingItem(
            kind=ItemKind.SCORE_CHANGE,
            client_id=fact.client_id,
            client_name=fact.name,
            priority=_score_priority(change, fact.status, moved),
            weight=abs(change),
            headline=f"Health {direction} {abs(change):.1f} points, {fact.then.value:.1f} to {fact.health:.1f} "
            f"({status_text}).",
            action=(
                f"Ask csagent why {fact.name} dropped, then call the main contact."
                if worse
                else "Note what worked and thank the champion; a good moment to ask for a reference."
            ),
            facts={"score_before": fact.then.value, "score_after": fact.health, "change": change,
                   "status_before": fact.then.status.value, "status_after": fact.status.value},
            source_ids={"snapshots": [i for i in (fact.then.snapshot_id, fact.snapshot_id) if i is not None]},
        )
    ]  # fmt: skip


def _score_priority(change: float, status: HealthStatus, moved: bool) -> int:
    if change > 0:
        return 4 if moved else 5
    if status is HealthStatus.CRITICAL:
        return 1
    if (moved and status in BAD) or -change >= BIG_SCORE_DROP:
        return 2
    return 3


def _churn_jump(fact: ClientFacts, before: ClientFacts | None) -> list[BriefingItem]:
    then = before.churn_probability if before else None
    now = fact.churn_probability
    if now is None or then is None or now - then < MIN_CHURN_JUMP:
        return []
    return [
        BriefingItem(
            kind=ItemKind.CHURN_JUMP,
            client_id=fact.client_id,
            client_name=fact.name,
            priority=2,
            weight=(now - then) * 100,
            headline=f"90-day churn risk jumped from {then * 100:.0f}% to {now * 100:.0f}%.",
            action="Review the churn factors with csagent and plan a save call this week.",
            facts={"churn_before": round(then, 4), "churn_after": round(now, 4)},
            source_ids={"churn_predictions": [i for i in (before and before.prediction_id, fact.prediction_id) if i]},
        )
    ]


def _renewal(fact: ClientFacts, window: Window) -> list[BriefingItem]:
    days = fact.days_to_renewal(window.as_of)
    if days is None or days < 0 or fact.next_renewal_date is None:
        return []
    crossed = [mark for mark in RENEWAL_MARKS if days <= mark < days + window.days_covered]
    if not crossed:
        return []
    mark = crossed[0]
    at_risk = fact.status in BAD
    health = "no score" if fact.health is None else f"health {fact.health:.1f}"
    arr = "" if fact.arr is None else f", ARR ${float(fact.arr):,.0f}"
    return [
        BriefingItem(
            kind=ItemKind.RENEWAL,
            client_id=fact.client_id,
            client_name=fact.name,
            priority=(2 if mark == 30 else 3) - (1 if at_risk else 0),
            weight=float(fact.arr or 0) / 1000,
            headline=f"Renewal in {days} days on {fact.next_renewal_date.isoformat()} ({health}{arr}).",
            action=RENEWAL_ACTIONS[mark],
            facts={"days_to_renewal": days, "renewal_date": fact.next_renewal_date.isoformat(), "mark": mark,
                   "health": fact.health, "arr": None if fact.arr is None else float(fact.arr)},
            source_ids={"snapshots": [fact.snapshot_id] if fact.snapshot_id else []},
        )
    ]  # fmt: skip


def _word(status: HealthStatus) -> str:
    return status.value.replace("_", " ").lower()
