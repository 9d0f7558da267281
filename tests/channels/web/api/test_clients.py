"""Client list (filters, sort, seed 004 pagination), client detail and labels, health, history and churn."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.audit import AuditLog
from domain.clients.models import Client

BASE = "/api/v1/client-success"
Headers = Callable[[str], dict[str, str]]


def test_list_is_scoped_paginated_and_sorted(api: TestClient, as_user: Headers) -> None:
    first = api.get(f"{BASE}/clients?limit=5", headers=as_user("jane")).json()
    assert first["pagination"] == {"page": 1, "limit": 5, "total": 12, "pages": 3}
    scores = [row["health_score"] for row in first["data"]]
    assert scores == sorted(scores)
    assert {row["csm_email"] for row in first["data"]} == {"jane@demo.csagent.dev"}
    last = api.get(f"{BASE}/clients?limit=5&page=3", headers=as_user("jane")).json()
    assert len(last["data"]) == 2
    everyone = api.get(f"{BASE}/clients?limit=200", headers=as_user("vp")).json()
    assert everyone["pagination"]["total"] == 60 == len(everyone["data"])


def test_list_filters_like_seed_004_example(api: TestClient, as_user: Headers, ids: dict[str, int]) -> None:
    url = f"{BASE}/clients?health_status=AT_RISK&csm_id={ids['jane']}&limit=10"
    body = api.get(url, headers=as_user("vp")).json()
    assert body["data"], "the demo gives Jane at-risk clients"
    assert all(row["health_status"] == "AT_RISK" and row["csm_user_id"] == ids["jane"] for row in body["data"])
    acme = next(row for row in body["data"] if row["name"] == "Acme Corp")
    assert acme["risk_factors"]
    assert {"factor", "impact", "detail"} <= set(acme["risk_factors"][0])
    by_arr = api.get(f"{BASE}/clients?sort=annual_recurring_revenue&order=desc", headers=as_user("vp")).json()["data"]
    arrs = [float(row["annual_recurring_revenue"]) for row in by_arr]
    assert arrs == sorted(arrs, reverse=True)
    found = api.get(f"{BASE}/clients?search=acme", headers=as_user("jane")).json()["data"]
    assert [row["name"] for row in found] == ["Acme Corp"]


def test_csm_cannot_filter_to_another_csm(api: TestClient, as_user: Headers, ids: dict[str, int]) -> None:
    response = api.get(f"{BASE}/clients?csm_id={ids['john']}", headers=as_user("jane"))
    assert response.status_code == 403
    assert "own portfolio" in response.json()["error"]["message"]


def test_bad_query_is_422_with_readable_message(api: TestClient, as_user: Headers) -> None:
    response = api.get(f"{BASE}/clients?limit=0&health_status=GREAT", headers=as_user("jane"))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["message"].startswith("invalid request: ")
    assert {detail["field"] for detail in error["details"]} == {"limit", "health_status"}


def test_detail_overview(api: TestClient, as_user: Headers, ids: dict[str, int]) -> None:
    body = api.get(f"{BASE}/clients/{ids['acme']}", headers=as_user("jane")).json()
    assert body["name"] == "Acme Corp"
    assert body["as_of"] == "2026-11-22"
    assert body["health_trend_90d"]
    assert body["key_contacts"]
    assert body["open_alerts"]


def test_put_client_changes_tags_and_segment_once(
    api: TestClient, as_user: Headers, ids: dict[str, int], db: Session
) -> None:
    url = f"{BASE}/clients/{ids['acme']}"
    body = {"tags": [" renewal-2027 ", "exec-sponsor", "renewal-2027"], "segment": "enterprise-east"}
    response = api.put(url, json=body, headers=as_user("jane"))
    assert response.status_code == 200
    assert response.json()["tags"] == ["renewal-2027", "exec-sponsor"]
    api.put(url, json=body, headers=as_user("jane"))  # the same change again
    client = db.get(Client, ids["acme"])
    assert client is not None
    assert client.segment == "enterprise-east"
    audits = db.scalars(select(AuditLog).where(AuditLog.entity_type == "client", AuditLog.entity_id == str(client.id)))
    assert len(audits.all()) == 1
    assert api.put(url, json={"tags": None}, headers=as_user("jane")).status_code == 422
    assert api.put(url, json={"name": "Renamed"}, headers=as_user("jane")).status_code == 422


def test_health_has_components_weights_drivers_and_benchmarks(
    api: TestClient, as_user: Headers, ids: dict[str, int]
) -> None:
    body = api.get(f"{BASE}/clients/{ids['acme']}/health", headers=as_user("jane")).json()
    assert {c["name"] for c in body["components"]} == {
        "usage",
        "adoption",
        "support",
        "relationship",
        "contract",
        "outcome",
    }
    assert sum(c["weight"] for c in body["components"]) == 100
    assert all(c["status"] in {"good", "fair", "poor", "no_data"} for c in body["components"])
    assert abs(sum(d["contribution"] for d in body["drivers"]) - body["trend_change"]) < 0.05
    assert body["trend_change"] < 0  # Acme's story: health fell over the month
    assert body["benchmarks"]["tier_percentile"] is not None
    assert body["recommended_actions"]


def test_history_is_daily_with_events(api: TestClient, as_user: Headers, ids: dict[str, int]) -> None:
    body = api.get(f"{BASE}/clients/{ids['acme']}/health/history?days=90", headers=as_user("jane")).json()
    days = [point["day"] for point in body["points"]]
    assert days == sorted(days)
    assert days[-1] == "2026-11-22"
    assert body["start"] == "2026-08-25"
    assert body["events"]
    assert api.get(f"{BASE}/clients/{ids['acme']}/health/history?days=0", headers=as_user("jane")).status_code == 422


def test_refresh_rewrites_the_day_once(api: TestClient, as_user: Headers, ids: dict[str, int]) -> None:
    url = f"{BASE}/clients/{ids['acme']}/health/refresh"
    first = api.post(url, headers=as_user("jane")).json()
    second = api.post(url, headers=as_user("jane")).json()
    assert first["overall_score"] == second["overall_score"]
    assert first["snapshot_ids"][-1] != 0
    history = api.get(f"{BASE}/clients/{ids['acme']}/health/history?days=1", headers=as_user("jane")).json()
    assert len(history["points"]) == 1  # re-running the day replaced its snapshot


def test_churn_risk(api: TestClient, as_user: Headers, ids: dict[str, int]) -> None:
    body = api.get(f"{BASE}/clients/{ids['acme']}/churn-risk", headers=as_user("jane")).json()
    assert 0 <= body["probability_30d"] <= body["probability_60d"] <= body["probability_90d"] <= 1
    assert body["factors"]
    assert body["risk_band"] in {"low", "medium", "high"}
