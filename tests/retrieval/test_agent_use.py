"""The agent keeps the index in step with what its turns write, and answers "what was said" by meaning."""

from __future__ import annotations

from agent.retrieval.sync import sync_workspace, verify
from agent.runner import open_agent
from tests.retrieval.conftest import NOW, Env


def test_a_write_turn_is_indexed_after_commit_and_found_by_meaning(env: Env) -> None:
    sync_workspace(db_session=env.session, index=env.index, workspace_id=env.world.workspace_id)
    with open_agent(env.settings, env.engine) as agent:
        wrote = agent.run_turn(
            env.world.jane,
            "add a note to acme: their board approved moving the whole legal team onto our platform next year",
            "t-index",
            "test",
            auto_confirm=True,
            now=NOW,
        )
        assert [(call.name, call.status) for call in wrote.tool_calls] == [("add_note", "ok")]
        env.session.expire_all()
        assert verify(db_session=env.session, index=env.index, workspace_id=env.world.workspace_id).in_sync

        found = agent.run_turn(
            env.world.jane, "did acme say anything about expanding to their lawyers?", "t-q", "test", now=NOW
        )
    searches = [call for call in found.tool_calls if call.name == "search_timeline"]
    assert searches, found.answer
    result = searches[0].result or {}
    assert result["method"] == "semantic"
    assert "legal team" in found.answer
