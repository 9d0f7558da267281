"""draft_outreach: an email drafted from the client's real data, addressed to the right contact. Never sent."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import select

import prompts
from domain.clients.models import Client, Contact
from domain.clients.overview import ClientOverview, client_overview
from domain.enums import ContactRole
from domain.errors import NotFoundError, ValidationError
from domain.scoring.drivers import get_score
from domain.staff.models import User
from tools.base import ToolContext, ToolResult, cs_tool, resolve_client

Purpose = Literal["check_in", "re_engagement", "renewal", "adoption", "executive_escalation", "celebration"]
# Who should receive each kind of email, in order of preference (seed 004 contact roles).
RECIPIENTS: dict[str, tuple[ContactRole, ...]] = {
    "check_in": (ContactRole.CHAMPION, ContactRole.ADMIN, ContactRole.EXECUTIVE_SPONSOR),
    "re_engagement": (ContactRole.CHAMPION, ContactRole.ADMIN, ContactRole.USER),
    "renewal": (ContactRole.EXECUTIVE_SPONSOR, ContactRole.CHAMPION, ContactRole.BILLING),
    "adoption": (ContactRole.ADMIN, ContactRole.CHAMPION, ContactRole.USER),
    "executive_escalation": (ContactRole.EXECUTIVE_SPONSOR, ContactRole.CHAMPION),
    "celebration": (ContactRole.CHAMPION, ContactRole.EXECUTIVE_SPONSOR, ContactRole.ADMIN),
}


class OutreachArgs(BaseModel):
    client: str
    purpose: Purpose = Field(
        description="check_in, re_engagement, renewal, adoption, executive_escalation or celebration."
    )
    contact: str | None = Field(None, description="A contact's name; default: the right role for the purpose.")


class OutreachResult(ToolResult):
    client: str
    purpose: Purpose
    to_name: str
    to_email: str | None
    to_role: ContactRole
    subject: str
    body: str
    facts_used: dict[str, Any]


@cs_tool("draft_outreach", args=OutreachArgs)
def draft_outreach(args: OutreachArgs, context: ToolContext) -> OutreachResult:
    """Draft an outreach email (subject and body) to the right contact, using the client's real data. It is a
    draft for the CSM to review and send; nothing is sent."""
    client = resolve_client(context, args.client)
    contact = _recipient(context, client, args.purpose, args.contact)
    overview = client_overview(
        db_session=context.db_session, actor=context.actor, client_id=client.id, as_of=context.as_of, now=context.now
    )
    facts = _facts(context, client, contact, overview)
    text = prompts.render(f"outreach/{args.purpose}.md.j2", **facts)
    subject_line, _, body = text.partition("\n")
    return OutreachResult(
        as_of=context.as_of,
        source_ids={**overview.source_ids, "contact": [contact.id]},
        client=client.name,
        purpose=args.purpose,
        to_name=contact.name,
        to_email=contact.email,
        to_role=contact.role,
        subject=subject_line.removeprefix("Subject:").strip(),
        body=body.strip(),
        facts_used={key: value for key, value in facts.items() if key not in ("sender", "first_name", "client")},
    )


def _recipient(context: ToolContext, client: Client, purpose: str, name: str | None) -> Contact:
    contacts = list(
        context.db_session.scalars(
            select(Contact).where(Contact.client_id == client.id, Contact.is_active.is_(True)).order_by(Contact.id)
        )
    )
    if name:
        wanted = name.strip().lower()
        for contact in contacts:
            if wanted in (contact.name.lower(), contact.name.lower().split()[0]):
                return contact
        raise NotFoundError(f"no active contact called {name!r} at {client.name}")
    for role in RECIPIENTS[purpose]:
        for contact in contacts:
            if contact.role is role:
                return contact
    if not contacts:
        raise ValidationError(f"{client.name} has no active contacts to write to")
    return next((c for c in contacts if c.is_primary), contacts[0])


def _facts(context: ToolContext, client: Client, contact: Contact, overview: ClientOverview) -> dict[str, Any]:
    score = get_score(db_session=context.db_session, actor=context.actor, client_id=client.id, as_of=context.as_of)
    raw = {component.name: component.raw for component in score.components}
    days_since = (context.as_of - overview.last_csm_contact_at.date()).days if overview.last_csm_contact_at else None
    login = contact.last_platform_login
    change = raw.get("usage", {}).get("dau_change_vs_prior_30d")
    sender = context.db_session.scalar(select(User.name).where(User.id == context.actor.user_id)) or context.actor.name
    usage_unused = raw.get("adoption", {}).get("unused", [])
    active = raw.get("adoption", {}).get("active", [])
    progress = overview.outcome_progress
    return {
        "client": client.name,
        "first_name": contact.name.split()[0],
        "sender": sender,
        "days_since_contact_text": f"{days_since} days" if days_since is not None else "a while",
        "active_users": None,
        "champion_days": (context.as_of - login.date()).days if login else None,
        "dau_change_text": f"{'down' if change < 0 else 'up'} {abs(change):.0%}" if change is not None else None,
        "renewal_date_text": overview.next_renewal_date.strftime("%B %-d, %Y")
        if overview.next_renewal_date
        else "soon",
        "days_to_renewal": overview.days_to_renewal,
        "unused_features": [key.replace("_", " ") for key in usage_unused[:3]],
        "adoption_text": ", ".join(key.replace("_", " ") for key in active[:3]) or None,
        "evidence": [c.evidence for c in score.components if c.score is not None and c.score < 50][:3],
        "milestone_text": None,
        "outcome_text": (
            f"{progress.metric} went from {progress.baseline_value.normalize():f} to "
            f"{progress.latest_value.normalize():f} {progress.unit}."
            if progress and progress.latest_value is not None
            else None
        ),
    }
