"""Seed 003: deliverables, portal hydration, payments, portal links and the public portal page; events."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.operations.models import Deliverable, Payment, PortalLink, Proposal
from domain.usage.models import EngagementEvent

Headers = Callable[[str], dict[str, str]]


def _proposal(db: Session, proposal_id: int) -> Proposal:
    proposal = db.get(Proposal, proposal_id)
    assert proposal is not None
    assert proposal.contact_id is not None
    return proposal


def test_deliverables_create_list_update(api: TestClient, as_user: Headers, ids: dict[str, int], db: Session) -> None:
    proposal = _proposal(db, ids["proposal"])
    body = {
        "contactId": proposal.contact_id,
        "title": "3 Target Personas",
        "category": "foundation",
        "proposalId": proposal.id,
        "milestoneId": "extra-1",
        "dueDate": "2026-12-15",
        "status": "in-progress",
    }
    headers = {**as_user("jane"), "Idempotency-Key": "deliverable-personas"}
    first, retry = (
        api.post("/api/deliverables", json=body, headers=headers),
        api.post("/api/deliverables", json=body, headers=headers),
    )
    assert first.status_code == retry.status_code == 201
    assert first.json() == retry.json()
    assert db.scalar(select(func.count()).select_from(Deliverable).where(Deliverable.milestone_id == "extra-1")) == 1
    assert api.post("/api/deliverables", json=body, headers=as_user("jane")).status_code == 409
    listed = api.get(f"/api/deliverables?contactId={proposal.contact_id}", headers=as_user("jane")).json()
    assert listed["success"]
    assert first.json()["deliverable"]["id"] in [d["id"] for d in listed["deliverables"]]
    url = f"/api/deliverables/{first.json()['deliverable']['id']}"
    blocked = api.put(url, json={"status": "blocked"}, headers=as_user("jane"))
    assert blocked.status_code == 422
    assert "note" in blocked.json()["error"]["message"]
    done = api.put(url, json={"status": "completed", "notes": "Sent via email"}, headers=as_user("jane")).json()
    assert done["deliverable"]["status"] == "completed"
    assert done["deliverable"]["completed_at"].startswith("2026-11-22")
    assert api.get(f"/api/deliverables?contactId={proposal.contact_id}", headers=as_user("john")).status_code == 403


def test_portal_hydration_and_payment(api: TestClient, as_user: Headers, ids: dict[str, int], db: Session) -> None:
    proposal = _proposal(db, ids["proposal"])
    portal = api.get(f"/api/proposals/{proposal.id}/portal", headers=as_user("jane")).json()
    data = portal["portalData"]
    assert portal["success"]
    assert set(data) == {"client", "contract", "deliverables", "proposal", "payments", "status"}
    assert data["status"]["totalDeliverables"] == len(data["deliverables"])
    unpaid = db.scalars(select(Payment).where(Payment.proposal_id == proposal.id, Payment.status != "paid")).first()
    assert unpaid is not None
    url = f"/api/proposals/{proposal.id}/payments/{unpaid.id}"
    paid = api.put(url, json={"status": "paid", "transactionId": "txn_123"}, headers=as_user("jane"))
    assert paid.json()["payment"]["status"] == "paid"
    assert api.put(url, json={"status": "paid", "transactionId": "txn_123"}, headers=as_user("jane")).status_code == 200
    assert api.put(url, json={"status": "paid", "transactionId": "txn_999"}, headers=as_user("jane")).status_code == 409
    assert api.put(url, json={"status": "refunded"}, headers=as_user("jane")).status_code == 422
    other = f"/api/proposals/{proposal.id + 1000}/payments/{unpaid.id}"
    assert api.put(other, json={"status": "paid"}, headers=as_user("jane")).status_code == 404


def test_portal_link_opens_the_page_until_revoked(
    api: TestClient, as_user: Headers, ids: dict[str, int], db: Session
) -> None:
    issued = api.post(f"/api/proposals/{ids['proposal']}/portal-links", headers=as_user("jane"))
    assert issued.status_code == 201
    token, path = issued.json()["token"], issued.json()["path"]
    assert db.scalars(select(PortalLink.token_hash)).all()
    assert token not in db.scalars(select(PortalLink.token_hash)).all()
    page = api.get(path)  # no staff credentials: the token is the credential
    assert page.status_code == 200
    assert "portal.js" in page.text
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    data = api.get(f"{path}/data").json()["portalData"]
    assert data == api.get(f"/api/proposals/{ids['proposal']}/portal", headers=as_user("jane")).json()["portalData"]
    assert api.get("/portal/assets/portal.js").status_code == 200
    links = api.get(f"/api/proposals/{ids['proposal']}/portal-links", headers=as_user("jane")).json()
    assert links[0]["last_viewed_at"] is not None
    assert api.delete(f"/api/portal-links/{links[0]['id']}", headers=as_user("john")).status_code in (403, 404)
    revoked = api.delete(f"/api/portal-links/{links[0]['id']}", headers=as_user("jane")).json()
    assert revoked["active"] is False
    assert api.get(path).status_code == 404
    assert api.get(f"{path}/data").status_code == 404
    assert api.get("/portal/csp_guessed-token-000000/data").status_code == 404


def test_events_are_batched_and_idempotent(api: TestClient, as_user: Headers, ids: dict[str, int], db: Session) -> None:
    events = [
        {"event_id": f"api-evt-{n}", "client_id": ids["acme"], "user_ref": "u-9", "event_type": "login",
         "occurred_at": f"2026-11-22T0{n}:00:00Z"}
        for n in range(3)
    ] + [{"event_id": "api-evt-bad", "client_id": ids["acme"], "user_ref": "u-9", "event_type": "teleport",
          "occurred_at": "2026-11-22T05:00:00Z"}]  # fmt: skip
    first = api.post("/api/v1/events", json={"events": events}, headers=as_user("admin")).json()
    assert (first["inserted"], first["bad_row_count"]) == (3, 1)
    assert "unknown event type" in first["bad_rows"][0]["error"]
    assert first["bad_rows"][0]["line"] == 4
    again = api.post("/api/v1/events", json={"events": events}, headers=as_user("admin")).json()
    assert (again["inserted"], again["duplicates"]) == (0, 3)
    stored = select(func.count()).select_from(EngagementEvent).where(EngagementEvent.event_id.like("api-evt-%"))
    assert db.scalar(stored) == 3
    assert api.post("/api/v1/events", json={"events": events}, headers=as_user("jane")).status_code == 403
    assert api.post("/api/v1/events", json={"events": []}, headers=as_user("admin")).status_code == 422
