"""Support tickets, NPS and CSAT survey responses, and seed 002's support interactions."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from domain.demo.clock import days_before, stamps, utc_at
from domain.demo.plan import ClientPlan
from domain.enums import ContactRole, SupportInteractionType, SurveyKind, TicketSeverity, TicketStatus

SEVERITIES = tuple(TicketSeverity)
SEVERITY_WEIGHTS = {"healthy": (45, 40, 13, 2), "monitor": (35, 40, 20, 5), "at_risk": (20, 40, 30, 10)}
SPIKE_SEVERITY_WEIGHTS = (10, 45, 35, 10)  # a spike is mostly real problems
SUBJECTS = (
    "Cannot assign case to investigator", "Disclosure form not saving", "Report export times out",
    "SSO login loop for some users", "Dashboard numbers differ from export", "Attestation reminder emails delayed",
    "API returns 429 during nightly sync", "Chatbot answers in wrong language", "Bulk import fails on CSV",
    "Permission error opening a case", "Slow search in case list", "Need help configuring workflow",
)  # fmt: skip
NPS_COMMENTS = {
    "promoter": "The team relies on it every day; support is quick.",
    "passive": "Does the job, but reporting could be simpler.",
    "detractor": "Too many issues lately and the UI slows us down.",
}
RECENT_DAYS = 30
SOLVED_AFTER_DAYS = 14  # tickets older than this are almost all resolved


def ticket_rows(
    plan: ClientPlan, client_id: int, contact_ids: list[int], rng: random.Random, as_of: dt.date
) -> list[dict[str, Any]]:
    """About `tickets_per_month` over the history, plus a story's extra tickets in the last 30 days."""
    oldest = plan.age_in_window(as_of)
    expected = plan.tickets_per_month * (oldest + 1) / 30
    count = int(expected) + (1 if rng.random() < expected - int(expected) else 0)
    opened_days = sorted((rng.randint(0, oldest) for _ in range(count)), reverse=True)
    spike_days = sorted(rng.randint(0, min(RECENT_DAYS - 2, oldest)) for _ in range(plan.recent_ticket_spike))
    reporters = [contact_ids[i] for i, c in enumerate(plan.contacts) if c.role is not ContactRole.BILLING]
    rows = []
    for number, days_ago in enumerate(opened_days + spike_days[::-1], start=1):
        weights = SPIKE_SEVERITY_WEIGHTS if number > count else SEVERITY_WEIGHTS[plan.archetype.key]
        severity = rng.choices(SEVERITIES, weights=weights)[0]
        opened = utc_at(days_before(as_of, days_ago), rng.randint(12, 21), rng.randint(0, 59))
        rows.append(_ticket(plan, client_id, number, severity, opened, rng.choice(reporters), rng, as_of))
    return rows


def _ticket(
    plan: ClientPlan,
    client_id: int,
    number: int,
    severity: TicketSeverity,
    opened: dt.datetime,
    contact_id: int,
    rng: random.Random,
    as_of: dt.date,
) -> dict[str, Any]:
    resolved = (as_of - opened.date()).days > SOLVED_AFTER_DAYS or rng.random() < 0.4
    closed = min(opened + dt.timedelta(hours=rng.randint(2, 240)), utc_at(as_of, 23, 59)) if resolved else None
    open_statuses = (TicketStatus.OPEN, TicketStatus.PENDING)
    status = rng.choice((TicketStatus.CLOSED, TicketStatus.SOLVED) if resolved else open_statuses)
    subject = rng.choice(SUBJECTS)
    return {
        "client_id": client_id,
        "external_ref": f"ZD-{plan.index + 1:05d}-{number:03d}",
        "subject": subject,
        "description": f"{subject}. Reported by the customer; severity {severity.value.lower()}.",
        "severity": severity,
        "status": status,
        "opened_at": opened,
        "closed_at": closed,
        "csat": rng.randint(*plan.csat) if resolved and rng.random() < 0.6 else None,
        "contact_id": contact_id,
        **stamps(opened),
    }


def survey_rows(
    plan: ClientPlan, client_id: int, contact_ids: list[int], rng: random.Random, as_of: dt.date
) -> list[dict[str, Any]]:
    """A quarterly NPS from the champion and sponsor, and a few CSAT responses."""
    oldest = plan.age_in_window(as_of)
    respondents = [
        contact_ids[plan.contact_with_role(role)] for role in (ContactRole.CHAMPION, ContactRole.EXECUTIVE_SPONSOR)
    ]
    rows = []
    for quarter_days_ago in (rng.randint(10, 40), rng.randint(100, 130)):
        if quarter_days_ago > oldest:
            continue
        for contact_id in respondents[: rng.randint(1, 2)]:
            score = rng.randint(*plan.nps)
            band = "promoter" if score >= 9 else "passive" if score >= 7 else "detractor"
            at = utc_at(days_before(as_of, quarter_days_ago), rng.randint(13, 22), rng.randint(0, 59))
            rows.append(_survey(client_id, contact_id, SurveyKind.NPS, score, NPS_COMMENTS[band], at))
    for _ in range(rng.randint(1, 3)):
        at = utc_at(days_before(as_of, rng.randint(0, oldest)), rng.randint(13, 22), rng.randint(0, 59))
        rows.append(_survey(client_id, rng.choice(contact_ids), SurveyKind.CSAT, rng.randint(*plan.csat), None, at))
    return rows


def _survey(
    client_id: int, contact_id: int, kind: SurveyKind, score: int, comment: str | None, at: dt.datetime
) -> dict[str, Any]:
    return {
        "client_id": client_id,
        "contact_id": contact_id,
        "kind": kind,
        "score": score,
        "comment": comment,
        "responded_at": at,
    }


def interaction_rows(
    plan: ClientPlan, client_id: int, user_ids: dict[str, int], rng: random.Random, as_of: dt.date
) -> list[dict[str, Any]]:
    """Seed 002's support interactions: an onboarding call for new clients, check-ins, technical help."""
    oldest = plan.age_in_window(as_of)
    kinds = [SupportInteractionType.CHECK_IN] * rng.randint(0, 2)
    kinds += [SupportInteractionType.TECHNICAL_SUPPORT] * rng.randint(0, 1)
    if plan.contract_start >= days_before(as_of, oldest):  # started inside the window: onboarding happened
        kinds.insert(0, SupportInteractionType.ONBOARDING_CALL)
    rows = []
    for kind in kinds:
        days_ago = oldest if kind is SupportInteractionType.ONBOARDING_CALL else rng.randint(0, oldest)
        rows.append(
            {
                "client_id": client_id,
                "type": kind,
                "notes": f"{kind.value.replace('_', ' ').capitalize()} with {plan.name}.",
                "outcome": rng.choice(("resolved", "scheduled follow-up", "shared guide", "escalated to product")),
                "performed_by_id": user_ids[plan.csm_email],
                "occurred_at": utc_at(days_before(as_of, days_ago), rng.randint(13, 21)),
            }
        )
    return rows
