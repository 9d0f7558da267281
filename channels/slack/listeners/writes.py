"""Confirm / Edit / Cancel on a pending write: resume the same thread through run_turn, once per card."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from agent.reply import Reply
from channels.slack.blocks import edit_modal, reply_messages
from channels.slack.conversation import CHANNEL, run_turn_or_tell
from channels.slack.identity import LINK_HELP
from channels.slack.listeners.messages import acknowledge
from channels.slack.runtime import SlackRuntime
from domain.access import Actor
from domain.conversations.inbound import claim_inbound, release_inbound

NOT_YOURS = "Only the person who asked can confirm, edit or cancel this."
ANSWERS = {"write_confirm": "yes", "write_cancel": "no"}


def register(app: App, runtime: SlackRuntime) -> None:
    # Bolt passes arguments by parameter name, so each lambda names exactly what its handler needs.
    decide = lambda body, client, respond: on_decision(runtime, body, client, respond)  # noqa: E731
    app.action("write_confirm")(ack=acknowledge, lazy=[decide])
    app.action("write_cancel")(ack=acknowledge, lazy=[decide])
    app.action("write_edit")(
        ack=acknowledge, lazy=[lambda body, client, respond: on_edit(runtime, body, client, respond)]
    )
    app.view("write_edit_submit")(
        ack=check_edit, lazy=[lambda body, view, client: on_edit_submit(runtime, body, view, client)]
    )


def on_decision(runtime: SlackRuntime, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
    """Confirm or Cancel: answer the pending write "yes" or "no" in its thread, once per card."""
    action = body["actions"][0]
    target = json.loads(action["value"])
    actor = _owner(runtime, client, body, respond, target)
    card = str((body.get("container") or {}).get("message_ts") or action.get("action_ts"))
    claim = f"write:{target['thread']}:{card}"
    if actor is None or not claim_inbound(runtime.sessions, channel=CHANNEL, external_id=claim, now=runtime.clock()):
        return  # a second click on the same card (Confirm twice, or Cancel after Confirm) does nothing
    reply = run_turn_or_tell(
        runtime, actor, ANSWERS[action["action_id"]], target["thread"],
        message_id=f"{card}:{action['action_id']}", tell=_tell_privately(respond.response_url),
    )  # fmt: skip
    if reply is None:  # nothing was decided: the card may be clicked again
        release_inbound(runtime.sessions, channel=CHANNEL, external_id=claim)
        return
    _replace_card(respond.response_url, reply, actor, ephemeral=_is_ephemeral(body))


def on_edit(runtime: SlackRuntime, body: dict[str, Any], client: WebClient, respond: Respond) -> None:
    """Edit: open a form prefilled with the write's short arguments."""
    target = json.loads(body["actions"][0]["value"])
    if _owner(runtime, client, body, respond, target) is None:
        return
    metadata = json.dumps(
        {"thread": target["thread"], "owner": target["owner"], "args": target.get("args", {}),
         "response_url": respond.response_url, "ephemeral": _is_ephemeral(body)}
    )  # fmt: skip
    client.views_open(trigger_id=body["trigger_id"], view=edit_modal(target["tool"], target["args"], metadata))


def check_edit(ack: Ack, view: dict[str, Any]) -> None:
    """Numbers stay numbers: a field that held one must still hold one, or the form says which."""
    original = json.loads(view["private_metadata"])["args"]
    errors = {f"arg:{k}": "enter a number" for k, v in edited_values(view).items() if _coerce(original[k], v) is None}
    if errors:
        ack(response_action="errors", errors=errors)
    else:
        ack()


def on_edit_submit(runtime: SlackRuntime, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
    """The saved form resumes the write with the changed arguments; the card shows them, waiting for Confirm."""
    metadata = json.loads(view["private_metadata"])
    actor = runtime.directory.actor_for(client, body["user"]["id"])
    original: dict[str, Any] = metadata["args"]
    changes = {k: _coerce(original[k], v) for k, v in edited_values(view).items() if str(original[k]) != v}
    if actor is None or actor.user_id != metadata["owner"] or not changes:
        return
    reply = run_turn_or_tell(
        runtime, actor, "", metadata["thread"], message_id=f"view:{view['id']}", edit=changes,
        tell=_tell_privately(metadata["response_url"]),
    )  # fmt: skip
    if reply is None:
        return
    _replace_card(metadata["response_url"], reply, actor, ephemeral=bool(metadata.get("ephemeral")))


def _owner(
    runtime: SlackRuntime, client: WebClient, body: dict[str, Any], respond: Respond, target: dict[str, Any]
) -> Actor | None:
    """The clicking staff user when the card is theirs; anyone else is told so, privately."""
    actor = runtime.directory.actor_for(client, body["user"]["id"])
    if actor is None or actor.user_id != target["owner"]:
        respond(text=LINK_HELP if actor is None else NOT_YOURS, response_type="ephemeral", replace_original=False)
        return None
    return actor


def _is_ephemeral(body: dict[str, Any]) -> bool:
    return bool((body.get("container") or {}).get("is_ephemeral"))


def edited_values(view: dict[str, Any]) -> dict[str, str]:
    """The form's values by argument name."""
    values = view["state"]["values"]
    return {
        block_id.removeprefix("arg:"): str(fields["value"].get("value") or "")
        for block_id, fields in values.items()
        if block_id.startswith("arg:")
    }


def _coerce(original: Any, text: str) -> Any:
    if isinstance(original, int | float):
        try:
            number = float(text)
        except ValueError:
            return None
        return int(number) if isinstance(original, int) and number.is_integer() else number
    return text


def _tell_privately(response_url: str | None) -> Callable[[str], object]:
    """One line for the clicking person alone, below the card (which stays as it was)."""

    def tell(text: str) -> None:
        if response_url:
            WebhookClient(response_url).send(text=text, response_type="ephemeral", replace_original=False)

    return tell


def _replace_card(response_url: str | None, reply: Reply, actor: Actor, *, ephemeral: bool) -> None:
    """The card becomes the outcome (or the edited card), where it was: in the channel or seen by its owner only."""
    if not response_url:
        return
    webhook = WebhookClient(response_url)
    kind = "ephemeral" if ephemeral else "in_channel"
    for n, message in enumerate(reply_messages(reply, owner=actor.user_id)):
        webhook.send(text=message.text, blocks=message.blocks, replace_original=n == 0, response_type=kind)
