"""Playbook rules: which action a CSM should take for which weak component (seed 004 F6, "Recommended Actions")."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# component -> (threshold below which it is weak, action). Ordered by how urgent the action usually is.
PLAYBOOK: list[tuple[str, float, str]] = [
    ("relationship", 50.0, "Schedule a call with {champion}"),
    ("usage", 60.0, "Review the usage drop with the client admin and agree a re-engagement plan"),
    ("adoption", 60.0, "Offer training on underutilized features"),
    ("support", 60.0, "Review recent support tickets for unresolved issues"),
    ("contract", 50.0, "Request an NPS follow-up interview and settle any overdue invoice"),
    ("outcome", 50.0, "Agree outcome targets for the licensed modules at the next QBR"),
]
ESCALATE_BELOW = 40.0


def recommend_actions(
    components: Mapping[str, float | None], overall: float, raw_inputs: Mapping[str, Mapping[str, Any]]
) -> list[str]:
    """Actions for the weak components in playbook order; executive escalation first when the client is critical."""
    champion = str(raw_inputs.get("relationship", {}).get("champion") or "the primary contact")
    actions = [
        action.format(champion=champion)
        for name, threshold, action in PLAYBOOK
        if (score := components.get(name)) is not None and score < threshold
    ]
    if overall < ESCALATE_BELOW:
        actions.insert(0, "Escalate to the VP of client success for executive outreach")
    return actions
