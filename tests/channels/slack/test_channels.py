"""Privacy in shared channels, alert buttons, the Edit form and /cs, against the running app and the stand-in."""

from __future__ import annotations

import time

from sqlalchemy import select

from channels.slack.conversation import WORKING
from channels.slack.listeners.commands import USAGE
from channels.slack.privacy import PRIVATE_NOTE
from domain.activities.models import Activity
from domain.alerts.models import Alert
from domain.enums import AlertStatus
from domain.staff.models import User
from tests.channels.slack.conftest import PRIYA, SlackWorld
from tests.channels.slack.payloads import (
    block_actions,
    direct_message,
    event_callback,
    mention,
    post_event,
    post_form,
    post_interaction,
)
from tests.channels.slack.test_events import answer_text, card_from


def ask_in(world: SlackWorld, channel: str, text: str, event_id: str) -> None:
    post_event(world.url, event_callback(mention("UJANE", channel, text, f"{event_id[-2:]}.000100"), event_id))
    world.slack.wait_for("chat.update")


def test_client_details_another_member_may_not_see_go_to_the_asker_alone(world: SlackWorld) -> None:
    ask_in(world, "CSHARED", "who is at risk?", "Ev11")
    (private,) = world.slack.wait_for("chat.postEphemeral")
    assert private.params["user"] == "UJANE"
    assert "Acme Corp" in answer_text(private)
    (note,) = world.slack.to("chat.update")
    assert note.params["text"] == PRIVATE_NOTE.format(user="UJANE")
    assert not note.params.get("blocks")
    in_channel = world.slack.to("chat.postMessage") + world.slack.to("chat.update")
    assert all("Acme" not in answer_text(call) for call in in_channel)


def test_a_channel_whose_members_all_see_the_clients_gets_the_answer_in_place(world: SlackWorld) -> None:
    ask_in(world, "CLEADS", "who is at risk?", "Ev12")  # Jane and the VP: both see Jane's clients
    (update,) = world.slack.to("chat.update")
    assert "Acme Corp" in answer_text(update)
    assert not world.slack.to("chat.postEphemeral")


def test_a_member_who_is_no_staff_user_keeps_client_details_private(world: SlackWorld) -> None:
    ask_in(world, "CGUEST", "why is Acme dropping?", "Ev13")
    assert "Acme Corp" in answer_text(world.slack.wait_for("chat.postEphemeral")[0])


def test_an_answer_naming_no_client_stays_in_the_shared_channel(world: SlackWorld) -> None:
    ask_in(world, "CSHARED", "hello", "Ev14")
    assert not world.slack.to("chat.postEphemeral")
    assert world.slack.to("chat.update")[0].params.get("blocks")


def alert_message(world: SlackWorld) -> tuple[dict[str, object], int]:
    post_event(world.url, event_callback(direct_message("UJANE", "DJANE", "show my alerts", "20.000100"), "Ev20"))
    update = world.slack.wait_for("chat.update")[0]
    message = {"type": "message", "ts": update.params["ts"], "blocks": update.params["blocks"]}
    first = next(b for b in update.params["blocks"] if str(b.get("block_id", "")).startswith("alert-"))
    return message, int(first["block_id"].removeprefix("alert-"))


def test_alert_buttons_change_the_alert_as_the_clicking_user(world: SlackWorld) -> None:
    message, alert_id = alert_message(world)
    ack = {"action_id": "alert_ack", "block_id": f"alert-{alert_id}-actions", "value": str(alert_id)}
    post_interaction(
        world.url, block_actions("UJANE", "DJANE", message, ack, world.slack.response_url("a1"), ephemeral=False)
    )
    (done,) = world.slack.wait_for("response_url")
    assert done.params["replace_original"] is True
    assert "Acknowledged by Jane Doe" in answer_text(done)
    assert len(done.params["blocks"]) < len(message["blocks"]) + 1  # type: ignore[arg-type]
    with world.sessions() as session:
        alert = session.get(Alert, alert_id)
        jane = session.scalar(select(User).where(User.email == "jane@demo.csagent.dev"))
        assert alert is not None
        assert jane is not None
        assert alert.status is AlertStatus.ACKNOWLEDGED
        assert alert.acknowledged_by_id == jane.id


