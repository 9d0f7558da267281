"""Retried API writes return the first result: the Idempotency-Key and its result are stored with the write."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from pydantic import BaseModel
from sqlalchemy.orm import Session

from domain.access import Actor
from domain.audit import find_idempotent_result, remember_idempotent_result

ResultT = TypeVar("ResultT", bound=BaseModel)


def scoped_key(actor: Actor, operation: str, key: str | None) -> str | None:
    """A caller's key is their own: two users, or two kinds of write, never share one."""
    return None if key is None else f"api:{actor.user_id}:{operation}:{key}"


def run_once(
    session: Session,
    actor: Actor,
    operation: str,
    key: str | None,
    result_type: type[ResultT],
    write: Callable[[], ResultT],
) -> ResultT:
    """Run `write` unless this key already ran; the key is stored in the write's own transaction."""
    stored_key = scoped_key(actor, operation, key)
    if stored_key is None:
        return write()
    earlier = find_idempotent_result(session, workspace_id=actor.workspace_id, key=stored_key)
    if earlier is not None:
        return result_type.model_validate(earlier)
    result = write()
    remember_idempotent_result(
        session,
        workspace_id=actor.workspace_id,
        key=stored_key,
        operation=operation,
        result=result.model_dump(mode="json"),
    )
    return result
