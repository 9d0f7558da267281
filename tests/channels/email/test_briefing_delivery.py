"""Briefings reach people over a real SMTP server and a Slack stand-in: once a day, never to opted-out users."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from channels.scheduler.briefings import send_briefing, send_due_briefings
from domain.db import session_scope
from domain.messaging.models import Delivery
from domain.scoring.models import HealthSnapshot
from domain.settings import Settings
from domain.staff.models import User
from tests.channels.email.servers import SlackStandIn, SmtpServer
from tests.demo_fixture import NOW

JANE = "jane@demo.csagent.dev"
JANE_AT_EIGHT = dt.datetime(2026, 11, 23, 13, 0, tzinfo=dt.UTC)  # Monday 08:00 in New York


def set_user(sessions: sessionmaker[Session], email: str, **values: object) -> int:
    with session_scope(sessions) as session:
        session.execute(update(User).where(User.email == email).values(**values))
        return int(session.scalars(select(User.id).where(User.email == email)).one())


def deliveries(sessions: sessionmaker[Session], user_id: int) -> list[Delivery]:
    with session_scope(sessions) as session:
        return list(session.scalars(select(Delivery).where(Delivery.user_id == user_id).order_by(Delivery.id)))


def test_an_email_briefing_has_both_parts_and_the_right_recipient(
    settings: Settings, sessions: sessionmaker[Session], smtp: SmtpServer
) -> None:
    jane = set_user(sessions, JANE, briefing_channels=["email"])
    outcomes = send_briefing(settings, sessions, user_id=jane, now=NOW)
    assert [(o.channel, o.status) for o in outcomes] == [("email", "sent")]
    (received,) = smtp.received
    assert received.rcpt_tos == [JANE]
    message = received.message
    assert message["To"] == JANE
    assert message["List-Unsubscribe"].startswith("<mailto:csagent@demo.csagent.dev?subject=unsubscribe")
    assert message.get_content_type() == "multipart/alternative"
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert plain is not None
    assert html is not None
    assert "Acme Corp" in plain.get_content()
    assert "Data as of" in plain.get_content()
    assert "<strong>Acme Corp</strong>" in html.get_content()
    (row,) = deliveries(sessions, jane)
    assert (row.status, row.period_key, row.message_id) == ("sent", "2026-11-22", message["Message-ID"])
    with session_scope(sessions) as session:
        assert session.get(User, jane).last_briefed_at == NOW  # type: ignore[union-attr]


def test_a_slack_briefing_is_a_dm_with_buttons(
    settings: Settings, sessions: sessionmaker[Session], slack: SlackStandIn
) -> None:
    jane = set_user(sessions, JANE, briefing_channels=["slack"])
    assert [o.status for o in send_briefing(settings, sessions, user_id=jane, now=NOW)] == ["sent"]
    opened, posted = slack.calls
    assert (opened.method, opened.body["users"]) == ("conversations.open", "U0DEMO03")
    assert posted.method == "chat.postMessage"
    assert posted.body["channel"] == "DU0DEMO03"
    sections = [block for block in posted.body["blocks"] if block["type"] == "section"]
    assert any("Acme Corp" in block["text"]["text"] for block in sections)
    assert all(block["accessory"]["action_id"].startswith("briefing_open_item") for block in sections)


def test_running_twice_sends_once_per_user_per_day(
    settings: Settings, sessions: sessionmaker[Session], smtp: SmtpServer, slack: SlackStandIn
) -> None:
    jane = set_user(sessions, JANE, briefing_channels=["email", "slack"])
    with session_scope(sessions) as session:  # fresh scores for the Monday run
        session.execute(update(HealthSnapshot).values(created_at=JANE_AT_EIGHT - dt.timedelta(hours=1)))
    first = send_due_briefings(settings, sessions, JANE_AT_EIGHT)
    second = send_due_briefings(settings, sessions, JANE_AT_EIGHT + dt.timedelta(minutes=15))
    direct = send_briefing(settings, sessions, user_id=jane, now=JANE_AT_EIGHT + dt.timedelta(minutes=30))
    assert {(o.channel, o.status) for o in first if o.email == JANE} == {("email", "sent"), ("slack", "sent")}
    assert [o for o in second if o.email == JANE] == []  # the cheap pre-check: already delivered today
    assert {o.status for o in direct} == {"already_sent"}
    assert len(smtp.to(JANE)) == 1
    assert len([post for post in slack.posts() if post["channel"] == "DU0DEMO03"]) == 1
    assert len(deliveries(sessions, jane)) == 2
    next_day = send_briefing(settings, sessions, user_id=jane, now=JANE_AT_EIGHT + dt.timedelta(days=1))
    assert {o.status for o in next_day} == {"sent"}  # a new local day is a new briefing


def test_opted_out_users_get_nothing(
    settings: Settings, sessions: sessionmaker[Session], smtp: SmtpServer, slack: SlackStandIn
) -> None:
    jane = set_user(sessions, JANE, briefing_channels=["email", "slack"], briefing_opt_out=True)
    assert {o.status for o in send_briefing(settings, sessions, user_id=jane, now=NOW)} == {"opted_out"}
    with session_scope(sessions) as session:
        session.execute(update(HealthSnapshot).values(created_at=JANE_AT_EIGHT - dt.timedelta(hours=1)))
    assert [o for o in send_due_briefings(settings, sessions, JANE_AT_EIGHT) if o.email == JANE] == []
    assert smtp.to(JANE) == []
    assert all(call.body.get("users") != "U0DEMO03" for call in slack.calls)
    assert deliveries(sessions, jane) == []


def test_stale_data_is_reported_as_stale(settings: Settings, sessions: sessionmaker[Session], smtp: SmtpServer) -> None:
    jane = set_user(sessions, JANE, briefing_channels=["email"])
    with session_scope(sessions) as session:
        session.execute(update(HealthSnapshot).values(created_at=NOW - dt.timedelta(hours=30)))
    assert [o.status for o in send_briefing(settings, sessions, user_id=jane, now=NOW)] == ["sent"]
    (received,) = smtp.to(JANE)
    plain = received.message.get_body(("plain",))
    assert plain is not None
    text = plain.get_content()
    assert "stale" in text
    assert "30 hours ago" in text
    assert "Acme Corp" not in text
    assert "stale" in str(received.message["Subject"])
    with session_scope(sessions) as session:  # not briefed: the next real briefing covers the gap
        assert session.get(User, jane).last_briefed_at is None  # type: ignore[union-attr]


def test_a_failed_send_is_recorded_and_retried(
    settings: Settings, sessions: sessionmaker[Session], smtp: SmtpServer
) -> None:
    jane = set_user(sessions, JANE, briefing_channels=["email"])
    broken = settings.model_copy(update={"smtp_url": "smtp://127.0.0.1:9"})  # nothing listens on the discard port
    assert [o.status for o in send_briefing(broken, sessions, user_id=jane, now=NOW)] == ["failed"]
    (row,) = deliveries(sessions, jane)
    assert row.status == "failed"
    assert row.error
    assert [o.status for o in send_briefing(settings, sessions, user_id=jane, now=NOW)] == ["sent"]
    assert len(smtp.to(JANE)) == 1