def test_an_alert_outside_the_clickers_portfolio_is_refused_and_unchanged(world: SlackWorld) -> None:
    message, alert_id = alert_message(world)
    dismiss = {"action_id": "alert_dismiss", "block_id": f"alert-{alert_id}-actions", "value": str(alert_id)}
    post_interaction(
        world.url, block_actions(PRIYA, "DJANE", message, dismiss, world.slack.response_url("a2"), ephemeral=False)
    )
    (refusal,) = world.slack.wait_for("response_url")
    assert refusal.params["response_type"] == "ephemeral"
    assert "not in your portfolio" in refusal.params["text"]
    with world.sessions() as session:
        alert = session.get(Alert, alert_id)
        assert alert is not None
        assert alert.status is AlertStatus.NEW


def test_edit_opens_a_form_and_saving_it_shows_the_changed_card_without_writing(world: SlackWorld) -> None:
    ask = direct_message("UJANE", "DJANE", "log a call with Acme: quarterly check-in", "30.000100")
    post_event(world.url, event_callback(ask, "Ev30"))
    message, _confirm = card_from(world.slack.wait_for("chat.update")[0])
    edit = next(
        e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"] if e["action_id"] == "write_edit"
    )
    post_interaction(
        world.url, block_actions("UJANE", "DJANE", message, edit, world.slack.response_url("e1"), ephemeral=False)
    )
    view = world.slack.wait_for("views.open")[0].params["view"]
    assert view["callback_id"] == "write_edit_submit"
    assert "arg:subject" in {block.get("block_id") for block in view["blocks"]}
    state = {
        "values": {
            "arg:subject": {"value": {"type": "plain_text_input", "value": "Renewal prep call, edited in Slack"}}
        }
    }
    submission = {
        "type": "view_submission", "team": {"id": "T0001"}, "user": {"id": "UJANE", "team_id": "T0001"},
        "api_app_id": "A0001", "trigger_id": "1.2",
        "view": view | {"id": "V0001", "state": state, "team_id": "T0001", "app_id": "A0001"},
    }  # fmt: skip
    assert post_interaction(world.url, submission).status_code == 200
    (changed,) = world.slack.wait_for("response_url")
    assert "Renewal prep call, edited in Slack" in answer_text(changed)
    assert "write_confirm" in answer_text(changed)
    time.sleep(0.5)
    with world.sessions() as session:
        assert session.scalar(select(Activity).where(Activity.subject == "Renewal prep call, edited in Slack")) is None


def slash(world: SlackWorld, text: str, name: str) -> str:
    form = {
        "token": "XXYYZZ", "team_id": "T0001", "team_domain": "demo", "channel_id": "CSHARED",
        "channel_name": "team", "user_id": "UJANE", "user_name": "jane", "command": "/cs", "text": text,
        "api_app_id": "A0001", "response_url": world.slack.response_url(name), "trigger_id": f"trigger-{name}",
    }  # fmt: skip
    response = post_form(world.url, form)
    assert response.status_code == 200
    return response.text


def test_cs_help_answers_at_once_and_cs_at_risk_answers_privately(world: SlackWorld) -> None:
    assert slash(world, "help", "h1") == USAGE
    assert slash(world, "at-risk", "r1") == WORKING
    (answer,) = world.slack.wait_for("response_url")
    assert answer.params["response_type"] == "ephemeral"
    assert "Acme Corp" in answer_text(answer)
    assert not world.slack.to("chat.postMessage"), "a slash command's answer is never posted to the channel"


def test_cs_health_asks_the_agent(world: SlackWorld) -> None:
    slash(world, "health Acme", "h2")
    (answer,) = world.slack.wait_for("response_url")
    assert "Acme Corp" in answer_text(answer)
    assert "Health" in answer_text(answer)
