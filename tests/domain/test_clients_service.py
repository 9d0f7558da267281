"""list_clients: scoped by the actor, filtered, worst health first, renewal days counted from as_of."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from domain.access import Actor
from domain.clients.schemas import ClientSummary
from domain.clients.service import list_clients
from domain.enums import ContractTier, HealthStatus, HealthTrend, Role
from domain.staff.models import User, Workspace
from tests.factories import Factory

AS_OF = dt.date(2025, 6, 1)


@pytest.fixture
def workspace(factory: Factory) -> Workspace:
    return factory.workspace()


@pytest.fixture
def csm(factory: Factory, workspace: Workspace) -> User:
    return factory.user(workspace, Role.CSM, email="dana@example.com", name="Dana Scully")


@pytest.fixture
def vp(factory: Factory, workspace: Workspace) -> Actor:
    return factory.actor(factory.user(workspace, Role.VP_CLIENT_SUCCESS))


def names(summaries: list[ClientSummary]) -> list[str]:
    return [summary.name for summary in summaries]


def test_worst_health_first_then_name_and_unscored_last(factory: Factory, workspace: Workspace, vp: Actor) -> None:
    for name, score in [("Delta", 80), ("Echo", None), ("Bravo", 20), ("Alpha", 55), ("Charlie", 20), ("Able", None)]:
        factory.client(workspace, name=name, current_health_score=score)
    listed = list_clients(db_session=factory.session, actor=vp, as_of=AS_OF)
    assert names(listed) == ["Bravo", "Charlie", "Alpha", "Delta", "Able", "Echo"]
    assert [summary.health_score for summary in listed] == [20, 20, 55, 80, None, None]


@pytest.fixture
def portfolio(factory: Factory, workspace: Workspace, csm: User) -> User:
    """Five clients over two CSMs (and one unassigned); returns the other CSM."""
    other_csm = factory.user(workspace, Role.CSM)
    rows = [
        ("Acme", 35, HealthStatus.AT_RISK, ContractTier.ENTERPRISE, csm),
        ("Globex", 90, HealthStatus.HEALTHY, ContractTier.ENTERPRISE, other_csm),
        ("Initech", 15, HealthStatus.CRITICAL, ContractTier.STARTER, csm),
        ("Umbrella", 40, HealthStatus.AT_RISK, ContractTier.STARTER, other_csm),
        ("Hooli", 75, HealthStatus.HEALTHY, ContractTier.PROFESSIONAL, None),
    ]
    for name, score, status, tier, owner in rows:
        factory.client(
            workspace,
            name=name,
            current_health_score=score,
            health_status=status,
            contract_tier=tier,
            csm_user_id=owner.id if owner else None,
        )
    return other_csm


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["Initech", "Acme", "Umbrella", "Hooli", "Globex"]),
        ({"health_status": HealthStatus.AT_RISK}, ["Acme", "Umbrella"]),
        ({"health_status": HealthStatus.MONITOR}, []),
        ({"tier": ContractTier.STARTER}, ["Initech", "Umbrella"]),
        ({"tier": ContractTier.ENTERPRISE, "health_status": HealthStatus.HEALTHY}, ["Globex"]),
        ({"csm": True}, ["Initech", "Acme"]),
        ({"csm": True, "tier": ContractTier.ENTERPRISE}, ["Acme"]),
    ],
)
@pytest.mark.usefixtures("portfolio")
def test_filters(factory: Factory, vp: Actor, csm: User, filters: dict[str, object], expected: list[str]) -> None:
    kwargs = dict(filters)
    if kwargs.pop("csm", False):
        kwargs["csm_user_id"] = csm.id
    listed = list_clients(db_session=factory.session, actor=vp, as_of=AS_OF, **kwargs)  # type: ignore[arg-type]
    assert names(listed) == expected


def test_filters_never_widen_the_actors_scope(factory: Factory, csm: User, portfolio: User) -> None:
    actor = factory.actor(csm)
    assert names(list_clients(db_session=factory.session, actor=actor, as_of=AS_OF)) == ["Initech", "Acme"]
    healthy = list_clients(db_session=factory.session, actor=actor, as_of=AS_OF, health_status=HealthStatus.HEALTHY)
    assert healthy == []
    assert list_clients(db_session=factory.session, actor=actor, as_of=AS_OF, csm_user_id=portfolio.id) == []


@pytest.mark.parametrize(
    ("renewal", "as_of", "days"),
    [
        (dt.date(2025, 7, 1), AS_OF, 30),
        (dt.date(2025, 6, 1), AS_OF, 0),
        (dt.date(2025, 5, 20), AS_OF, -12),
        (dt.date(2025, 7, 1), dt.date(2025, 6, 30), 1),
        (dt.date(2026, 6, 1), AS_OF, 365),
        (None, AS_OF, None),
    ],
)
def test_days_to_renewal_counts_from_as_of(
    factory: Factory, workspace: Workspace, vp: Actor, renewal: dt.date | None, as_of: dt.date, days: int | None
) -> None:
    factory.client(workspace, name="Acme", next_renewal_date=renewal)
    [summary] = list_clients(db_session=factory.session, actor=vp, as_of=as_of)
    assert summary.next_renewal_date == renewal
    assert summary.days_to_renewal == days


def test_summary_carries_the_csm_and_client_fields(
    db_session: Session, factory: Factory, workspace: Workspace, csm: User, vp: Actor
) -> None:
    contact_at = dt.datetime(2025, 5, 28, 9, 30, tzinfo=dt.UTC)
    acme = factory.client(
        workspace,
        name="Acme",
        csm_user_id=csm.id,
        current_health_score=42,
        health_status=HealthStatus.AT_RISK,
        health_trend=HealthTrend.DOWN,
        churn_risk_score=67,
        contract_tier=ContractTier.ENTERPRISE,
        industry="Logistics",
        annual_recurring_revenue=Decimal("120000.50"),
        last_csm_contact_at=contact_at,
        segment="mid-market",
        tags=["renewal-risk", "exec-sponsor-left"],
    )
    factory.client(workspace, name="Zeta", current_health_score=99)

    first, unassigned = list_clients(db_session=db_session, actor=vp, as_of=AS_OF)

    assert first.id == acme.id
    assert (first.csm_email, first.csm_name) == ("dana@example.com", "Dana Scully")
    assert (first.health_score, first.health_status, first.health_trend) == (42, HealthStatus.AT_RISK, HealthTrend.DOWN)
    assert first.churn_risk_score == 67
    assert first.contract_tier is ContractTier.ENTERPRISE
    assert first.industry == "Logistics"
    assert first.annual_recurring_revenue == Decimal("120000.50")
    assert first.last_csm_contact_at == contact_at
    assert (first.segment, first.tags) == ("mid-market", ["renewal-risk", "exec-sponsor-left"])
    assert (unassigned.name, unassigned.csm_email, unassigned.csm_name) == ("Zeta", None, None)


def test_an_actor_with_no_clients_gets_an_empty_list(factory: Factory, workspace: Workspace) -> None:
    factory.client(workspace, name="Acme")
    ae = factory.actor(factory.user(workspace, Role.AE))
    assert list_clients(db_session=factory.session, actor=ae, as_of=AS_OF) == []
