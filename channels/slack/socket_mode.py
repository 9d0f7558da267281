"""`csagent slack`: the same Bolt app over a Socket Mode connection (no public URL needed)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

from slack_bolt.adapter.socket_mode import SocketModeHandler
from sqlalchemy import Engine

from channels.slack.app import build_app
from channels.slack.runtime import SlackRuntime, utc_now
from domain.db import make_session_factory
from domain.errors import ValidationError
from domain.settings import Settings


def run_socket_mode(
    settings: Settings,
    engine: Engine,
    stop: threading.Event,
    *,
    on_connected: Callable[[], None] | None = None,
    clock: Callable[[], dt.datetime] = utc_now,
) -> None:
    """Connect, answer until `stop` is set, then close the connection and the agent."""
    from agent.runner import open_agent

    if not settings.slack_app_token:
        raise ValidationError("set SLACK_APP_TOKEN (an xapp- app-level token with connections:write) for Socket Mode")
    with open_agent(settings, engine) as agent:
        sessions = make_session_factory(engine)
        runtime = SlackRuntime(settings=settings, sessions=sessions, agent=lambda: agent, clock=clock)
        app = build_app(runtime, http=False)
        handler = SocketModeHandler(app, app_token=settings.slack_app_token)
        handler.connect()  # type: ignore[no-untyped-call]
        try:
            if on_connected is not None:
                on_connected()
            stop.wait()
        finally:
            handler.close()  # type: ignore[no-untyped-call]
