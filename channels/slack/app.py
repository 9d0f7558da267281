"""The Bolt app: one WebClient (pointed at CSAGENT_SLACK_API_URL in tests), lazy listeners, nothing at import."""

from __future__ import annotations

import logging

from slack_bolt import App

from channels.slack.client import web_client
from channels.slack.listeners import register_listeners
from channels.slack.runtime import SlackRuntime
from domain.errors import ValidationError

_log = logging.getLogger(__name__)


def build_app(runtime: SlackRuntime, *, http: bool) -> App:
    """The Bolt app with every listener; `http` apps verify each request's signature with the signing secret."""
    settings = runtime.settings
    if not settings.slack_bot_token:
        raise ValidationError("set SLACK_BOT_TOKEN to run the Slack app")
    if http and not settings.slack_signing_secret:
        raise ValidationError("set SLACK_SIGNING_SECRET to receive Slack events over HTTP")
    app = App(
        name="csagent",
        client=web_client(settings.slack_bot_token, settings.slack_api_url),
        signing_secret=settings.slack_signing_secret or "",
        # Listeners only acknowledge; the answer comes from a lazy listener in a worker thread, so Slack gets
        # its 200 within 3 seconds in both HTTP and Socket Mode.
        process_before_response=True,
        # auth.test runs on the first request instead of at startup, so `csagent serve` starts without Slack.
        token_verification_enabled=False,
        request_verification_enabled=http,
        logger=_log,
    )
    register_listeners(app, runtime)
    return app
