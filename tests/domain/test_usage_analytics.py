"""Usage analytics (seed 004 F4, US-015-010/012): the rules, the usage summary and per-user engagement."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy.orm import Session

from domain.clients.models import Client
from domain.enums import ContactRole, ContractTier, EngagementStatus, EventType, LifecycleStatus, Role
from domain.errors import AccessDeniedError, NotFoundError, ValidationError
from domain.staff.models import User, Workspace
from domain.usage import analytics_rules as rules
from domain.usage.analytics import usage_summary, user_engagement
from domain.usage.models import SeasonalityRule
from domain.usage.rollups import rebuild_rollups
from tests.factories import Factory

AS_OF = dt.date(2025, 3, 31)  # a Monday


def day(offset: int) -> dt.date:
    return AS_OF - dt.timedelta(days=offset)


def at(offset: int, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day(offset), dt.time(hour), tzinfo=dt.UTC)


# --- pure rules -------------------------------------------------------------------------------------


def test_change_and_stickiness() -> None:
    assert rules.change_ratio(4, 10) == pytest.approx(-0.6)
    assert rules.change_ratio(4, 0) is None
    assert rules.change_ratio(None, 10) is None
    assert rules.stickiness(6, 30) == pytest.approx(0.2)
    assert rules.stickiness(6, 0) is None


@pytest.mark.parametrize(("users", "power"), [(0, 0), (1, 1), (5, 1), (6, 2), (10, 2), (11, 3)])
def test_power_users_are_the_top_fifth_rounded_up(users: int, power: int) -> None:
    assert rules.power_user_count(users) == power


def test_top_users_break_ties_by_user_id_and_skip_idle_users() -> None:
    counts = {"u6": 1, "u5": 1, "u4": 5, "u3": 5, "u2": 8, "u1": 10, "idle": 0}
    assert rules.top_users(counts) == [("u1", 10), ("u2", 8)]  # 6 active users -> 2
    assert rules.top_users({"b": 3, "a": 3}) == [("a", 3)]


@pytest.mark.parametrize(
    ("days", "sessions", "previous", "status"),
    [
        (None, 0, 0, EngagementStatus.INACTIVE),
        (14, 5, 5, EngagementStatus.INACTIVE),
        (13, 5, 5, EngagementStatus.DECLINING),  # a quiet week
        (7, 5, 5, EngagementStatus.DECLINING),
        (6, 5, 5, EngagementStatus.ACTIVE),
        (2, 4, 10, EngagementStatus.DECLINING),  # sessions more than halved
        (2, 5, 10, EngagementStatus.ACTIVE),  # exactly half is not yet a decline
        (0, 1, 0, EngagementStatus.ACTIVE),
    ],
)
def test_engagement_status(days: int | None, sessions: int, previous: int, status: EngagementStatus) -> None:
    assert rules.engagement_status(days, sessions, previous) is status


def test_login_grid_places_each_day_on_its_weekday_and_finds_the_peak() -> None:
    grid = rules.login_grid([(dt.date(2025, 3, 31), {"9": 2}), (dt.date(2025, 3, 24), {"9": 1, "14": 5})])
    assert grid["mon"][9] == 3
    assert grid["mon"][14] == 5
    assert sum(sum(hours) for hours in grid.values()) == 8
    assert rules.peak_slot(grid) == ("mon", 14)
    assert rules.peak_slot(rules.login_grid([])) is None


def test_weighted_average_ignores_days_without_sessions() -> None:
    assert rules.weighted_average([(60, 10), (120, 20), (300, 10), (None, 0)]) == pytest.approx(150)
    assert rules.weighted_average([(None, 0)]) is None


# --- usage summary -------------------------------------------------------------------------------------


def rollup(factory: Factory, client: Client, offset: int, dau: int, wau: int, mau: int, **extra: Any) -> None:
    factory.usage_rollup(
        client, day=day(offset), daily_active_users=dau, weekly_active_users=wau, monthly_active_users=mau, **extra
    )


@pytest.fixture
def tenant(factory: Factory) -> tuple[Workspace, User]:
    workspace = factory.workspace()
    for key, module in (("case_creation", "Case Management"), ("dashboard_views", "Analytics"), ("api_calls", "API")):
        factory.feature(workspace, key=key, module=module)
    return workspace, factory.user(workspace)


def busy_client(factory: Factory, workspace: Workspace, csm: User) -> Client:
    """Three days before a 3-day period at DAU 10, then a slide to 4 (hand-computed figures in the test)."""
    client = factory.client(
        workspace,
        csm_user_id=csm.id,
        licensed_modules=["Case Management", "Analytics"],
        contract_tier=ContractTier.ENTERPRISE,
    )
    for offset in (5, 4, 3):
        rollup(factory, client, offset, 10, 20, 40)
    rollup(
        factory,
        client,
        2,
        8,
        18,
        40,
        total_sessions=10,
        total_actions=30,
        avg_session_duration_seconds=60,
        feature_counts={"case_creation": 3},
        logins_by_hour={"9": 2},
    )
    rollup(
        factory,
        client,
        1,
        6,
        16,
        38,
        total_sessions=20,
        total_actions=50,
        avg_session_duration_seconds=120,
        feature_counts={"api_calls": 2, "dashboard_views": 0},
        logins_by_hour={"9": 1, "14": 5},
    )
    rollup(factory, client, 0, 4, 15, 36, total_sessions=10, total_actions=20, avg_session_duration_seconds=300)
    return client


def test_usage_summary_against_its_own_past(
    db_session: Session, factory: Factory, tenant: tuple[Workspace, User]
) -> None:
    workspace, csm = tenant
    client = busy_client(factory, workspace, csm)

    summary = usage_summary(db_session=db_session, actor=factory.actor(csm), client_id=client.id, as_of=AS_OF, days=3)

    assert (summary.period_start, summary.measured_on) == (day(2), AS_OF)
    assert (summary.dau.value, summary.dau.baseline, summary.dau.change) == (4, 10, pytest.approx(-0.6))
    assert (summary.wau.value, summary.wau.change) == (15, pytest.approx(-0.25))
    assert (summary.mau.value, summary.mau.change) == (36, pytest.approx(-0.1))
    assert (summary.average_dau, summary.average_mau) == (6, 38)
    assert summary.stickiness == pytest.approx(6 / 38)
    assert (summary.total_sessions, summary.total_actions) == (40, 100)
    assert summary.avg_session_duration_seconds == pytest.approx(150)  # (600 + 2400 + 3000) / 40
    assert summary.avg_session_depth == pytest.approx(2.5)
    breadth = summary.feature_breadth
    assert (breadth.modules_used, breadth.breadth, breadth.unlicensed_modules_used) == (
        ["Case Management"],
        0.5,
        ["API"],
    )
    heatmap = summary.heatmap
    assert (heatmap.grid["sat"][9], heatmap.grid["sun"][9], heatmap.grid["sun"][14]) == (2, 1, 5)
    assert (heatmap.total_logins, heatmap.peak_weekday, heatmap.peak_hour) == (8, "sun", 14)
    assert heatmap.by_hour[9] == 3
    assert heatmap.by_weekday == {**dict.fromkeys(rules.WEEKDAYS, 0), "sat": 2, "sun": 6}
    assert (summary.seasonal_factor, summary.seasonal_note) == (1.0, None)


def test_usage_summary_compares_with_live_clients_of_the_same_tier(
    db_session: Session, factory: Factory, tenant: tuple[Workspace, User]
) -> None:
    workspace, csm = tenant
    client = busy_client(factory, workspace, csm)
    peer = factory.client(workspace, contract_tier=ContractTier.ENTERPRISE)  # another CSM's: aggregates only
    for offset in (2, 1, 0):
        rollup(factory, peer, offset, 2, 5, 10)
    churned = factory.client(workspace, contract_tier=ContractTier.ENTERPRISE, lifecycle_status=LifecycleStatus.CHURNED)
    starter = factory.client(workspace, contract_tier=ContractTier.STARTER)
    stranger = factory.client(factory.workspace(), contract_tier=ContractTier.ENTERPRISE)
    for other in (churned, starter, stranger):
        rollup(factory, other, 0, 100, 100, 100)

    cohort = usage_summary(
        db_session=db_session, actor=factory.actor(csm), client_id=client.id, as_of=AS_OF, days=3
    ).tier_cohort

    assert (cohort.tier, cohort.clients) == (ContractTier.ENTERPRISE, 2)
    assert (cohort.average_dau, cohort.average_mau) == (
        pytest.approx(4),
        pytest.approx(24),
    )  # (6 + 2) / 2, (38 + 10) / 2
    assert cohort.average_stickiness == pytest.approx((6 / 38 + 0.2) / 2)


def test_power_users_come_from_events_with_contact_names(
    db_session: Session, factory: Factory, tenant: tuple[Workspace, User]
) -> None:
    workspace, csm = tenant
    client = factory.client(workspace, csm_user_id=csm.id)
    factory.contact(client, name="Sarah Chen", role=ContactRole.CHAMPION, platform_user_ref="u1")
    for ref, events in (("u1", 10), ("u2", 8), ("u3", 5), ("u4", 5), ("u5", 1), ("u6", 1)):
        for n in range(events):
            factory.engagement_event(
                client, user_ref=ref, occurred_at=at(n % 3), occurred_on=day(n % 3), occurred_hour=10
            )
    factory.engagement_event(client, user_ref="old", occurred_at=at(40), occurred_on=day(40), occurred_hour=10)

    summary = usage_summary(db_session=db_session, actor=factory.actor(csm), client_id=client.id, as_of=AS_OF)

    assert summary.active_users == 6
    assert [(p.user_ref, p.name, p.role, p.events) for p in summary.power_users] == [
        ("u1", "Sarah Chen", ContactRole.CHAMPION, 10),
        ("u2", None, None, 8),
    ]
    assert summary.measured_on is None
    assert summary.dau.value is None


def test_usage_summary_reads_rollups_rebuilt_from_events(
    db_session: Session, factory: Factory, tenant: tuple[Workspace, User]
) -> None:
    workspace, csm = tenant
    client = factory.client(workspace, csm_user_id=csm.id)
    for ref, offset in (("a", 0), ("b", 0), ("a", 1), ("c", 5)):
        factory.engagement_event(
            client,
            user_ref=ref,
            event_type=EventType.LOGIN,
            occurred_at=at(offset, 9),
            occurred_on=day(offset),
            occurred_hour=9,
        )
    rebuild_rollups(db_session=db_session, client_ids=[client.id], start=day(10), end=AS_OF)

    summary = usage_summary(db_session=db_session, actor=factory.actor(csm), client_id=client.id, as_of=AS_OF, days=7)

    assert (summary.dau.value, summary.wau.value, summary.mau.value) == (2, 3, 3)
    assert summary.heatmap.grid["mon"][9] == 2
    assert summary.heatmap.total_logins == 4


def test_usage_summary_explains_a_declared_slow_month(
    db_session: Session, factory: Factory, tenant: tuple[Workspace, User]
) -> None:
    workspace, csm = tenant
    db_session.add(
        SeasonalityRule(workspace_id=workspace.id, segment="Photographers", slow_months=[11], usage_factor=0.6)
    )
    client = factory.client(workspace, csm_user_id=csm.id, segment="Photographers")

    summary = usage_summary(
        db_session=db_session, actor=factory.actor(csm), client_id=client.id, as_of=dt.date(2025, 11, 20)
    )

    assert summary.seasonal_factor == 0.6
    assert summary.seasonal_note == "November is a slow month for Photographers: usage is expected at 60% of normal"


# --- user engagement -----------------------------------------------------------------------------------


def event(factory: Factory, client: Client, ref: str, offset: int, session_id: str | None = None) -> None:
    factory.engagement_event(
        client, user_ref=ref, occurred_at=at(offset), occurred_on=day(offset), occurred_hour=10, session_id=session_id
    )


def test_user_engagement_names_contacts_and_flags_inactive_key_stakeholders(
    db_session: Session, factory: Factory, tenant: tuple[Workspace, User]
) -> None:
    workspace, csm = tenant
    client = factory.client(workspace, csm_user_id=csm.id)
    factory.contact(client, name="Sarah Chen", role=ContactRole.CHAMPION, title="CCO", platform_user_ref="u-sarah")
    factory.contact(client, name="Tom Brown", role=ContactRole.USER, platform_user_ref="u-tom")
    factory.contact(client, name="Nina Admin", role=ContactRole.ADMIN, platform_user_ref="u-nina")
    left = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    factory.contact(
        client,
        name="Gone Sponsor",
        role=ContactRole.EXECUTIVE_SPONSOR,
        platform_user_ref="u-gone",
        is_active=False,
        left_company_at=left,
    )
    event(factory, client, "u-sarah", 21, "s0")
    for n, offset in enumerate((2, 3, 10)):
        event(factory, client, "u-mike", offset, f"m{n}")
    for n, offset in enumerate((35, 36, 40, 41, 45, 50)):
        event(factory, client, "u-tom", offset, f"t{n}")
    event(factory, client, "u-tom", 5, "t-now-1")
    event(factory, client, "u-tom", 6, "t-now-2")
    for offset in (1, 1, 4):  # no session ids: one session per active day
        event(factory, client, "u-anon", offset)
    event(factory, client, "u-future", -1, "f")  # after as_of: not yet seen

    report = user_engagement(db_session=db_session, actor=factory.actor(csm), client_id=client.id, as_of=AS_OF)

    users = {user.user_ref: user for user in report.users}
    assert set(users) == {"u-sarah", "u-mike", "u-tom", "u-anon", "u-nina"}
    sarah = users["u-sarah"]
    assert (sarah.status, sarah.days_inactive, sarah.title) == (EngagementStatus.INACTIVE, 21, "CCO")
    assert sarah.headline == "Sarah Chen (CHAMPION) inactive 21 days"
    assert (users["u-mike"].status, users["u-mike"].sessions, users["u-mike"].days_inactive) == (
        EngagementStatus.ACTIVE,
        3,
        2,
    )
    tom = users["u-tom"]
    assert (tom.status, tom.sessions, tom.previous_sessions) == (EngagementStatus.DECLINING, 2, 6)
    assert (users["u-anon"].sessions, users["u-anon"].events, users["u-anon"].name) == (2, 3, None)
    nina = users["u-nina"]
    assert (nina.status, nina.last_active_at, nina.headline) == (
        EngagementStatus.INACTIVE,
        None,
        "Nina Admin (ADMIN) never active",
    )
    assert (report.active, report.declining, report.inactive) == (2, 1, 2)
    assert report.key_stakeholders_at_risk == [
        "Sarah Chen (CHAMPION) inactive 21 days",
        "Nina Admin (ADMIN) never active",
    ]
    # Most events first, then most sessions, then by name.
    assert [user.user_ref for user in report.users] == ["u-mike", "u-anon", "u-tom", "u-sarah", "u-nina"]


def test_usage_reads_are_scoped(db_session: Session, factory: Factory, tenant: tuple[Workspace, User]) -> None:
    workspace, csm = tenant
    client = factory.client(workspace, csm_user_id=factory.user(workspace).id)
    stranger = factory.user(factory.workspace(), role=Role.VP_CLIENT_SUCCESS)
    for read in (usage_summary, user_engagement):
        with pytest.raises(AccessDeniedError):
            read(db_session=db_session, actor=factory.actor(csm), client_id=client.id, as_of=AS_OF)
        with pytest.raises(NotFoundError):
            read(db_session=db_session, actor=factory.actor(stranger), client_id=client.id, as_of=AS_OF)
    with pytest.raises(ValidationError):
        usage_summary(db_session=db_session, actor=factory.actor(csm), client_id=client.id, as_of=AS_OF, days=0)
