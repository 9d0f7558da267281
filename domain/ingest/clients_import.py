"""Import clients from a CSV file: upsert by external id, else by name; bad rows skipped and reported.

Each row stands alone: a row with any error is skipped whole and reported with its row number and
column, and every valid row is kept. An empty cell leaves the stored value as it is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.clients.models import Client
from domain.errors import NotFoundError
from domain.ingest.changes import Change, apply_values
from domain.ingest.client_lookup import name_key
from domain.ingest.csv_table import CsvTable
from domain.ingest.import_rows import CLIENT_COLUMNS, ClientImportRow, validate_row
from domain.ingest.import_runner import run_import
from domain.ingest.reports import ImportReport, RowError
from domain.staff.models import User, Workspace

NEW_CLIENT_NEEDS = ("contract_tier", "contract_start_date")


def import_clients(
    *, db_session: Session, workspace_id: int, path: Path, actor_user_id: int | None = None
) -> ImportReport:
    """Create or update the workspace's clients from a CSV file."""
    if db_session.get(Workspace, workspace_id) is None:
        raise NotFoundError(f"no workspace with id {workspace_id}")
    table = CsvTable.open(path, aliases=CLIENT_COLUMNS, required=("name",))
    importer = _ClientImporter(db_session, workspace_id, table)
    return run_import(
        db_session=db_session,
        table=table,
        import_row=importer.import_row,
        entity_type="client",
        workspace_id=workspace_id,
        actor_user_id=actor_user_id,
    )


class _ClientImporter:
    """The workspace's clients and staff in memory, so each row is matched without a query."""

    def __init__(self, db_session: Session, workspace_id: int, table: CsvTable) -> None:
        self.db_session, self.workspace_id, self.table = db_session, workspace_id, table
        clients = db_session.scalars(select(Client).where(Client.workspace_id == workspace_id)).all()
        self.by_external_id = {client.external_id: client for client in clients if client.external_id}
        self.by_name = {name_key(client.name): client for client in clients}
        staff = db_session.execute(select(User.id, User.email).where(User.workspace_id == workspace_id)).all()
        self.staff_by_email = {email: user_id for user_id, email in staff}
        self.staff_ids = {user_id for user_id, _ in staff}

    def import_row(self, line: int, cells: dict[str, str]) -> tuple[Client, bool, Change] | list[RowError]:
        row = validate_row(ClientImportRow, self.table, line, cells)
        if isinstance(row, list):
            return row
        values = row.model_dump(exclude_unset=True, exclude={"csm", "ae"})
        errors = self._resolve_staff(line, row, values)
        client = self._match(line, row, errors)
        errors += self._check(line, client, values)
        if errors:
            return errors
        created = client is None
        if client is None:
            client = Client(workspace_id=self.workspace_id)
            self.db_session.add(client)
        old_name = client.name
        change = apply_values(client, values)
        self._remember(client, old_name)
        return client, created, change

    def _resolve_staff(self, line: int, row: ClientImportRow, values: dict[str, Any]) -> list[RowError]:
        errors = []
        for field, column in (("csm", "csm_user_id"), ("ae", "ae_user_id")):
            reference = getattr(row, field)
            if reference is None:
                continue
            user_id = self._staff_id(reference)
            if user_id is None:
                message = f"no staff user {reference!r} in this workspace"
                errors.append(RowError(row=line, column=self.table.label(field), message=message))
            values[column] = user_id
        return errors

    def _staff_id(self, reference: str) -> int | None:
        if reference.isdigit():
            return int(reference) if int(reference) in self.staff_ids else None
        return self.staff_by_email.get(reference.strip().lower())

    def _match(self, line: int, row: ClientImportRow, errors: list[RowError]) -> Client | None:
        """The client this row updates: by external id, else by name; None means a new client."""
        if row.external_id and row.external_id in self.by_external_id:
            return self.by_external_id[row.external_id]
        client = self.by_name.get(name_key(row.name))
        if client is not None and row.external_id and client.external_id:
            message = f"client {client.name!r} already has external id {client.external_id!r}"
            errors.append(RowError(row=line, column=self.table.label("external_id"), message=message))
        return client

    def _check(self, line: int, client: Client | None, values: dict[str, Any]) -> list[RowError]:
        """Rules across fields and rows that the database would otherwise refuse mid-import."""
        errors = []
        if client is None:
            for field in NEW_CLIENT_NEEDS:
                if field not in values:
                    errors.append(
                        RowError(row=line, column=self.table.label(field), message="required for a new client")
                    )
        holder = self.by_name.get(name_key(values["name"]))
        if holder is not None and holder is not client:
            message = f"another client is already named {holder.name!r}"
            errors.append(RowError(row=line, column=self.table.label("name"), message=message))
        start = values.get("contract_start_date", client.contract_start_date if client else None)
        end = values.get("contract_end_date", client.contract_end_date if client else None)
        if start and end and end < start:
            message = f"ends ({end}) before the contract starts ({start})"
            errors.append(RowError(row=line, column=self.table.label("contract_end_date"), message=message))
        return errors

    def _remember(self, client: Client, old_name: str | None) -> None:
        if old_name is not None and old_name != client.name:
            self.by_name.pop(name_key(old_name), None)
        self.by_name[name_key(client.name)] = client
        if client.external_id:
            self.by_external_id[client.external_id] = client
