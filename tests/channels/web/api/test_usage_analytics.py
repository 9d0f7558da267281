"""Usage, adoption, benchmarks and the portfolio analytics the dashboard reads."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

BASE = "/api/v1/client-success"
Headers = Callable[[str], dict[str, str]]


def test_usage_users_and_heatmap(api: TestClient, as_user: Headers, ids: dict[str, int]) -> None:
    usage = api.get(f"{BASE}/clients/{ids['acme']}/usage?days=30", headers=as_user("jane")).json()
    assert usage["days"] == 30
    assert usage["dau"]["value"] is not None
    users = api.get(f"{BASE}/clients/{ids['acme']}/usage/users", headers=as_user("jane")).json()
    assert users["users"]
    assert users["active"] + users["declining"] + users["inactive"] == len(users["users"])
    heatmap = api.get(f"{BASE}/clients/{ids['acme']}/usage/heatmap", headers=as_user("jane")).json()
    assert set(heatmap["grid"]) == {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
    assert heatmap == usage["heatmap"]


def test_adoption_matrix_and_one_feature(api: TestClient, as_user: Headers, ids: dict[str, int]) -> None:
    matrix = api.get(f"{BASE}/clients/{ids['acme']}/adoption", headers=as_user("jane")).json()
    feature = matrix["modules"][0]["features"][0]
    one = api.get(f"{BASE}/clients/{ids['acme']}/adoption/{feature['feature_key']}", headers=as_user("jane"))
    assert one.json() == feature
    missing = api.get(f"{BASE}/clients/{ids['acme']}/adoption/no_such_feature", headers=as_user("jane"))
    assert missing.status_code == 404


def test_benchmarks(api: TestClient, as_user: Headers, ids: dict[str, int]) -> None:
    report = api.get(f"{BASE}/clients/{ids['acme']}/benchmark?cohort=industry", headers=as_user("jane")).json()
    assert report["cohort"] == "industry"
    assert report["metrics"]
    industry = api.get(f"{BASE}/benchmarks/industry/manufacturing", headers=as_user("vp"))
    assert industry.status_code == 200
    assert industry.json()["industry"] == "Manufacturing"
    assert api.get(f"{BASE}/clients/{ids['acme']}/benchmark?cohort=planet", headers=as_user("jane")).status_code == 422


def test_portfolio_summary_and_distribution_agree(api: TestClient, as_user: Headers) -> None:
    summary = api.get(f"{BASE}/analytics/portfolio", headers=as_user("vp")).json()
    distribution = api.get(f"{BASE}/analytics/health-distribution", headers=as_user("vp")).json()
    assert distribution["distribution"] == summary["distribution"]
    assert sum(row["clients"] for row in summary["distribution"]) == summary["total_clients"]
    jane = api.get(f"{BASE}/analytics/portfolio", headers=as_user("jane")).json()
    assert jane["total_clients"] < summary["total_clients"]


def test_at_risk_renewals_and_churn(api: TestClient, as_user: Headers) -> None:
    at_risk = api.get(f"{BASE}/analytics/at-risk?limit=3", headers=as_user("jane")).json()
    assert at_risk["clients"][0]["name"] == "Acme Corp"  # the demo's most urgent story
    urgencies = [row["urgency"] for row in at_risk["clients"]]
    assert urgencies == sorted(urgencies, reverse=True)
    renewals = api.get(f"{BASE}/analytics/renewals?within_days=90", headers=as_user("jane")).json()
    assert all(0 <= row["days_to_renewal"] <= 90 for row in renewals["renewals"])
    churn = api.get(f"{BASE}/analytics/churn-risk?limit=5", headers=as_user("jane")).json()
    probabilities = [row["probability_90d"] for row in churn["data"]]
    assert probabilities == sorted(probabilities, reverse=True)
    assert churn["pagination"]["total"] >= len(churn["data"])


def test_csm_performance_is_for_vps(api: TestClient, as_user: Headers, ids: dict[str, int]) -> None:
    report = api.get(f"{BASE}/analytics/csm-performance", headers=as_user("vp")).json()
    assert {card["csm_user_id"] for card in report["csms"]} >= {ids["jane"], ids["john"]}
    card = api.get(f"{BASE}/analytics/csm/{ids['jane']}/metrics", headers=as_user("vp")).json()
    assert card["csm_name"] == "Jane Doe"
    assert card["clients"] == 12
    assert api.get(f"{BASE}/analytics/csm-performance", headers=as_user("jane")).status_code == 403
    assert api.get(f"{BASE}/analytics/csm/999/metrics", headers=as_user("vp")).status_code == 404
