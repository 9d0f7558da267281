"""Column types: enums are checked in the database too, and datetimes are always timezone-aware UTC."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Enum as SAEnum
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session

from domain.clients.models import Client
from domain.enums import DeliverableStatus, EventType, HealthStatus
from domain.models import Base
from domain.staff.models import Workspace
from domain.usage.models import EngagementEvent
from tests.factories import Factory

NAIVE = dt.datetime(2025, 3, 1, 12, 0)
PLUS_TWO = dt.timezone(dt.timedelta(hours=2))
MINUS_FIVE = dt.timezone(dt.timedelta(hours=-5))


@pytest.fixture
def workspace(factory: Factory) -> Workspace:
    return factory.workspace()


def enum_columns() -> list[tuple[str, str, str]]:
    """(table, column, enum type name) for every enum column the models declare."""
    return [
        (table.name, column.name, column.type.name or "")
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, SAEnum)
    ]


def test_the_models_declare_enum_columns() -> None:
    assert ("clients", "contract_tier", "contracttier") in enum_columns()
    assert len(enum_columns()) >= 30


def test_every_enum_column_has_a_check_in_the_migrated_schema(db_session: Session) -> None:
    inspector = inspect(db_session.connection())
    missing = [
        (table, column)
        for table, column, type_name in enum_columns()
        if f"ck_{table}_{type_name}" not in {check["name"] for check in inspector.get_check_constraints(table)}
    ]
    assert missing == []


@pytest.mark.parametrize(
    ("table", "column", "value", "constraint"),
    [
        ("clients", "contract_tier", "PLATINUM", "ck_clients_contracttier"),
        ("clients", "health_status", "GREAT", "ck_clients_healthstatus"),
        ("clients", "lifecycle_status", "active", "ck_clients_lifecyclestatus"),
        ("users", "role", "CEO", "ck_users_role"),
        ("alerts", "status", "OPEN", "ck_alerts_alertstatus"),
        ("deliverables", "status", "IN_PROGRESS", "ck_deliverables_deliverablestatus"),
        ("engagement_events", "event_type", "LOGIN", "ck_engagement_events_eventtype"),
    ],
)
def test_database_rejects_unknown_enum_values(
    db_session: Session, factory: Factory, workspace: Workspace, table: str, column: str, value: str, constraint: str
) -> None:
    user = factory.user(workspace)
    client = factory.client(workspace)
    rows = {
        "clients": client.id,
        "users": user.id,
        "alerts": factory.alert(client).id,
        "deliverables": factory.deliverable(factory.contact(client)).id,
        "engagement_events": factory.engagement_event(client).id,
    }
    statement = text(f"UPDATE {table} SET {column} = :value WHERE id = :id")
    with pytest.raises(IntegrityError, match=constraint), db_session.begin_nested():
        db_session.execute(statement, {"value": value, "id": rows[table]})


def test_orm_rejects_an_unknown_enum_string_before_the_database(
    db_session: Session, factory: Factory, workspace: Workspace
) -> None:
    with pytest.raises(StatementError, match="PLATINUM"), db_session.begin_nested():
        factory.client(workspace, contract_tier="PLATINUM")


def test_enums_are_stored_as_their_values(db_session: Session, factory: Factory, workspace: Workspace) -> None:
    client = factory.client(workspace, health_status=HealthStatus.AT_RISK)
    deliverable = factory.deliverable(factory.contact(client), status=DeliverableStatus.IN_PROGRESS)
    event = factory.engagement_event(client, event_type=EventType.FEATURE_USE)
    raw = db_session.execute(
        text(
            "SELECT c.health_status, d.status, e.event_type FROM clients c, deliverables d, engagement_events e"
            " WHERE c.id = :c AND d.id = :d AND e.id = :e"
        ),
        {"c": client.id, "d": deliverable.id, "e": event.id},
    ).one()
    assert tuple(raw) == ("AT_RISK", "in-progress", "feature_use")


@pytest.mark.parametrize(
    "field",
    ["last_activity_at", "last_csm_contact_at", "last_crm_sync_at"],
)
def test_naive_datetimes_are_rejected(db_session: Session, factory: Factory, workspace: Workspace, field: str) -> None:
    with pytest.raises(StatementError, match="naive datetime"), db_session.begin_nested():
        factory.client(workspace, **{field: NAIVE})


def test_naive_datetimes_are_rejected_in_queries_too(db_session: Session) -> None:
    with pytest.raises(StatementError, match="naive datetime"):
        db_session.scalars(select(Client).where(Client.last_activity_at > NAIVE)).all()


def test_naive_event_time_is_rejected(db_session: Session, factory: Factory, workspace: Workspace) -> None:
    client = factory.client(workspace)
    with pytest.raises(StatementError, match="naive datetime"), db_session.begin_nested():
        factory.engagement_event(client, occurred_at=NAIVE)


@pytest.mark.parametrize(
    ("stored", "expected_utc"),
    [
        (dt.datetime(2025, 3, 1, 14, 30, tzinfo=PLUS_TWO), dt.datetime(2025, 3, 1, 12, 30, tzinfo=dt.UTC)),
        (dt.datetime(2025, 3, 1, 21, 15, tzinfo=MINUS_FIVE), dt.datetime(2025, 3, 2, 2, 15, tzinfo=dt.UTC)),
        (
            dt.datetime(2025, 3, 1, 0, 0, 0, 123456, tzinfo=dt.UTC),
            dt.datetime(2025, 3, 1, 0, 0, 0, 123456, tzinfo=dt.UTC),
        ),
    ],
    ids=["plus-two", "minus-five-crosses-midnight", "utc-with-microseconds"],
)
def test_aware_datetimes_round_trip_as_utc(
    db_session: Session, factory: Factory, workspace: Workspace, stored: dt.datetime, expected_utc: dt.datetime
) -> None:
    client_id = factory.client(workspace, last_activity_at=stored).id
    db_session.expire_all()

    loaded = db_session.scalar(select(Client.last_activity_at).where(Client.id == client_id))

    assert loaded == expected_utc
    assert loaded is not None
    assert loaded.tzinfo == dt.UTC
    assert db_session.scalar(select(Client.id).where(Client.last_activity_at == expected_utc)) == client_id


def test_instants_from_different_offsets_compare_in_utc(
    db_session: Session, factory: Factory, workspace: Workspace
) -> None:
    client = factory.client(workspace)
    # 21:30 in New York is 02:30 UTC, after 01:00 UTC; comparing stored wall clocks would put it first.
    late_in_new_york = factory.engagement_event(client, occurred_at=dt.datetime(2025, 3, 1, 21, 30, tzinfo=MINUS_FIVE))
    early_utc = factory.engagement_event(client, occurred_at=dt.datetime(2025, 3, 2, 1, 0, tzinfo=dt.UTC))
    ordered = db_session.scalars(
        select(EngagementEvent.id).where(EngagementEvent.client_id == client.id).order_by(EngagementEvent.occurred_at)
    ).all()
    assert ordered == [early_utc.id, late_in_new_york.id]
    after_midnight = dt.datetime(2025, 3, 2, 0, 0, tzinfo=dt.UTC)
    later = db_session.scalars(
        select(EngagementEvent.id).where(
            EngagementEvent.client_id == client.id, EngagementEvent.occurred_at > after_midnight
        )
    ).all()
    assert sorted(later) == sorted([early_utc.id, late_in_new_york.id])
