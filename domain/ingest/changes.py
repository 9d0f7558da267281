"""Apply imported values to an ORM object and describe the change for the audit log."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy.orm import Session

from domain.audit import record_audit

Change = tuple[dict[str, Any], dict[str, Any]]  # (before, after) of the fields that changed


def apply_values(target: Any, values: dict[str, Any]) -> Change:
    """Set each value that differs from the stored one; return what changed."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for name, value in values.items():
        current = getattr(target, name)
        if current == value:
            continue
        before[name], after[name] = jsonable(current), jsonable(value)
        setattr(target, name, value)
    return before, after


def jsonable(value: Any) -> Any:
    """The value as the audit log's JSON column can hold it."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date | Decimal):
        return str(value)
    if isinstance(value, list):
        return [jsonable(item) for item in value]
    return value


def audit_import(
    db_session: Session,
    *,
    workspace_id: int,
    actor_user_id: int | None,
    entity_type: str,
    entity_id: int,
    created: bool,
    change: Change,
) -> None:
    """One audit row per created or changed record, marked as coming from an import."""
    before, after = change
    record_audit(
        db_session,
        workspace_id=workspace_id,
        actor_user_id=actor_user_id,
        action="create" if created else "update",
        entity_type=entity_type,
        entity_id=entity_id,
        before=None if created else before,
        after=after,
        channel="import",
    )
