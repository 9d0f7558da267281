"""The index follows the database: indexed on write, rebuild equals incremental, drift detected and repaired."""

from __future__ import annotations

import datetime as dt

import numpy as np
from sqlalchemy import delete, update

from agent.retrieval.config import RetrievalConfig
from agent.retrieval.documents import chroma_id
from agent.retrieval.index import open_index
from agent.retrieval.search import semantic_search
from agent.retrieval.sync import after_commit, rebuild, sync_since, sync_workspace, verify
from domain.activities.models import Note
from domain.activities.notes import add_note, delete_note, update_note
from domain.activities.schemas import NoteChanges
from domain.settings import Settings
from tests.retrieval.conftest import NOW, Env


def _build(env: Env) -> None:
    sync_workspace(db_session=env.session, index=env.index, workspace_id=env.world.workspace_id)


def _add_note(env: Env, content: str, *, private: bool = False) -> int:
    with env.sessions() as session, session.begin():
        view = add_note(
            db_session=session,
            actor=env.world.jane,
            client_id=env.world.acme,
            content=content,
            now=NOW,
            is_private=private,
        )
    return view.id


def _search(env: Env, query: str, **kw: object) -> list[str]:
    env.session.expire_all()
    actor = kw.pop("actor", env.world.jane)
    hits = semantic_search(db_session=env.session, actor=actor, settings=env.config, query=query, index=env.index, **kw)  # type: ignore[arg-type]
    return [hit.entry_id for hit in hits]


def test_entries_are_indexed_when_written(env: Env) -> None:
    _build(env)
    note_id = _add_note(env, "Their board approved moving the whole legal team onto our platform next year.")
    assert not env.index.has(env.world.workspace_id, f"note:{note_id}")
    report = after_commit(env.settings, env.sessions, env.world.workspace_id, since=NOW)
    assert report is not None
    assert report.added == 1
    assert env.index.has(env.world.workspace_id, f"note:{note_id}")
    assert _search(env, "expansion to the lawyers", client_id=env.world.acme, limit=1) == [f"note:{note_id}"]
    assert verify(db_session=env.session, index=env.index, workspace_id=env.world.workspace_id).in_sync


def test_after_commit_never_raises_and_skips_an_unbuilt_index(env: Env, tmp_path: object) -> None:
    assert after_commit(env.settings, env.sessions, env.world.workspace_id, since=NOW) is None  # never built yet
    broken = Settings(database_url=env.settings.database_url, chroma_url="http://127.0.0.1:9")  # nothing listens
    assert after_commit(broken, env.sessions, env.world.workspace_id, since=NOW) is None


def test_an_edit_is_re_embedded(env: Env) -> None:
    _build(env)
    note_id = env.world.rows["acme_lunch"]
    with env.sessions() as session, session.begin():
        update_note(
            db_session=session,
            actor=env.world.jane,
            note_id=note_id,
            changes=NoteChanges(content="They asked for an on-site training day for twelve new hires."),
            now=NOW,
        )
    report = after_commit(env.settings, env.sessions, env.world.workspace_id, since=NOW)
    assert report is not None
    assert (report.added, report.updated) == (0, 1)
    assert _search(env, "onboarding workshop for new staff", client_id=env.world.acme, limit=1) == [f"note:{note_id}"]


def test_rebuild_equals_incremental(env: Env, tmp_path: object) -> None:
    _build(env)  # incremental: a first build, then writes synced one by one
    first = _add_note(env, "Renewal signed for two years with a 5% uplift.")
    second = _add_note(env, "Asked for a sandbox to test the case workflow.", private=True)
    after_commit(env.settings, env.sessions, env.world.workspace_id, since=NOW)
    with env.sessions() as session, session.begin():
        update_note(
            db_session=session,
            actor=env.world.jane,
            note_id=first,
            changes=NoteChanges(content="Renewal signed for three years with a 7% uplift."),
            now=NOW + dt.timedelta(minutes=1),
        )
        delete_note(db_session=session, actor=env.world.jane, note_id=second)
    after_commit(env.settings, env.sessions, env.world.workspace_id, since=NOW + dt.timedelta(minutes=1))

    fresh_config = RetrievalConfig.from_settings(
        Settings(database_url=env.settings.database_url, chroma_path=env.config.chroma_path.parent / "rebuilt")
    )
    rebuilt = open_index(fresh_config, env.index.embedder)
    env.session.expire_all()
    rebuild(db_session=env.session, index=rebuilt, workspace_id=env.world.workspace_id)

    def snapshot(index: object) -> dict[str, tuple[str, str, list[float]]]:
        records = index.collection.get(  # type: ignore[attr-defined]
            where={"workspace_id": env.world.workspace_id}, include=["metadatas", "documents", "embeddings"]
        )
        return {
            record_id: (str(metadata["content_hash"]), document, list(vector))
            for record_id, metadata, document, vector in zip(
                records["ids"], records["metadatas"], records["documents"], records["embeddings"], strict=True
            )
        }

    incremental, from_scratch = snapshot(env.index), snapshot(rebuilt)
    assert incremental.keys() == from_scratch.keys()
    assert chroma_id(env.world.workspace_id, f"note:{second}") not in incremental
    for key, (digest, document, vector) in incremental.items():
        assert (digest, document) == from_scratch[key][:2]
        assert np.allclose(vector, from_scratch[key][2], atol=1e-5)


