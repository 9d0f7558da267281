"""The demo tenant: deterministic, complete, telling its stories, and removable."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from domain.activities.models import Activity, Note
from domain.adoption.models import Feature, FeatureAdoption
from domain.billing.models import Invoice
from domain.clients.models import Client, Contact
from domain.db import UTCDateTime, make_engine
from domain.demo import DEMO_STAFF, PRIVATE_NOTE_MARKER, DemoSummary, event_sinks, generate_demo, reset_demo
from domain.enums import (
    ActivityOutcome,
    ActivityType,
    AdoptionStatus,
    DeliverableStatus,
    EventType,
    InvoiceStatus,
    LifecycleStatus,
    PaymentStatus,
    Role,
    SurveyKind,
)
from domain.errors import ConflictError, ValidationError
from domain.migrate import upgrade
from domain.models import Base
from domain.operations.models import Deliverable, Payment, Proposal
from domain.staff.models import User
from domain.success.models import OutcomeEntry, ResultTarget
from domain.support.models import SupportTicket, SurveyResponse
from domain.usage.models import EngagementEvent, UsageRollup

AS_OF = dt.date(2026, 11, 22)
END_OF_AS_OF = dt.datetime(2026, 11, 22, 23, 59, 59, tzinfo=dt.UTC)


def days_ago(days: int) -> dt.date:
    return AS_OF - dt.timedelta(days=days)


def client_named(session: Session, name: str) -> Client:
    client = session.scalar(select(Client).where(Client.name == name))
    assert client is not None, name
    return client


def event_count(session: Session, client: Client, *criteria: Any) -> int:
    query = select(func.count()).select_from(EngagementEvent).where(EngagementEvent.client_id == client.id)
    return session.scalar(query.where(*criteria)) or 0


def table_rows(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows as sorted tuples, for comparing two databases."""
    with engine.connect() as connection:
        return {
            table.name: sorted((tuple(row) for row in connection.execute(select(table))), key=repr)
            for table in Base.metadata.sorted_tables
        }


def _demo_file(directory: Path, seed: int) -> Engine:
    """A fresh, migrated SQLite file holding a committed 12-client demo."""
    engine = make_engine(f"sqlite:///{directory / 'demo.db'}")
    upgrade(engine)
    with Session(engine) as session:
        generate_demo(db_session=session, as_of=AS_OF, seed=seed, clients=12)
        session.commit()
    return engine


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Engine]]:
    """Seed 7 twice, seed 8 once, and seed 7 written through the portable Core event path."""
    engines = {name: _demo_file(tmp_path_factory.mktemp(name), seed) for name, seed in
               (("first", 7), ("second", 7), ("other_seed", 8))}  # fmt: skip
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(event_sinks, "_sqlite_rendering_matches", lambda _dialect: False)
        engines["core_path"] = _demo_file(tmp_path_factory.mktemp("core_path"), 7)
    yield engines
    for engine in engines.values():
        engine.dispose()


@pytest.fixture(scope="module")
def story_session(demo_files: dict[str, Engine]) -> Iterator[Session]:
    """A read-only session on the seed-7 demo, shared by the story checks."""
    with Session(demo_files["first"]) as session:
        yield session


def test_same_seed_and_as_of_give_identical_rows(demo_files: dict[str, Engine]) -> None:
    first = table_rows(demo_files["first"])
    for other in ("second", "core_path"):  # the lean SQLite event path stores what SQLAlchemy would
        rows = table_rows(demo_files[other])
        assert rows.keys() == first.keys()
        for table in first:
            assert rows[table] == first[table], (other, table)


def test_another_seed_gives_other_rows(demo_files: dict[str, Engine]) -> None:
    first, other = table_rows(demo_files["first"]), table_rows(demo_files["other_seed"])
    for table in ("clients", "contacts", "engagement_events", "support_tickets", "activities"):
        assert first[table] != other[table], table


