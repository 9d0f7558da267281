"""The web chat turn over SSE: streamed steps and text, tables, the health chart, confirmations, privacy, safety."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.activities.models import Activity
from domain.clients.models import Client
from tests.channels.web.chat.conftest import Events, final

Chat = Callable[..., Events]
SignIn = Callable[[str], TestClient]


def _activities(db: Session, client_name: str) -> list[Activity]:
    db.expire_all()
    client_id = db.scalar(select(Client.id).where(Client.name == client_name))
    return list(db.scalars(select(Activity).where(Activity.client_id == client_id)))


def test_at_risk_question_streams_steps_text_and_a_table(sign_in: SignIn, chat: Chat) -> None:
    sign_in("jane@demo.csagent.dev")
    events = chat("which of my clients are at risk?")
    names = [name for name, _ in events]
    assert names[0] == "thread"
    assert names.index("tool_started") < names.index("tool_finished") < names.index("reply")
    assert "answer_delta" in names
    reply = final(events)
    assert reply["tool_calls"][0]["name"] == "list_at_risk_clients"
    table = next(a for a in reply["attachments"] if a["kind"] == "table")
    assert [c["label"] for c in table["data"]["columns"]][:3] == ["Client", "Health", "Status"]
    assert table["data"]["rows"][0]["name"] == "Acme Corp"
    assert table["data"]["rows"][0]["_link"] > 0
    assert "<strong>Acme Corp</strong>" in reply["answer_html"]
    assert any(note.startswith("running without an LLM") for note in reply["notes"])


def test_follow_up_about_one_client_carries_its_health_chart(sign_in: SignIn, chat: Chat) -> None:
    sign_in("jane@demo.csagent.dev")
    thread = final(chat("which of my clients are at risk?"))["thread_id"]
    reply = final(chat("why is the first one dropping?", thread_id=thread))
    assert reply["tool_calls"][0]["name"] == "explain_score_drivers"
    chart = next(a for a in reply["attachments"] if a["kind"] == "chart")
    points = chart["data"]["points"]
    assert chart["data"]["client_name"] == "Acme Corp"
    assert reply["focus_client"]["name"] == "Acme Corp"
    assert len(points) >= 30
    assert points[-1]["day"] == "2026-11-22"
    assert points[0]["score"] > points[-1]["score"]  # the story: Acme is dropping


def test_write_waits_for_confirm_then_lands_once(sign_in: SignIn, chat: Chat, db: Session) -> None:
    sign_in("jane@demo.csagent.dev")
    before = len(_activities(db, "Acme Corp"))
    pending = final(chat("log a call with Acme Corp: walked through the renewal plan"))
    assert pending["pending_confirmation"]["tool"] == "log_activity"
    assert len(_activities(db, "Acme Corp")) == before
    done = final(chat(thread_id=pending["thread_id"], decision="confirm"))
    assert done["pending_confirmation"] is None
    assert done["tool_calls"][0]["status"] == "ok"
    assert len(_activities(db, "Acme Corp")) == before + 1


def test_edit_changes_the_pending_write_and_cancel_writes_nothing(sign_in: SignIn, chat: Chat, db: Session) -> None:
    sign_in("jane@demo.csagent.dev")
    before = len(_activities(db, "Acme Corp"))
    pending = final(chat("log a call with Acme Corp: pricing questions"))
    edited = final(chat(thread_id=pending["thread_id"], edit={"subject": "Pricing call"}))
    assert edited["pending_confirmation"]["args"]["subject"] == "Pricing call"
    cancelled = final(chat(thread_id=pending["thread_id"], decision="cancel"))
    assert cancelled["pending_confirmation"] is None
    assert len(_activities(db, "Acme Corp")) == before


def test_conversations_list_and_reload(sign_in: SignIn, chat: Chat) -> None:
    web = sign_in("jane@demo.csagent.dev")
    first = final(chat("which of my clients are at risk?"))["thread_id"]
    second = final(chat("show my alerts"))["thread_id"]
    final(chat("why is Acme Corp dropping?", thread_id=first))
    listed = web.get("/conversations").json()
    assert [c["thread_id"] for c in listed] == [first, second]
    assert listed[0]["title"] == "which of my clients are at risk?"
    turns = web.get(f"/conversations/{first}").json()["turns"]
    assert [t["question"] for t in turns] == ["which of my clients are at risk?", "why is Acme Corp dropping?"]
    assert turns[0]["reply"]["attachments"][0]["kind"] == "table"
    assert any(a["kind"] == "chart" for a in turns[1]["reply"]["attachments"])


def test_another_users_thread_is_not_found(sign_in: SignIn, chat: Chat, web: TestClient) -> None:
    sign_in("jane@demo.csagent.dev")
    thread = final(chat("who is at risk?"))["thread_id"]
    sign_in("john@demo.csagent.dev")
    refused = web.post("/chat/messages", json={"text": "and now?", "thread_id": thread})
    assert refused.status_code == 404
    assert refused.json()["error"]["code"] == "not_found"
    assert web.get(f"/conversations/{thread}").status_code == 404
    assert web.get("/conversations").json() == []


def test_chat_needs_a_session(web: TestClient) -> None:
    response = web.post("/chat/messages", json={"text": "who is at risk?"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_oversized_and_empty_messages_get_clear_answers(sign_in: SignIn, chat: Chat) -> None:
    sign_in("jane@demo.csagent.dev")
    assert "I accept up to 8,000" in final(chat("x" * 9000))["answer"]
    assert "Ask me about your clients" in final(chat("   "))["answer"]


def test_client_names_cannot_inject_markup(sign_in: SignIn, chat: Chat, db: Session) -> None:
    acme = db.scalar(select(Client).where(Client.name == "Acme Corp"))
    assert acme is not None
    acme.name = '<img src=x onerror="alert(1)"> Acme'
    db.commit()
    sign_in("jane@demo.csagent.dev")
    reply = final(chat("which of my clients are at risk?"))
    assert "<img" not in reply["answer_html"]
    assert "&lt;img src=x" in reply["answer_html"]
