"""Each listener kind registers itself on the Bolt app; the work lives in the modules they call."""

from __future__ import annotations

from slack_bolt import App

from channels.slack.listeners import alerts, briefing, commands, messages, writes
from channels.slack.runtime import SlackRuntime


def register_listeners(app: App, runtime: SlackRuntime) -> None:
    messages.register(app, runtime)
    writes.register(app, runtime)
    alerts.register(app, runtime)
    commands.register(app, runtime)
    briefing.register(app, runtime)
