"""Seed 001's weekly client success email, sent to opted-in contacts over the same claim-then-send machinery."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

import prompts
from channels.email.compose import compose_email
from channels.email.smtp import send_email, smtp_configured
from domain.db import session_scope
from domain.messaging.service import claim_delivery, mark_delivery_failed, mark_delivery_sent, weekly_period
from domain.messaging.weekly_client_email import WeeklyClientEmail, weekly_client_emails
from domain.settings import Settings
from domain.staff.models import Workspace

logger = logging.getLogger(__name__)

KIND = "weekly_client_email"


@dataclass(frozen=True, slots=True)
class WeeklyEmailReport:
    sent: int = 0
    already_sent: int = 0
    failed: int = 0
    skipped: str = ""


def previous_week_start(today: dt.date) -> dt.date:
    """The Monday of the last full week before `today`."""
    return today - dt.timedelta(days=today.weekday() + 7)


def render_weekly_email(settings: Settings, email: WeeklyClientEmail, workspace_name: str) -> str:
    return prompts.render(
        "email/weekly_client.md.j2",
        email=email.model_dump(mode="json"),
        dashboard_url=f"{settings.public_url.rstrip('/')}/",
        sender_name=f"The {workspace_name} client success team",
    )


def send_weekly_emails(settings: Settings, sessions: sessionmaker[Session], now: dt.datetime) -> WeeklyEmailReport:
    """Email every opted-in contact their client's last week, once per contact and ISO week."""
    if not smtp_configured(settings):
        return WeeklyEmailReport(skipped="email is not configured (CSAGENT_SMTP_URL)")
    week = previous_week_start(now.date())
    with session_scope(sessions) as session:
        workspaces = session.execute(select(Workspace.id, Workspace.name).order_by(Workspace.id)).all()
        batches = [
            (workspace_id, name, weekly_client_emails(db_session=session, workspace_id=workspace_id, week_start=week))
            for workspace_id, name in workspaces
        ]
    counts = {"sent": 0, "already_sent": 0, "failed": 0}
    for workspace_id, name, emails in batches:
        for email in emails:
            counts[_send_one(settings, sessions, workspace_id, name, email, now)] += 1
    return WeeklyEmailReport(sent=counts["sent"], already_sent=counts["already_sent"], failed=counts["failed"])


def _send_one(
    settings: Settings,
    sessions: sessionmaker[Session],
    workspace_id: int,
    workspace_name: str,
    email: WeeklyClientEmail,
    now: dt.datetime,
) -> str:
    with session_scope(sessions) as session:
        claimed = claim_delivery(
            db_session=session, workspace_id=workspace_id, kind=KIND, channel="email",
            recipient=email.contact_email, period_key=weekly_period(email.week_start), now=now,
            contact_id=email.contact_id,
        )  # fmt: skip
        delivery_id = claimed.id if claimed else None
    if delivery_id is None:
        return "already_sent"
    subject = f"{email.client_name}: your week in review"
    markdown = render_weekly_email(settings, email, workspace_name)
    message = compose_email(settings, to=email.contact_email, subject=subject, markdown=markdown, now=now)
    try:
        send_email(settings, message)
    except Exception as error:  # recorded; the next run retries it
        logger.warning("weekly email to contact %s failed: %s", email.contact_id, error)
        with session_scope(sessions) as session:
            mark_delivery_failed(db_session=session, delivery_id=delivery_id, error=f"{type(error).__name__}: {error}")
        return "failed"
    with session_scope(sessions) as session:
        mark_delivery_sent(db_session=session, delivery_id=delivery_id, now=now, message_id=str(message["Message-ID"]))
    return "sent"
