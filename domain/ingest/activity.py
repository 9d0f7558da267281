"""Last-seen marks that events move forward: Client.last_activity_at and Contact.last_platform_login."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import cast

from sqlalchemy import Table, bindparam, or_, update
from sqlalchemy.orm import Session

from domain.clients.models import Client, Contact
from domain.enums import EventType

_clients = cast(Table, Client.__table__)
_contacts = cast(Table, Contact.__table__)


@dataclass(slots=True)
class ActivityMarks:
    """The latest event per client and latest login per contact user seen in a file."""

    contact_user_refs: Collection[tuple[int, str]]
    last_activity: dict[int, dt.datetime] = field(default_factory=dict)
    last_login: dict[tuple[int, str], dt.datetime] = field(default_factory=dict)

    def see(self, client_id: int, user_ref: str, event_type: str, occurred_at: dt.datetime) -> None:
        """Note one event (event_type as its string value)."""
        latest = self.last_activity.get(client_id)
        if latest is None or occurred_at > latest:
            self.last_activity[client_id] = occurred_at
        # Only users who are contacts are tracked, so memory stays bounded by the contact list.
        if event_type == EventType.LOGIN and (client_id, user_ref) in self.contact_user_refs:
            key = (client_id, user_ref)
            login = self.last_login.get(key)
            if login is None or occurred_at > login:
                self.last_login[key] = occurred_at

    def apply(self, *, db_session: Session) -> None:
        """Move the marks forward in two statements; a mark never moves back, so re-runs are no-ops."""
        if self.last_activity:
            db_session.execute(
                update(_clients)
                .where(
                    _clients.c.id == bindparam("client"),
                    or_(_clients.c.last_activity_at.is_(None), _clients.c.last_activity_at < bindparam("at")),
                )
                .values(last_activity_at=bindparam("at")),
                [{"client": client_id, "at": at} for client_id, at in self.last_activity.items()],
            )
        if self.last_login:
            db_session.execute(
                update(_contacts)
                .where(
                    _contacts.c.client_id == bindparam("client"),
                    _contacts.c.platform_user_ref == bindparam("user_ref"),
                    or_(_contacts.c.last_platform_login.is_(None), _contacts.c.last_platform_login < bindparam("at")),
                )
                .values(last_platform_login=bindparam("at")),
                [{"client": key[0], "user_ref": key[1], "at": at} for key, at in self.last_login.items()],
            )
        _expire_loaded(db_session, self.last_activity.keys(), self.last_login.keys())


def _expire_loaded(db_session: Session, client_ids: Collection[int], contact_keys: Collection[tuple[int, str]]) -> None:
    """Core updates bypass the identity map; expire the marks of objects already loaded so they reload."""
    for instance in list(db_session.identity_map.values()):
        if isinstance(instance, Client) and instance.id in client_ids:
            db_session.expire(instance, ["last_activity_at", "updated_at"])
        elif isinstance(instance, Contact) and (instance.client_id, instance.platform_user_ref) in contact_keys:
            db_session.expire(instance, ["last_platform_login", "updated_at"])
