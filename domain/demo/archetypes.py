"""The three kinds of account the demo portfolio mixes, tuned so seed 004's bands all show up."""

from __future__ import annotations

import random

from domain.demo.plan import Archetype

HEALTHY = Archetype(
    key="healthy",
    utilisation=(0.75, 0.95),
    propensity=(0.3, 0.42),
    trend=(-0.05, 0.25),
    feature_intensity=(0.8, 2.0),
    unused_feature_share=0.05,
    unconfigured_share=0.05,
    tickets_per_month=(0.3, 1.0),
    nps=(8, 10),
    csat=(4, 5),
    last_contact_days=(2, 20),
    activity_count=(8, 14),
    overdue_invoice_chance=0.0,
)

MONITOR = Archetype(
    key="monitor",
    utilisation=(0.55, 0.8),
    propensity=(0.2, 0.3),
    trend=(-0.25, 0.05),
    feature_intensity=(0.3, 0.9),
    unused_feature_share=0.2,
    unconfigured_share=0.15,
    tickets_per_month=(0.8, 1.6),
    nps=(6, 9),
    csat=(3, 5),
    last_contact_days=(10, 35),
    activity_count=(5, 10),
    overdue_invoice_chance=0.1,
)

AT_RISK = Archetype(
    key="at_risk",
    utilisation=(0.3, 0.6),
    propensity=(0.1, 0.18),
    trend=(-0.55, -0.2),
    feature_intensity=(0.05, 0.35),
    unused_feature_share=0.4,
    unconfigured_share=0.3,
    tickets_per_month=(1.5, 3.0),
    nps=(2, 7),
    csat=(1, 4),
    last_contact_days=(30, 75),
    activity_count=(2, 6),
    overdue_invoice_chance=0.35,
)

# A realistic book: most accounts fine, a third to watch, a handful in trouble.
MIX: tuple[tuple[Archetype, int], ...] = ((HEALTHY, 55), (MONITOR, 30), (AT_RISK, 15))


def pick_archetype(rng: random.Random) -> Archetype:
    archetypes = [archetype for archetype, _ in MIX]
    weights = [weight for _, weight in MIX]
    return rng.choices(archetypes, weights=weights)[0]
