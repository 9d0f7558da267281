"""The loop both imports share: each row stands alone, errors skip it, changes are audited."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from domain.clients.models import Client, Contact
from domain.ingest.changes import Change, audit_import
from domain.ingest.csv_table import CsvTable
from domain.ingest.reports import ImportReport, RowError

Imported = Client | Contact
RowOutcome = tuple[Imported, bool, Change] | list[RowError]  # (record, created, change) or why not


def run_import(
    *,
    db_session: Session,
    table: CsvTable,
    import_row: Callable[[int, dict[str, str]], RowOutcome],
    entity_type: str,
    workspace_id: int,
    actor_user_id: int | None,
) -> ImportReport:
    """Import every row of the table, then audit each created or changed record."""
    report = ImportReport(ignored_columns=table.ignored)
    audits: list[tuple[Imported, bool, Change]] = []
    for row in table.rows():
        report.rows_read += 1
        outcome = import_row(row.line, row.cells)
        if isinstance(outcome, list):
            report.reject(outcome)
            continue
        _, created, (_, after) = outcome
        report.count(created=created, changed=bool(after))
        if after:
            audits.append(outcome)
    # New records get their ids here, which the audit rows refer to.
    db_session.flush()
    for record, created, change in audits:
        audit_import(
            db_session,
            workspace_id=workspace_id,
            actor_user_id=actor_user_id,
            entity_type=entity_type,
            entity_id=record.id,
            created=created,
            change=change,
        )
    db_session.flush()
    return report
