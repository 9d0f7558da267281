"""What every timeline source shares: the scope it reads within, the client columns, and entry building."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Date, Row, Select, and_, null, or_, select, true
from sqlalchemy.orm import QueryableAttribute, Session, aliased

from domain.clients.models import Client
from domain.staff.models import User
from domain.timeline.schemas import DetailValue, TimelineEntry, TimelineKind

Column = ColumnElement[Any] | QueryableAttribute[Any]

CLIENT_COLUMNS = (
    Client.id.label("tl_client_id"),
    Client.name.label("tl_client_name"),
    Client.workspace_id.label("tl_workspace_id"),
    Client.csm_user_id.label("tl_csm_user_id"),
)
UPPER_WORDS = frozenset({"QBR", "NPS", "CSAT"})


@dataclass(frozen=True, slots=True)
class SourceScope:
    """Which rows a source reads: whose clients, which notes, and bounds that only prune.

    `since`/`until` keep a superset of the entries occurring in [since, until]; the service filters the
    built entries exactly, so a source never has to be precise about time, only about scope.
    `changed_since` keeps rows created or updated since then (what an index refresh needs).
    """

    clients: ColumnElement[bool]
    notes: ColumnElement[bool]
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    changed_since: dt.datetime | None = None
    batch_size: int = 500

    def bounds(self, occurred: Sequence[Column], changed: Column) -> list[ColumnElement[bool]]:
        """Conditions for a row whose events happen at `occurred` and whose last change is `changed`."""
        clauses: list[ColumnElement[bool]] = []
        if self.since is not None or self.until is not None:
            clauses.append(or_(*(self._window(column) for column in occurred)))
        if self.changed_since is not None:
            clauses.append(changed >= self.changed_since)
        return clauses

    def _window(self, column: Column) -> ColumnElement[bool]:
        parts: list[ColumnElement[bool]] = []
        # A date event is placed at midnight, and some a day after their column (overdue the day after due).
        is_date = isinstance(getattr(column, "type", None), Date)
        if self.since is not None:
            parts.append(column >= (self.since.date() - dt.timedelta(days=1) if is_date else self.since))
        if self.until is not None:
            parts.append(column <= (self.until.date() if is_date else self.until))
        return and_(true(), *parts)


@dataclass(frozen=True, slots=True)
class ClientRef:
    id: int
    name: str
    workspace_id: int
    csm_user_id: int | None

    @classmethod
    def of(cls, row: Row[Any]) -> ClientRef:
        return cls(row.tl_client_id, row.tl_client_name, row.tl_workspace_id, row.tl_csm_user_id)


def stream(session: Session, query: Select[Any], scope: SourceScope) -> Iterator[Row[Any]]:
    """Rows in batches, so a whole workspace never sits in memory at once."""
    yield from session.execute(query.execution_options(yield_per=scope.batch_size))


def client_rows(
    session: Session,
    scope: SourceScope,
    model: Any,
    *,
    occurred: Sequence[Column],
    changed: Column,
    author: Column | None = None,
    extra: Iterable[Column] = (),
    where: Iterable[ColumnElement[bool]] = (),
    outer: Iterable[tuple[Any, ColumnElement[bool]]] = (),
    via: tuple[Any, ColumnElement[bool], Column] | None = None,
) -> Iterator[Row[Any]]:
    """One query over a client-owned table: the rows in scope, with author name and client columns.

    `extra` adds columns, read from tables joined by `outer` (left joins, so a missing row keeps the entry).
    A table without client_id names the table that has it: `via` = (table, join condition, its client id).
    """
    person = aliased(User)
    author_name = person.name if author is not None else null()
    query = select(model, author_name.label("author_name"), *extra, *CLIENT_COLUMNS)
    if via is not None:
        query = query.join(via[0], via[1])
    query = query.join(Client, Client.id == (model.client_id if via is None else via[2]))
    if author is not None:
        query = query.outerjoin(person, person.id == author)
    for target, on in outer:
        query = query.outerjoin(target, on)
    query = query.where(scope.clients, *scope.bounds(occurred, changed), *where).order_by(model.id)
    yield from stream(session, query, scope)


def make_entry(
    kind: TimelineKind,
    source_type: str,
    source_id: int,
    client: ClientRef,
    *,
    occurred_at: dt.datetime,
    title: str,
    body: Iterable[str | None],
    author_id: int | None = None,
    author_name: str | None = None,
    is_private: bool = False,
    subtype: str | None = None,
    details: dict[str, DetailValue] | None = None,
) -> TimelineEntry:
    return TimelineEntry(
        entry_id=kind.entry_id(source_id),
        kind=kind,
        subtype=subtype,
        occurred_at=occurred_at,
        title=shorten(title, 160),
        body="\n".join(part for part in body if part),
        author_user_id=author_id,
        author_name=author_name,
        is_private=is_private,
        source_type=source_type,
        source_id=source_id,
        client_id=client.id,
        client_name=client.name,
        workspace_id=client.workspace_id,
        csm_user_id=client.csm_user_id,
        details=details or {},
    )


def label(value: str) -> str:
    """An enum value as words: EXECUTIVE_TOUCHPOINT -> Executive touchpoint, QBR stays QBR."""
    text = str(value)
    if text.upper() in UPPER_WORDS:
        return text.upper()
    return text.replace("_", " ").replace("-", " ").capitalize()


def shorten(text: str, width: int = 80) -> str:
    """First line of `text`, cut at a word boundary to fit `width` characters."""
    line = text.strip().splitlines()[0] if text.strip() else ""
    if len(line) <= width:
        return line
    return line[: width - 1].rsplit(" ", 1)[0].rstrip(" ,.;:") + "…"


def number(value: Decimal | float | int) -> str:
    """A quantity without trailing zeros: Decimal('8.0000') -> '8'."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return f"{value:g}"


def money(amount: Decimal, currency: str) -> str:
    return f"{amount:,.2f} {currency}"


def by(name: str | None, verb: str = "by") -> str | None:
    return f"{verb} {name}" if name else None
