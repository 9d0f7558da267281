"""/cs: at-risk, health <client>, brief, help. Slash-command answers are seen by the person who typed them only."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from agent.briefing import build_briefing
from channels.slack.blocks import reply_messages
from channels.slack.briefing_blocks import briefing_blocks, briefing_fallback_text
from channels.slack.conversation import WORKING, run_turn_or_tell
from channels.slack.identity import LINK_HELP
from channels.slack.runtime import SlackRuntime
from domain.access import Actor
from domain.db import session_scope

USAGE = (
    "*/cs* commands: `/cs at-risk` (your clients at risk) · `/cs health <client>` (one client's health) · "
    "`/cs brief` (your briefing for today) · `/cs help`. Or mention me in a channel, or DM me."
)
QUESTIONS = {"at-risk": "who is at risk?"}
BRIEF = "brief"  # not a question: the deterministic daily briefing, the same one the morning DM carries


def question_for(text: str) -> str | None:
    """The question a /cs command stands for; None for brief, help and anything unknown."""
    verb, _, rest = text.strip().partition(" ")
    verb = verb.lower()
    if verb == "health" and rest.strip():
        return f"how is {rest.strip()} doing?"
    return QUESTIONS.get(verb)


def is_brief(text: str) -> bool:
    return text.strip().partition(" ")[0].lower() == BRIEF


def register(app: App, runtime: SlackRuntime) -> None:
    def ack_command(ack: Ack, command: dict[str, Any]) -> None:
        text = command.get("text", "")
        ack(text=WORKING if question_for(text) or is_brief(text) else USAGE)

    def run_command(command: dict[str, Any], client: WebClient, respond: Respond) -> None:
        text = command.get("text", "")
        question = question_for(text)
        if question is None and not is_brief(text):
            return
        actor = runtime.directory.actor_for(client, command["user_id"])
        if actor is None:
            respond(text=LINK_HELP, replace_original=True)
        elif question is None:
            send_briefing(runtime, actor, respond)
        else:
            ask(runtime, actor, question, command, respond)

    app.command("/cs")(ack=ack_command, lazy=[run_command])


def send_briefing(runtime: SlackRuntime, actor: Actor, respond: Respond) -> None:
    """The asker's briefing as of now, in place of "Working on it…". Viewing it does not count as being briefed:
    the scheduled briefing still reports everything since the last one sent."""
    with session_scope(runtime.sessions) as session:
        briefing = build_briefing(db_session=session, actor=actor, now=runtime.clock())
    respond(
        text=briefing_fallback_text(briefing),
        blocks=briefing_blocks(briefing),
        replace_original=True,
        response_type="ephemeral",
    )


def ask(runtime: SlackRuntime, actor: Actor, question: str, command: dict[str, Any], respond: Respond) -> None:
    thread = f"{command['channel_id']}:cs-{command['trigger_id']}"
    tell = lambda line: respond(text=line, replace_original=True, response_type="ephemeral")  # noqa: E731
    reply = run_turn_or_tell(runtime, actor, question, thread, message_id=f"cs-{command['trigger_id']}", tell=tell)
    if reply is None:
        return
    for n, message in enumerate(reply_messages(reply, owner=actor.user_id)):
        respond(text=message.text, blocks=message.blocks, replace_original=n == 0, response_type="ephemeral")
