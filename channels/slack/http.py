"""POST /slack/events in the FastAPI app (Events API, interactivity and /cs share the one URL)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from fastapi import APIRouter, FastAPI, Request, Response
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from starlette.concurrency import run_in_threadpool

from channels.slack.app import build_app
from channels.slack.runtime import SlackRuntime, utc_now
from channels.web.state import WebState


def mount_slack(app: FastAPI, state: WebState, *, clock: Callable[[], dt.datetime] = utc_now) -> None:
    """Serve Slack's requests when a bot token and a signing secret are configured; otherwise add nothing."""
    settings = state.settings
    if not (settings.slack_bot_token and settings.slack_signing_secret):
        return
    runtime = SlackRuntime(settings=settings, sessions=state.sessions, agent=state.agent, clock=clock)
    bolt = build_app(runtime, http=True)
    router = APIRouter()

    @router.post("/slack/events", include_in_schema=False)
    async def slack_events(request: Request) -> Response:
        # The adapter's own request/response conversion; dispatch runs in a worker thread because Bolt's
        # sync app blocks (signature check, first auth.test), and the event loop also serves the web chat.
        body = await request.body()
        bolt_response = await run_in_threadpool(bolt.dispatch, to_bolt_request(request, body))
        return to_starlette_response(bolt_response)

    app.include_router(router)
