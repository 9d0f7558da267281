"""Feature adoption (seed 004 F5): level rules, trends, the refresh job, the matrix and expansion signals."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.adoption.expansion import expansion_signals
from domain.adoption.models import Feature, FeatureAdoption
from domain.adoption.refresh import refresh_feature_adoption
from domain.adoption.rules import adoption_level, adoption_score, usage_trend
from domain.adoption.service import adoption_matrix
from domain.clients.models import Client
from domain.enums import AdoptionStatus as S
from domain.enums import ContractTier, LifecycleStatus, Role, UsageTrend
from domain.errors import AccessDeniedError, NotFoundError
from domain.staff.models import Workspace
from domain.usage.models import SeasonalityRule
from tests.factories import Factory

AS_OF = dt.date(2025, 3, 31)


# --- pure rules -------------------------------------------------------------------------------------


def level(uses: int, expected: float = 1000, *, licensed: bool = True, configured: bool = True) -> S:
    return adoption_level(is_licensed=licensed, is_configured=configured, uses_30_days=uses, expected=expected)


@pytest.mark.parametrize(
    ("uses", "expected_level"),
    [
        (0, S.NOT_USED),
        (1, S.LIGHT_USE),
        (249, S.LIGHT_USE),
        (250, S.ACTIVE_USE),
        (750, S.ACTIVE_USE),
        (751, S.POWER_USE),
    ],
)
def test_level_boundaries_at_0_24_9_25_75_and_75_1_percent(uses: int, expected_level: S) -> None:
    assert level(uses) is expected_level


def test_licence_and_configuration_come_before_usage() -> None:
    assert level(900, licensed=False) is S.NOT_LICENSED
    assert level(0, configured=False) is S.NOT_CONFIGURED
    # Use proves the feature was set up, whatever the flag says.
    assert level(300, configured=False) is S.ACTIVE_USE


def test_any_usage_features_are_power_use_on_a_single_use() -> None:
    assert level(1, expected=0) is S.POWER_USE
    assert level(0, expected=0) is S.NOT_USED


@pytest.mark.parametrize(
    ("current", "previous", "trend"),
    [
        (0, 0, UsageTrend.NO_USE),
        (5, 0, UsageTrend.INCREASING),
        (0, 5, UsageTrend.DECREASING),
        (12, 10, UsageTrend.STABLE),  # exactly +20% is not yet a trend
        (13, 10, UsageTrend.INCREASING),
        (8, 10, UsageTrend.STABLE),
        (7, 10, UsageTrend.DECREASING),
    ],
)
def test_usage_trend_compares_30_days_with_the_30_before(current: int, previous: int, trend: UsageTrend) -> None:
    assert usage_trend(current, previous) is trend


def test_adoption_score_counts_light_use_as_used_like_the_seed_mock_up() -> None:
    levels = [S.ACTIVE_USE, S.LIGHT_USE, S.NOT_USED, S.ACTIVE_USE, S.ACTIVE_USE]
    levels += [S.NOT_CONFIGURED, S.NOT_LICENSED, S.LIGHT_USE, S.NOT_USED]
    assert adoption_score(levels) == pytest.approx(62.5)  # 5 of 8 licensed
    assert adoption_score([S.NOT_LICENSED]) is None


# --- refresh ------------------------------------------------------------------------------------------


def rollup(factory: Factory, client: Client, day: dt.date, counts: dict[str, int]) -> None:
    factory.usage_rollup(client, day=day, total_actions=sum(counts.values()) or 1, feature_counts=counts)


def adoption_rows(session: Session, client: Client) -> dict[str, FeatureAdoption]:
    session.expire_all()  # bulk updates bypass the identity map
    rows = session.execute(
        select(Feature.key, FeatureAdoption)
        .join(FeatureAdoption, FeatureAdoption.feature_id == Feature.id)
        .where(FeatureAdoption.client_id == client.id)
    )
    return dict(rows.all())


def snapshot(row: FeatureAdoption) -> dict[str, Any]:
    fields = ["is_licensed", "is_configured", "configured_at", "adoption_status", "last_used_at", "usage_30_days"]
    fields += ["usage_trend", "expected_usage", "adoption_percentile", "assessed_on", "licensed_at"]
    return {name: getattr(row, name) for name in fields}


@pytest.fixture
def catalogue(factory: Factory) -> tuple[Workspace, dict[str, Feature]]:
    workspace = factory.workspace()
    features = {
        "case_creation": factory.feature(
            workspace, key="case_creation", module="Case Management", expected_monthly_usage=10
        ),
        "dashboard_views": factory.feature(
            workspace, key="dashboard_views", module="Analytics", expected_monthly_usage=20
        ),
        "api_calls": factory.feature(workspace, key="api_calls", module="API", expected_monthly_usage=0),
    }
    return workspace, features


def test_refresh_writes_one_row_per_client_and_feature(
    db_session: Session, factory: Factory, catalogue: tuple[Workspace, dict[str, Feature]]
) -> None:
    workspace, _ = catalogue
    client = factory.client(workspace, licensed_modules=["Case Management", "API"])
    rollup(factory, client, AS_OF, {"case_creation": 4, "dashboard_views": 9})
    rollup(factory, client, AS_OF - dt.timedelta(days=29), {"case_creation": 2})  # first day of the window
    rollup(factory, client, AS_OF - dt.timedelta(days=30), {"case_creation": 3, "api_calls": 1})  # the 30 before

    report = refresh_feature_adoption(db_session=db_session, workspace_id=workspace.id, as_of=AS_OF)

    assert (report.clients, report.features, report.created, report.updated) == (1, 3, 3, 0)
    rows = adoption_rows(db_session, client)
    case = rows["case_creation"]
    assert (case.is_licensed, case.is_configured, case.usage_30_days) == (True, True, 6)
    assert case.adoption_status is S.ACTIVE_USE  # 6 of 10 expected = 60%
    assert case.usage_trend is UsageTrend.INCREASING  # 6 vs 3
    assert case.last_used_at == dt.datetime(2025, 3, 31, tzinfo=dt.UTC)
    assert case.configured_at == dt.datetime(2025, 3, 1, tzinfo=dt.UTC)  # first use seen proves the set-up
    assert (case.expected_usage, case.assessed_on) == (10.0, AS_OF)
    api = rows["api_calls"]
    assert (api.adoption_status, api.usage_trend, api.usage_30_days) == (S.NOT_USED, UsageTrend.DECREASING, 0)
    assert api.last_used_at == dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
    dashboards = rows["dashboard_views"]  # used, but not licensed
    assert (dashboards.is_licensed, dashboards.is_configured, dashboards.adoption_status) == (
        False,
        False,
        S.NOT_LICENSED,
    )
    assert dashboards.usage_30_days == 9


def test_refresh_is_idempotent_and_keeps_configuration_dates(
    db_session: Session, factory: Factory, catalogue: tuple[Workspace, dict[str, Feature]]
) -> None:
    workspace, features = catalogue
    client = factory.client(workspace, licensed_modules=["Case Management", "Analytics"])
    configured_at = dt.datetime(2024, 6, 1, 9, 30, tzinfo=dt.UTC)
    licensed_at = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
    factory.feature_adoption(
        client,
        features["dashboard_views"],
        is_licensed=True,
        is_configured=True,
        configured_at=configured_at,
        licensed_at=licensed_at,
    )
    rollup(factory, client, AS_OF - dt.timedelta(days=3), {"case_creation": 1})

    first = refresh_feature_adoption(db_session=db_session, workspace_id=workspace.id, as_of=AS_OF)
    before = {key: snapshot(row) for key, row in adoption_rows(db_session, client).items()}
    second = refresh_feature_adoption(db_session=db_session, workspace_id=workspace.id, as_of=AS_OF)
    after = {key: snapshot(row) for key, row in adoption_rows(db_session, client).items()}

    assert (first.created, first.updated) == (2, 1)
    assert (second.created, second.updated) == (0, 3)
    assert after == before
    dashboards = after["dashboard_views"]
    assert (dashboards["is_configured"], dashboards["adoption_status"]) == (True, S.NOT_USED)
    assert (dashboards["configured_at"], dashboards["licensed_at"]) == (configured_at, licensed_at)
    assert after["case_creation"]["adoption_status"] is S.LIGHT_USE  # 1 of 10 expected


def test_refresh_percentile_ranks_usage_within_licensed_clients_of_the_same_tier(
    db_session: Session, factory: Factory, catalogue: tuple[Workspace, dict[str, Feature]]
) -> None:
    workspace, _ = catalogue
    licensed = {"licensed_modules": ["Case Management"], "contract_tier": ContractTier.ENTERPRISE}
    high, tied, low = (factory.client(workspace, **licensed) for _ in range(3))
    for client, uses in ((high, 10), (tied, 10), (low, 4)):
        rollup(factory, client, AS_OF, {"case_creation": uses})
    other_tier = factory.client(workspace, licensed_modules=["Case Management"], contract_tier=ContractTier.STARTER)
    rollup(factory, other_tier, AS_OF, {"case_creation": 1})
    churned = factory.client(workspace, **licensed, lifecycle_status=LifecycleStatus.CHURNED)
    rollup(factory, churned, AS_OF, {"case_creation": 1})
    elsewhere = factory.workspace()
    factory.feature(elsewhere, key="case_creation", module="Case Management", expected_monthly_usage=10)
    stranger = factory.client(elsewhere, **licensed)
    rollup(factory, stranger, AS_OF, {"case_creation": 1})

    refresh_feature_adoption(db_session=db_session, workspace_id=workspace.id, as_of=AS_OF)

    def percentile(client: Client) -> int | None:
        return adoption_rows(db_session, client)["case_creation"].adoption_percentile

    # 10 among (10, 10, 4): 1 below + half of 2 ties = 2 of 3; 4: half of itself = 0.5 of 3.
    assert (percentile(high), percentile(tied), percentile(low)) == (67, 67, 17)
    assert percentile(other_tier) is None  # a cohort of one
    assert percentile(churned) is None  # not a peer
    assert adoption_rows(db_session, stranger) == {}  # another tenant is not touched


def test_refresh_lowers_expected_usage_in_a_declared_slow_month(
    db_session: Session, factory: Factory, catalogue: tuple[Workspace, dict[str, Feature]]
) -> None:
    workspace, _ = catalogue
    db_session.add(
        SeasonalityRule(workspace_id=workspace.id, segment="Photographers", slow_months=[11], usage_factor=0.5)
    )
    photographer = factory.client(workspace, licensed_modules=["Case Management"], segment="photographers")
    dj = factory.client(workspace, licensed_modules=["Case Management"], segment="DJs")
    november = dt.date(2025, 11, 20)
    for client in (photographer, dj):
        rollup(factory, client, november, {"case_creation": 4})

    refresh_feature_adoption(db_session=db_session, workspace_id=workspace.id, as_of=november)

    slow = adoption_rows(db_session, photographer)["case_creation"]
    normal = adoption_rows(db_session, dj)["case_creation"]
    assert (slow.expected_usage, slow.adoption_status) == (5.0, S.POWER_USE)  # 4 of 5 = 80%
    assert (normal.expected_usage, normal.adoption_status) == (10.0, S.ACTIVE_USE)  # 4 of 10 = 40%


# --- matrix --------------------------------------------------------------------------------------------

MOCK_UP = [  # (module, feature, expected per 30 days, uses in 30 days, configured) from seed 004's Adoption tab
    ("Case Management", "Case Creation", 100, 45, True),
    ("Case Management", "Investigation", 40, 8, True),
    ("Case Management", "Remediation", 10, 0, True),
    ("Disclosures", "Campaigns", 4, 3, True),
    ("Disclosures", "Review Workflow", 50, 28, True),
    ("Policy Management", "Policy Editor", 2, 0, False),
    ("Analytics", "Dashboards", 40, 5, True),
    ("Analytics", "Reports", 2, 0, True),
    ("Chatbot", "Conversations", 10, 3, False),
]


def mock_up_client(factory: Factory, workspace: Workspace, csm_id: int) -> Client:
    modules = ["Case Management", "Disclosures", "Policy Management", "Analytics"]
    client = factory.client(workspace, licensed_modules=modules, csm_user_id=csm_id)
    counts = {}
    for module, name, expected, uses, configured in MOCK_UP:
        key = name.lower().replace(" ", "_")
        feature = factory.feature(workspace, key=key, name=name, module=module, expected_monthly_usage=expected)
        if configured:
            factory.feature_adoption(client, feature, is_licensed=True, is_configured=True)
        if uses:
            counts[key] = uses
    rollup(factory, client, AS_OF - dt.timedelta(days=1), counts)
    return client


def test_matrix_reproduces_the_seed_mock_up(db_session: Session, factory: Factory) -> None:
    workspace = factory.workspace()
    csm = factory.user(workspace)
    client = mock_up_client(factory, workspace, csm.id)

    matrix = adoption_matrix(db_session=db_session, actor=factory.actor(csm), client_id=client.id, as_of=AS_OF)

    assert [module.module for module in matrix.modules] == [
        "Case Management",
        "Disclosures",
        "Policy Management",
        "Analytics",
        "Chatbot",
    ]
    statuses = {f.feature_name: f.status for module in matrix.modules for f in module.features}
    assert statuses == {
        "Case Creation": S.ACTIVE_USE,
        "Investigation": S.LIGHT_USE,
        "Remediation": S.NOT_USED,
        "Campaigns": S.ACTIVE_USE,  # 75% exactly is still Active Use
        "Review Workflow": S.ACTIVE_USE,
        "Policy Editor": S.NOT_CONFIGURED,
        "Dashboards": S.LIGHT_USE,
        "Reports": S.NOT_USED,
        "Conversations": S.NOT_LICENSED,
    }
    assert matrix.adoption_score == pytest.approx(62.5)
    assert matrix.summary == "Licensed features used: 5 of 8"
    assert (matrix.features_licensed, matrix.features_used, matrix.features_actively_used) == (8, 5, 3)
    assert matrix.unused_licensed_features == ["Remediation", "Policy Editor", "Reports"]
    assert [(o.module, o.reason, o.detail) for o in matrix.opportunities] == [
        ("Policy Management", "unused_licence", "licensed, not configured"),
        ("Chatbot", "explored", "3 uses in 60 days"),
    ]
    case_creation = matrix.modules[0].features[0]
    assert (case_creation.usage_30_days, case_creation.usage_ratio, case_creation.expected_usage) == (45, 0.45, 100)
    assert matrix.seasonal_factor == 1.0


def test_matrix_suggests_modules_most_of_the_tier_licenses(db_session: Session, factory: Factory) -> None:
    workspace = factory.workspace()
    admin = factory.user(workspace, role=Role.ADMIN)
    factory.feature(workspace, key="case_creation", module="Case Management")
    factory.feature(workspace, key="chatbot", module="Chatbot")
    factory.feature(workspace, key="api_calls", module="API", expected_monthly_usage=0)
    client = factory.client(workspace, licensed_modules=["Case Management"])
    factory.client(workspace, licensed_modules=["Case Management", "Chatbot", "API"])
    factory.client(workspace, licensed_modules=["Chatbot"])
    factory.client(workspace, licensed_modules=["API"], lifecycle_status=LifecycleStatus.CHURNED)
    factory.client(workspace, licensed_modules=["API"], contract_tier=ContractTier.STARTER)

    matrix = adoption_matrix(db_session=db_session, actor=factory.actor(admin), client_id=client.id, as_of=AS_OF)

    common = [(o.module, o.detail) for o in matrix.opportunities if o.reason == "common_in_tier"]
    assert common == [("Chatbot", "licensed by 2 of 2 other PROFESSIONAL clients")]  # API: 1 of 2 is not most
    assert ("Case Management", "unused_licence") in [(o.module, o.reason) for o in matrix.opportunities]


def test_matrix_is_scoped_to_the_actor(db_session: Session, factory: Factory) -> None:
    workspace = factory.workspace()
    owner, other_csm = factory.user(workspace), factory.user(workspace)
    client = factory.client(workspace, csm_user_id=owner.id)
    stranger = factory.user(factory.workspace(), role=Role.ADMIN)
    with pytest.raises(AccessDeniedError):
        adoption_matrix(db_session=db_session, actor=factory.actor(other_csm), client_id=client.id, as_of=AS_OF)
    with pytest.raises(NotFoundError):
        adoption_matrix(db_session=db_session, actor=factory.actor(stranger), client_id=client.id, as_of=AS_OF)


# --- expansion signals -----------------------------------------------------------------------------------


def test_expansion_signals_rank_the_strongest_visible_clients_first(db_session: Session, factory: Factory) -> None:
    workspace = factory.workspace()
    csm, other_csm = factory.user(workspace), factory.user(workspace)
    feature = factory.feature(workspace, key="case_creation", module="Case Management")
    second = factory.feature(workspace, key="investigation", module="Case Management")
    seats = factory.client(workspace, name="Seats Co", csm_user_id=csm.id, licensed_user_count=10)
    factory.usage_rollup(
        seats, day=AS_OF - dt.timedelta(days=2), daily_active_users=3, weekly_active_users=6, monthly_active_users=9
    )
    fan = factory.client(workspace, name="Fan Co", csm_user_id=csm.id, licensed_user_count=100)
    factory.usage_rollup(fan, day=AS_OF, daily_active_users=3, weekly_active_users=6, monthly_active_users=50)
    factory.survey_response(fan, score=10, responded_at=dt.datetime(2025, 3, 1, tzinfo=dt.UTC))
    factory.feature_adoption(fan, feature, is_licensed=True, is_configured=True, adoption_status=S.POWER_USE)
    factory.feature_adoption(fan, second, is_licensed=True, is_configured=True, adoption_status=S.POWER_USE)
    quiet = factory.client(workspace, name="Quiet Co", csm_user_id=csm.id, licensed_user_count=100)
    factory.survey_response(quiet, score=9, responded_at=dt.datetime(2024, 6, 1, tzinfo=dt.UTC))  # too old
    factory.feature_adoption(quiet, feature, is_licensed=True, is_configured=True, adoption_status=S.POWER_USE)
    factory.feature_adoption(quiet, second, is_licensed=True, is_configured=True, adoption_status=S.LIGHT_USE)
    theirs = factory.client(workspace, csm_user_id=other_csm.id, licensed_user_count=1)
    factory.usage_rollup(theirs, day=AS_OF, daily_active_users=1, weekly_active_users=1, monthly_active_users=1)

    signals = expansion_signals(db_session=db_session, actor=factory.actor(csm), as_of=AS_OF)

    assert [(s.client_name, s.strength) for s in signals] == [("Fan Co", 2), ("Seats Co", 1)]
    assert signals[0].reasons == ["power use of 100% of licensed features", "promoter: latest NPS 10"]
    assert (signals[0].power_feature_share, signals[0].latest_nps) == (1.0, 10)
    assert signals[1].reasons == ["9 monthly active users on 10 licensed seats (90%)"]
    assert signals[1].seat_utilisation == pytest.approx(0.9)