def test_demo_staff_are_the_documented_logins() -> None:
    assert {(staff.email, staff.name, staff.role) for staff in DEMO_STAFF} == {
        ("vp@demo.csagent.dev", "Victoria Park", Role.VP_CLIENT_SUCCESS),
        ("senior@demo.csagent.dev", "Sam Rivera", Role.SENIOR_CSM),
        ("jane@demo.csagent.dev", "Jane Doe", Role.CSM),
        ("john@demo.csagent.dev", "John Smith", Role.CSM),
        ("priya@demo.csagent.dev", "Priya Patel", Role.CSM),
        ("marcus@demo.csagent.dev", "Marcus Lee", Role.CSM),
        ("ae@demo.csagent.dev", "Alex Turner", Role.AE),
        ("consultant@demo.csagent.dev", "Chris Morgan", Role.CONSULTANT),
        ("sales@demo.csagent.dev", "Dana Brooks", Role.VP_SALES),
        ("admin@demo.csagent.dev", "Ada Admin", Role.ADMIN),
    }
    assert len({staff.slack_user_id for staff in DEMO_STAFF}) == len(DEMO_STAFF)


def test_default_demo_has_staff_portfolio_and_a_full_history(db_session: Session) -> None:
    progress: list[tuple[str, int, int]] = []
    summary = generate_demo(db_session=db_session, as_of=AS_OF, progress=lambda *call: progress.append(call))
    assert summary.clients == 60
    emails = set(db_session.scalars(select(User.email).where(User.workspace_id == summary.workspace_id)))
    assert emails == {staff.email for staff in DEMO_STAFF}
    owners = db_session.scalars(
        select(User.email).join(Client, Client.csm_user_id == User.id).where(User.role == Role.CSM).distinct()
    ).all()
    assert len(owners) >= 4
    assert (db_session.scalar(select(func.count()).where(Client.ae_user_id.is_not(None))) or 0) > 40
    assert {("events", 60, 60), ("accounts", 60, 60)} <= set(progress)
    assert [call for call in progress if call[0] == "events"][:2] == [("events", 1, 60), ("events", 2, 60)]
    _assert_counts_match(db_session, summary)
    _assert_nothing_happens_after_as_of(db_session)


def _assert_counts_match(session: Session, summary: DemoSummary) -> None:
    def count(model: type[Base]) -> int:
        return session.scalar(select(func.count()).select_from(model)) or 0

    assert summary.events == count(EngagementEvent) > 60 * 180 * 5
    assert summary.rollups == count(UsageRollup) > 0
    assert (summary.contacts, summary.tickets, summary.invoices) == (
        count(Contact),
        count(SupportTicket),
        count(Invoice),
    )
    assert (summary.surveys, summary.notes, summary.activities) == (count(SurveyResponse), count(Note), count(Activity))
    assert (summary.proposals, summary.payments, summary.deliverables) == (3, count(Payment), count(Deliverable))
    assert count(FeatureAdoption) == 60 * count(Feature) == 600
    assert set(session.scalars(select(Activity.activity_type).distinct())) == set(ActivityType)
    assert set(session.scalars(select(Activity.outcome).distinct())) == set(ActivityOutcome)
    first, last = session.execute(
        select(func.min(EngagementEvent.occurred_on), func.max(EngagementEvent.occurred_on))
    ).one()
    assert (first, last) == (days_ago(179), AS_OF)


def _assert_nothing_happens_after_as_of(session: Session) -> None:
    """Only dates may lie ahead (renewals, due dates); every recorded moment is at or before as_of."""
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, UTCDateTime):
                latest = session.scalar(select(func.max(column)))
                assert latest is None or latest <= END_OF_AS_OF, f"{table.name}.{column.name}"


