"""The HTML pages: sign-in, chat and dashboard shells. Their data comes from the JSON routes the pages call."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from channels.web.deps import SESSION_COOKIE, SessionDep, StateDep
from domain.access import Actor
from domain.errors import AccessDeniedError
from domain.staff.auth import actor_for_token

TEMPLATES = Jinja2Templates(directory=Path(__file__).resolve().parent.parent / "templates")
router = APIRouter(tags=["pages"], include_in_schema=False)


def signed_in(request: Request, session: SessionDep) -> Actor | None:
    """The cookie's user, or None: pages send strangers to the sign-in page instead of answering 401."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    try:
        return actor_for_token(session, token, now=dt.datetime.now(dt.UTC))
    except AccessDeniedError:
        return None


MaybeActor = Annotated[Actor | None, Depends(signed_in)]


def _page(request: Request, template: str, actor: Actor, state: StateDep, **extra: object) -> Response:
    context = {"user": actor, "model": state.settings.model, "offline": state.settings.model == "offline", **extra}
    return TEMPLATES.TemplateResponse(request, template, context)


def _to_sign_in(request: Request) -> RedirectResponse:
    return RedirectResponse(request.url_for("sign_in_page").include_query_params(next=request.url.path), 303)


@router.get("/", response_class=HTMLResponse)
def chat_page(request: Request, actor: MaybeActor, state: StateDep) -> Response:
    return _page(request, "chat.html", actor, state) if actor else _to_sign_in(request)


@router.get("/sign-in", response_class=HTMLResponse, name="sign_in_page")
def sign_in_page(request: Request, state: StateDep) -> Response:
    return TEMPLATES.TemplateResponse(request, "sign_in.html", {"demo": state.settings.demo_sign_in})


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard_page(request: Request, actor: MaybeActor, state: StateDep) -> Response:
    return _page(request, "dashboard.html", actor, state) if actor else _to_sign_in(request)


@router.get("/dashboard/clients/{client_id}", response_class=HTMLResponse)
def client_page(client_id: int, request: Request, actor: MaybeActor, state: StateDep) -> Response:
    if actor is None:
        return _to_sign_in(request)
    return _page(request, "client.html", actor, state, client_id=client_id)
