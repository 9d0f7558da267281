"""Client contacts: the stakeholders a CSM works with, linked to their platform users."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from faker import Faker

from domain.demo.clock import stamps, utc_at
from domain.demo.plan import ClientPlan, ContactPlan
from domain.demo.usage_stats import UsageStats
from domain.enums import ContactRole, EngagementStatus

TITLES = {
    ContactRole.CHAMPION: ("Chief Compliance Officer", "Director of Ethics & Compliance", "Compliance Manager"),
    ContactRole.EXECUTIVE_SPONSOR: ("General Counsel", "Chief Financial Officer", "Chief Operating Officer"),
    ContactRole.ADMIN: ("Compliance Systems Administrator", "IT Applications Manager", "Platform Administrator"),
    ContactRole.USER: ("Investigator", "Compliance Analyst", "HR Business Partner", "Internal Auditor"),
    ContactRole.BILLING: ("Accounts Payable Manager", "Finance Manager", "Procurement Lead"),
}
INACTIVE_AFTER_DAYS = 14  # seed 004: INACTIVE means no activity for 14+ days


@dataclass(frozen=True, slots=True)
class NamedContact:
    """A contact a story needs by name (Acme's champion Sarah Chen)."""

    role: ContactRole
    name: str
    title: str


def plan_contacts(
    *, rng: random.Random, fake: Faker, domain: str, named: tuple[NamedContact, ...] = ()
) -> list[ContactPlan]:
    """Champion, admin, executive sponsor, billing and users (4-8 contacts); stories may name some."""
    roles = [ContactRole.CHAMPION, ContactRole.ADMIN, ContactRole.EXECUTIVE_SPONSOR, ContactRole.BILLING]
    roles += [ContactRole.USER] * rng.randint(0, 4)
    named_users = sum(1 for contact in named if contact.role is ContactRole.USER)
    roles += [ContactRole.USER] * max(0, named_users - roles.count(ContactRole.USER))
    pending = list(named)
    contacts: list[ContactPlan] = []
    taken: set[str] = set()
    for role in roles:
        story = next((contact for contact in pending if contact.role is role), None)
        if story is not None:
            pending.remove(story)
        name, title = f"{fake.first_name()} {fake.last_name()}", rng.choice(TITLES[role])
        contact = ContactPlan(
            name=story.name if story else name,  # fake.name() would add titles such as "Dr." and "DDS"
            email="",
            phone=fake.phone_number(),
            title=story.title if story else title,
            role=role,
            is_primary=role is ContactRole.CHAMPION,
            is_billing=role is ContactRole.BILLING,
            is_technical=role is ContactRole.ADMIN,
        )
        contact.email = _email(contact.name, domain, taken)
        contacts.append(contact)
    _link_platform_users(rng, contacts)
    return contacts


def _link_platform_users(rng: random.Random, contacts: list[ContactPlan]) -> None:
    """Champion, admin and users have platform accounts; executives rarely do; billing never does."""
    next_user = 0
    for contact in contacts:
        has_account = contact.role in (ContactRole.CHAMPION, ContactRole.ADMIN, ContactRole.USER) or (
            contact.role is ContactRole.EXECUTIVE_SPONSOR and rng.random() < 0.3
        )
        if has_account:
            contact.user_index = next_user
            next_user += 1


def _email(name: str, domain: str, taken: set[str]) -> str:
    """first.last@domain, unique within the client (the contacts table's constraint)."""
    parts = [part for part in name.lower().replace("'", "").replace(".", "").split() if part.isalpha()]
    local = ".".join(parts[:1] + parts[-1:]) or "contact"
    email, n = f"{local}@{domain}", 1
    while email in taken:
        n += 1
        email = f"{local}{n}@{domain}"
    taken.add(email)
    return email


def contact_rows(
    plan: ClientPlan, client_id: int, stats: UsageStats, last_contacts: dict[int, dt.datetime], as_of: dt.date
) -> list[dict[str, Any]]:
    """Contact rows whose logins and engagement status agree with the generated events."""
    created = utc_at(plan.contract_start, 10)
    rows = []
    for i, contact in enumerate(plan.contacts):
        ref = plan.usage.user_refs[contact.user_index] if contact.user_index is not None else None
        rows.append(
            {
                "client_id": client_id,
                "name": contact.name,
                "email": contact.email,
                "phone": contact.phone,
                "title": contact.title,
                "role": contact.role,
                "is_primary": contact.is_primary,
                "is_billing": contact.is_billing,
                "is_technical": contact.is_technical,
                "platform_user_ref": ref,
                "last_platform_login": stats.at(stats.last_login.get(ref)) if ref else None,
                "last_csm_contact": last_contacts.get(i),
                "engagement_status": _engagement(stats, ref, as_of),
                "notes": None,
                "is_active": True,
                "left_company_at": None,
                **stamps(created),
            }
        )
    return rows


def _engagement(stats: UsageStats, ref: str | None, as_of: dt.date) -> EngagementStatus:
    """INACTIVE after 14 quiet days, DECLINING when logins halved month on month, else ACTIVE."""
    if ref is None:
        return EngagementStatus.ACTIVE  # no platform account: nothing to measure, keep the default
    last = stats.at(stats.last_login.get(ref))
    if last is None or (as_of - last.date()).days >= INACTIVE_AFTER_DAYS:
        return EngagementStatus.INACTIVE
    recent, previous = stats.recent_logins.get(ref, 0), stats.previous_logins.get(ref, 0)
    return EngagementStatus.DECLINING if previous >= 4 and recent * 2 < previous else EngagementStatus.ACTIVE