def test_acme_champion_inactive_and_usage_down(story_session: Session) -> None:
    acme = client_named(story_session, "Acme Corp")
    sarah = story_session.scalar(select(Contact).where(Contact.client_id == acme.id, Contact.name == "Sarah Chen"))
    assert sarah is not None
    assert sarah.platform_user_ref is not None
    last_event = story_session.scalar(
        select(func.max(EngagementEvent.occurred_at)).where(EngagementEvent.user_ref == sarah.platform_user_ref)
    )
    assert last_event is not None
    assert last_event.date() <= days_ago(21)
    last_login = story_session.scalar(
        select(func.max(EngagementEvent.occurred_at)).where(
            EngagementEvent.user_ref == sarah.platform_user_ref, EngagementEvent.event_type == EventType.LOGIN
        )
    )
    assert sarah.last_platform_login == last_login
    assert acme.last_csm_contact_at is not None
    assert acme.last_csm_contact_at.date() == days_ago(45)
    assert acme.next_renewal_date == AS_OF + dt.timedelta(days=75)
    assert acme.current_health_score is None
    assert acme.health_status is None
    recent = _average_dau(story_session, acme, days_ago(29), AS_OF)
    before = _average_dau(story_session, acme, days_ago(119), days_ago(30))
    assert 0.45 < recent / before < 0.75


def _average_dau(session: Session, client: Client, start: dt.date, end: dt.date) -> float:
    average = session.scalar(
        select(func.avg(UsageRollup.daily_active_users)).where(
            UsageRollup.client_id == client.id, UsageRollup.day.between(start, end)
        )
    )
    return float(average or 0)


def test_support_spike_overdue_invoice_and_abandoned_feature(story_session: Session) -> None:
    beta = client_named(story_session, "Beta Industries")
    tickets = select(func.count()).where(SupportTicket.client_id == beta.id)
    assert (story_session.scalar(tickets.where(SupportTicket.opened_at >= _midnight(days_ago(29)))) or 0) >= 6
    assert (story_session.scalar(tickets.where(SupportTicket.opened_at < _midnight(days_ago(29)))) or 0) <= 12
    investigations = EngagementEvent.feature_key == "investigation_workflow"
    assert event_count(story_session, beta, investigations, EngagementEvent.occurred_on > days_ago(40)) == 0
    assert event_count(story_session, beta, investigations, EngagementEvent.occurred_on <= days_ago(40)) > 10

    delta = client_named(story_session, "Delta Inc")
    overdue = story_session.scalars(
        select(Invoice).where(Invoice.client_id == delta.id, Invoice.status == InvoiceStatus.OVERDUE)
    )
    assert [(invoice.due_date, invoice.paid_on) for invoice in overdue] == [(days_ago(20), None)]

    epsilon = client_named(story_session, "Epsilon Health")
    assert epsilon.csm_user_id == _user_id(story_session, "priya@demo.csagent.dev")
    chatbot = EngagementEvent.feature_key == "chatbot_conversations"
    assert event_count(story_session, epsilon, chatbot, EngagementEvent.occurred_on >= days_ago(29)) == 0
    assert event_count(story_session, epsilon, chatbot, EngagementEvent.occurred_on < days_ago(29)) > 50
    adoption = story_session.scalar(
        select(FeatureAdoption.adoption_status)
        .join(Feature, Feature.id == FeatureAdoption.feature_id)
        .where(FeatureAdoption.client_id == epsilon.id, Feature.key == "chatbot_conversations")
    )
    assert adoption is AdoptionStatus.NOT_USED


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def _user_id(session: Session, email: str) -> int:
    user_id = session.scalar(select(User.id).where(User.email == email))
    assert user_id is not None
    return user_id


def test_gamma_is_ready_to_expand(story_session: Session) -> None:
    gamma = client_named(story_session, "Gamma LLC")
    assert gamma.csm_user_id == _user_id(story_session, "john@demo.csagent.dev")
    active_users = story_session.scalar(
        select(func.count(EngagementEvent.user_ref.distinct())).where(
            EngagementEvent.client_id == gamma.id, EngagementEvent.occurred_on >= days_ago(29)
        )
    )
    assert gamma.licensed_user_count is not None
    assert active_users is not None
    assert active_users >= 0.85 * gamma.licensed_user_count
    explored = story_session.scalars(
        select(Feature.module)
        .join(FeatureAdoption, FeatureAdoption.feature_id == Feature.id)
        .where(FeatureAdoption.client_id == gamma.id, FeatureAdoption.adoption_status == AdoptionStatus.NOT_LICENSED)
        .where(FeatureAdoption.usage_30_days > 0)
    ).all()
    assert len(set(explored)) >= 2
    latest_nps = story_session.scalar(
        select(SurveyResponse.score)
        .where(SurveyResponse.client_id == gamma.id, SurveyResponse.kind == SurveyKind.NPS)
        .order_by(SurveyResponse.responded_at.desc())
    )
    assert latest_nps is not None
    assert latest_nps >= 9


