"""Web sign-in: demo one-click (only in demo mode), password, API token; httpOnly cookie; sign-out revokes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from channels.web.app import create_app
from channels.web.deps import SESSION_COOKIE
from domain.staff.auth import issue_token, set_password
from domain.staff.models import ApiToken, User
from tests.channels.web.chat.conftest import JANE, web_settings


def _jane(db: Session) -> User:
    user = db.scalar(select(User).where(User.email == JANE))
    assert user is not None
    return user


def test_demo_sign_in_sets_a_strict_http_only_cookie(web: TestClient) -> None:
    users = web.get("/session/demo-users").json()
    assert {"email": JANE, "name": "Jane Doe", "role": "CSM", "kind": "demo"} in users
    response = web.post("/session/demo", json={"email": JANE})
    assert response.status_code == 200
    assert response.json()["user"]["name"] == "Jane Doe"
    assert response.json()["offline"] is True
    cookie = response.headers["set-cookie"].lower()
    assert cookie.startswith(f"{SESSION_COOKIE}=csa_")
    assert "httponly" in cookie
    assert "samesite=strict" in cookie
    assert "max-age=43200" in cookie
    assert web.get("/session").json()["user"]["email"] == JANE


def test_demo_sign_in_is_off_by_default(demo_engine: Engine, tmp_path: Path) -> None:
    app = create_app(web_settings(demo_engine, tmp_path, demo_sign_in=False), engine=demo_engine)
    with TestClient(app) as client:
        assert client.get("/session/demo-users").status_code == 404
        refused = client.post("/session/demo", json={"email": JANE})
        assert refused.status_code == 403
        assert SESSION_COOKIE not in refused.cookies
        assert "Demo tenant" not in client.get("/sign-in").text


def test_password_sign_in_and_a_wrong_password(web: TestClient, db: Session) -> None:
    set_password(db, _jane(db), "correct horse battery")
    db.commit()
    wrong = web.post("/session", json={"email": JANE, "password": "nope nope nope"})
    assert wrong.status_code == 403
    assert wrong.json()["error"]["message"] == "wrong email or password"
    assert web.get("/session").status_code == 401
    right = web.post("/session", json={"email": "Jane@Demo.csagent.dev ", "password": "correct horse battery"})
    assert right.status_code == 200
    assert web.get("/session").json()["user"]["email"] == JANE


def test_token_sign_in_and_missing_credentials(web: TestClient, db: Session) -> None:
    _row, plain = issue_token(db, _jane(db), name="laptop")
    db.commit()
    assert web.post("/session", json={}).status_code == 422
    assert web.post("/session", json={"token": "csa_forged"}).status_code == 403
    assert web.post("/session", json={"token": plain}).status_code == 200
    assert web.get("/session").json()["user"]["name"] == "Jane Doe"


def test_sign_out_revokes_the_session_token(sign_in: Callable[[str], TestClient], db: Session) -> None:
    web = sign_in(JANE)
    token = web.cookies[SESSION_COOKIE]
    assert web.delete("/session").status_code == 204
    row = db.scalar(select(ApiToken).where(ApiToken.name == "web session", ApiToken.user_id == _jane(db).id))
    assert row is not None
    assert row.revoked_at is not None
    assert row.revoked_at <= dt.datetime.now(dt.UTC)
    web.cookies.set(SESSION_COOKIE, token)  # a copied cookie no longer works
    assert web.get("/session").status_code == 401


def test_pages_send_strangers_to_sign_in(web: TestClient) -> None:
    for path in ["/", "/dashboard", "/dashboard/clients/1"]:
        response = web.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert "/sign-in?next=" in response.headers["location"]
    page = web.get("/sign-in")
    assert page.status_code == 200
    assert "Demo tenant" in page.text
    assert "https://" not in page.text


def test_pages_render_for_a_signed_in_user(sign_in: Callable[[str], TestClient]) -> None:
    web = sign_in(JANE)
    chat = web.get("/")
    assert chat.status_code == 200
    assert "Jane Doe" in chat.text
    assert "Running without an LLM" in chat.text
    assert "/static/js/chat.js" in chat.text
    assert 'data-client-id="7"' in web.get("/dashboard/clients/7").text
    assert web.get("/static/js/chart.js").status_code == 200
