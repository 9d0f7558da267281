"""Email as a conversation: a known sender gets a threaded answer, anyone else gets nothing, "yes" confirms once."""

from __future__ import annotations

import json
from collections.abc import Iterator
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from channels.web.app import create_app
from domain.activities.models import Note
from domain.conversations.models import Conversation
from domain.db import session_scope
from domain.settings import Settings
from tests.channels.email.conftest import INBOUND_SECRET
from tests.channels.email.servers import SmtpServer

JANE = "jane@demo.csagent.dev"
RAW = {"Content-Type": "message/rfc822", "X-CSAgent-Secret": INBOUND_SECRET}


@pytest.fixture
def client(settings: Settings, demo_engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(settings.model_copy(update={"semantic_search": False}), demo_engine)) as running:
        yield running


def mail(
    text: str, *, sender: str = JANE, subject: str = "Question", reply_to: EmailMessage | None = None
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = f"Jane Doe <{sender}>"
    message["To"] = "csagent@demo.csagent.dev"
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="mail.example.com")
    if reply_to is not None:
        message["In-Reply-To"] = reply_to["Message-ID"]
        message["References"] = f"{reply_to.get('References', '')} {reply_to['Message-ID']}".strip()
    message.set_content(text)
    return message


def post(client: TestClient, message: EmailMessage, headers: dict[str, str] = RAW) -> dict[str, object]:
    response = client.post("/email/inbound", content=message.as_bytes(), headers=headers)
    body: dict[str, object] = response.json()
    body["http_status"] = response.status_code
    return body


def plain(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def test_a_known_sender_gets_a_threaded_answer(
    client: TestClient, smtp: SmtpServer, sessions: sessionmaker[Session]
) -> None:
    question = mail("which of my clients are at risk?\n\n-- \nJane Doe\nSent from my phone")
    result = post(client, question)
    assert result["status"] == "answered"
    (answer,) = smtp.received
    assert answer.rcpt_tos == [JANE]
    reply = answer.message
    assert reply["In-Reply-To"] == question["Message-ID"]
    assert question["Message-ID"] in reply["References"]
    assert reply["Subject"] == "Re: Question"
    assert reply["Message-ID"] == result["reply_message_id"]
    assert "Acme Corp" in plain(reply)  # Jane's at-risk client
    assert reply.get_body(("html",)) is not None
    assert "List-Unsubscribe" not in reply  # a conversation, not a mailing
    with session_scope(sessions) as session:
        conversation = session.scalars(select(Conversation).where(Conversation.thread_id == result["thread_id"])).one()
        assert (conversation.channel, conversation.title) == ("email", "Question")


def test_the_webhook_json_shape_is_accepted(client: TestClient, smtp: SmtpServer) -> None:
    payload = {
        "FromFull": {"Email": JANE, "Name": "Jane Doe"},
        "Subject": "Risk",
        "TextBody": "which of my clients are at risk?\n\nOn Mon, Nov 23, 2026 csagent wrote:\n> earlier text",
        "MessageID": "b7bc2f4a-e38e-4336-af7d-e6c392c2f817",
        "Headers": [{"Name": "Message-ID", "Value": "<abc123@mail.example.com>"}],
    }
    response = client.post(
        "/email/inbound",
        content=json.dumps(payload),
        headers={"Content-Type": "application/json", "X-CSAgent-Secret": INBOUND_SECRET},
    )
    assert response.status_code == 200, response.text
    (answer,) = smtp.received
    assert answer.message["In-Reply-To"] == "<abc123@mail.example.com>"
    assert "Acme Corp" in plain(answer.message)


def test_an_unknown_sender_gets_nothing(client: TestClient, smtp: SmtpServer, caplog: pytest.LogCaptureFixture) -> None:
    result = post(client, mail("which of my clients are at risk?", sender="someone@elsewhere.example"))
    assert result["http_status"] == 403
    assert smtp.received == []
    assert "unknown sender someone@elsewhere.example" in caplog.text


@pytest.mark.parametrize("secret", ["wrong", ""])
def test_a_bad_secret_gets_nothing(client: TestClient, smtp: SmtpServer, secret: str) -> None:
    result = post(
        client, mail("which of my clients are at risk?"), {"Content-Type": "message/rfc822", "X-CSAgent-Secret": secret}
    )
    assert result["http_status"] == 401
    by_query = client.post(
        "/email/inbound?secret=wrong", content=mail("hi").as_bytes(), headers={"Content-Type": "message/rfc822"}
    )
    assert by_query.status_code == 401
    assert smtp.received == []


def test_the_secret_may_come_as_a_query_parameter(client: TestClient, smtp: SmtpServer) -> None:
    response = client.post(
        f"/email/inbound?secret={INBOUND_SECRET}", content=mail("which of my clients are at risk?").as_bytes(),
        headers={"Content-Type": "message/rfc822"},
    )  # fmt: skip
    assert response.status_code == 200
    assert len(smtp.received) == 1


def test_without_a_configured_secret_the_route_refuses(
    settings: Settings, demo_engine: Engine, smtp: SmtpServer
) -> None:
    unset = settings.model_copy(update={"email_inbound_secret": None})
    with TestClient(create_app(unset, demo_engine)) as client:
        assert post(client, mail("which of my clients are at risk?"))["http_status"] == 503
    assert smtp.received == []


def test_malformed_mail_is_refused_clearly(client: TestClient, smtp: SmtpServer) -> None:
    response = client.post("/email/inbound", content=b"not an email at all", headers=RAW)
    assert response.status_code == 422
    assert "sender" in response.json()["error"]["message"]
    assert smtp.received == []


def notes(sessions: sessionmaker[Session]) -> int:
    with session_scope(sessions) as session:
        return int(session.scalar(select(func.count()).select_from(Note).where(Note.content.contains("new CFO"))) or 0)


def test_replying_yes_confirms_once(client: TestClient, smtp: SmtpServer, sessions: sessionmaker[Session]) -> None:
    request = mail("add a note to beta: new CFO starts in january", subject="Beta")
    assert post(client, request)["status"] == "answered"
    asked = smtp.received[-1].message
    assert 'Reply "yes"' in plain(asked)
    assert notes(sessions) == 0

    yes = mail(f"yes\n\nOn Sun, Nov 22, 2026 at 10:00 AM csagent wrote:\n> {plain(asked)[:60]}", subject="Re: Beta",
               reply_to=asked)  # fmt: skip
    first = post(client, yes)
    assert first["status"] == "answered"
    assert first["thread_id"] == f"email:{request['Message-ID']}"  # the same agent thread as the request
    assert notes(sessions) == 1
    assert post(client, yes)["status"] == "duplicate"  # the webhook retried the same mail
    assert notes(sessions) == 1
    assert len(smtp.received) == 2


def test_unsubscribe_by_mail_stops_briefings(
    client: TestClient, smtp: SmtpServer, sessions: sessionmaker[Session]
) -> None:
    from domain.staff.models import User

    assert post(client, mail("", subject="unsubscribe"))["status"] == "unsubscribed"
    with session_scope(sessions) as session:
        assert session.scalars(select(User.briefing_opt_out).where(User.email == JANE)).one() is True
    assert "no longer get the daily briefing" in plain(smtp.received[-1].message)
