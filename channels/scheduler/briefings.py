"""Sending each staff user their briefing over their channels, once per local day whatever re-runs.

Order per channel: check the preferences, claim the Delivery in its own committed transaction, send, then
mark it sent or failed. The claim is what makes a second run, or a second process, send nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agent.briefing import Briefing, BriefingText, build_briefing, mark_briefed, render_briefing
from channels.email.compose import compose_email
from channels.email.smtp import send_email, smtp_configured
from channels.scheduler.slack_dm import send_direct_message, slack_configured
from channels.slack.briefing_blocks import briefing_blocks, briefing_fallback_text
from domain.access import Actor
from domain.db import session_scope
from domain.messaging.service import (
    PENDING,
    SENT,
    claim_delivery,
    daily_period,
    find_delivery,
    local_timezone,
    mark_delivery_failed,
    mark_delivery_sent,
)
from domain.settings import Settings
from domain.staff.models import User

logger = logging.getLogger(__name__)

KIND = "briefing"
CATCH_UP = dt.timedelta(hours=3)  # a scheduler down at the user's hour still briefs them, but not at night
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True, slots=True)
class DeliveryOutcome:
    email: str
    channel: str
    status: str  # sent | already_sent | opted_out | skipped | failed
    detail: str = ""


def is_due(user: User, now: dt.datetime) -> bool:
    """Whether `now` is within the user's briefing hour (plus catch-up) on one of their weekdays."""
    if user.briefing_opt_out or not user.is_active:
        return False
    local = now.astimezone(local_timezone(user.timezone))
    if WEEKDAYS[local.weekday()] not in {day.lower()[:3] for day in user.briefing_weekdays}:
        return False
    start = local.replace(hour=user.briefing_hour, minute=0, second=0, microsecond=0)
    return start <= local < start + CATCH_UP


def recipient(user: User, channel: str) -> str | None:
    return user.email if channel == "email" else user.slack_user_id if channel == "slack" else None


def already_delivered(session: Session, user: User, now: dt.datetime) -> bool:
    """True when every channel of the user has its briefing for today sent or in flight (cheap pre-check)."""
    period = daily_period(now, user.timezone)
    for channel in user.briefing_channels:
        address = recipient(user, channel)
        if address is None:
            continue
        row = find_delivery(db_session=session, kind=KIND, channel=channel, recipient=address, period_key=period)
        if row is None or row.status not in (SENT, PENDING):
            return False
    return True


def send_due_briefings(settings: Settings, sessions: sessionmaker[Session], now: dt.datetime) -> list[DeliveryOutcome]:
    """Brief every user whose local briefing time it is and who has not had today's briefing."""
    with session_scope(sessions) as session:
        users = session.scalars(select(User).where(User.is_active.is_(True)).order_by(User.id)).all()
        due = [user.id for user in users if is_due(user, now) and not already_delivered(session, user, now)]
    outcomes: list[DeliveryOutcome] = []
    for user_id in due:
        outcomes.extend(send_briefing(settings, sessions, user_id=user_id, now=now))
    return outcomes


def send_briefing(
    settings: Settings, sessions: sessionmaker[Session], *, user_id: int, now: dt.datetime
) -> list[DeliveryOutcome]:
    """Build the user's briefing and send it over each of their channels, at most once per local day."""
    with session_scope(sessions) as session:
        user = session.get(User, user_id)
        if user is None or not user.is_active:
            return []
        if user.briefing_opt_out:
            return [DeliveryOutcome(user.email, channel, "opted_out") for channel in user.briefing_channels]
        briefing = build_briefing(db_session=session, actor=Actor.from_user(user), now=now)
        channels = list(user.briefing_channels)
        addresses = {channel: recipient(user, channel) for channel in channels}
        period = daily_period(now, user.timezone)
    text = render_briefing(briefing, settings)
    outcomes = [
        _deliver(settings, sessions, briefing, text, channel, addresses[channel], period, now) for channel in channels
    ]
    if not briefing.stale and any(outcome.status == "sent" for outcome in outcomes):
        with session_scope(sessions) as session:
            mark_briefed(db_session=session, user_id=user_id, now=now)
    return outcomes


def _deliver(
    settings: Settings,
    sessions: sessionmaker[Session],
    briefing: Briefing,
    text: BriefingText,
    channel: str,
    address: str | None,
    period: str,
    now: dt.datetime,
) -> DeliveryOutcome:
    email = briefing.user_email
    problem = _unavailable(settings, channel, address)
    if problem is not None:
        return DeliveryOutcome(email, channel, "skipped", problem)
    assert address is not None
    with session_scope(sessions) as session:  # committed before sending: the claim must be visible to others
        claimed = claim_delivery(
            db_session=session, workspace_id=briefing.workspace_id, kind=KIND, channel=channel,
            recipient=address, period_key=period, now=now, user_id=briefing.user_id,
        )  # fmt: skip
        delivery_id = claimed.id if claimed else None
    if delivery_id is None:
        return DeliveryOutcome(email, channel, "already_sent")
    try:
        external_id = _send(settings, channel, address, briefing, text, now)
    except Exception as error:  # any transport failure is recorded; the next run may retry it
        logger.warning("briefing for %s over %s failed: %s", email, channel, error)
        with session_scope(sessions) as session:
            mark_delivery_failed(db_session=session, delivery_id=delivery_id, error=f"{type(error).__name__}: {error}")
        return DeliveryOutcome(email, channel, "failed", str(error))
    with session_scope(sessions) as session:
        mark_delivery_sent(db_session=session, delivery_id=delivery_id, now=now, message_id=external_id)
    return DeliveryOutcome(email, channel, "sent", external_id)


def _unavailable(settings: Settings, channel: str, address: str | None) -> str | None:
    if channel not in ("email", "slack"):
        return f"unknown channel {channel!r}"
    if address is None:
        return "no Slack user id on record"
    if channel == "email" and not smtp_configured(settings):
        return "email is not configured (CSAGENT_SMTP_URL)"
    if channel == "slack" and not slack_configured(settings):
        return "Slack is not configured (SLACK_BOT_TOKEN)"
    return None


def _send(
    settings: Settings, channel: str, address: str, briefing: Briefing, text: BriefingText, now: dt.datetime
) -> str:
    if channel == "slack":
        return send_direct_message(
            settings, address, text=briefing_fallback_text(briefing), blocks=briefing_blocks(briefing)
        )
    subject = briefing_fallback_text(briefing)
    message = compose_email(settings, to=address, subject=subject, markdown=text.markdown, now=now)
    send_email(settings, message)
    return str(message["Message-ID"])
