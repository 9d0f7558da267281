"""Access is enforced twice: the index's metadata filter, then a domain check on every hit."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from agent.retrieval.guard import recheck
from agent.retrieval.index import Candidate
from agent.retrieval.search import SearchScope, build_where, scoped_query, semantic_search
from agent.retrieval.sync import sync_workspace
from domain.access import Actor
from domain.activities.models import Note
from domain.clients.models import Client
from domain.errors import AccessDeniedError, NotFoundError
from domain.timeline.rules import parse_types
from tests.retrieval.conftest import T0, Env


@pytest.fixture
def built(env: Env) -> Env:
    for workspace_id in (env.world.workspace_id, env.world.other_workspace_id):
        sync_workspace(db_session=env.session, index=env.index, workspace_id=workspace_id)
    return env


def _hits(env: Env, actor: Actor, query: str, **kw: object) -> list[str]:
    env.session.expire_all()
    hits = semantic_search(db_session=env.session, actor=actor, settings=env.config, query=query, index=env.index, **kw)  # type: ignore[arg-type]
    return [hit.entry_id for hit in hits]


def _note(env: Env, name: str) -> str:
    return f"note:{env.world.rows[name]}"


def test_search_finds_entries_by_meaning(built: Env) -> None:
    hits = semantic_search(
        db_session=built.session,
        actor=built.world.jane,
        settings=built.config,
        query="is money tight there?",
        client_id=built.world.acme,
        limit=3,
        index=built.index,
    )
    assert hits[0].entry_id == _note(built, "acme_freeze")
    assert hits[0].client_name == "Acme Corp"
    assert hits[0].author_name == "Jane Doe"
    assert 0 < hits[0].score <= 100
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)


def test_tenant_isolation(built: Env) -> None:
    world = built.world
    home = _hits(built, world.vera, "purchases frozen, spending on hold", limit=10)
    elsewhere = _hits(built, world.ben, "purchases frozen, spending on hold", limit=10)
    assert _note(built, "gamma_freeze") not in home
    assert _note(built, "acme_freeze") in home
    assert elsewhere == [_note(built, "gamma_freeze")]
    with pytest.raises(NotFoundError):  # another tenant's client is reported missing, never searched
        _hits(built, world.vera, "spending", client_id=world.gamma)


def test_portfolio_isolation(built: Env) -> None:
    world = built.world
    jane = _hits(built, world.jane, "budget cut and discount request", limit=10)
    omar = _hits(built, world.omar, "budget cut and discount request", limit=10)
    assert _note(built, "beta_cut") not in jane
    assert all(entry.startswith(("note:", "activity:", "ticket")) for entry in jane)
    assert omar[0] == _note(built, "beta_cut")
    assert _note(built, "acme_freeze") not in omar
    with pytest.raises(AccessDeniedError):
        _hits(built, world.jane, "budget", client_id=world.beta)


@pytest.mark.parametrize("reader", ["omar", "vera", "ada"])
def test_a_private_note_reaches_only_its_author(built: Env, reader: str) -> None:
    world = built.world
    query = "someone there is looking for a new job"
    assert _note(built, "acme_private") in _hits(built, world.jane, query, client_id=world.acme, limit=3)
    actor: Actor = getattr(world, reader)
    assert _note(built, "acme_private") not in _hits(built, actor, query, limit=50)
    if actor.sees_whole_tenant:
        assert _note(built, "acme_private") not in _hits(built, actor, query, client_id=world.acme, limit=50)


def test_the_metadata_filter_scopes_tenant_clients_and_privacy(built: Env) -> None:
    where = build_where(built.world.jane, [built.world.acme], parse_types(None), None, None)
    assert {"workspace_id": built.world.workspace_id} in where["$and"]
    assert {"client_id": {"$in": [built.world.acme]}} in where["$and"]
    assert {"$or": [{"is_private": False}, {"author_user_id": built.world.jane.user_id}]} in where["$and"]
    everything = built.index.collection.get(where=where, include=["metadatas"])
    assert everything["ids"]
    for metadata in everything["metadatas"]:
        assert metadata["workspace_id"] == built.world.workspace_id
        assert metadata["client_id"] == built.world.acme
        assert not metadata["is_private"] or metadata["author_user_id"] == built.world.jane.user_id


def test_the_domain_check_drops_what_the_filter_should_have(built: Env) -> None:
    """Candidates forged past the metadata filter: another tenant's, another portfolio's, someone's private note."""
    world = built.world

    def candidate(name: str, client_id: int) -> Candidate:
        return Candidate(f"note:{world.rows[name]}", client_id, "note", "note", world.rows[name], T0, 0.9)

    forged = [
        candidate("gamma_freeze", world.gamma),
        candidate("beta_cut", world.beta),
        candidate("beta_private", world.beta),
        candidate("acme_private", world.acme),
        candidate("acme_freeze", world.acme),
    ]
    assert set(recheck(built.session, world.jane, forged)) == {
        _note(built, "acme_private"),
        _note(built, "acme_freeze"),
    }
    assert set(recheck(built.session, world.vera, forged)) == {_note(built, "beta_cut"), _note(built, "acme_freeze")}
    assert set(recheck(built.session, world.ben, forged)) == {_note(built, "gamma_freeze")}


