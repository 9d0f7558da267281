"""Request dependencies: one transaction per request, and the Actor behind a bearer token or session cookie."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from channels.web.state import WebState
from domain.access import Actor
from domain.db import session_scope
from domain.errors import AccessDeniedError
from domain.staff.auth import actor_for_token

SESSION_COOKIE = "csagent_token"
_bearer = HTTPBearer(auto_error=False, description="A personal API token (`csagent users token`).")


class NotAuthenticatedError(AccessDeniedError):
    """No credentials, or credentials that do not identify an active user: HTTP 401."""


def web_state(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


def db_session(state: Annotated[WebState, Depends(web_state)]) -> Iterator[Session]:
    """Services flush, the request commits: everything the request wrote lands together or not at all."""
    with session_scope(state.sessions) as session:
        yield session


def current_actor(
    request: Request,
    session: Annotated[Session, Depends(db_session)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Actor:
    token = credentials.credentials if credentials is not None else request.cookies.get(SESSION_COOKIE)
    if not token:
        raise NotAuthenticatedError("sign in first: send 'Authorization: Bearer <token>'")
    try:
        return actor_for_token(session, token, now=dt.datetime.now(dt.UTC))
    except AccessDeniedError as problem:
        raise NotAuthenticatedError(str(problem)) from None


SessionDep = Annotated[Session, Depends(db_session)]
ActorDep = Annotated[Actor, Depends(current_actor)]
StateDep = Annotated[WebState, Depends(web_state)]
