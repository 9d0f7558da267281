"""Resolve how a file names a client (id, external id or name) to a client id, from memory."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.clients.models import Client, Contact


class UnknownClientError(ValueError):
    """The row names no client of the workspace."""


def name_key(name: str) -> str:
    """Names match regardless of case and spacing: 'ACME  corp' finds 'Acme Corp'."""
    return " ".join(name.split()).casefold()


@dataclass(slots=True)
class ClientDirectory:
    """Every client of one workspace, loaded once so resolving a row never queries."""

    ids: set[int] = field(default_factory=set)
    by_external_id: dict[str, int] = field(default_factory=dict)
    by_name: dict[str, int] = field(default_factory=dict)

    @classmethod
    def load(cls, *, db_session: Session, workspace_id: int) -> ClientDirectory:
        """Load the workspace's clients."""
        directory = cls()
        query = select(Client.id, Client.external_id, Client.name).where(Client.workspace_id == workspace_id)
        for client_id, external_id, name in db_session.execute(query):
            directory.add(client_id, external_id=external_id, name=name)
        return directory

    def add(self, client_id: int, *, external_id: str | None, name: str) -> None:
        self.ids.add(client_id)
        if external_id:
            self.by_external_id[external_id] = client_id
        self.by_name[name_key(name)] = client_id

    def resolve(
        self,
        *,
        client_id: int | None = None,
        external_id: str | None = None,
        name: str | None = None,
        client: int | str | None = None,
    ) -> int:
        """The id of the client named by whichever field the row filled; UnknownClientError if none."""
        if client_id is not None:
            return self._known_id(client_id)
        if external_id is not None:
            return self._lookup(self.by_external_id, external_id.strip(), "external id")
        if name is not None:
            return self._lookup(self.by_name, name_key(name), "name", shown=name)
        if isinstance(client, int):
            return self._known_id(client)
        if client is not None:
            return self._by_any_reference(client)
        raise UnknownClientError("missing field 'client' (or client_id, client_external_id, client_name)")

    def _by_any_reference(self, reference: str) -> int:
        # External ids are exact business keys, so they win over names; internal ids come last.
        text = reference.strip()
        found = self.by_external_id.get(text) or self.by_name.get(name_key(text))
        if found is not None:
            return found
        if text.isdigit() and int(text) in self.ids:
            return int(text)
        raise UnknownClientError(f"unknown client {reference!r}")

    def _known_id(self, client_id: int) -> int:
        if client_id not in self.ids:
            raise UnknownClientError(f"unknown client id {client_id}")
        return client_id

    @staticmethod
    def _lookup(index: dict[str, int], key: str, kind: str, *, shown: str | None = None) -> int:
        found = index.get(key)
        if found is None:
            raise UnknownClientError(f"unknown client {kind} {shown or key!r}")
        return found


def load_contact_user_refs(*, db_session: Session, workspace_id: int) -> set[tuple[int, str]]:
    """(client id, platform user ref) of every contact linked to a platform user."""
    query = (
        select(Contact.client_id, Contact.platform_user_ref)
        .join(Client, Client.id == Contact.client_id)
        .where(Client.workspace_id == workspace_id, Contact.platform_user_ref.is_not(None))
    )
    return {(client_id, user_ref) for client_id, user_ref in db_session.execute(query)}