def test_drift_is_detected_and_repaired(env: Env) -> None:
    _build(env)
    ws = env.world.workspace_id
    assert verify(db_session=env.session, index=env.index, workspace_id=ws).in_sync
    with env.sessions() as session, session.begin():  # writes that bypass the after-commit hook
        session.add(
            Note(client_id=env.world.beta, content="Wrote straight to the table.", created_by_id=env.world.omar.user_id)
        )
        session.execute(
            update(Note).where(Note.id == env.world.rows["acme_lunch"]).values(content="Edited behind our back.")
        )
        session.execute(delete(Note).where(Note.id == env.world.rows["beta_cut"]))
    env.index.delete([chroma_id(ws, f"activity:{env.world.rows['acme_sso']}")])
    env.session.expire_all()

    drift = verify(db_session=env.session, index=env.index, workspace_id=ws)
    assert not drift.in_sync
    assert drift.missing_count == 2
    assert f"activity:{env.world.rows['acme_sso']}" in drift.missing
    assert drift.stale == [f"note:{env.world.rows['acme_lunch']}"]
    assert drift.extra == [f"note:{env.world.rows['beta_cut']}"]

    repair = sync_workspace(db_session=env.session, index=env.index, workspace_id=ws)
    assert (repair.added, repair.updated, repair.removed) == (2, 1, 1)
    assert verify(db_session=env.session, index=env.index, workspace_id=ws).in_sync


def test_a_deleted_note_disappears_from_search(env: Env) -> None:
    _build(env)
    note_id = env.world.rows["acme_freeze"]
    assert _search(env, "spending freeze", client_id=env.world.acme, limit=1) == [f"note:{note_id}"]
    with env.sessions() as session, session.begin():
        delete_note(db_session=session, actor=env.world.jane, note_id=note_id)
    # before any sync the index still holds it, but the domain check drops a hit whose row is gone
    assert env.index.has(env.world.workspace_id, f"note:{note_id}")
    assert f"note:{note_id}" not in _search(env, "spending freeze", client_id=env.world.acme)
    report = after_commit(env.settings, env.sessions, env.world.workspace_id, since=NOW)
    assert report is not None
    assert report.removed == 1
    assert not env.index.has(env.world.workspace_id, f"note:{note_id}")
    assert verify(db_session=env.session, index=env.index, workspace_id=env.world.workspace_id).in_sync


def test_sync_since_drops_entries_a_changed_row_no_longer_produces(env: Env) -> None:
    from domain.enums import TicketStatus
    from domain.support.models import SupportTicket

    ticket = env.world.rows["acme_ticket"]
    with env.sessions() as session, session.begin():
        session.execute(
            update(SupportTicket)
            .where(SupportTicket.id == ticket)
            .values(status=TicketStatus.SOLVED, closed_at=NOW - dt.timedelta(days=1), updated_at=NOW)
        )
    env.session.expire_all()
    _build(env)
    assert env.index.has(env.world.workspace_id, f"ticket-closed:{ticket}")
    with env.sessions() as session, session.begin():  # reopened: no "closed" entry any more
        session.execute(
            update(SupportTicket)
            .where(SupportTicket.id == ticket)
            .values(status=TicketStatus.OPEN, closed_at=None, updated_at=NOW + dt.timedelta(hours=1))
        )
    env.session.expire_all()
    report = sync_since(db_session=env.session, index=env.index, workspace_id=env.world.workspace_id, since=NOW)
    assert report.removed == 1
    assert not env.index.has(env.world.workspace_id, f"ticket-closed:{ticket}")
    assert env.index.has(env.world.workspace_id, f"ticket-opened:{ticket}")
