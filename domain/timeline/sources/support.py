"""Support tickets: an entry when one is opened and another when it is closed or solved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from sqlalchemy.orm import Session

from domain.enums import TicketStatus
from domain.support.models import SupportTicket
from domain.timeline.schemas import TimelineEntry, TimelineKind
from domain.timeline.sources.base import ClientRef, SourceScope, client_rows, label, make_entry


def ticket_entries(session: Session, scope: SourceScope) -> Iterator[TimelineEntry]:
    rows = client_rows(
        session,
        scope,
        SupportTicket,
        occurred=[SupportTicket.opened_at, SupportTicket.closed_at],
        changed=SupportTicket.updated_at,
    )
    for row in rows:
        ticket: SupportTicket = row.SupportTicket
        client = ClientRef.of(row)
        yield _opened(ticket, client)
        if ticket.closed_at is not None:
            yield _closed(ticket, ticket.closed_at, client)


def _details(ticket: SupportTicket) -> dict[str, str | int | None]:
    return {
        "external_ref": ticket.external_ref,
        "severity": ticket.severity.value,
        "status": ticket.status.value,
        "csat": ticket.csat,
    }


def _opened(ticket: SupportTicket, client: ClientRef) -> TimelineEntry:
    return make_entry(
        TimelineKind.TICKET_OPENED,
        "support_ticket",
        ticket.id,
        client,
        occurred_at=ticket.opened_at,
        title=f"Ticket opened ({label(ticket.severity).lower()}): {ticket.subject}",
        body=[
            ticket.subject,
            ticket.description,
            f"Ticket {ticket.external_ref}, {label(ticket.severity).lower()} severity, now {label(ticket.status)}",
        ],
        subtype=ticket.severity.value,
        details=dict(_details(ticket)),
    )


def _closed(ticket: SupportTicket, closed_at: dt.datetime, client: ClientRef) -> TimelineEntry:
    verb = "solved" if ticket.status is TicketStatus.SOLVED else "closed"
    csat = f"CSAT {ticket.csat}/5" if ticket.csat is not None else None
    return make_entry(
        TimelineKind.TICKET_CLOSED,
        "support_ticket",
        ticket.id,
        client,
        occurred_at=closed_at,
        title=f"Ticket {verb}: {ticket.subject}",
        body=[
            ticket.subject,
            f"Ticket {ticket.external_ref} {verb} after {_duration(closed_at - ticket.opened_at)}",
            csat,
        ],
        subtype=ticket.severity.value,
        details={
            **_details(ticket),
            "resolution_hours": round((closed_at - ticket.opened_at).total_seconds() / 3600, 1),
        },
    )


def _duration(elapsed: dt.timedelta) -> str:
    hours = elapsed.total_seconds() / 3600
    if hours < 48:
        return f"{hours:.1f} hours"
    return f"{hours / 24:.1f} days"