def test_a_note_made_private_after_indexing_is_not_served_from_stale_metadata(built: Env) -> None:
    world = built.world
    with built.sessions() as session, session.begin():
        session.execute(update(Note).where(Note.id == world.rows["acme_freeze"]).values(is_private=True))
    assert _note(built, "acme_freeze") not in _hits(built, world.vera, "spending freeze", limit=10)
    assert _note(built, "acme_freeze") in _hits(built, world.jane, "spending freeze", limit=10)


def test_a_client_moved_to_another_csm_leaves_the_old_portfolio(built: Env) -> None:
    world = built.world
    with built.sessions() as session, session.begin():
        session.execute(update(Client).where(Client.id == world.acme).values(csm_user_id=world.omar.user_id))
    assert _note(built, "acme_freeze") not in _hits(built, world.jane, "spending freeze", limit=10)
    assert _note(built, "acme_freeze") in _hits(built, world.omar, "spending freeze", limit=10)


def test_type_and_date_filters(built: Env) -> None:
    world = built.world
    notes_only = _hits(built, world.jane, "single sign-on rollout", client_id=world.acme, types=["note"], limit=10)
    assert notes_only
    assert all(entry.startswith("note:") for entry in notes_only)
    calls = _hits(built, world.jane, "single sign-on rollout", types=["activity"], limit=10)
    assert calls == [f"activity:{world.rows['acme_sso']}"]
    window = _hits(
        built,
        world.jane,
        "single sign-on rollout",
        start=(T0 + dt.timedelta(days=2)).date(),
        end=(T0 + dt.timedelta(days=4)).date(),
        limit=10,
    )
    assert window == [f"activity:{world.rows['acme_sso']}"]


@pytest.mark.parametrize(
    ("path", "clients", "share"),
    [
        ("exact read of a small store", "many", 0.0001),
        ("scan of a narrow scope", "acme", 0.5),
        ("unfiltered query, kept by the scope", None, 1.0),
        ("filtered query", "many", 0.0001),
    ],
)
def test_every_query_path_keeps_to_tenant_clients_and_privacy(
    built: Env, path: str, clients: str | None, share: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whichever way the index is read (chosen by its size and how wide the scope is), the same scope comes back."""
    if not path.startswith("exact"):  # the test store is small: make it count as large to reach the other paths
        monkeypatch.setattr("agent.retrieval.search.EXACT_MAX_ENTRIES", 0)
    world = built.world
    scope_clients = {"acme": [world.acme], "many": [world.acme, 10_001, 10_002, 10_003], None: None}[clients]
    for actor in (world.jane, world.omar, world.vera, world.ben):
        scope = SearchScope(actor, scope_clients, parse_types(None), None, None)
        vector = built.index.embedder.embed_query("budget cuts and spending freezes")
        found, _complete = scoped_query(built.index, vector, scope, share, 50, needed=15)
        assert found or actor in (world.omar, world.ben), (path, actor.email)  # their tenant or portfolio only
        for candidate in found:
            assert candidate.metadata["workspace_id"] == actor.workspace_id, path
            assert scope_clients is None or candidate.client_id in scope_clients, path
            assert not candidate.metadata["is_private"] or candidate.metadata["author_user_id"] == actor.user_id, path
        expected = built.index.collection.get(where=scope.where, include=[])["ids"]
        assert len(found) == min(50, len(expected)), path  # nothing in scope was missed either
