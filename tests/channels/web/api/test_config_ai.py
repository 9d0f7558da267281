"""Score and alert configuration (with simulate), and the AI endpoints (agent and single tools)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

BASE = "/api/v1/client-success"
Headers = Callable[[str], dict[str, str]]


def _health_default(api: TestClient, headers: dict[str, str]) -> dict:  # type: ignore[type-arg]
    configs = api.get(f"{BASE}/config/health-score?model_key=health", headers=headers).json()
    return next(config for config in configs if config["scope_key"] == "*")


def test_simulate_saves_nothing_and_reweight_is_a_new_version(api: TestClient, as_user: Headers) -> None:
    vp = as_user("vp")
    current = _health_default(api, vp)
    weights = {"usage": 40, "adoption": 5}
    preview = api.post(f"{BASE}/config/health-score/{current['id']}/simulate", json={"weights": weights}, headers=vp)
    assert preview.status_code == 200
    assert preview.json()["weights"]["usage"] == 40
    assert _health_default(api, vp)["id"] == current["id"]
    saved = api.put(f"{BASE}/config/health-score/{current['id']}", json={"weights": weights}, headers=vp).json()
    assert saved["version"] == current["version"] + 1
    assert saved["previous_version_id"] == current["id"]
    assert _health_default(api, vp)["id"] == saved["id"]


def test_config_rules_and_roles(api: TestClient, as_user: Headers) -> None:
    current = _health_default(api, as_user("vp"))
    jane = api.put(
        f"{BASE}/config/health-score/{current['id']}",
        json={"weights": {"usage": 40, "adoption": 5}},
        headers=as_user("jane"),
    )
    assert jane.status_code == 403
    not_100 = api.put(
        f"{BASE}/config/health-score/{current['id']}", json={"weights": {"usage": 90}}, headers=as_user("vp")
    )
    assert not_100.status_code == 422
    assert "sum to 100" in not_100.json()["error"]["message"]
    unknown = api.post(
        f"{BASE}/config/health-score/{current['id']}/simulate", json={"weights": {"vibes": 10}}, headers=as_user("vp")
    )
    assert unknown.status_code == 422
    assert "unknown component" in unknown.json()["error"]["message"]
    tier = {
        "model_key": "health",
        "tier": "ENTERPRISE",
        "components": [
            {"name": "usage", "metric": "usage_vs_expected", "weight": 100, "normalise": {"kind": "percent"}}
        ],
    }
    created = api.post(f"{BASE}/config/health-score", json=tier, headers=as_user("vp"))
    assert created.status_code == 201
    assert created.json()["scope_key"] == "tier:ENTERPRISE"
    bad_metric = {**tier, "components": [{**tier["components"][0], "metric": "horoscope"}]}
    assert api.post(f"{BASE}/config/health-score", json=bad_metric, headers=as_user("vp")).status_code == 422


def test_alert_settings(api: TestClient, as_user: Headers, ids: dict[str, int]) -> None:
    body = {
        "thresholds": {"HEALTH_DROP": {"points": 25}},
        "quiet_hours_start": "22:00:00",
        "quiet_hours_end": "07:00:00",
    }
    saved = api.put(f"{BASE}/config/alerts", json=body, headers=as_user("vp")).json()
    assert saved["thresholds"]["HEALTH_DROP"]["points"] == 25
    assert saved["quiet_hours_start"] == "22:00:00"
    assert api.put(f"{BASE}/config/alerts", json=body, headers=as_user("jane")).status_code == 403
    mine = {"client_id": ids["acme"], "enabled": {"INACTIVITY": False}}
    client = api.put(f"{BASE}/config/alerts", json=mine, headers=as_user("jane")).json()
    assert client["enabled"]["INACTIVITY"] is False
    read = api.get(f"{BASE}/config/alerts?client_id={ids['acme']}", headers=as_user("jane")).json()
    assert read["enabled"]["INACTIVITY"] is False


def test_chat_goes_through_the_agent(api: TestClient, as_user: Headers) -> None:
    reply = api.post(
        f"{BASE}/ai/chat", json={"message": "which of my clients are at risk?"}, headers=as_user("jane")
    ).json()
    assert "Acme Corp" in reply["answer"]
    assert reply["tool_calls"][0]["name"] == "list_at_risk_clients"
    assert reply["as_of"] == "2026-11-22"


def test_chat_write_waits_for_confirmation_and_retries_do_not_repeat(
    api: TestClient, as_user: Headers, ids: dict[str, int]
) -> None:
    headers = {**as_user("jane"), "Idempotency-Key": "msg-1"}
    body = {"message": "log a call with Acme Corp today: discussed renewal", "thread_id": "t-api-1"}
    first = api.post(f"{BASE}/ai/chat", json=body, headers=headers).json()
    assert first["pending_confirmation"]["tool"] == "log_activity"
    retry = api.post(f"{BASE}/ai/chat", json=body, headers=headers).json()
    assert "already handled" in " ".join(retry["notes"])
    before = api.get(f"{BASE}/clients/{ids['acme']}/activities", headers=as_user("jane")).json()["pagination"]["total"]
    api.post(f"{BASE}/ai/chat", json={"message": "yes", "thread_id": "t-api-1"}, headers=as_user("jane"))
    after = api.get(f"{BASE}/clients/{ids['acme']}/activities", headers=as_user("jane")).json()["pagination"]["total"]
    assert after == before + 1


def test_summary_actions_and_email_draft(api: TestClient, as_user: Headers, ids: dict[str, int]) -> None:
    summary = api.post(f"{BASE}/clients/{ids['acme']}/ai/summary", headers=as_user("jane")).json()
    assert summary["answer"].startswith("**Acme Corp**")
    assert summary["tool_calls"][0]["name"] == "get_client_overview"
    assert (
        api.get(f"{BASE}/clients/{ids['acme']}/summary", headers=as_user("jane")).json()["answer"] == summary["answer"]
    )
    actions = api.post(f"{BASE}/clients/{ids['acme']}/ai/actions", headers=as_user("jane")).json()
    assert actions["client_name"] == "Acme Corp"
    assert actions["actions"]
    draft = api.post(
        f"{BASE}/clients/{ids['acme']}/ai/email-draft", json={"purpose": "renewal"}, headers=as_user("jane")
    )
    assert draft.status_code == 200
    assert draft.json()["to_role"] == "EXECUTIVE_SPONSOR"
    assert draft.json()["subject"]
    bad = api.post(f"{BASE}/clients/{ids['acme']}/ai/email-draft", json={"purpose": "spam"}, headers=as_user("jane"))
    assert bad.status_code == 422
