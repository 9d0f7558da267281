"""Client notes: private ones exist for their author only; authors (or admins, for shared notes) change them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.access import Actor
from domain.activities.models import Note
from domain.activities.notes import add_note, delete_note, list_notes, update_note
from domain.activities.schemas import NoteChanges
from domain.audit import AuditLog
from domain.clients.models import Client
from domain.enums import NoteType, Role
from domain.errors import AccessDeniedError, NotFoundError, ValidationError
from tests.factories import Factory

NOW = dt.datetime(2025, 6, 16, 15, 0, tzinfo=dt.UTC)


@dataclass
class Desk:
    csm: Actor
    vp: Actor
    admin: Actor
    other_csm: Actor
    stranger: Actor
    client: Client


@pytest.fixture
def desk(factory: Factory) -> Desk:
    workspace, elsewhere = factory.workspace(), factory.workspace()
    csm = factory.user(workspace, Role.CSM, name="Dana Scully")
    return Desk(
        csm=factory.actor(csm),
        vp=factory.actor(factory.user(workspace, Role.VP_CLIENT_SUCCESS)),
        admin=factory.actor(factory.user(workspace, Role.ADMIN)),
        other_csm=factory.actor(factory.user(workspace, Role.CSM)),
        stranger=factory.actor(factory.user(elsewhere, Role.ADMIN)),
        client=factory.client(workspace, name="Acme", csm_user_id=csm.id),
    )


def note(
    session: Session,
    actor: Actor,
    client: Client,
    content: str,
    *,
    title: str | None = None,
    is_private: bool = False,
    idempotency_key: str | None = None,
) -> int:
    view = add_note(
        db_session=session, actor=actor, client_id=client.id, content=content, now=NOW,
        title=title, is_private=is_private, idempotency_key=idempotency_key,
    )  # fmt: skip
    return view.id


def audit(session: Session) -> list[AuditLog]:
    return list(session.scalars(select(AuditLog).where(AuditLog.entity_type == "note").order_by(AuditLog.id)))


def test_add_note_is_audited_and_listed_newest_first(db_session: Session, desk: Desk) -> None:
    first = note(db_session, desk.csm, desk.client, "Champion on leave until July", title=" Champion ")
    later = add_note(
        db_session=db_session, actor=desk.vp, client_id=desk.client.id, content="Exec sponsor changed",
        note_type=NoteType.RISK, now=NOW + dt.timedelta(minutes=5),
    )  # fmt: skip
    listed = list_notes(db_session=db_session, actor=desk.csm, client_id=desk.client.id)
    assert [view.id for view in listed.notes] == [later.id, first]
    assert (listed.notes[1].title, listed.notes[1].created_by_name, listed.notes[0].note_type) == (
        "Champion",
        "Dana Scully",
        NoteType.RISK,
    )
    row = audit(db_session)[0]
    assert (row.action, row.entity_id, row.before) == ("create", str(first), None)
    assert row.after is not None
    assert row.after["content"] == "Champion on leave until July"


def test_private_notes_exist_for_their_author_only(db_session: Session, desk: Desk) -> None:
    shared = note(db_session, desk.csm, desk.client, "shared")
    private = note(db_session, desk.csm, desk.client, "thinks the sponsor is leaving", is_private=True)
    mine = list_notes(db_session=db_session, actor=desk.csm, client_id=desk.client.id)
    assert {view.id for view in mine.notes} == {shared, private}
    for actor in (desk.vp, desk.admin):
        assert [view.id for view in list_notes(db_session=db_session, actor=actor, client_id=desk.client.id).notes] == [
            shared
        ]
        with pytest.raises(NotFoundError):
            update_note(db_session=db_session, actor=actor, note_id=private, changes=NoteChanges(content="x"), now=NOW)
        with pytest.raises(NotFoundError):
            delete_note(db_session=db_session, actor=actor, note_id=private)
    logged = audit(db_session)[1].after
    assert logged is not None
    assert "sponsor" not in str(logged)
    assert logged["content"] == "<private, 29 characters>"


def test_only_the_author_or_an_admin_changes_a_shared_note(db_session: Session, desk: Desk) -> None:
    shared = note(db_session, desk.csm, desk.client, "first draft")
    with pytest.raises(AccessDeniedError):
        update_note(db_session=db_session, actor=desk.vp, note_id=shared, changes=NoteChanges(content="x"), now=NOW)
    with pytest.raises(AccessDeniedError):
        delete_note(db_session=db_session, actor=desk.vp, note_id=shared)
    with pytest.raises(AccessDeniedError, match="private or public"):
        update_note(
            db_session=db_session, actor=desk.admin, note_id=shared, changes=NoteChanges(is_private=True), now=NOW
        )
    changed = update_note(
        db_session=db_session, actor=desk.admin, note_id=shared, changes=NoteChanges(content="fixed"), now=NOW
    )
    assert (changed.content, changed.title) == ("fixed", None)
    row = audit(db_session)[-1]
    assert (row.action, row.actor_user_id) == ("update", desk.admin.user_id)
    assert row.before is not None
    assert row.after is not None
    assert (row.before["content"], row.after["content"]) == ("first draft", "fixed")


def test_deleting_a_note_is_audited_and_scoped(db_session: Session, desk: Desk) -> None:
    shared = note(db_session, desk.csm, desk.client, "to go")
    with pytest.raises(NotFoundError):
        delete_note(db_session=db_session, actor=desk.stranger, note_id=shared)
    with pytest.raises(AccessDeniedError, match="not in your portfolio"):
        delete_note(db_session=db_session, actor=desk.other_csm, note_id=shared)
    gone = delete_note(db_session=db_session, actor=desk.csm, note_id=shared)
    assert gone.content == "to go"
    assert db_session.get(Note, shared) is None
    row = audit(db_session)[-1]
    assert (row.action, row.after) == ("delete", None)
    assert row.before is not None
    assert row.before["content"] == "to go"


@pytest.mark.parametrize(
    ("content", "title"), [("   ", None), ("x" * 20_001, None), ("fine", "t" * 301)], ids=["blank", "long", "title"]
)
def test_invalid_notes_change_nothing(db_session: Session, desk: Desk, content: str, title: str | None) -> None:
    with pytest.raises(ValidationError):
        note(db_session, desk.csm, desk.client, content, title=title)
    kept = note(db_session, desk.csm, desk.client, "kept")
    with pytest.raises(ValidationError):
        update_note(
            db_session=db_session,
            actor=desk.csm,
            note_id=kept,
            changes=NoteChanges(content=content, title=title),
            now=NOW,
        )
    db_session.expire_all()
    assert db_session.scalar(select(func.count()).select_from(Note)) == 1
    stored = db_session.get(Note, kept)
    assert stored is not None
    assert (stored.content, stored.title) == ("kept", None)
    assert [row.action for row in audit(db_session)] == ["create"]


def test_notes_are_scoped_like_clients(db_session: Session, desk: Desk) -> None:
    with pytest.raises(AccessDeniedError):
        note(db_session, desk.other_csm, desk.client, "not mine")
    with pytest.raises(NotFoundError):
        note(db_session, desk.stranger, desk.client, "not ours")
    with pytest.raises(NotFoundError):
        list_notes(db_session=db_session, actor=desk.stranger, client_id=desk.client.id)


def test_a_retried_note_with_the_same_key_is_added_once(db_session: Session, desk: Desk) -> None:
    first = note(db_session, desk.csm, desk.client, "once", idempotency_key="slack:42")
    again = note(db_session, desk.csm, desk.client, "twice?", idempotency_key="slack:42")
    assert again == first
    assert db_session.scalar(select(func.count()).select_from(Note)) == 1
