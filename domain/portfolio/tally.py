"""Portfolio totals in one pass per grouping: clients, ARR, average health, at-risk count and ARR at risk.

The summary groups 10,000 clients five ways (status, tier, industry, CSM, region); tallying each fact once per
grouping keeps that linear instead of re-walking each group once per figure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from domain.enums import HealthStatus
from domain.portfolio import rules
from domain.portfolio.facts import ClientFacts
from domain.portfolio.schemas import Breakdown, StatusCount

ZERO = Decimal(0)


@dataclass(slots=True)
class Tally:
    clients: int = 0
    arr: Decimal = ZERO
    healths: list[float] = field(default_factory=list)  # known scores, averaged by rules.average
    at_risk: int = 0
    arr_at_risk: Decimal = ZERO

    def add(self, fact: ClientFacts) -> None:
        self.clients += 1
        if fact.arr is not None:
            self.arr += fact.arr
        if fact.health is not None:
            self.healths.append(fact.health)
        if fact.status in rules.AT_RISK_STATUSES:
            self.at_risk += 1
            if fact.arr is not None:
                self.arr_at_risk += fact.arr

    @property
    def average_health(self) -> float | None:
        return rules.average(self.healths)


def tally(facts: Iterable[ClientFacts]) -> Tally:
    total = Tally()
    for fact in facts:
        total.add(fact)
    return total


def arr_of(facts: Iterable[ClientFacts]) -> Decimal:
    return sum((fact.arr for fact in facts if fact.arr is not None), ZERO)


def distribution(facts: Iterable[ClientFacts]) -> list[StatusCount]:
    """Clients and ARR per health status, HEALTHY to CRITICAL, then the unscored."""
    statuses: list[HealthStatus | None] = [*HealthStatus, None]
    tallies = {status: Tally() for status in statuses}
    for fact in facts:
        tallies[fact.status].add(fact)
    return [StatusCount(status=status, clients=tallies[status].clients, arr=tallies[status].arr) for status in statuses]


def breakdown(facts: Iterable[ClientFacts], key_of: Callable[[ClientFacts], tuple[str, str]]) -> list[Breakdown]:
    """One row per key, largest ARR first."""
    tallies: dict[str, Tally] = {}
    labels: dict[str, str] = {}
    for fact in facts:
        key, label = key_of(fact)
        if key not in tallies:
            tallies[key], labels[key] = Tally(), label
        tallies[key].add(fact)
    rows = [
        Breakdown(
            key=key,
            label=labels[key],
            clients=group.clients,
            arr=group.arr,
            average_health=group.average_health,
            at_risk=group.at_risk,
            arr_at_risk=group.arr_at_risk,
        )
        for key, group in tallies.items()
    ]
    return sorted(rows, key=lambda row: (-row.arr, row.label, row.key))


def csm_key(fact: ClientFacts) -> tuple[str, str]:
    if fact.csm_user_id is None:
        return "none", "Unassigned"
    return str(fact.csm_user_id), fact.csm_name or f"user {fact.csm_user_id}"
