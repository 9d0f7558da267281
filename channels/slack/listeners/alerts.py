"""Alert buttons: the clicking staff user acknowledges, snoozes or dismisses through the domain's lifecycle."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from slack_bolt import App, Respond
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from channels.slack.blocks import ALERT_ACTIONS, replace_alert
from channels.slack.identity import LINK_HELP
from channels.slack.listeners.messages import acknowledge
from channels.slack.runtime import SlackRuntime
from domain.access import Actor
from domain.alerts.schemas import AlertView
from domain.alerts.service import acknowledge_alert, dismiss_alert, snooze_alert
from domain.db import session_scope
from domain.errors import DomainError

Change = Callable[[Session, Actor, int, dt.datetime], AlertView]
CHANGES: dict[str, tuple[str, Change]] = {
    "alert_ack": ("Acknowledged", lambda s, a, i, n: acknowledge_alert(db_session=s, actor=a, alert_id=i, now=n)),
    "alert_snooze_day": (
        "Snoozed for a day",
        lambda s, a, i, n: snooze_alert(db_session=s, actor=a, alert_id=i, now=n, days=1),
    ),
    "alert_snooze_week": (
        "Snoozed for a week",
        lambda s, a, i, n: snooze_alert(db_session=s, actor=a, alert_id=i, now=n, days=7),
    ),
    "alert_dismiss": ("Dismissed", lambda s, a, i, n: dismiss_alert(db_session=s, actor=a, alert_id=i, now=n)),
}
assert CHANGES.keys() == ALERT_ACTIONS.keys()


def change_alert(runtime: SlackRuntime, actor: Actor, action_id: str, alert_id: int) -> tuple[AlertView, str]:
    """Apply one button's change in its own transaction; the lifecycle makes a repeated click harmless."""
    verb, change = CHANGES[action_id]
    with session_scope(runtime.sessions) as session:
        view = change(session, actor, alert_id, runtime.clock())
    return view, f"{verb} by {actor.name}"


def register(app: App, runtime: SlackRuntime) -> None:
    def on_alert_button(body: dict[str, Any], client: WebClient, respond: Respond) -> None:
        action = body["actions"][0]
        actor = runtime.directory.actor_for(client, body["user"]["id"])
        if actor is None:
            respond(text=LINK_HELP, response_type="ephemeral", replace_original=False)
            return
        try:
            view, done = change_alert(runtime, actor, action["action_id"], int(action["value"]))
        except DomainError as problem:  # not theirs to change, or already dismissed
            respond(text=str(problem), response_type="ephemeral", replace_original=False)
            return
        blocks = replace_alert(list((body.get("message") or {}).get("blocks", [])), view.model_dump(mode="json"), done)
        respond(text=f"{done}: {view.title}", blocks=blocks, replace_original=True)

    for action_id in CHANGES:
        app.action(action_id)(ack=acknowledge, lazy=[on_alert_button])
