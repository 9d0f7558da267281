"""Signed Slack deliveries to POST /slack/events of the running app, asserted on what reached the Slack stand-in."""

from __future__ import annotations

import json
import time
from typing import Any

from sqlalchemy import func, select

from channels.slack.conversation import WORKING
from channels.slack.identity import LINK_HELP
from domain.activities.models import Activity
from domain.conversations.models import ChannelEvent
from domain.staff.models import User
from tests.channels.slack.conftest import SlackWorld
from tests.channels.slack.payloads import (
    block_actions,
    direct_message,
    event_callback,
    mention,
    post_event,
    post_interaction,
)
from tests.channels.slack.standin import Call

NOTE = "discussed the renewal timeline with their sponsor"


def answer_text(call: Call) -> str:
    """Everything a posted message shows: its text and all text inside its blocks."""
    blocks = call.params.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    return str(call.params.get("text", "")) + json.dumps(blocks, ensure_ascii=False)


def answers(world: SlackWorld, count: int) -> list[Call]:
    return world.slack.wait_for("chat.update", count)


def logged_calls(world: SlackWorld) -> int:
    with world.sessions() as session:
        query = select(func.count()).select_from(Activity).where(Activity.description.contains(NOTE))
        return int(session.scalar(query) or 0)


def test_a_mention_is_acknowledged_at_once_and_answered_in_its_thread(world: SlackWorld) -> None:
    started = time.monotonic()
    response = post_event(world.url, event_callback(mention("UJANE", "CJANE", "who is at risk?", "1.000100"), "Ev01"))
    assert response.status_code == 200
    assert time.monotonic() - started < 3

    (placeholder,) = world.slack.wait_for("chat.postMessage")
    assert placeholder.params["thread_ts"] == "1.000100"
    assert placeholder.params["text"] == WORKING
    (update,) = answers(world, 1)
    assert update.params["ts"] == world.slack.to("chat.postMessage")[0].params.get("ts", update.params["ts"])
    shown = answer_text(update)
    assert "Acme Corp" in shown
    assert "ARR" in shown
    assert "Renewal" in shown
    assert not world.slack.to("chat.postEphemeral"), "Jane's own channel sees Jane's clients"
    with world.sessions() as session:
        jane = session.scalar(select(User).where(User.email == "jane@demo.csagent.dev"))
        assert jane is not None
        assert jane.slack_user_id == "UJANE", "the email match is stored"


def test_a_direct_message_follow_up_in_the_same_thread_resolves_their(world: SlackWorld) -> None:
    post_event(world.url, event_callback(direct_message("UJANE", "DJANE", "why is Acme dropping?", "2.000100"), "Ev02"))
    answers(world, 1)
    follow_up = direct_message("UJANE", "DJANE", "what is their churn risk?", "2.000200", thread_ts="2.000100")
    post_event(world.url, event_callback(follow_up, "Ev03"))
    second = answers(world, 2)[1]
    assert world.slack.to("chat.postMessage")[1].params["thread_ts"] == "2.000100"
    assert "Acme Corp" in answer_text(second)
    assert "churn risk" in answer_text(second).lower()


def card_from(call: Call) -> tuple[dict[str, Any], dict[str, Any]]:
    """The confirmation card a message carries, and its Confirm button."""
    blocks = call.params["blocks"]
    buttons = [element for block in blocks if block["type"] == "actions" for element in block["elements"]]
    confirm = next(button for button in buttons if button["action_id"] == "write_confirm")
    return {"type": "message", "ts": call.params["ts"], "blocks": blocks, "text": call.params["text"]}, confirm


def test_a_write_runs_only_through_confirm_and_is_logged_once(world: SlackWorld) -> None:
    ask = direct_message("UJANE", "DJANE", f"log a call with Acme: {NOTE}", "3.000100")
    post_event(world.url, event_callback(ask, "Ev04"))
    message, confirm = card_from(answers(world, 1)[0])
    assert {b["action_id"] for b in message["blocks"][-2]["elements"]} >= {"write_confirm", "write_edit"}
    assert logged_calls(world) == 0, "nothing is written before Confirm"

    click = block_actions("UJANE", "DJANE", message, confirm, world.slack.response_url("c1"), ephemeral=False)
    for _ in range(2):  # a double click
        assert post_interaction(world.url, click).status_code == 200
    (result,) = world.slack.wait_for("response_url")
    assert "Logged" in answer_text(result)
    assert result.params["replace_original"] is True
    time.sleep(1.0)
    assert len(world.slack.to("response_url")) == 1
    assert logged_calls(world) == 1


def test_a_retried_event_is_answered_and_written_once(world: SlackWorld) -> None:
    ask = direct_message("UJANE", "DJANE", f"log a call with Acme: {NOTE}", "4.000100")
    post_event(world.url, event_callback(ask, "Ev05"))
    answers(world, 1)
    yes = event_callback(direct_message("UJANE", "DJANE", "yes", "4.000200", thread_ts="4.000100"), "Ev06")
    for retry in range(3):
        assert post_event(world.url, yes, retry=retry).status_code == 200
    confirmed = answers(world, 2)[1]
    assert "Logged" in answer_text(confirmed)
    time.sleep(1.5)
    assert len(world.slack.to("chat.postMessage")) == 2, "one placeholder per delivery, not per retry"
    assert len(world.slack.to("chat.update")) == 2
    assert logged_calls(world) == 1
    with world.sessions() as session:
        slack_events = select(func.count()).select_from(ChannelEvent).where(ChannelEvent.channel == "slack")
        assert session.scalar(slack_events) == 2


def test_a_bad_signature_gets_401_and_nothing_else(world: SlackWorld) -> None:
    payload = event_callback(mention("UJANE", "CJANE", "who is at risk?", "5.000100"), "Ev07")
    response = post_event(world.url, payload, secret="not-the-signing-secret")
    assert response.status_code == 401
    time.sleep(0.5)
    assert world.slack.calls == []
    with world.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ChannelEvent)) == 0


def test_an_unknown_user_gets_the_linking_message_and_nothing_else(world: SlackWorld) -> None:
    post_event(world.url, event_callback(mention("USTRANGER", "CGUEST", "who is at risk?", "6.000100"), "Ev08"))
    (note,) = world.slack.wait_for("chat.postEphemeral")
    assert note.params["text"] == LINK_HELP
    assert note.params["user"] == "USTRANGER"
    time.sleep(0.5)
    assert not world.slack.to("chat.postMessage")
    assert not world.slack.to("chat.update")
    assert {call.method for call in world.slack.calls} <= {"auth.test", "users.lookupByEmail", "chat.postEphemeral"}
