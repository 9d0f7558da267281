"""Seed 001's weekly client email: opted-in contacts only, once per ISO week, score and the week's numbers."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from channels.scheduler.weekly_email import send_weekly_emails
from domain.clients.models import Client, Contact
from domain.db import session_scope
from domain.insights.service import generate_weekly_insights
from domain.messaging.models import Delivery
from domain.settings import Settings
from tests.channels.email.servers import SmtpServer

MONDAY = dt.datetime(2026, 11, 23, 6, 0, tzinfo=dt.UTC)


def opt_in_acme_champion(sessions: sessionmaker[Session]) -> str:
    with session_scope(sessions) as session:
        contact = session.scalars(
            select(Contact).join(Client).where(Client.name == "Acme Corp", Contact.name == "Sarah Chen")
        ).one()
        contact.weekly_email_opt_in = True
        generate_weekly_insights(db_session=session, workspace_id=contact.client.workspace_id,
                                 week_start=dt.date(2026, 11, 16))  # fmt: skip
        return str(contact.email)


def test_only_opted_in_contacts_get_it_once_a_week(
    settings: Settings, sessions: sessionmaker[Session], smtp: SmtpServer
) -> None:
    with session_scope(sessions) as session:
        session.execute(update(Contact).values(weekly_email_opt_in=False))
    address = opt_in_acme_champion(sessions)
    first = send_weekly_emails(settings, sessions, MONDAY)
    again = send_weekly_emails(settings, sessions, MONDAY + dt.timedelta(hours=3))
    assert (first.sent, first.failed, again.sent, again.already_sent) == (1, 0, 0, 1)
    (received,) = smtp.received
    assert received.rcpt_tos == [address]
    message = received.message
    assert message["Subject"] == "Acme Corp: your week in review"
    assert message["List-Unsubscribe"]
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert plain is not None
    assert html is not None
    text = plain.get_content()
    assert text.startswith("Hi Sarah,")
    assert "Nov 16, 2026 to Nov 22, 2026" in text
    assert "Success score:" in text
    assert "Active days:" in text
    assert "Open your dashboard" in text
    with session_scope(sessions) as session:
        (row,) = session.scalars(select(Delivery).where(Delivery.kind == "weekly_client_email")).all()
        assert (row.recipient, row.period_key, row.status) == (address, "2026-W47", "sent")


def test_without_smtp_nothing_is_claimed(settings: Settings, sessions: sessionmaker[Session]) -> None:
    opt_in_acme_champion(sessions)
    report = send_weekly_emails(settings.model_copy(update={"smtp_url": None}), sessions, MONDAY)
    assert report.skipped
    assert report.sent == 0
    with session_scope(sessions) as session:
        assert session.scalars(select(Delivery)).all() == []
