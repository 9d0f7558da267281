"""/cs brief, the briefing's "Open in a thread" buttons and a failing turn, against the running app and the stand-in."""

from __future__ import annotations

import datetime as dt
import json
import time
from typing import Any

import pytest
from sqlalchemy import func, select, update

from agent.briefing import build_briefing
from agent.runner import Agent
from channels.slack.briefing_blocks import briefing_blocks
from channels.slack.conversation import NOTHING_CHANGED, WORKING
from domain.access import Actor
from domain.clients.models import Client
from domain.conversations.models import ChannelEvent
from domain.scoring.models import HealthSnapshot
from domain.staff.models import User
from tests.channels.slack.conftest import PRIYA, SlackWorld
from tests.channels.slack.payloads import block_actions, post_interaction
from tests.channels.slack.test_channels import slash
from tests.channels.slack.test_events import answer_text
from tests.demo_fixture import NOW

JANE = "jane@demo.csagent.dev"


def user(world: SlackWorld, email: str) -> User:
    with world.sessions() as session:
        found = session.scalar(select(User).where(User.email == email))
        assert found is not None
        session.expunge(found)
        return found


def brief_blocks(world: SlackWorld) -> list[dict[str, Any]]:
    assert slash(world, "brief", "b1") == WORKING
    (answer,) = world.slack.wait_for("response_url")
    blocks: list[dict[str, Any]] = answer.params["blocks"]
    return blocks


def test_cs_brief_shows_the_askers_own_briefing_privately(world: SlackWorld) -> None:
    assert slash(world, "brief", "b1") == WORKING
    (answer,) = world.slack.wait_for("response_url")
    assert answer.params["response_type"] == "ephemeral"
    assert answer.params["replace_original"] is True
    jane = user(world, JANE)
    with world.sessions() as session:
        expected = build_briefing(db_session=session, actor=Actor.from_user(jane), now=NOW)
    assert expected.items, "the demo gives Jane something to do"
    assert answer.params["blocks"] == briefing_blocks(expected)
    assert answer.params["text"].startswith("Your briefing for Sun Nov 22")
    assert jane.last_briefed_at is None, "looking at the briefing does not count as being briefed"
    assert not world.slack.to("chat.postMessage"), "a slash command's answer is never posted to the channel"


def test_cs_brief_on_stale_data_says_so_and_offers_nothing_to_open(world: SlackWorld) -> None:
    with world.sessions.begin() as session:
        session.execute(update(HealthSnapshot).values(created_at=NOW - dt.timedelta(days=3)))
    blocks = brief_blocks(world)
    shown = json.dumps(blocks)
    assert "The data is stale, so there is no briefing today." in shown
    assert "72 hours ago" in shown
    assert not any("accessory" in block for block in blocks)


def click(world: SlackWorld, slack_user: str, button: dict[str, Any], blocks: list[dict[str, Any]]) -> None:
    """A click on a /cs brief button in the shared channel (an ephemeral message there)."""
    message = {"type": "message", "ts": "1700000000.000500", "blocks": blocks}
    payload = block_actions(slack_user, "CSHARED", message, button, world.slack.response_url("o1"), ephemeral=True)
    assert post_interaction(world.url, payload).status_code == 200


def test_open_in_a_thread_asks_the_item_in_the_clickers_dm_and_answers_there_once(world: SlackWorld) -> None:
    blocks = brief_blocks(world)
    button = blocks[2]["accessory"]
    assert button["action_id"] == "briefing_open_item_1"
    prompt = json.loads(button["value"])["prompt"]
    for _ in range(2):  # the same interaction delivered twice
        click(world, "UJANE", button, blocks)
    (answer,) = world.slack.wait_for("chat.update")
    (opened,) = world.slack.to("conversations.open")
    assert opened.params["users"] == "UJANE"
    question, placeholder = world.slack.to("chat.postMessage")
    assert (question.params["channel"], question.params["text"]) == ("DJANE", prompt)
    asked_ts = "1700000000.000001"  # the stand-in numbers messages in order: the question is its first
    assert placeholder.params == placeholder.params | {"channel": "DJANE", "thread_ts": asked_ts, "text": WORKING}
    assert answer.params["channel"] == "DJANE"
    client_name = prompt.removeprefix("Show the open alerts for ")
    assert f"open alerts for {client_name}" in answer_text(answer)
    time.sleep(1.0)
    assert len(world.slack.to("chat.postMessage")) == 2, "a repeated click starts no second thread"
    with world.sessions() as session:
        claims = select(func.count()).select_from(ChannelEvent).where(ChannelEvent.external_id.like("briefing:%"))
        assert session.scalar(claims) == 1


def test_an_opened_item_is_answered_for_the_clicker_not_the_briefings_owner(world: SlackWorld) -> None:
    blocks = brief_blocks(world)
    priya = user(world, "priya@demo.csagent.dev")
    with world.sessions() as session:
        theirs = set(session.scalars(select(Client.id).where(Client.csm_user_id == priya.id)))
    buttons = [block["accessory"] for block in blocks if "accessory" in block]
    button = next(b for b in buttons if json.loads(b["value"])["client_id"] not in theirs)
    click(world, PRIYA, button, blocks)
    (answer,) = world.slack.wait_for("chat.update")
    assert world.slack.to("conversations.open")[0].params["users"] == PRIYA
    assert answer.params["channel"] == "D0DEMO05"
    assert "is not in your portfolio" in answer_text(answer)
    assert "open alerts for" not in answer_text(answer)


def test_a_failing_turn_tells_the_asker_in_one_line_and_is_logged(
    world: SlackWorld, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the model provider is down")

    monkeypatch.setattr(Agent, "run_turn", fail)
    assert slash(world, "at-risk", "f1") == WORKING
    (answer,) = world.slack.wait_for("response_url")
    assert answer.params == answer.params | {"text": NOTHING_CHANGED, "response_type": "ephemeral"}
    assert "blocks" not in answer.params
    failures = [r for r in caplog.records if r.exc_info and "the model provider is down" in str(r.exc_info[1])]
    assert failures, "the exception is logged with its traceback"
