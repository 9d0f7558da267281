"""What every success service does first: load the client within the actor's scope, check the lifecycle gate.

Also the shared small helpers: the active target, clean text input and the audit row of a write.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.access import Actor, get_visible_client
from domain.audit import record_audit
from domain.clients.models import Client
from domain.errors import ValidationError
from domain.success.models import ResultTarget
from domain.success.rules import success_layer_refusal

MAX_ABS_VALUE = Decimal("999999999999")  # what fits Numeric(16, 4)


def success_client(db_session: Session, actor: Actor, client_id: int) -> Client:
    """The client, if the actor may see it and its lifecycle shows the success layer (seed 000)."""
    client = get_visible_client(db_session, actor, client_id)
    refusal = success_layer_refusal(client.name, client.lifecycle_status)
    if refusal is not None:
        raise ValidationError(refusal)
    return client


def active_target(db_session: Session, client_id: int) -> ResultTarget | None:
    return db_session.scalar(
        select(ResultTarget).where(ResultTarget.client_id == client_id, ResultTarget.is_active.is_(True))
    )


def require_active_target(db_session: Session, client: Client) -> ResultTarget:
    target = active_target(db_session, client.id)
    if target is None:
        raise ValidationError(f"{client.name} has no result target yet; set one first (metric, current -> target)")
    return target


def required_text(value: str | None, what: str, *, max_length: int | None = None) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError(f"{what} is required")
    if max_length is not None and len(text) > max_length:
        raise ValidationError(f"{what} is too long ({len(text)} characters; at most {max_length})")
    return text


def optional_text(value: str | None) -> str | None:
    text = (value or "").strip()
    return text or None


def measured_value(value: Decimal | float | int | str, what: str) -> Decimal:
    """A finite number that fits the stored columns; floats go through str so 21.5 stays 21.5."""
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(f"{what} must be a number, not {value!r}") from None
    if not number.is_finite() or abs(number) > MAX_ABS_VALUE:
        raise ValidationError(f"{what} must be a finite number below {MAX_ABS_VALUE:,}")
    return number


def not_after(day: dt.date, as_of: dt.date, what: str) -> dt.date:
    if day > as_of:
        raise ValidationError(f"{what} {day.isoformat()} is in the future (today is {as_of.isoformat()})")
    return day


def audit(
    db_session: Session,
    actor: Actor,
    *,
    action: str,
    entity_type: str,
    entity_id: int,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    record_audit(
        db_session,
        workspace_id=actor.workspace_id,
        actor_user_id=actor.user_id,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        before=before,
        after=after,
    )
