"""A first end-to-end check that the offline agent answers from the demo data."""

from __future__ import annotations

from collections.abc import Callable

from agent.reply import Reply


def test_why_is_acme_dropping_is_answered_from_the_drivers(ask: Callable[..., Reply]) -> None:
    reply = ask("why is acme dropping?")
    assert [call.name for call in reply.tool_calls] == ["explain_score_drivers"]
    call = reply.tool_calls[0]
    assert call.status == "ok"
    assert call.result is not None
    score = call.result["score"]
    assert score["client_name"] == "Acme Corp"
    assert f"{score['overall']:.1f}" in reply.answer
    assert "Sarah Chen" in reply.answer
