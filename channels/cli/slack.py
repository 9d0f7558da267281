"""`csagent slack`: run the Slack app over Socket Mode until Ctrl-C or SIGTERM."""

from __future__ import annotations

import signal
import threading
from types import FrameType
from urllib.error import URLError

from channels.cli.context import load_settings, open_engine
from channels.cli.output import console
from domain.errors import DomainError, ValidationError


def slack() -> None:
    """Connect csagent to Slack over Socket Mode (SLACK_BOT_TOKEN, SLACK_APP_TOKEN); Ctrl-C to stop."""
    from slack_sdk.errors import SlackApiError  # the Slack stack loads only for this command

    from channels.slack.socket_mode import run_socket_mode

    settings = load_settings()
    missing = [name for name, value in (("SLACK_BOT_TOKEN", settings.slack_bot_token),
                                        ("SLACK_APP_TOKEN", settings.slack_app_token)) if not value]  # fmt: skip
    if missing:
        raise ValidationError(f"set {' and '.join(missing)} first (see channels/slack/README.md)")
    stop = threading.Event()

    def request_stop(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    engine = open_engine(settings)
    try:
        run_socket_mode(
            settings,
            engine,
            stop,
            on_connected=lambda: console.print("connected to Slack over Socket Mode; Ctrl-C to stop"),
        )
    except (URLError, SlackApiError, OSError) as problem:  # Slack unreachable, or it refused the tokens
        reason = problem.response.get("error") if isinstance(problem, SlackApiError) else problem
        raise DomainError(f"cannot connect to Slack: {reason}") from None
    finally:
        engine.dispose()
    console.print("disconnected")
