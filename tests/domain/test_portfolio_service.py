"""Portfolio (seed 004 F1, US-015-001/003/042): summary, urgency-ordered at-risk list, renewals, CSM scorecards.

The book: five current clients with snapshots today (AS_OF) and 30 days before, plus a churned client, a
prospect and another tenant's client that must never count.

    client  csm   tier          industry       region  ARR      now        then  churn  renewal
    Acme    Ann   ENTERPRISE    Manufacturing  EMEA    120,000  40 AT_RISK  54   0.60   +60 days
    Beta    Ann   STARTER       Retail         -        50,000  30 CRIT     32   -      +15
    Gamma   Ben   ENTERPRISE    Manufacturing  NA      200,000  55 AT_RISK  60   0.20   +300
    Delta   Ben   PROFESSIONAL  Retail         NA      300,000  85 HEALTHY  96   -      -
    Echo    -     PROFESSIONAL  Retail         -       -        20 CRIT     -    -      -
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from domain.access import Actor
from domain.activities.models import Activity
from domain.churn.models import ChurnModel
from domain.clients.models import Client
from domain.enums import ActivityType, ContractTier, HealthStatus, LifecycleStatus, Role
from domain.errors import AccessDeniedError, NotFoundError, ValidationError
from domain.portfolio import rules
from domain.portfolio.performance import csm_performance
from domain.portfolio.service import list_at_risk_clients, list_renewals, portfolio_summary
from domain.scoring.models import ScoreConfig
from domain.staff.models import User, Workspace
from tests.factories import Factory

AS_OF = dt.date(2025, 6, 30)
THEN = AS_OF - dt.timedelta(days=30)
AT_RISK, CRITICAL, HEALTHY, MONITOR = (
    HealthStatus.AT_RISK,
    HealthStatus.CRITICAL,
    HealthStatus.HEALTHY,
    HealthStatus.MONITOR,
)


def test_urgency_worked_example_from_the_rules() -> None:
    acme = rules.urgency(health=40, churn_probability=0.6, arr=Decimal("120000"), days_to_renewal=60)
    beta = rules.urgency(health=30, churn_probability=None, arr=Decimal("50000"), days_to_renewal=15)
    gamma = rules.urgency(health=55, churn_probability=0.2, arr=Decimal("200000"), days_to_renewal=300)
    # 0.8 x max(1, 0) x 30/365: no ARR counts as 1 thousand, no renewal date as a year away.
    echo = rules.urgency(health=20, churn_probability=None, arr=None, days_to_renewal=None)
    assert (acme, beta, gamma, echo) == (36.0, 35.0, 6.5, 0.07)
    assert rules.renewal_proximity(-5) == 1.0
    assert rules.risk_of(None, None) == 0.5
    assert rules.risk_of(None, 0.3) == 0.3


@pytest.mark.parametrize(
    ("days", "bucket"),
    [(0, "0-30"), (30, "0-30"), (31, "31-60"), (60, "31-60"), (61, "61-90"), (90, "61-90"), (91, "90+")],
)
def test_renewal_buckets(days: int, bucket: str) -> None:
    assert rules.renewal_bucket(days) == bucket


@dataclass
class Book:
    workspace: Workspace
    ann: User
    ben: User
    cat: User  # a CSM with no clients
    vp: Actor
    senior: Actor
    stranger: Actor  # a VP of another tenant
    clients: dict[str, Client]
    config: ScoreConfig
    model: ChurnModel

    def actor(self, user: User) -> Actor:
        return Actor.from_user(user)

    def ids(self, *names: str) -> list[int]:
        return [self.clients[name].id for name in names]


ROWS = [
    # name, csm, tier, industry, region, arr, now, status, then, then_status, churn, renewal
    ("Acme", "ann", ContractTier.ENTERPRISE, "Manufacturing", "EMEA", 120_000, 40, AT_RISK, 54, MONITOR, 0.6, 60),
    ("Beta", "ann", ContractTier.STARTER, "Retail", None, 50_000, 30, CRITICAL, 32, AT_RISK, None, 15),
    ("Gamma", "ben", ContractTier.ENTERPRISE, "Manufacturing", "NA", 200_000, 55, AT_RISK, 60, MONITOR, 0.2, 300),
    ("Delta", "ben", ContractTier.PROFESSIONAL, "Retail", "NA", 300_000, 85, HEALTHY, 96, HEALTHY, None, None),
    ("Echo", None, ContractTier.PROFESSIONAL, "Retail", None, None, 20, CRITICAL, None, None, None, None),
]


@pytest.fixture
def book(factory: Factory) -> Book:
    workspace, elsewhere = factory.workspace(), factory.workspace()
    staff = {key: factory.user(workspace, Role.CSM, name=name) for key, name in [("ann", "Ann"), ("ben", "Ben")]}
    cat = factory.user(workspace, Role.CSM, name="Cat")
    config, model = factory.score_config(workspace), factory.churn_model(workspace)
    clients = {}
    for name, csm, tier, industry, region, arr, now, status, then, then_status, churn, renewal in ROWS:
        client = factory.client(
            workspace, name=name, csm_user_id=staff[csm].id if csm else None, contract_tier=tier, industry=industry,
            region=region, annual_recurring_revenue=None if arr is None else Decimal(arr),
            next_renewal_date=None if renewal is None else AS_OF + dt.timedelta(days=renewal),
            current_health_score=99, health_status=HEALTHY,  # stale columns: the snapshots win
        )  # fmt: skip
        factory.health_snapshot(client, config, day=AS_OF, overall_score=now, status=status)
        if then is not None:
            factory.health_snapshot(client, config, day=THEN, overall_score=then, status=then_status)
        if churn is not None:
            factory.churn_prediction(client, model, day=AS_OF - dt.timedelta(days=2), probability_90d=churn)
        clients[name] = client
    for lifecycle in (LifecycleStatus.CHURNED, LifecycleStatus.PROSPECT):
        factory.client(workspace, name=f"Gone {lifecycle}", csm_user_id=staff["ann"].id, lifecycle_status=lifecycle,
                       health_status=CRITICAL, current_health_score=5)  # fmt: skip
    factory.client(elsewhere, name="Foreign", health_status=CRITICAL, current_health_score=5)
    return Book(
        workspace=workspace,
        ann=staff["ann"],
        ben=staff["ben"],
        cat=cat,
        vp=factory.actor(factory.user(workspace, Role.VP_CLIENT_SUCCESS)),
        senior=factory.actor(factory.user(workspace, Role.SENIOR_CSM, name="Sam")),
        stranger=factory.actor(factory.user(elsewhere, Role.VP_CLIENT_SUCCESS)),
        clients=clients,
        config=config,
        model=model,
    )


def test_vp_summary_of_the_whole_book(db_session: Session, book: Book) -> None:
    summary = portfolio_summary(db_session=db_session, actor=book.vp, as_of=AS_OF)
    assert (summary.total_clients, summary.scored_clients, summary.at_risk_count) == (5, 5, 4)
    assert summary.average_health == 46.0  # (40 + 30 + 55 + 85 + 20) / 5
    assert (summary.total_arr, summary.arr_at_risk, summary.arr_at_risk_share) == (670_000, 370_000, 55.2)
    assert [(row.status, row.clients, row.arr) for row in summary.distribution] == [
        (HEALTHY, 1, 300_000),
        (MONITOR, 0, 0),
        (AT_RISK, 2, 320_000),
        (CRITICAL, 2, 50_000),
        (None, 0, 0),
    ]
    # 30 days ago: (54 + 32 + 60 + 96) / 4 clients that had a score; only Beta was at risk.
    assert (summary.previous_day, summary.previous_average_health, summary.average_health_change) == (THEN, 60.5, -14.5)
    assert (summary.previous_at_risk_count, summary.at_risk_change) == (1, 3)
    assert sorted(summary.client_ids) == sorted(book.ids("Acme", "Beta", "Gamma", "Delta", "Echo"))
    assert len(summary.snapshot_ids) == 9


def test_summary_breakdowns(db_session: Session, book: Book) -> None:
    summary = portfolio_summary(db_session=db_session, actor=book.vp, as_of=AS_OF)
    by_csm = [
        (row.label, row.clients, row.arr, row.average_health, row.at_risk, row.arr_at_risk) for row in summary.by_csm
    ]
    assert by_csm == [
        ("Ben", 2, 500_000, 70.0, 1, 200_000),
        ("Ann", 2, 170_000, 35.0, 2, 170_000),
        ("Unassigned", 1, 0, 20.0, 1, 0),
    ]
    assert [(row.key, row.label, row.clients, row.arr) for row in summary.by_tier] == [
        ("ENTERPRISE", "Enterprise", 2, 320_000),
        ("PROFESSIONAL", "Professional", 2, 300_000),
        ("STARTER", "Starter", 1, 50_000),
    ]
    assert [(row.label, row.clients, row.average_health) for row in summary.by_industry] == [
        ("Retail", 3, 45.0),
        ("Manufacturing", 2, 47.5),
    ]
    assert [(row.label, row.clients) for row in summary.by_region] == [("NA", 2), ("EMEA", 1), ("Unknown", 2)]


def test_csm_summary_is_their_own_book_and_vp_can_filter_to_it(db_session: Session, book: Book) -> None:
    mine = portfolio_summary(db_session=db_session, actor=book.actor(book.ann), as_of=AS_OF)
    assert (mine.total_clients, mine.average_health, mine.at_risk_count, mine.arr_at_risk_share) == (2, 35.0, 2, 100.0)
    filtered = portfolio_summary(db_session=db_session, actor=book.vp, as_of=AS_OF, csm_user_id=book.ann.id)
    assert filtered.model_dump(exclude={"csm_user_id"}) == mine.model_dump(exclude={"csm_user_id"})
    assert (
        portfolio_summary(db_session=db_session, actor=book.senior, as_of=AS_OF, csm_user_id=book.ben.id).total_clients
        == 2
    )
    with pytest.raises(AccessDeniedError):
        portfolio_summary(db_session=db_session, actor=book.actor(book.ann), as_of=AS_OF, csm_user_id=book.ben.id)
    with pytest.raises(NotFoundError):
        portfolio_summary(db_session=db_session, actor=book.stranger, as_of=AS_OF, csm_user_id=book.ann.id)
    stranger = portfolio_summary(db_session=db_session, actor=book.stranger, as_of=AS_OF)
    assert (stranger.total_clients, stranger.at_risk_count) == (1, 1)


def test_summary_falls_back_to_client_columns_without_a_snapshot(
    db_session: Session, factory: Factory, book: Book
) -> None:
    factory.client(book.workspace, name="Fresh", current_health_score=70, health_status=MONITOR)
    summary = portfolio_summary(db_session=db_session, actor=book.vp, as_of=AS_OF)
    assert (summary.total_clients, summary.average_health) == (6, 50.0)  # (230 + 70) / 6
    assert summary.distribution[1].clients == 1
    # Before any snapshot existed, every client falls back to its columns.
    early = portfolio_summary(db_session=db_session, actor=book.vp, as_of=THEN - dt.timedelta(days=1))
    assert (early.average_health, early.at_risk_count, early.previous_average_health) == (
        94.2,
        0,
        None,
    )  # (5 x 99 + 70) / 6


def test_at_risk_clients_most_urgent_first(db_session: Session, book: Book) -> None:
    listed = list_at_risk_clients(db_session=db_session, actor=book.vp, as_of=AS_OF)
    assert [(row.name, row.urgency) for row in listed.clients] == [
        ("Acme", 36.0),
        ("Beta", 35.0),
        ("Gamma", 6.5),
        ("Echo", 0.07),
    ]
    acme = listed.clients[0]
    assert (acme.health_score, acme.health_score_then, acme.drop, acme.churn_probability) == (40.0, 54.0, 14.0, 0.6)
    assert (acme.days_to_renewal, acme.csm_name, acme.risk, acme.health_status) == (60, "Ann", 0.6, AT_RISK)
    assert acme.prediction_id is not None
    assert acme.snapshot_id is not None
    assert (listed.total_matching, listed.client_ids) == (4, book.ids("Acme", "Beta", "Gamma", "Echo"))
    top = list_at_risk_clients(db_session=db_session, actor=book.vp, as_of=AS_OF, limit=1, statuses=[CRITICAL])
    assert ([row.name for row in top.clients], top.total_matching) == (["Beta"], 2)


def test_clients_whose_health_dropped_at_least_min_drop_whatever_their_status(db_session: Session, book: Book) -> None:
    dropped = list_at_risk_clients(db_session=db_session, actor=book.vp, as_of=AS_OF, min_drop=10)
    # Acme fell 14, Delta 11 (and is HEALTHY: urgency 0.15 x 300 x 30/365 = 3.70); Echo has no earlier score.
    assert [(row.name, row.drop, row.urgency) for row in dropped.clients] == [
        ("Acme", 14.0, 36.0),
        ("Delta", 11.0, 3.7),
    ]
    steep = list_at_risk_clients(db_session=db_session, actor=book.vp, as_of=AS_OF, min_drop=14)
    assert [row.name for row in steep.clients] == ["Acme"]
    with pytest.raises(ValidationError):
        list_at_risk_clients(db_session=db_session, actor=book.vp, as_of=AS_OF, min_drop=-1)


def test_at_risk_renewal_filter_and_scope(db_session: Session, book: Book) -> None:
    soon = list_at_risk_clients(db_session=db_session, actor=book.vp, as_of=AS_OF, renewal_within_days=60)
    assert [row.name for row in soon.clients] == ["Acme", "Beta"]
    ann = book.actor(book.ann)
    assert [row.name for row in list_at_risk_clients(db_session=db_session, actor=ann, as_of=AS_OF).clients] == [
        "Acme",
        "Beta",
    ]
    with pytest.raises(AccessDeniedError):
        list_at_risk_clients(db_session=db_session, actor=ann, as_of=AS_OF, csm_user_id=book.ben.id)
    ben_only = list_at_risk_clients(db_session=db_session, actor=book.vp, as_of=AS_OF, csm_user_id=book.ben.id)
    assert [row.name for row in ben_only.clients] == ["Gamma"]
    assert [
        row.name for row in list_at_risk_clients(db_session=db_session, actor=book.stranger, as_of=AS_OF).clients
    ] == ["Foreign"]


@pytest.fixture
def renewing(factory: Factory, book: Book) -> dict[int, Client]:
    """Clients of Ann renewing at these offsets from AS_OF (Acme and Beta also renew, at +60 and +15)."""
    made = {}
    for offset in (-1, 0, 30, 31, 61, 90, 91):
        made[offset] = factory.client(
            book.workspace, name=f"Renews {offset:+04d}", csm_user_id=book.ann.id,
            annual_recurring_revenue=Decimal(1000 * (offset + 2)),
            next_renewal_date=AS_OF + dt.timedelta(days=offset),
        )  # fmt: skip
    later_model = factory.churn_model(book.workspace)
    acme = book.clients["Acme"]
    factory.churn_prediction(acme, later_model, day=AS_OF + dt.timedelta(days=1), probability_90d=0.9)
    return made


def test_renewals_in_30_60_90_day_buckets(db_session: Session, book: Book, renewing: dict[int, Client]) -> None:
    listed = list_renewals(db_session=db_session, actor=book.vp, as_of=AS_OF)
    assert [(item.name, item.days_to_renewal, item.bucket) for item in listed.renewals] == [
        ("Renews +000", 0, "0-30"),
        ("Beta", 15, "0-30"),
        ("Renews +030", 30, "0-30"),
        ("Renews +031", 31, "31-60"),
        ("Acme", 60, "31-60"),
        ("Renews +061", 61, "61-90"),
        ("Renews +090", 90, "61-90"),
    ]
    assert [(bucket.bucket, bucket.clients, bucket.arr, bucket.at_risk) for bucket in listed.buckets] == [
        ("0-30", 3, 2_000 + 50_000 + 32_000, 1),
        ("31-60", 2, 33_000 + 120_000, 1),
        ("61-90", 2, 63_000 + 92_000, 0),
    ]
    acme = listed.renewals[4]
    # The prediction dated after as_of is ignored: the one from two days before stands.
    assert (acme.churn_probability, acme.health_score, acme.health_status) == (0.6, 40.0, AT_RISK)
    assert (listed.total_arr, listed.arr_at_risk) == (
        2_000 + 50_000 + 32_000 + 33_000 + 120_000 + 63_000 + 92_000,
        170_000,
    )
    wider = list_renewals(db_session=db_session, actor=book.vp, as_of=AS_OF, within_days=91)
    assert [(bucket.bucket, bucket.clients) for bucket in wider.buckets][-1] == ("90+", 1)


def test_renewals_are_scoped(db_session: Session, book: Book, renewing: dict[int, Client]) -> None:
    ben = list_renewals(db_session=db_session, actor=book.actor(book.ben), as_of=AS_OF)
    assert ben.renewals == []
    assert [bucket.clients for bucket in ben.buckets] == [0, 0, 0]
    assert list_renewals(db_session=db_session, actor=book.stranger, as_of=AS_OF).renewals == []
    with pytest.raises(ValidationError):
        list_renewals(db_session=db_session, actor=book.vp, as_of=AS_OF, within_days=-1)


def _activity(factory: Factory, book: Book, performer: User, client: str, at: dt.datetime, **extra: object) -> Activity:
    return factory.activity(book.clients[client], performer, occurred_at=at, **extra)


def test_csm_performance_for_a_vp(db_session: Session, factory: Factory, book: Book) -> None:
    def day(offset: int, hour: int = 10, minute: int = 0) -> dt.datetime:
        return dt.datetime.combine(AS_OF + dt.timedelta(days=offset), dt.time(hour, minute), tzinfo=dt.UTC)

    _activity(factory, book, book.ann, "Acme", day(-1))
    _activity(factory, book, book.ann, "Acme", day(-10), activity_type=ActivityType.QBR)
    _activity(factory, book, book.ann, "Beta", day(-30, 0), activity_type=ActivityType.QBR)  # first day of 31
    _activity(factory, book, book.ann, "Beta", day(-31, 23, 59))  # the day before the period
    _activity(factory, book, book.ben, "Gamma", day(-3), activity_type=ActivityType.MEETING)
    _activity(factory, book, book.ben, "Gamma", day(1))  # after as_of
    _activity(factory, book, book.ann, "Acme", day(-40), follow_up_date=AS_OF - dt.timedelta(days=1))
    _activity(factory, book, book.ann, "Acme", day(-40), follow_up_date=AS_OF)
    done = {"follow_up_completed": True, "follow_up_completed_at": day(-6)}
    _activity(factory, book, book.ann, "Acme", day(-40), follow_up_date=AS_OF - dt.timedelta(days=5), **done)

    report = csm_performance(db_session=db_session, actor=book.vp, as_of=AS_OF, days=31)
    assert report.period_start == THEN
    cards = {card.csm_name: card for card in report.csms}
    assert list(cards) == ["Ann", "Ben", "Cat", "Sam", "Unassigned"]  # CSMs and senior CSMs, by name
    ann, ben, cat = cards["Ann"], cards["Ben"], cards["Cat"]
    assert (ann.clients, ann.arr, ann.average_health, ann.average_health_then, ann.average_health_change) == (
        2, 170_000, 35.0, 43.0, -8.0,
    )  # fmt: skip
    assert (ann.at_risk_count, ann.activities, ann.qbrs, ann.follow_ups_overdue) == (2, 3, 2, 1)
    assert ann.activities_by_type == {ActivityType.CALL: 1, ActivityType.QBR: 2}
    assert ann.last_activity_at == day(-1)
    assert (ben.clients, ben.average_health, ben.average_health_then, ben.activities, ben.qbrs) == (2, 70.0, 78.0, 1, 0)
    assert ben.last_activity_at == day(-3)
    assert (cat.clients, cat.activities, cat.average_health, cat.last_activity_at) == (0, 0, None, None)
    assert (cards["Unassigned"].clients, cards["Unassigned"].at_risk_count) == (1, 1)


def test_csm_performance_is_refused_to_csms(db_session: Session, book: Book) -> None:
    for actor in (book.actor(book.ann), book.senior):
        with pytest.raises(AccessDeniedError):
            csm_performance(db_session=db_session, actor=actor, as_of=AS_OF)
    report = csm_performance(db_session=db_session, actor=book.stranger, as_of=AS_OF)
    assert [card.csm_name for card in report.csms] == ["Unassigned"]