def test_consultant_owns_three_engagements_with_outcomes(story_session: Session) -> None:
    consultant = _user_id(story_session, "consultant@demo.csagent.dev")
    owned = story_session.execute(
        select(Client.name, Client.lifecycle_status)
        .join(Proposal, Proposal.client_id == Client.id)
        .where(Proposal.consultant_id == consultant)
    ).all()
    assert sorted(owned) == [
        ("BusinessPoint Law", LifecycleStatus.SHIPPED),
        ("Northwind Logistics", LifecycleStatus.BUILDING),
        ("Riverside Dental Group", LifecycleStatus.APPROVED),
    ]
    deliverables = story_session.scalars(select(Deliverable)).all()
    blocked = [d for d in deliverables if d.status is DeliverableStatus.BLOCKED]
    assert len(blocked) == 1
    assert blocked[0].notes
    assert any(d.status is DeliverableStatus.PENDING and d.due_date and d.due_date < AS_OF for d in deliverables)
    assert all(d.completed_at for d in deliverables if d.status is DeliverableStatus.COMPLETED)
    payments = story_session.scalars(select(Payment)).all()
    assert [p.status for p in payments].count(PaymentStatus.OVERDUE) == 1
    assert all(p.paid_at and p.transaction_id for p in payments if p.status is PaymentStatus.PAID)
    _assert_outcomes_move_toward_target(story_session, client_named(story_session, "Northwind Logistics"))


def _assert_outcomes_move_toward_target(session: Session, client: Client) -> None:
    target = session.scalar(select(ResultTarget).where(ResultTarget.client_id == client.id))
    assert target is not None
    assert target.unit == "hours/week"
    entries = session.scalars(
        select(OutcomeEntry).where(OutcomeEntry.client_id == client.id).order_by(OutcomeEntry.week_start)
    ).all()
    assert 4 <= len(entries) <= 8
    assert {(entry.metric, entry.unit) for entry in entries} == {(target.metric, target.unit)}
    values = [entry.value for entry in entries]
    assert values == sorted(values, reverse=True)
    assert target.target_value < values[-1] < target.current_value


def test_private_notes_carry_the_marker(story_session: Session) -> None:
    private = story_session.scalars(select(Note.content).where(Note.is_private.is_(True))).all()
    assert private
    assert all(PRIVATE_NOTE_MARKER in content for content in private)
    shared = story_session.scalars(select(Note.content).where(Note.is_private.is_(False))).all()
    assert not any(PRIVATE_NOTE_MARKER in content for content in shared)


def test_generate_refuses_a_second_demo(db_session: Session) -> None:
    generate_demo(db_session=db_session, as_of=AS_OF, clients=10)
    with pytest.raises(ConflictError, match=r"csagent demo --reset"):
        generate_demo(db_session=db_session, as_of=AS_OF, clients=10)


def test_too_few_clients_for_the_stories_is_refused(db_session: Session) -> None:
    with pytest.raises(ValidationError, match="at least 10"):
        generate_demo(db_session=db_session, as_of=AS_OF, clients=9)
    assert reset_demo(db_session=db_session) is False  # nothing was written


def test_reset_removes_everything_and_generate_works_again(db_session: Session) -> None:
    before = _row_counts(db_session)
    generate_demo(db_session=db_session, as_of=AS_OF, clients=10)
    assert reset_demo(db_session=db_session) is True
    assert _row_counts(db_session) == before
    assert reset_demo(db_session=db_session) is False
    assert generate_demo(db_session=db_session, as_of=AS_OF, clients=10).clients == 10


def _row_counts(session: Session) -> dict[str, int]:
    return {
        table.name: session.scalar(select(func.count()).select_from(table)) or 0
        for table in Base.metadata.sorted_tables
    }
