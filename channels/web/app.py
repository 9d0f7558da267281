"""The FastAPI app: REST API, web chat, dashboard, client portal; `csagent serve` runs it with uvicorn."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from sqlalchemy import Engine

from channels.email.inbound import router as inbound_email_router
from channels.slack.http import mount_slack
from channels.web.errors import install_error_handlers
from channels.web.routes.api_all import API_ROUTERS
from channels.web.routes.web_all import WEB_ROUTERS, static_files
from channels.web.state import WebState
from domain.db import make_engine, make_session_factory
from domain.settings import Settings


def create_app(settings: Settings, engine: Engine | None = None) -> FastAPI:
    """Build the app over `settings`' database (or a given engine, which the caller then owns)."""
    owned = engine is None
    engine = engine or make_engine(settings.database_url)
    state = WebState(settings=settings, engine=engine, sessions=make_session_factory(engine))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        state.close()
        if owned:
            engine.dispose()

    app = FastAPI(
        title="csagent",
        version="1.0.0",
        description="Client success: health scores, alerts, outcomes, engagements and a conversational agent.",
        lifespan=lifespan,
    )
    app.state.web = state
    install_error_handlers(app)
    # Routers, one concern each (see channels/web/routes/).
    app.include_router(inbound_email_router)  # POST /email/inbound (channels/email/inbound.py)
    mount_slack(app, state)  # POST /slack/events, only when a Slack bot token and signing secret are set
    for router in API_ROUTERS:  # REST API and client portal (channels/web/routes/api_all.py)
        app.include_router(router)
    for router in WEB_ROUTERS:  # sign-in, chat, conversations, dashboard pages (channels/web/routes/web_all.py)
        app.include_router(router)
    app.mount("/static", static_files(), name="static")
    return app
