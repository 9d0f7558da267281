"""Activities, notes, contacts and alerts: each write lands once, a retry with the same key adds nothing."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.activities.models import Activity, Note
from domain.clients.models import Contact

BASE = "/api/v1/client-success"
Headers = Callable[[str], dict[str, str]]
CALL = {
    "activity_type": "CALL",
    "subject": "Check-in call with Sarah Chen",
    "description": "Discussed usage and the renewal.",
    "occurred_at": "2026-11-21T10:00:00Z",
    "duration_minutes": 30,
    "outcome": "SUCCESSFUL_ENGAGEMENT",
    "follow_up_required": True,
    "follow_up_date": "2026-12-05",
}


def _count(db: Session, model: type, client_id: int) -> int:
    return db.scalar(select(func.count()).select_from(model).where(model.client_id == client_id)) or 0  # type: ignore[attr-defined]


def test_log_activity_once_per_idempotency_key(
    api: TestClient, as_user: Headers, ids: dict[str, int], db: Session
) -> None:
    url, before = f"{BASE}/clients/{ids['acme']}/activities", _count(db, Activity, ids["acme"])
    headers = {**as_user("jane"), "Idempotency-Key": "call-2026-11-21"}
    first = api.post(url, json=CALL, headers=headers)
    retry = api.post(url, json=CALL, headers=headers)
    assert first.status_code == retry.status_code == 201
    assert first.json() == retry.json()
    assert first.json()["follow_up_date"] == "2026-12-05"
    db.expire_all()
    assert _count(db, Activity, ids["acme"]) == before + 1
    listed = api.get(f"{url}?limit=1", headers=as_user("jane")).json()
    assert listed["data"][0]["id"] == first.json()["id"]
    assert listed["pagination"]["total"] == before + 1


def test_activity_bad_bodies_are_422_and_write_nothing(
    api: TestClient, as_user: Headers, ids: dict[str, int], db: Session
) -> None:
    url, before = f"{BASE}/clients/{ids['acme']}/activities", _count(db, Activity, ids["acme"])
    no_date = api.post(url, json={**CALL, "follow_up_date": None}, headers=as_user("jane"))
    assert no_date.status_code == 422
    assert "follow_up_required needs a follow_up_date" in no_date.json()["error"]["message"]
    future = api.post(url, json={**CALL, "occurred_at": "2027-03-01T10:00:00Z"}, headers=as_user("jane"))
    assert future.status_code == 422
    assert "log it once it happened" in future.json()["error"]["message"]
    wrong_type = api.post(url, json={**CALL, "activity_type": "TELEPATHY"}, headers=as_user("jane"))
    assert wrong_type.json()["error"]["details"][0]["field"] == "activity_type"
    db.expire_all()
    assert _count(db, Activity, ids["acme"]) == before


def test_update_activity(api: TestClient, as_user: Headers, ids: dict[str, int]) -> None:
    created = api.post(f"{BASE}/clients/{ids['acme']}/activities", json=CALL, headers=as_user("jane")).json()
    changed = api.put(f"{BASE}/activities/{created['id']}", json={"subject": "Renewal call"}, headers=as_user("jane"))
    assert changed.status_code == 200
    assert changed.json()["subject"] == "Renewal call"
    assert api.put(
        f"{BASE}/activities/{created['id']}", json={"subject": "x"}, headers=as_user("john")
    ).status_code in (403, 404)


def test_notes_private_idempotent_and_deletable(
    api: TestClient, as_user: Headers, ids: dict[str, int], db: Session
) -> None:
    url = f"{BASE}/clients/{ids['acme']}/notes"
    headers = {**as_user("jane"), "Idempotency-Key": "note-1"}
    body = {"content": "Sponsor is moving to a new role in January.", "is_private": True, "note_type": "RISK"}
    first, retry = api.post(url, json=body, headers=headers), api.post(url, json=body, headers=headers)
    assert first.status_code == 201
    assert first.json()["id"] == retry.json()["id"]
    note_id = first.json()["id"]
    assert any(n["id"] == note_id for n in api.get(url, headers=as_user("jane")).json()["data"])
    assert all(n["id"] != note_id for n in api.get(url, headers=as_user("vp")).json()["data"])  # private to Jane
    assert (
        api.put(f"{BASE}/notes/{note_id}", json={"title": "Sponsor change"}, headers=as_user("jane")).status_code == 200
    )
    assert api.delete(f"{BASE}/notes/{note_id}", headers=as_user("jane")).status_code == 200
    assert db.get(Note, note_id) is None


def test_contacts_add_update_remove(api: TestClient, as_user: Headers, ids: dict[str, int], db: Session) -> None:
    url = f"{BASE}/clients/{ids['acme']}/contacts"
    headers = {**as_user("jane"), "Idempotency-Key": "contact-dana"}
    body = {"name": "Dana Reyes", "email": "Dana.Reyes@acme.example", "role": "CHAMPION", "title": "Head of Ops"}
    first, retry = api.post(url, json=body, headers=headers), api.post(url, json=body, headers=headers)
    assert first.status_code == retry.status_code == 201
    assert first.json() == retry.json()
    assert first.json()["email"] == "dana.reyes@acme.example"
    assert len(db.scalars(select(Contact).where(Contact.email == "dana.reyes@acme.example")).all()) == 1
    duplicate = api.post(url, json=body, headers=as_user("jane"))
    assert duplicate.status_code == 409
    contact_id = first.json()["id"]
    changed = api.put(f"{BASE}/contacts/{contact_id}", json={"phone": "+1 555 0100"}, headers=as_user("jane")).json()
    assert changed["phone"] == "+1 555 0100"
    assert changed["name"] == "Dana Reyes"
    assert api.put(f"{BASE}/contacts/{contact_id}", json={"role": None}, headers=as_user("jane")).status_code == 422
    assert api.post(url, json={"name": "x", "email": "not-an-email"}, headers=as_user("jane")).status_code == 422
    removed = api.delete(f"{BASE}/contacts/{contact_id}", headers=as_user("jane")).json()
    assert removed["is_active"] is False
    active = api.get(url, headers=as_user("jane")).json()["data"]
    assert contact_id not in [c["id"] for c in active]


def test_alert_lifecycle(api: TestClient, as_user: Headers, ids: dict[str, int]) -> None:
    alerts = api.get(f"{BASE}/clients/{ids['acme']}/alerts", headers=as_user("jane")).json()["data"]
    first, second = alerts[0]["id"], alerts[1]["id"]
    acknowledged = api.put(f"{BASE}/alerts/{first}/acknowledge", headers=as_user("jane")).json()
    assert acknowledged["status"] == "ACKNOWLEDGED"
    snoozed = api.put(f"{BASE}/alerts/{second}/snooze", json={"days": 7}, headers=as_user("jane")).json()
    assert snoozed["status"] == "SNOOZED"
    assert snoozed["snoozed_until"].startswith("2026-11-29")
    assert second not in [a["id"] for a in api.get(f"{BASE}/alerts?limit=200", headers=as_user("jane")).json()["data"]]
    bad = api.put(
        f"{BASE}/alerts/{second}/snooze", json={"days": 1, "until": "2026-12-01T00:00:00Z"}, headers=as_user("jane")
    )
    assert bad.status_code == 422
    resolved = api.put(f"{BASE}/alerts/{first}/resolve", json={"notes": "Called the sponsor"}, headers=as_user("jane"))
    assert resolved.json()["status"] == "RESOLVED"
    assert api.put(f"{BASE}/alerts/{first}/resolve", json={}, headers=as_user("jane")).status_code == 422
    dismissed = api.put(f"{BASE}/alerts/{alerts[2]['id']}/dismiss", headers=as_user("jane")).json()
    assert dismissed["status"] == "DISMISSED"
    assert api.put(f"{BASE}/alerts/{alerts[2]['id']}/dismiss", headers=as_user("john")).status_code in (403, 404)
