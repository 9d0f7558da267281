"""What an ingestion or import tells its caller: counts, and each rejected row with the reason."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

# A file of a million bad rows must not hold a million messages; the count stays exact.
MAX_REPORTED_ROWS = 1000


class BadRow(BaseModel):
    line: int = Field(description="1-based line of the file (the header of a CSV is line 1)")
    error: str


class IngestReport(BaseModel):
    """The outcome of loading an engagement event file."""

    rows_read: int = 0
    inserted: int = 0
    duplicates: int = Field(default=0, description="valid rows whose event_id was already stored")
    bad_row_count: int = 0
    bad_rows: list[BadRow] = Field(default_factory=list, description=f"the first {MAX_REPORTED_ROWS}")
    clients_touched: int = Field(default=0, description="clients whose rollups were rebuilt")
    rollup_start: dt.date | None = None
    rollup_end: dt.date | None = None
    rollup_rows: int = 0

    def reject(self, line: int, error: str) -> None:
        self.bad_row_count += 1
        if len(self.bad_rows) < MAX_REPORTED_ROWS:
            self.bad_rows.append(BadRow(line=line, error=error))


class RowError(BaseModel):
    row: int = Field(description="1-based line of the CSV file; the header is row 1")
    column: str | None = Field(default=None, description="the column as written in the header")
    message: str

    def __str__(self) -> str:
        if self.column is None:
            return f"row {self.row}: {self.message}"
        return f"row {self.row}, column '{self.column}': {self.message}"


class ImportReport(BaseModel):
    """The outcome of importing clients or contacts: rows with errors are skipped, the rest kept."""

    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = Field(default=0, description="rows not imported because of an error")
    errors: list[RowError] = Field(default_factory=list, description=f"the first {MAX_REPORTED_ROWS}")
    ignored_columns: list[str] = Field(default_factory=list, description="header columns with no meaning here")

    def count(self, *, created: bool, changed: bool) -> None:
        if created:
            self.created += 1
        elif changed:
            self.updated += 1
        else:
            self.unchanged += 1

    def reject(self, errors: list[RowError]) -> None:
        self.skipped += 1
        room = MAX_REPORTED_ROWS - len(self.errors)
        self.errors.extend(errors[: max(room, 0)])
