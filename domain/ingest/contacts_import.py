"""Import contacts from a CSV file: upsert by (client, email), else (client, name); bad rows skipped.

As with clients, a row with any error is skipped whole and reported with its row number and column,
every valid row is kept, and an empty cell leaves the stored value as it is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.clients.models import Client, Contact
from domain.errors import NotFoundError, ValidationError
from domain.ingest.changes import Change, apply_values
from domain.ingest.client_lookup import ClientDirectory, UnknownClientError, name_key
from domain.ingest.csv_table import CsvTable
from domain.ingest.import_rows import CONTACT_COLUMNS, ContactImportRow, validate_row
from domain.ingest.import_runner import run_import
from domain.ingest.reports import ImportReport, RowError
from domain.staff.models import Workspace

_NOT_STORED = {"client", "first_name", "last_name"}


def import_contacts(
    *, db_session: Session, workspace_id: int, path: Path, actor_user_id: int | None = None
) -> ImportReport:
    """Create or update contacts of the workspace's clients from a CSV file."""
    if db_session.get(Workspace, workspace_id) is None:
        raise NotFoundError(f"no workspace with id {workspace_id}")
    table = CsvTable.open(path, aliases=CONTACT_COLUMNS, required=("client",))
    if not {"name", "first_name", "last_name"} & table.columns.keys():
        raise ValidationError(f"{path.name} has no column for the contact's name")
    importer = _ContactImporter(db_session, workspace_id, table)
    return run_import(
        db_session=db_session,
        table=table,
        import_row=importer.import_row,
        entity_type="contact",
        workspace_id=workspace_id,
        actor_user_id=actor_user_id,
    )


class _ContactImporter:
    """The workspace's clients and contacts in memory, so each row is matched without a query."""

    def __init__(self, db_session: Session, workspace_id: int, table: CsvTable) -> None:
        self.db_session, self.table = db_session, table
        self.directory = ClientDirectory.load(db_session=db_session, workspace_id=workspace_id)
        contacts = db_session.scalars(
            select(Contact).join(Client, Client.id == Contact.client_id).where(Client.workspace_id == workspace_id)
        ).all()
        self.by_email = {(c.client_id, c.email.lower()): c for c in contacts if c.email}
        self.by_name = {(c.client_id, name_key(c.name)): c for c in contacts}

    def import_row(self, line: int, cells: dict[str, str]) -> tuple[Contact, bool, Change] | list[RowError]:
        row = validate_row(ContactImportRow, self.table, line, cells)
        if isinstance(row, list):
            return row
        errors: list[RowError] = []
        try:
            client_id = self.directory.resolve(client=row.client)
        except UnknownClientError as exc:
            errors.append(RowError(row=line, column=self.table.label("client"), message=str(exc)))
        name = row.full_name
        if name is None:
            errors.append(RowError(row=line, column=self.table.label("name"), message="required, but empty"))
        if errors or name is None:
            return errors
        values: dict[str, Any] = {**row.model_dump(exclude_unset=True, exclude=_NOT_STORED), "name": name}
        contact = self._match(client_id, name, row.email)
        created = contact is None
        if contact is None:
            contact = Contact(client_id=client_id)
            self.db_session.add(contact)
        change = apply_values(contact, values)
        self._remember(client_id, contact)
        return contact, created, change

    def _match(self, client_id: int, name: str, email: str | None) -> Contact | None:
        """By email within the client; else by name, unless that contact has a different email."""
        if email is not None and (client_id, email) in self.by_email:
            return self.by_email[client_id, email]
        contact = self.by_name.get((client_id, name_key(name)))
        if contact is not None and email is not None and contact.email:
            return None
        return contact

    def _remember(self, client_id: int, contact: Contact) -> None:
        self.by_name[client_id, name_key(contact.name)] = contact
        if contact.email:
            self.by_email[client_id, contact.email.lower()] = contact
