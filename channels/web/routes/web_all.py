"""The browser side of the app: pages, sign-in, chat, conversations, and the static files they load."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.staticfiles import StaticFiles

from channels.web.routes import chat, conversations, pages, session

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
WEB_ROUTERS: list[APIRouter] = [pages.router, session.router, chat.router, conversations.router]


def static_files() -> StaticFiles:
    return StaticFiles(directory=STATIC_DIR)
