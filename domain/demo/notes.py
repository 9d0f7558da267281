"""Free-form notes, including a few private ones only their author may read."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from domain.demo.clock import days_before, stamps, utc_at
from domain.demo.plan import ClientPlan
from domain.enums import NoteType

# Private notes carry this text, so tests can prove it never reaches anyone but the author.
PRIVATE_NOTE_MARKER = "[private]"
PRIVATE_SHARE = 0.15  # roughly one account in seven has a private note

NOTES = {
    NoteType.GENERAL: ("Account overview", "Uses {module} across {region}; {tier} contract since {start}."),
    NoteType.STRATEGY: ("Success plan", "Goal for this year: roll {module} out to every business unit."),
    NoteType.RISK: ("Renewal risk", "Sponsor asked about cost per seat; prepare value summary before renewal."),
    NoteType.OPPORTUNITY: ("Expansion idea", "Legal team asked about {module}; candidate for an upsell."),
    NoteType.QBR_PREP: ("QBR prep", "Bring usage trend, case volume and the {module} adoption chart."),
    NoteType.INTERNAL: ("Handover notes", "Prefers email over calls; monthly cadence works well."),
}
PRIVATE_TEXTS = (
    "{marker} Champion hinted they are interviewing elsewhere; do not raise it with the client.",
    "{marker} Sponsor confided the budget may be cut next quarter; keep this between us.",
)


def note_rows(
    plan: ClientPlan, client_id: int, user_ids: dict[str, int], rng: random.Random, as_of: dt.date
) -> list[dict[str, Any]]:
    """One to three shared notes by the CSM, plus a private one on some accounts (always Acme)."""
    author = user_ids[plan.csm_email]
    values = {
        "module": rng.choice(plan.modules),
        "region": plan.region,
        "tier": plan.tier.value.lower(),
        "start": plan.contract_start.year,
    }
    oldest = plan.age_in_window(as_of)
    rows = []
    for note_type in rng.sample(list(NOTES), rng.randint(1, 3)):
        title, text = NOTES[note_type]
        written = utc_at(days_before(as_of, rng.randint(0, oldest)), rng.randint(13, 22))
        rows.append(_row(client_id, author, note_type, title, text.format(**values), False, written))
    if plan.story == "at_risk_champion_inactive" or rng.random() < PRIVATE_SHARE:
        text = rng.choice(PRIVATE_TEXTS).format(marker=PRIVATE_NOTE_MARKER)
        written = utc_at(days_before(as_of, rng.randint(0, oldest)), rng.randint(13, 22))
        rows.append(_row(client_id, author, NoteType.INTERNAL, "Private", text, True, written))
    return rows


def _row(
    client_id: int, author: int, note_type: NoteType, title: str, content: str, private: bool, written: dt.datetime
) -> dict[str, Any]:
    return {
        "client_id": client_id,
        "title": title,
        "content": content,
        "note_type": note_type,
        "is_private": private,
        "created_by_id": author,
        **stamps(written),
    }
