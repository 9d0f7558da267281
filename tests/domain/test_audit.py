"""Audit rows ride in the caller's transaction; idempotency keys return an earlier write's result."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain.audit import AuditLog, IdempotencyKey, find_idempotent_result, record_audit, remember_idempotent_result
from domain.clients.models import Client
from domain.staff.models import User, Workspace
from tests.factories import Factory

KEY = "slack:T01:1700000000.000100"


@pytest.fixture
def workspace(factory: Factory) -> Workspace:
    return factory.workspace()


@pytest.fixture
def user(factory: Factory, workspace: Workspace) -> User:
    return factory.user(workspace)


def audit_rows(session: Session, workspace: Workspace) -> list[AuditLog]:
    return list(session.scalars(select(AuditLog).where(AuditLog.workspace_id == workspace.id).order_by(AuditLog.id)))


def test_record_audit_adds_a_row_with_what_changed(db_session: Session, workspace: Workspace, user: User) -> None:
    before_call = dt.datetime.now(dt.UTC)
    row = record_audit(
        db_session,
        workspace_id=workspace.id,
        actor_user_id=user.id,
        action="update",
        entity_type="client",
        entity_id=42,
        before={"tier": "STARTER"},
        after={"tier": "ENTERPRISE", "tags": ["upsell"]},
        channel="slack",
    )
    db_session.flush()
    db_session.expire_all()

    [stored] = audit_rows(db_session, workspace)
    assert stored.id == row.id
    assert (stored.actor_user_id, stored.action, stored.entity_type) == (user.id, "update", "client")
    assert stored.entity_id == "42"
    assert stored.before == {"tier": "STARTER"}
    assert stored.after == {"tier": "ENTERPRISE", "tags": ["upsell"]}
    assert stored.channel == "slack"
    assert stored.at.tzinfo == dt.UTC
    assert before_call - dt.timedelta(seconds=1) <= stored.at <= dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1)


def test_record_audit_accepts_string_ids_and_no_actor(db_session: Session, workspace: Workspace) -> None:
    record_audit(
        db_session,
        workspace_id=workspace.id,
        actor_user_id=None,
        action="recompute",
        entity_type="job",
        entity_id="nightly",
    )
    db_session.flush()
    [stored] = audit_rows(db_session, workspace)
    assert (stored.actor_user_id, stored.entity_id, stored.before, stored.after) == (None, "nightly", None, None)


def test_record_audit_does_not_flush_or_commit_on_its_own(
    db_session: Session, workspace: Workspace, user: User
) -> None:
    row = record_audit(
        db_session, workspace_id=workspace.id, actor_user_id=user.id, action="create", entity_type="note", entity_id=1
    )
    assert row in db_session.new
    assert row.id is None


class WriteFailedError(Exception):
    """Stands for any error a service hits after it has written and audited."""


def create_client_then_fail(factory: Factory, workspace: Workspace, user: User) -> None:
    client = factory.client(workspace, name="Acme")
    record_audit(
        factory.session,
        workspace_id=workspace.id,
        actor_user_id=user.id,
        action="create",
        entity_type="client",
        entity_id=client.id,
        after={"name": "Acme"},
    )
    factory.session.flush()
    raise WriteFailedError


def test_audit_row_rolls_back_with_the_write_it_describes(
    db_session: Session, factory: Factory, workspace: Workspace, user: User
) -> None:
    with pytest.raises(WriteFailedError), db_session.begin_nested():
        create_client_then_fail(factory, workspace, user)

    assert audit_rows(db_session, workspace) == []
    assert db_session.scalar(select(func.count()).select_from(Client).where(Client.workspace_id == workspace.id)) == 0


def test_audit_row_commits_with_the_write_it_describes(
    db_session: Session, factory: Factory, workspace: Workspace, user: User
) -> None:
    with db_session.begin_nested():
        client = factory.client(workspace, name="Acme")
        record_audit(
            db_session,
            workspace_id=workspace.id,
            actor_user_id=user.id,
            action="create",
            entity_type="client",
            entity_id=client.id,
        )
    assert [row.entity_id for row in audit_rows(db_session, workspace)] == [str(client.id)]


def test_audit_history_outlives_its_actor(db_session: Session, workspace: Workspace, factory: Factory) -> None:
    leaver = factory.user(workspace)
    record_audit(
        db_session, workspace_id=workspace.id, actor_user_id=leaver.id, action="delete", entity_type="note", entity_id=7
    )
    db_session.flush()
    db_session.execute(delete(User).where(User.id == leaver.id))
    db_session.expire_all()
    [stored] = audit_rows(db_session, workspace)
    assert (stored.actor_user_id, stored.action, stored.entity_id) == (None, "delete", "7")


def test_unknown_idempotency_key_has_no_result(db_session: Session, workspace: Workspace) -> None:
    assert find_idempotent_result(db_session, workspace_id=workspace.id, key=KEY) is None


def test_remembered_result_is_found_again(db_session: Session, workspace: Workspace) -> None:
    result = {"activity_id": 17, "client": "Acme", "logged": True}
    remember_idempotent_result(db_session, workspace_id=workspace.id, key=KEY, operation="log_activity", result=result)
    db_session.flush()
    db_session.expire_all()

    assert find_idempotent_result(db_session, workspace_id=workspace.id, key=KEY) == result
    assert find_idempotent_result(db_session, workspace_id=workspace.id, key=KEY + "-other") is None
    stored = db_session.scalar(select(IdempotencyKey).where(IdempotencyKey.key == KEY))
    assert stored is not None
    assert (stored.workspace_id, stored.operation) == (workspace.id, "log_activity")


def test_a_pending_result_is_visible_before_an_explicit_flush(db_session: Session, workspace: Workspace) -> None:
    remember_idempotent_result(db_session, workspace_id=workspace.id, key=KEY, operation="op", result={"ok": 1})
    assert find_idempotent_result(db_session, workspace_id=workspace.id, key=KEY) == {"ok": 1}


def test_an_empty_result_is_still_a_remembered_write(db_session: Session, workspace: Workspace) -> None:
    remember_idempotent_result(db_session, workspace_id=workspace.id, key=KEY, operation="snooze_alert", result={})
    assert find_idempotent_result(db_session, workspace_id=workspace.id, key=KEY) == {}


def test_idempotency_keys_are_scoped_by_workspace(db_session: Session, factory: Factory, workspace: Workspace) -> None:
    other = factory.workspace()
    remember_idempotent_result(db_session, workspace_id=workspace.id, key=KEY, operation="op", result={"tenant": "a"})
    assert find_idempotent_result(db_session, workspace_id=other.id, key=KEY) is None
    remember_idempotent_result(db_session, workspace_id=other.id, key=KEY, operation="op", result={"tenant": "b"})
    assert find_idempotent_result(db_session, workspace_id=workspace.id, key=KEY) == {"tenant": "a"}
    assert find_idempotent_result(db_session, workspace_id=other.id, key=KEY) == {"tenant": "b"}


def remember_and_flush(session: Session, workspace: Workspace, result: dict[str, int]) -> None:
    remember_idempotent_result(session, workspace_id=workspace.id, key=KEY, operation="op", result=result)
    session.flush()


def test_remembering_the_same_key_twice_is_refused(db_session: Session, workspace: Workspace) -> None:
    remember_and_flush(db_session, workspace, {"n": 1})
    with pytest.raises(IntegrityError), db_session.begin_nested():
        remember_and_flush(db_session, workspace, {"n": 2})
    assert find_idempotent_result(db_session, workspace_id=workspace.id, key=KEY) == {"n": 1}


def test_remembered_result_rolls_back_with_the_write(db_session: Session, workspace: Workspace) -> None:
    savepoint = db_session.begin_nested()
    remember_idempotent_result(db_session, workspace_id=workspace.id, key=KEY, operation="op", result={"n": 1})
    db_session.flush()
    savepoint.rollback()
    assert find_idempotent_result(db_session, workspace_id=workspace.id, key=KEY) is None
