"""Claiming and closing outbound deliveries, so a message goes out at most once per recipient and period.

A sender claims the (kind, channel, recipient, period) key in its own committed transaction before talking to
SMTP or Slack, then marks the row sent or failed. A second run, or a second process, finds the key taken and
sends nothing. A failed delivery may be claimed again; one left "pending" by a crash mid-send is not retried,
because the message may have gone out (at most once beats at least once for a daily briefing).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain.errors import NotFoundError, ValidationError
from domain.messaging.models import Delivery

PENDING, SENT, FAILED = "pending", "sent", "failed"
KINDS = frozenset({"briefing", "weekly_client_email"})
CHANNELS = frozenset({"slack", "email"})
MAX_ERROR_CHARS = 2000


def local_timezone(name: str | None) -> ZoneInfo:
    """The named IANA zone; an unknown or empty name is a configuration error worth one clear line."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(f"unknown timezone {name!r}; use an IANA name such as Europe/London") from None


def daily_period(now: dt.datetime, timezone: str | None) -> str:
    """The recipient's local date at `now`: one briefing per local day, wherever they are."""
    return now.astimezone(local_timezone(timezone)).date().isoformat()


def weekly_period(day: dt.date) -> str:
    """The ISO week of `day`, such as 2026-W47."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def claim_delivery(
    *,
    db_session: Session,
    workspace_id: int,
    kind: str,
    channel: str,
    recipient: str,
    period_key: str,
    now: dt.datetime,
    user_id: int | None = None,
    contact_id: int | None = None,
) -> Delivery | None:
    """Claim one message for sending; None when it was already sent (or is being sent) for this period.

    The caller commits right after, before sending: the unique key is what stops a concurrent claim.
    """
    if kind not in KINDS or channel not in CHANNELS:
        raise ValidationError(f"unknown delivery {kind!r} over {channel!r}")
    if not recipient.strip():
        raise ValidationError("a delivery needs a recipient")
    key = (Delivery.kind == kind, Delivery.channel == channel, Delivery.recipient == recipient)
    existing = db_session.scalar(select(Delivery).where(*key, Delivery.period_key == period_key))
    if existing is not None:
        return _reclaim_failed(db_session, existing, now)
    row = Delivery(
        workspace_id=workspace_id,
        kind=kind,
        channel=channel,
        recipient=recipient,
        period_key=period_key,
        user_id=user_id,
        contact_id=contact_id,
        status=PENDING,
        created_at=now,
    )
    try:
        with db_session.begin_nested():
            db_session.add(row)
    except IntegrityError:  # another process claimed the same key between our read and our insert
        return None
    return row


def _reclaim_failed(db_session: Session, existing: Delivery, now: dt.datetime) -> Delivery | None:
    """Retry a failed delivery, atomically: of two processes retrying it, one wins the UPDATE."""
    if existing.status != FAILED:
        return None
    taken = db_session.execute(
        update(Delivery)
        .where(Delivery.id == existing.id, Delivery.status == FAILED)
        .values(status=PENDING, error=None, created_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(taken, "rowcount", 0) != 1:
        return None
    db_session.refresh(existing)
    return existing


def mark_delivery_sent(
    *, db_session: Session, delivery_id: int, now: dt.datetime, message_id: str | None = None
) -> Delivery:
    """Record that the message went out, with the channel's id for it (Message-ID, Slack ts)."""
    row = _get(db_session, delivery_id)
    row.status, row.sent_at, row.message_id, row.error = SENT, now, message_id, None
    db_session.flush()
    return row


def mark_delivery_failed(*, db_session: Session, delivery_id: int, error: str) -> Delivery:
    """Record why sending failed; the next run may claim it again."""
    row = _get(db_session, delivery_id)
    row.status, row.error = FAILED, (error.strip() or "unknown error")[:MAX_ERROR_CHARS]
    db_session.flush()
    return row


def find_delivery(*, db_session: Session, kind: str, channel: str, recipient: str, period_key: str) -> Delivery | None:
    """The delivery recorded for this key, if any."""
    return db_session.scalar(
        select(Delivery).where(
            Delivery.kind == kind,
            Delivery.channel == channel,
            Delivery.recipient == recipient,
            Delivery.period_key == period_key,
        )
    )


def find_delivery_by_message_id(*, db_session: Session, message_id: str) -> Delivery | None:
    """The delivery that sent the message with this Message-ID (replies to a briefing name it)."""
    return db_session.scalar(select(Delivery).where(Delivery.message_id == message_id).limit(1))


def _get(db_session: Session, delivery_id: int) -> Delivery:
    row = db_session.get(Delivery, delivery_id)
    if row is None:
        raise NotFoundError(f"no delivery with id {delivery_id}")
    return row
