"""The labelled retrieval set stays true to the demo tenant: every expected entry exists, belongs to the named
client and is readable by the asker (checked through the database, no embeddings needed)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from domain.access import actor_for_email
from domain.clients.models import Client
from domain.db import make_engine, make_session_factory
from domain.timeline.service import client_timeline, iter_timeline_entries
from evals.retrieval_recall import DATASET, load_labelled_set


def test_the_labelled_set_matches_the_demo(demo_template: Path) -> None:
    labelled = load_labelled_set(DATASET)
    assert len(labelled.questions) >= 40
    engine = make_engine(f"sqlite:///{demo_template}")
    try:
        with make_session_factory(engine)() as session:
            vp = actor_for_email(session, labelled.defaults["as"])
            entries = {
                entry.entry_id: entry
                for batch in iter_timeline_entries(db_session=session, workspace_id=vp.workspace_id)
                for entry in batch
            }
            for question in labelled.questions:
                actor = actor_for_email(session, labelled.actor_of(question))
                assert len(set(question.expected)) == len(question.expected), question.id
                assert len(question.expected) <= labelled.k, question.id
                for entry_id in question.expected:
                    entry = entries.get(entry_id)
                    assert entry is not None, f"{question.id}: {entry_id} is not in the demo timeline"
                    if question.client:
                        assert entry.client_name == question.client, (
                            f"{question.id}: {entry_id} is {entry.client_name}'s"
                        )
                    client = session.get(Client, entry.client_id)
                    assert client is not None
                    page = client_timeline(
                        db_session=session, actor=actor, client_id=entry.client_id, limit=500, types=[entry.kind.value]
                    )
                    assert entry_id in {item.entry_id for item in page.entries}, (
                        f"{question.id}: {actor.email} can't read {entry_id}"
                    )
                if question.client:
                    assert session.scalar(select(Client.id).where(Client.name == question.client)) is not None
    finally:
        engine.dispose()
