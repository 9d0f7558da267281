"""Change a client's own labels (seed 004 PUT client: tags and segment); everything else comes from sources."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from domain.access import Actor, get_visible_client
from domain.audit import record_audit
from domain.clients.page import ClientRow, get_client_row
from domain.errors import ValidationError

MAX_TAGS = 30


class ClientChanges(BaseModel):
    """Only the fields given are changed; a null segment clears it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    tags: list[str] | None = Field(default=None, max_length=MAX_TAGS)
    segment: str | None = Field(default=None, max_length=100)


def update_client(
    *, db_session: Session, actor: Actor, client_id: int, changes: ClientChanges, as_of: dt.date
) -> ClientRow:
    """Set a client's tags (trimmed, de-duplicated, order kept) and segment."""
    client = get_visible_client(db_session, actor, client_id)
    given = changes.model_dump(exclude_unset=True)
    before = {"tags": list(client.tags), "segment": client.segment}
    if "tags" in given:
        if given["tags"] is None:
            raise ValidationError("tags cannot be null; send [] to clear them")
        tags = [tag.strip() for tag in given["tags"]]
        if any(not tag or len(tag) > 50 for tag in tags):
            raise ValidationError("each tag is 1 to 50 characters")
        client.tags = list(dict.fromkeys(tags))
    if "segment" in given:
        client.segment = given["segment"] or None
    after = {"tags": list(client.tags), "segment": client.segment}
    if after != before:
        db_session.flush()
        record_audit(
            db_session,
            workspace_id=actor.workspace_id,
            actor_user_id=actor.user_id,
            action="update",
            entity_type="client",
            entity_id=client.id,
            before=before,
            after=after,
        )
    return get_client_row(db_session=db_session, actor=actor, client_id=client.id, as_of=as_of)
