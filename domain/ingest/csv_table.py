"""Read an import CSV whose headers may use any of several names per field, streaming its rows."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from domain.errors import ValidationError
from domain.ingest.sources import normalize_header


@dataclass(frozen=True, slots=True)
class CsvRow:
    line: int  # 1-based line of the file; the header is line 1
    cells: dict[str, str]  # field -> non-empty cell text


@dataclass(slots=True)
class CsvTable:
    """Which column holds which field, and the header text to name it by in errors."""

    path: Path
    columns: dict[str, int] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)

    @classmethod
    def open(cls, path: Path, *, aliases: Mapping[str, tuple[str, ...]], required: tuple[str, ...]) -> CsvTable:
        """Map the header onto fields; a missing required column or a field named twice is refused."""
        if path.suffix.lower() != ".csv":
            raise ValidationError(f"cannot import {path.name}: expected a .csv file")
        if not path.is_file():
            raise ValidationError(f"no such file: {path}")
        with path.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
            header = next(csv.reader(handle), [])
        table = cls(path)
        field_of = {alias: name for name, names in aliases.items() for alias in (name, *names)}
        for index, label in enumerate(header):
            name = field_of.get(normalize_header(label))
            if name is None:
                if label.strip():
                    table.ignored.append(label)
                continue
            if name in table.columns:
                raise ValidationError(f"columns '{table.labels[name]}' and '{label}' both mean {name}")
            table.columns[name], table.labels[name] = index, label
        missing = [name for name in required if name not in table.columns]
        if missing:
            raise ValidationError(f"{path.name} has no column for {', '.join(missing)}")
        return table

    def label(self, name: str) -> str:
        return self.labels.get(name, name)

    def rows(self) -> Iterator[CsvRow]:
        """Rows after the header, streamed; blank rows are skipped, empty cells left out."""
        with self.path.open(newline="", encoding="utf-8-sig", errors="replace") as handle:
            reader = csv.reader(handle)
            next(reader, None)
            for cells in reader:
                if not any(cell.strip() for cell in cells):
                    continue
                values = {
                    name: cells[index].strip()
                    for name, index in self.columns.items()
                    if index < len(cells) and cells[index].strip()
                }
                yield CsvRow(reader.line_num, values)
