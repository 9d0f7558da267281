"""Benchmarks (seed 004 F7): percentile rules, cohorts, client benchmarks and industry benchmarks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy.orm import Session

from domain.access import Actor
from domain.benchmarks.rules import (
    MetricComparison,
    gap_analysis,
    percentile_rank,
    size_band,
    tenure_band,
)
from domain.benchmarks.service import benchmark_client, industry_benchmarks
from domain.clients.models import Client
from domain.enums import AdoptionStatus, ContractTier, LifecycleStatus, Role
from domain.errors import AccessDeniedError, NotFoundError, ValidationError
from domain.scoring.models import ScoreConfig
from domain.staff.models import Workspace
from tests.factories import Factory

AS_OF = dt.date(2025, 3, 31)


# --- pure rules -------------------------------------------------------------------------------------


def test_percentile_counts_strictly_below_plus_half_the_ties() -> None:
    cohort = [10.0, 20.0, 20.0, 30.0]
    assert percentile_rank(20, cohort) == 50.0  # 1 below + 2 ties / 2 = 2 of 4
    assert percentile_rank(30, cohort) == 87.5
    assert percentile_rank(10, cohort) == 12.5
    assert percentile_rank(5, [5.0]) == 50.0
    with pytest.raises(ValueError, match="empty"):
        percentile_rank(1, [])


def test_lower_is_better_percentile_counts_the_members_above() -> None:
    tickets = [0.0, 2.0, 2.0, 5.0]
    assert percentile_rank(0, tickets, lower_is_better=True) == 87.5
    assert percentile_rank(2, tickets, lower_is_better=True) == 50.0
    assert percentile_rank(5, tickets, lower_is_better=True) == 12.5


@pytest.mark.parametrize(
    ("employees", "band"),
    [
        (None, "size unknown"),
        (0, "1-249 employees"),
        (249, "1-249 employees"),
        (250, "250-999 employees"),
        (4_999, "1,000-4,999 employees"),
        (5_000, "5,000-19,999 employees"),
        (20_000, "20,000+ employees"),
    ],
)
def test_size_bands(employees: int | None, band: str) -> None:
    assert size_band(employees) == band


@pytest.mark.parametrize(
    ("start", "band"),
    [
        (dt.date(2025, 4, 15), "under 6 months"),  # not started yet
        (dt.date(2024, 10, 1), "under 6 months"),
        (dt.date(2024, 9, 30), "6-12 months"),  # exactly 6 months
        (dt.date(2024, 3, 31), "1-2 years"),
        (dt.date(2023, 3, 31), "2-4 years"),
        (dt.date(2021, 3, 31), "4+ years"),
    ],
)
def test_tenure_bands(start: dt.date, band: str) -> None:
    assert tenure_band(start, AS_OF) == band


def test_gap_analysis_ranks_relative_shortfalls_and_skips_strengths() -> None:
    gaps = gap_analysis(
        [
            MetricComparison("health", 60, 72.5, lower_is_better=False),
            MetricComparison("adoption", 25, 50, lower_is_better=False),
            MetricComparison("support_tickets", 4, 2, lower_is_better=True),
            MetricComparison("usage_intensity", 0.5, 0.3, lower_is_better=False),  # better than average
            MetricComparison("other", None, 3, lower_is_better=False),
        ]
    )
    assert [(gap.metric, round(gap.shortfall, 4)) for gap in gaps] == [
        ("support_tickets", 1.0),
        ("adoption", 0.5),
        ("health", 0.1724),
    ]


# --- a tenant to benchmark -------------------------------------------------------------------------------


@dataclass
class Tenant:
    workspace: Workspace
    config: ScoreConfig
    csm: Actor
    other_csm: Actor
    vp: Actor
    target: Client
    peer_one: Client
    hidden_peer: Client
    tied_peer: Client
    solo: Client


def add_client(factory: Factory, tenant_parts: dict[str, Any], health: float | None, **values: Any) -> Client:
    client = factory.client(tenant_parts["workspace"], **values)
    if health is not None:
        factory.health_snapshot(client, tenant_parts["config"], day=AS_OF - dt.timedelta(days=3), overall_score=health)
    return client


def usage(factory: Factory, client: Client, dau: int) -> None:
    for offset in (0, 10):
        factory.usage_rollup(
            client,
            day=AS_OF - dt.timedelta(days=offset),
            daily_active_users=dau,
            weekly_active_users=dau,
            monthly_active_users=dau,
        )


def adoption(factory: Factory, workspace: Workspace, client: Client, statuses: list[AdoptionStatus]) -> None:
    for status in statuses:
        feature = factory.feature(workspace)
        factory.feature_adoption(client, feature, is_licensed=True, adoption_status=status, assessed_on=AS_OF)


def tickets(factory: Factory, client: Client, count: int) -> None:
    for n in range(count):
        factory.support_ticket(client, opened_at=dt.datetime(2025, 3, 10 + n, tzinfo=dt.UTC))


@pytest.fixture
def tenant(factory: Factory) -> Tenant:
    workspace = factory.workspace()
    parts = {"workspace": workspace, "config": factory.score_config(workspace)}
    csm, other_csm = factory.user(workspace), factory.user(workspace)
    vp = factory.user(workspace, role=Role.VP_CLIENT_SUCCESS)
    enterprise = {"contract_tier": ContractTier.ENTERPRISE, "industry": "Banking"}
    target = add_client(
        factory,
        parts,
        60,
        name="Target",
        csm_user_id=csm.id,
        licensed_user_count=10,
        employee_count=1_200,
        contract_start_date=dt.date(2024, 3, 31),
        **enterprise,
    )
    factory.health_snapshot(target, parts["config"], day=AS_OF - dt.timedelta(days=40), overall_score=95)
    factory.health_snapshot(target, parts["config"], day=AS_OF + dt.timedelta(days=1), overall_score=10)
    peer_one = add_client(
        factory,
        parts,
        90,
        name="Peer One",
        csm_user_id=csm.id,
        licensed_user_count=10,
        employee_count=4_999,
        contract_start_date=dt.date(2024, 4, 1),
        **enterprise,
    )
    factory.health_snapshot(peer_one, parts["config"], day=AS_OF - dt.timedelta(days=100), overall_score=70)
    hidden_peer = add_client(
        factory,
        parts,
        80,
        name="Hidden Peer",
        csm_user_id=other_csm.id,
        licensed_user_count=20,
        employee_count=5_000,
        contract_start_date=dt.date(2023, 4, 1),
        **enterprise,
    )
    tied_peer = add_client(
        factory, parts, 60, name="Tied Peer", csm_user_id=csm.id, contract_start_date=dt.date(2023, 3, 31), **enterprise
    )
    for client, dau in ((target, 2), (peer_one, 5), (hidden_peer, 4)):
        usage(factory, client, dau)
    adoption(factory, workspace, target, [AdoptionStatus.LIGHT_USE, *[AdoptionStatus.NOT_USED] * 3])
    adoption(factory, workspace, peer_one, [AdoptionStatus.POWER_USE, AdoptionStatus.ACTIVE_USE])
    adoption(factory, workspace, hidden_peer, [AdoptionStatus.ACTIVE_USE, AdoptionStatus.NOT_CONFIGURED])
    for client, count in ((target, 4), (hidden_peer, 2), (tied_peer, 2)):
        tickets(factory, client, count)
    factory.support_ticket(target, opened_at=dt.datetime(2025, 2, 1, tzinfo=dt.UTC))  # before the 30 days
    add_client(factory, parts, 100, csm_user_id=other_csm.id, lifecycle_status=LifecycleStatus.CHURNED, **enterprise)
    add_client(factory, parts, 10, csm_user_id=other_csm.id, contract_tier=ContractTier.STARTER, industry="Banking")
    solo = add_client(
        factory, parts, 70, name="Solo", csm_user_id=csm.id, contract_tier=ContractTier.STARTER, industry="Aerospace"
    )
    elsewhere = factory.workspace()
    add_client(factory, {"workspace": elsewhere, "config": factory.score_config(elsewhere)}, 99, **enterprise)
    actors = [factory.actor(user) for user in (csm, other_csm, vp)]
    return Tenant(workspace, parts["config"], *actors, target, peer_one, hidden_peer, tied_peer, solo)


# --- benchmark_client ------------------------------------------------------------------------------------


def test_benchmark_against_the_tier_cohort(db_session: Session, tenant: Tenant) -> None:
    report = benchmark_client(db_session=db_session, actor=tenant.csm, client_id=tenant.target.id, as_of=AS_OF)

    # Cohort: Target, Peer One, Hidden Peer, Tied Peer (not the churned, the STARTER or the other tenant's).
    assert (report.cohort_label, report.cohort_size) == ("tier ENTERPRISE", 4)
    by_metric = {m.metric: (m.value, m.cohort_average, m.percentile, m.members_with_data) for m in report.metrics}
    assert by_metric["health"] == (60, 72.5, 25.0, 4)  # 60 among 60, 90, 80, 60: 0 below + 2 ties / 2
    assert by_metric["usage_intensity"] == (0.2, pytest.approx(0.3), 33.33, 3)  # 2/10 among 0.2, 0.5, 0.2
    assert by_metric["adoption"] == (25, pytest.approx(175 / 3), 16.67, 3)  # 25 among 25, 100, 50
    assert by_metric["support_tickets"] == (4, 2, 12.5, 4)  # nobody has more than 4 tickets
    assert [gap.metric for gap in report.gaps] == ["support_tickets", "adoption", "usage_intensity", "health"]
    assert [gap.shortfall for gap in report.gaps] == [1.0, 0.5714, 0.3333, 0.1724]
    assert [(peer.name, peer.client_id, peer.health) for peer in report.look_alikes] == [
        ("Peer One", tenant.peer_one.id, 90),
        ("a cohort peer", None, 80),  # another CSM's client stays anonymous
        ("Tied Peer", tenant.tied_peer.id, 60),
    ]
    assert report.adoption_assessed_on == AS_OF


def test_a_vp_sees_every_look_alike_by_name(db_session: Session, tenant: Tenant) -> None:
    report = benchmark_client(db_session=db_session, actor=tenant.vp, client_id=tenant.target.id, as_of=AS_OF)
    assert [peer.name for peer in report.look_alikes] == ["Peer One", "Hidden Peer", "Tied Peer"]


def test_a_cohort_of_one_has_no_percentile_no_gap_and_no_look_alike(db_session: Session, tenant: Tenant) -> None:
    report = benchmark_client(
        db_session=db_session, actor=tenant.csm, client_id=tenant.solo.id, as_of=AS_OF, cohort="industry"
    )
    assert (report.cohort_label, report.cohort_size) == ("industry Aerospace", 1)
    health = report.metrics[0]
    assert (health.value, health.cohort_average, health.percentile) == (70, 70, None)
    assert all(metric.percentile is None for metric in report.metrics)
    assert (report.gaps, report.look_alikes) == ([], [])


@pytest.mark.parametrize(
    ("cohort", "label", "members"),
    [
        ("size", "size 1,000-4,999 employees", {"Target", "Peer One"}),
        ("tenure", "tenure 1-2 years", {"Target", "Hidden Peer"}),
    ],
)
def test_size_and_tenure_cohorts(
    db_session: Session, tenant: Tenant, cohort: str, label: str, members: set[str]
) -> None:
    report = benchmark_client(
        db_session=db_session, actor=tenant.vp, client_id=tenant.target.id, as_of=AS_OF, cohort=cohort
    )
    assert (report.cohort_label, report.cohort_size) == (label, len(members))
    assert {peer.name for peer in report.look_alikes} == members - {"Target"}


def test_benchmarks_are_scoped(db_session: Session, factory: Factory, tenant: Tenant) -> None:
    stranger = factory.actor(factory.user(factory.workspace(), role=Role.ADMIN))
    with pytest.raises(AccessDeniedError):
        benchmark_client(db_session=db_session, actor=tenant.other_csm, client_id=tenant.target.id, as_of=AS_OF)
    with pytest.raises(NotFoundError):
        benchmark_client(db_session=db_session, actor=stranger, client_id=tenant.target.id, as_of=AS_OF)
    with pytest.raises(ValidationError, match="unknown cohort"):
        benchmark_client(
            db_session=db_session, actor=tenant.csm, client_id=tenant.target.id, as_of=AS_OF, cohort="moon"
        )


# --- industry benchmarks ---------------------------------------------------------------------------------


def test_industry_benchmarks_for_the_whole_tenant(db_session: Session, tenant: Tenant) -> None:
    rows = {row.industry: row for row in industry_benchmarks(db_session=db_session, actor=tenant.vp, as_of=AS_OF)}

    assert set(rows) == {"Aerospace", "Banking"}
    banking = rows["Banking"]
    assert (banking.clients, banking.churned) == (6, 1)
    assert banking.churn_rate == pytest.approx(1 / 6)
    assert banking.average_health == 60  # live only: (60 + 90 + 80 + 60 + 10) / 5
    assert banking.average_health_90_days_before == 70  # only Peer One was scored back then
    assert banking.average_adoption == pytest.approx(175 / 3)
    assert banking.best_in_class is not None
    assert banking.best_in_class.name == "Peer One"
    assert (rows["Aerospace"].clients, rows["Aerospace"].churn_rate, rows["Aerospace"].average_health) == (1, 0, 70)


def test_industry_benchmarks_of_a_csm_portfolio(db_session: Session, tenant: Tenant) -> None:
    mine = {row.industry: row for row in industry_benchmarks(db_session=db_session, actor=tenant.csm, as_of=AS_OF)}
    assert (mine["Banking"].clients, mine["Banking"].churned, mine["Banking"].average_health) == (3, 0, 70)

    everyone = industry_benchmarks(db_session=db_session, actor=tenant.other_csm, as_of=AS_OF, scope="tenant")
    banking = next(row for row in everyone if row.industry == "Banking")
    assert banking.clients == 6
    assert banking.best_in_class is not None
    assert (banking.best_in_class.name, banking.best_in_class.client_id) == ("a cohort peer", None)
