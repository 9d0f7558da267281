"""Benchmarks (seed 004 F7): a client against its cohort, and industries against each other.

Cohort statistics cover the actor's whole tenant, as aggregates; another client is named only when
the actor may see it, otherwise it is "a cohort peer". Another tenant's clients never enter a cohort.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable
from typing import Literal

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from domain.access import Actor, get_visible_client, visible_clients_clause
from domain.benchmarks.cohorts import cohort_clause, cohort_label
from domain.benchmarks.metrics import ClientMetrics, latest_health, load_client_metrics
from domain.benchmarks.rules import (
    MIN_COHORT_FOR_PERCENTILE,
    NOT_PEERS,
    CohortKind,
    MetricComparison,
    gap_analysis,
    mean,
    percentile_rank,
)
from domain.benchmarks.schemas import (
    BenchmarkMetric,
    BenchmarkReport,
    GapItem,
    IndustryBenchmark,
    MetricBenchmark,
    PeerExample,
)
from domain.clients.models import Client
from domain.enums import LifecycleStatus
from domain.errors import ValidationError

METRICS: tuple[tuple[BenchmarkMetric, str, bool], ...] = (  # (metric, words, lower is better)
    ("health", "health score", False),
    ("usage_intensity", "usage intensity (daily active users / licensed users)", False),
    ("adoption", "feature adoption score", False),
    ("support_tickets", "support tickets in 30 days", True),
)
LOOK_ALIKES = 3
ANONYMOUS_PEER = "a cohort peer"
TREND_DAYS = 90


def benchmark_client(
    *, db_session: Session, actor: Actor, client_id: int, as_of: dt.date, cohort: CohortKind | str = CohortKind.TIER
) -> BenchmarkReport:
    """Rank a client within its cohort (tier, industry, size or tenure) with gaps and look-alike success stories."""
    kind = _cohort_kind(cohort)
    client = get_visible_client(db_session, actor, client_id)
    is_member = and_(
        Client.workspace_id == client.workspace_id,
        cohort_clause(kind, client, as_of),
        or_(Client.lifecycle_status.not_in(sorted(NOT_PEERS)), Client.id == client.id),
    )
    members = load_client_metrics(db_session=db_session, clients=is_member, as_of=as_of)
    own = members[client.id]
    metrics = [_compare(metric, label, lower, own, members.values()) for metric, label, lower in METRICS]
    labels: dict[str, str] = {item.metric: item.label for item in metrics}
    gaps = gap_analysis([MetricComparison(m.metric, m.value, m.cohort_average, m.lower_is_better) for m in metrics])
    peers = [member for member in members.values() if member.client_id != client.id and member.health is not None]
    peers.sort(key=lambda member: (-(member.health or 0.0), member.client_id))
    return BenchmarkReport(
        client_id=client.id,
        client_name=client.name,
        as_of=as_of,
        cohort=kind,
        cohort_label=cohort_label(kind, client, as_of),
        cohort_size=len(members),
        metrics=metrics,
        gaps=[
            GapItem(
                metric=gap.metric,
                label=labels[gap.metric],
                value=gap.value,
                cohort_average=gap.cohort_average,
                shortfall=round(gap.shortfall, 4),
            )
            for gap in gaps
        ],
        look_alikes=_examples(db_session, actor, peers[:LOOK_ALIKES]),
        adoption_assessed_on=own.adoption_assessed_on,
    )


def industry_benchmarks(
    *, db_session: Session, actor: Actor, as_of: dt.date, scope: Literal["portfolio", "tenant"] = "portfolio"
) -> list[IndustryBenchmark]:
    """Average health, adoption and churn rate per industry, over the actor's portfolio or the whole tenant."""
    if scope not in ("portfolio", "tenant"):
        raise ValidationError("scope is 'portfolio' (the clients you can see) or 'tenant' (all of them)")
    clients: ColumnElement[bool] = (
        visible_clients_clause(actor) if scope == "portfolio" else Client.workspace_id == actor.workspace_id
    )
    customers = and_(clients, Client.lifecycle_status != LifecycleStatus.PROSPECT)
    metrics = load_client_metrics(db_session=db_session, clients=customers, as_of=as_of)
    earlier = latest_health(db_session=db_session, clients=customers, as_of=as_of - dt.timedelta(days=TREND_DAYS))
    by_industry: dict[str, list[ClientMetrics]] = defaultdict(list)
    for item in metrics.values():
        by_industry[item.industry].append(item)
    leaders = _leaders(db_session, actor, by_industry)
    return [
        _industry(industry, members, earlier, leaders.get(industry))
        for industry, members in sorted(by_industry.items())
    ]


