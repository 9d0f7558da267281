"""Representative contexts for the briefing and email templates (prompts/briefing*.md, prompts/email/*)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from agent.briefing import build_briefing
from agent.briefing.build import data_freshness
from agent.briefing.text import deterministic_text
from agent.reply import PendingConfirmation
from domain.access import actor_for_email
from domain.clients.models import Client, Contact
from domain.messaging.weekly_client_email import weekly_client_emails
from tests.demo_fixture import NOW

JANE = "jane@demo.csagent.dev"


def channel_contexts(session: Session) -> dict[str, list[dict[str, Any]]]:
    jane = actor_for_email(session, JANE)
    _, computed = data_freshness(session, jane.workspace_id)
    now = max(NOW, (computed or NOW) + dt.timedelta(hours=1))
    fresh = build_briefing(db_session=session, actor=jane, now=now, since=now - dt.timedelta(days=1))
    stale = build_briefing(db_session=session, actor=jane, now=now + dt.timedelta(days=3))
    quiet = fresh.model_copy(update={"items": [], "more_items": 0})
    assert fresh.items
    assert stale.stale
    pending = PendingConfirmation(tool="add_note", args={"client": "Beta Industries"}, summary="Add a note to Beta")
    return {
        "briefing.md": [{"briefing": b.model_dump(mode="json")} for b in (fresh, stale, quiet)],
        "briefing_rephrase.md": [{"user_name": fresh.user_name}],
        "email/layout.html.j2": [{"title": "Your briefing", "body_html": "<p><strong>Acme Corp</strong></p>"}],
        "email/reply.md.j2": [
            {"answer": deterministic_text(fresh), "pending": pending.model_dump(), "notes": ["running offline"]},
            {"answer": "Acme Corp is at risk.", "pending": None, "notes": []},
        ],
        "email/weekly_client.md.j2": [
            {
                "email": email.model_dump(mode="json"),
                "dashboard_url": "http://127.0.0.1:8000/",
                "sender_name": "The Demo Co client success team",
            }
            for email in _weekly_emails(session, jane.workspace_id)
        ],
    }


def _weekly_emails(session: Session, workspace_id: int) -> list[Any]:
    contact = session.scalars(
        select(Contact).join(Client).where(Client.name == "Acme Corp", Contact.name == "Sarah Chen")
    ).one()
    contact.weekly_email_opt_in = True
    session.flush()
    emails = weekly_client_emails(db_session=session, workspace_id=workspace_id, week_start=dt.date(2026, 11, 16))
    assert emails
    return emails[:1]
