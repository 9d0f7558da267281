"""Briefing items that are good news: expansion signals and milestones to celebrate."""

from __future__ import annotations

from sqlalchemy.orm import Session

from agent.briefing.models import BriefingItem, ItemKind
from agent.briefing.window import Window
from domain.adoption.expansion import expansion_signals
from domain.onboarding.milestones import milestones_to_celebrate

MAX_EXPANSION = 3  # the strongest few; they persist for weeks and should not crowd out the day's news
MIN_EXPANSION_STRENGTH = 2


def expansion_items(session: Session, window: Window) -> list[BriefingItem]:
    signals = expansion_signals(db_session=session, actor=window.actor, as_of=window.as_of)
    strong = [signal for signal in signals if signal.strength >= MIN_EXPANSION_STRENGTH][:MAX_EXPANSION]
    return [
        BriefingItem(
            kind=ItemKind.EXPANSION,
            client_id=signal.client_id,
            client_name=signal.client_name,
            priority=4,
            weight=signal.strength,
            headline=f"Expansion signals ({signal.strength}): {'; '.join(signal.reasons)}.",
            action="Bring the account executive in and propose more seats or the next module.",
            facts={
                "strength": signal.strength,
                "seat_utilisation": signal.seat_utilisation,
                "latest_nps": signal.latest_nps,
            },
        )
        for signal in strong
    ]


def milestone_items(session: Session, window: Window) -> list[BriefingItem]:
    """Milestones reached since the last briefing and not celebrated yet."""
    reached = milestones_to_celebrate(db_session=session, actor=window.actor, as_of=window.as_of)
    return [
        BriefingItem(
            kind=ItemKind.MILESTONE,
            client_id=milestone.client_id,
            client_name=milestone.client_name,
            priority=4,
            headline=f"Milestone reached: {milestone.name} on {milestone.achieved_at.date().isoformat()}.",
            action=milestone.celebration,
            facts={"milestone": milestone.name, "achieved_on": milestone.achieved_at.date().isoformat()},
            source_ids={"milestones": [milestone.id]},
        )
        for milestone in reached
        if milestone.achieved_at > window.since
    ]
