"""The seeds' own routes on the same services: seed 000 leads, seed 001 client success, seed 002 supplier."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.clients.models import Client
from domain.db import make_session_factory, session_scope
from domain.insights.service import generate_weekly_insights
from domain.success.models import Risk
from domain.usage.models import EngagementEvent

Headers = Callable[[str], dict[str, str]]
LAST_MONDAY = dt.date(2026, 11, 16)  # the week before the demo's as-of day


def _engaged_client(api: TestClient, as_user: Headers) -> int:
    """A client with a live engagement, where the success layer is open (seed 000)."""
    rows = api.get("/api/v1/client-success/clients?search=Northwind", headers=as_user("jane")).json()["data"]
    return int(rows[0]["id"])


def test_seed_000_get_and_post_each_type(api: TestClient, as_user: Headers, db: Session) -> None:
    client = _engaged_client(api, as_user)
    url = f"/api/leads/{client}/client-success"
    data = api.get(url, headers=as_user("jane")).json()
    assert data["target"] is not None
    assert data["baseline"] is not None
    unit = data["target"]["unit"]
    posts = [
        {
            "type": "intervention",
            "payload": {"kind": "automation", "title": "Auto-routing", "occurredOn": "2026-11-20"},
        },
        {"type": "outcome_entry", "payload": {"value": 3, "unit": unit, "weekStart": "2026-11-16"}},
        {"type": "feedback", "payload": {"response": "Reports are still slow", "sentiment": "negative"}},
        {"type": "risk", "payload": {"description": "Data export delayed", "severity": "high"}},
    ]
    for body in posts:
        response = api.post(url, json=body, headers=as_user("jane"))
        assert response.status_code == 200, response.text
        assert response.json()["success"] is True
        assert response.json()["type"] == body["type"]
    risk_id = api.get(url, headers=as_user("jane")).json()["risks"][0]["id"]
    resolved = api.post(url, json={"type": "resolve_risk", "riskId": risk_id}, headers=as_user("jane")).json()
    assert resolved["result"]["status"] == "resolved"


def test_seed_000_idempotent_and_readable_errors(api: TestClient, as_user: Headers, db: Session) -> None:
    client = _engaged_client(api, as_user)
    url = f"/api/leads/{client}/client-success"
    before = db.scalar(select(func.count()).select_from(Risk).where(Risk.client_id == client))
    headers = {**as_user("jane"), "Idempotency-Key": "risk-1"}
    body = {"type": "risk", "payload": {"description": "Champion on leave"}}
    first, retry = api.post(url, json=body, headers=headers), api.post(url, json=body, headers=headers)
    assert first.json() == retry.json()
    assert db.scalar(select(func.count()).select_from(Risk).where(Risk.client_id == client)) == (before or 0) + 1
    unknown = api.post(url, json={"type": "horoscope", "payload": {}}, headers=as_user("jane"))
    assert unknown.status_code == 422
    assert "type" in unknown.json()["error"]["message"]
    target = {"type": "result_target", "payload": {"currentState": "slow", "targetState": "fast", "metric": "hours",
              "unit": "hours", "direction": "lower_is_better", "currentValue": 10, "targetValue": 20,
              "timeline": "2027-03-01"}}  # fmt: skip
    wrong_way = api.post(url, json=target, headers=as_user("jane"))
    assert wrong_way.status_code == 422
    assert "lower" in wrong_way.json()["error"]["message"]


def test_seed_001_score_insights_heatmap_and_patch(
    api: TestClient, as_user: Headers, ids: dict[str, int], db: Session
) -> None:
    acme = ids["acme"]
    calculated = api.post("/api/client/success", json={"clientId": acme}, headers=as_user("jane")).json()
    assert calculated["model_key"] == "success"
    assert 0 <= calculated["overall"] <= 100
    client = db.get(Client, acme)
    assert client is not None
    with session_scope(make_session_factory(db.get_bind())) as session:  # type: ignore[arg-type]
        generate_weekly_insights(db_session=session, workspace_id=client.workspace_id, week_start=LAST_MONDAY)
    overview = api.get(f"/api/client/success?clientId={acme}", headers=as_user("jane")).json()
    assert overview["score"]["overall"] == calculated["overall"]
    assert overview["heatmap"]["grid"]
    insight = overview["insights"][0]
    read = api.patch(
        "/api/client/success", json={"action": "mark-read", "insightId": insight["id"]}, headers=as_user("jane")
    )
    assert read.json()["insight"]["status"] == "read"
    event = {
        "eventId": "web-evt-1",
        "eventType": "content_generated",
        "userId": "u-1",
        "occurredAt": "2026-11-22T09:00:00Z",
    }
    patch = {"action": "track-event", "clientId": acme, "event": event}
    first = api.patch("/api/client/success", json=patch, headers=as_user("jane")).json()
    again = api.patch("/api/client/success", json=patch, headers=as_user("jane")).json()
    assert (first["ingest"]["inserted"], again["ingest"]["inserted"], again["ingest"]["duplicates"]) == (1, 0, 1)
    assert (
        db.scalar(select(func.count()).select_from(EngagementEvent).where(EngagementEvent.event_id == "web-evt-1")) == 1
    )
    missing = api.patch("/api/client/success", json={"action": "dismiss"}, headers=as_user("jane"))
    assert missing.status_code == 422
    assert "needs insightId" in missing.json()["error"]["message"]


def test_seed_002_health_milestone_recommendations_call(api: TestClient, as_user: Headers, ids: dict[str, int]) -> None:
    acme = ids["acme"]
    health = api.get(f"/api/health/score/{acme}", headers=as_user("jane")).json()
    assert health["risk_level"] in {"healthy", "at_risk", "critical"}
    assert sum(c["weight"] for c in health["components"]) == 100
    body = {"supplierId": acme, "milestone_type": "fully_activated", "achievedAt": "2026-11-20T12:00:00Z"}
    first = api.post("/api/success/milestone", json=body, headers=as_user("jane")).json()
    again = api.post("/api/success/milestone", json=body, headers=as_user("jane")).json()
    assert first["milestone"]["id"] == again["milestone"]["id"]
    assert again["created"] is False
    unknown = api.post(
        "/api/success/milestone", json={**body, "milestone_type": "moon_landing"}, headers=as_user("jane")
    )
    assert unknown.status_code == 422
    assert "known:" in unknown.json()["error"]["message"]
    recommendations = api.get(f"/api/success/recommendations/{acme}", headers=as_user("jane")).json()
    assert recommendations["supplier_id"] == acme
    headers = {**as_user("jane"), "Idempotency-Key": "call-1"}
    call = {"supplierId": acme, "type": "onboarding_call", "date": "2026-11-27"}
    booked = api.post("/api/support/schedule-call", json=call, headers=headers)
    assert booked.status_code == 201
    assert booked.json()["follow_up_date"] == "2026-11-27"
    assert api.post("/api/support/schedule-call", json=call, headers=headers).json()["id"] == booked.json()["id"]
    past = api.post("/api/support/schedule-call", json={**call, "date": "2026-11-01"}, headers=as_user("jane"))
    assert past.status_code == 422
