"""Every route refuses a request without a valid token, and no route lets a CSM into another CSM's client."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from channels.web.app import create_app
from domain.settings import Settings

PUBLIC = re.compile(r"^/portal/|^/email/|^/slack/|^/docs|^/openapi|^/redoc|^/$|^/sign-in|^/static|^/chat|^/dashboard")


def _operations() -> list[tuple[str, str]]:
    schema = create_app(Settings(database_url="sqlite://")).openapi()
    return [
        (method.upper(), path)
        for path, methods in schema["paths"].items()
        for method in methods
        if path.startswith("/api/") and not PUBLIC.match(path)
    ]


OPERATIONS = _operations()


def _concrete(path: str, client_id: int) -> str:
    """Fill path parameters: the client under test where a client is named, id 1 elsewhere."""
    path = re.sub(r"\{(client_id|lead_id|supplier_id)\}", str(client_id), path)
    return re.sub(r"\{[a-z_]+\}", "1", path)


def test_every_api_route_is_documented_and_covered() -> None:
    assert len(OPERATIONS) >= 60
    assert ("GET", "/api/v1/client-success/clients") in OPERATIONS
    assert ("POST", "/api/v1/events") in OPERATIONS


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_no_token_is_401(api: TestClient, method: str, path: str) -> None:
    response = api.request(method, _concrete(path, 1), json={})
    assert response.status_code == 401, response.text
    assert response.json()["error"]["code"] == "unauthenticated"
    assert response.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("path", ["/api/v1/client-success/clients", "/api/v1/client-success/alerts"])
def test_bad_or_revoked_token_is_401(api: TestClient, path: str) -> None:
    response = api.get(path, headers={"Authorization": "Bearer csa_not-a-real-token"})
    assert response.status_code == 401
    assert response.json() == {"error": {"code": "unauthenticated", "message": "invalid or expired token"}}


CLIENT_READS = [
    path for method, path in OPERATIONS if method == "GET" and re.search(r"\{(client_id|lead_id|supplier_id)\}", path)
]


@pytest.mark.parametrize("path", CLIENT_READS)
def test_another_csms_client_is_403(
    api: TestClient, as_user: Callable[[str], dict[str, str]], ids: dict[str, int], path: str
) -> None:
    response = api.get(_concrete(path, ids["johns_client"]), headers=as_user("jane"))
    assert response.status_code == 403, response.text
    assert response.json()["error"]["code"] == "forbidden"
    assert "not in your portfolio" in response.json()["error"]["message"]


CLIENT_WRITES: list[tuple[str, str, dict[str, Any]]] = [
    ("PUT", "/api/v1/client-success/clients/{id}", {"tags": ["x"]}),
    ("POST", "/api/v1/client-success/clients/{id}/health/refresh", {}),
    ("POST", "/api/v1/client-success/clients/{id}/activities",
     {"activity_type": "CALL", "subject": "s", "occurred_at": "2026-11-20T10:00:00Z"}),
    ("POST", "/api/v1/client-success/clients/{id}/contacts", {"name": "New Person"}),
    ("POST", "/api/v1/client-success/clients/{id}/notes", {"content": "hello"}),
    ("POST", "/api/v1/client-success/clients/{id}/ai/actions", {}),
    ("POST", "/api/v1/client-success/clients/{id}/ai/email-draft", {"purpose": "check_in"}),
    ("POST", "/api/leads/{id}/client-success", {"type": "risk", "payload": {"description": "late data"}}),
    ("POST", "/api/client/success", {"clientId": "{id}"}),
    ("POST", "/api/success/milestone", {"supplierId": "{id}", "milestone_type": "fully_activated"}),
    ("POST", "/api/support/schedule-call", {"supplierId": "{id}", "date": "2026-11-30"}),
]  # fmt: skip


@pytest.mark.parametrize(("method", "path", "body"), CLIENT_WRITES, ids=[f"{m} {p}" for m, p, _b in CLIENT_WRITES])
def test_writes_to_another_csms_client_are_403(
    api: TestClient,
    as_user: Callable[[str], dict[str, str]],
    ids: dict[str, int],
    method: str,
    path: str,
    body: dict[str, Any],
) -> None:
    client = ids["johns_client"]
    filled = {key: (client if value == "{id}" else value) for key, value in body.items()}
    response = api.request(method, path.replace("{id}", str(client)), json=filled, headers=as_user("jane"))
    assert response.status_code == 403, response.text


def test_unknown_client_is_404_and_another_tenants_never_403(
    api: TestClient, as_user: Callable[[str], dict[str, str]]
) -> None:
    response = api.get("/api/v1/client-success/clients/999999", headers=as_user("jane"))
    assert response.status_code == 404
    assert response.json()["error"] == {"code": "not_found", "message": "no client with id 999999"}
