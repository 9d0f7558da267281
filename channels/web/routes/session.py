"""Web sign-in and sign-out: a password, a pasted API token, or (demo only) one click; the session is a token cookie."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from channels.web.deps import SESSION_COOKIE, ActorDep, SessionDep, StateDep
from domain.access import Actor
from domain.demo import DEMO_WORKSPACE_SLUG
from domain.errors import AccessDeniedError, NotFoundError, ValidationError
from domain.staff.auth import actor_for_password, actor_for_token, hash_token, issue_token, revoke_token
from domain.staff.models import ApiToken, User, Workspace

SESSION_HOURS = 12
router = APIRouter(prefix="/session", tags=["web session"], include_in_schema=False)


class SignIn(BaseModel):
    """Either email + password, or a personal API token (`csagent users token`)."""

    email: str | None = Field(None, max_length=254)
    password: str | None = Field(None, max_length=1000)
    token: str | None = Field(None, max_length=200)


class DemoSignIn(BaseModel):
    email: str = Field(max_length=254)


class SessionUser(BaseModel):
    email: str
    name: str
    role: str


class SessionInfo(BaseModel):
    user: SessionUser
    model: str
    offline: bool


class DemoUser(SessionUser):
    kind: Literal["demo"] = "demo"


def _info(actor: Actor, model: str) -> SessionInfo:
    user = SessionUser(email=actor.email, name=actor.name, role=actor.role.value)
    return SessionInfo(user=user, model=model, offline=model == "offline")


def _start_session(session: Session, actor: Actor, request: Request, response: Response) -> None:
    """Issue a short-lived token for this browser and hand it over as an httpOnly, same-site-only cookie."""
    user = session.get(User, actor.user_id)
    assert user is not None  # the actor was just resolved from this user
    expires = dt.datetime.now(dt.UTC) + dt.timedelta(hours=SESSION_HOURS)
    _row, plain = issue_token(session, user, name="web session", expires_at=expires)
    # Committed before the response leaves: the browser's next request (often immediate) must find the token.
    session.commit()
    response.set_cookie(
        SESSION_COOKIE,
        plain,
        max_age=SESSION_HOURS * 3600,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )


@router.post("", response_model=SessionInfo, summary="Sign in with a password or an API token")
def sign_in(body: SignIn, request: Request, response: Response, session: SessionDep, state: StateDep) -> SessionInfo:
    if body.token:
        actor = actor_for_token(session, body.token.strip(), now=dt.datetime.now(dt.UTC))
    elif body.email and body.password:
        actor = actor_for_password(session, body.email, body.password)
    else:
        raise ValidationError("enter your email and password, or paste an API token")
    _start_session(session, actor, request, response)
    return _info(actor, state.settings.model)


@router.get("/demo-users", response_model=list[DemoUser], summary="Demo staff to sign in as (demo mode only)")
def demo_users(session: SessionDep, state: StateDep) -> list[DemoUser]:
    if not state.settings.demo_sign_in:
        raise NotFoundError("demo sign-in is off (start the server with `csagent serve --demo`)")
    rows = session.scalars(
        select(User)
        .join(Workspace, Workspace.id == User.workspace_id)
        .where(Workspace.slug == DEMO_WORKSPACE_SLUG, User.is_active.is_(True))
        .order_by(User.id)
    )
    return [DemoUser(email=row.email, name=row.name, role=row.role.value) for row in rows]


@router.post("/demo", response_model=SessionInfo, summary="Sign in as a demo user (demo mode only)")
def demo_sign_in(
    body: DemoSignIn, request: Request, response: Response, session: SessionDep, state: StateDep
) -> SessionInfo:
    if not state.settings.demo_sign_in:
        raise AccessDeniedError("demo sign-in is off")
    user = session.scalar(
        select(User)
        .join(Workspace, Workspace.id == User.workspace_id)
        .where(Workspace.slug == DEMO_WORKSPACE_SLUG, User.email == body.email.strip().lower())
    )
    if user is None or not user.is_active:
        raise NotFoundError(f"no demo user {body.email.strip()!r}")
    actor = Actor.from_user(user)
    _start_session(session, actor, request, response)
    return _info(actor, state.settings.model)


@router.get("", response_model=SessionInfo, summary="Who is signed in")
def whoami(actor: ActorDep, state: StateDep) -> SessionInfo:
    return _info(actor, state.settings.model)


@router.delete("", status_code=204, summary="Sign out: the session token is revoked")
def sign_out(request: Request, session: SessionDep) -> Response:
    """Always clears the cookie; a still-valid session token is revoked so a copied cookie stops working too."""
    token = request.cookies.get(SESSION_COOKIE)
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token))) if token else None
    if token and row is not None:
        try:
            actor = actor_for_token(session, token, now=dt.datetime.now(dt.UTC))
            revoke_token(session, actor, row.id, now=dt.datetime.now(dt.UTC))
        except AccessDeniedError:
            pass  # already expired or revoked: nothing left to revoke
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
    return response