def _cohort_kind(cohort: CohortKind | str) -> CohortKind:
    try:
        return CohortKind(cohort)
    except ValueError:
        known = ", ".join(kind.value for kind in CohortKind)
        raise ValidationError(f"unknown cohort {cohort!r}; choose one of {known}") from None


def _compare(
    metric: BenchmarkMetric, label: str, lower_is_better: bool, own: ClientMetrics, members: Iterable[ClientMetrics]
) -> MetricBenchmark:
    values = [value for member in members if (value := _value(member, metric)) is not None]
    mine = _value(own, metric)
    percentile = None
    if mine is not None and len(values) >= MIN_COHORT_FOR_PERCENTILE:
        percentile = round(percentile_rank(mine, values, lower_is_better=lower_is_better), 2)
    return MetricBenchmark(
        metric=metric,
        label=label,
        value=mine,
        cohort_average=mean(values),
        percentile=percentile,
        members_with_data=len(values),
        lower_is_better=lower_is_better,
    )


def _value(member: ClientMetrics, metric: BenchmarkMetric) -> float | None:
    value = getattr(member, metric)
    return None if value is None else float(value)


def _leaders(session: Session, actor: Actor, by_industry: dict[str, list[ClientMetrics]]) -> dict[str, PeerExample]:
    """Best in class per industry: the live client with the highest health (lowest id on a tie)."""
    best: dict[str, ClientMetrics] = {}
    for industry, members in by_industry.items():
        live = [m for m in members if m.lifecycle is not LifecycleStatus.CHURNED and m.health is not None]
        if live:
            best[industry] = min(live, key=lambda m: (-(m.health or 0.0), m.client_id))
    examples = _examples(session, actor, list(best.values()))
    return dict(zip(best, examples, strict=True))


def _examples(session: Session, actor: Actor, peers: list[ClientMetrics]) -> list[PeerExample]:
    """Peers as examples, named only when the actor may see them."""
    visible = _visible_ids(session, actor, [peer.client_id for peer in peers])
    return [
        PeerExample(
            client_id=peer.client_id if peer.client_id in visible else None,
            name=peer.name if peer.client_id in visible else ANONYMOUS_PEER,
            health=peer.health or 0.0,
            usage_intensity=peer.usage_intensity,
            adoption=peer.adoption,
        )
        for peer in peers
    ]


def _visible_ids(session: Session, actor: Actor, client_ids: Collection[int]) -> set[int]:
    if not client_ids:
        return set()
    query = select(Client.id).where(Client.id.in_(list(client_ids)), visible_clients_clause(actor))
    return set(session.scalars(query))


def _industry(
    industry: str, members: list[ClientMetrics], earlier: dict[int, float], best: PeerExample | None
) -> IndustryBenchmark:
    live = [m for m in members if m.lifecycle is not LifecycleStatus.CHURNED]
    churned = len(members) - len(live)
    return IndustryBenchmark(
        industry=industry,
        clients=len(members),
        churned=churned,
        churn_rate=churned / len(members) if members else None,
        average_health=mean([m.health for m in live if m.health is not None]),
        average_health_90_days_before=mean([earlier[m.client_id] for m in live if m.client_id in earlier]),
        average_adoption=mean([m.adoption for m in live if m.adoption is not None]),
        best_in_class=best,
    )
