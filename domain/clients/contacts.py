"""A client's contacts (seed 004 contact endpoints): list, add, change, remove. Scoped by the actor, audited.

Removing a contact deactivates it rather than deleting the row: deliverables, activities and feedback
point at contacts, and a deleted row would take the engagement history with it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, EmailStr, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.access import Actor, get_visible_client
from domain.audit import record_audit
from domain.clients.models import Contact
from domain.enums import ContactRole, EngagementStatus
from domain.errors import ConflictError, NotFoundError, ValidationError

REQUIRED_FIELDS = frozenset({"name", "role", "is_primary", "is_billing", "is_technical", "weekly_email_opt_in"})


class ContactFields(BaseModel):
    """What a caller may set on a contact; on a change only the fields given are changed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str | None = Field(default=None, min_length=1, max_length=200)
    email: EmailStr | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=40)
    title: str | None = Field(default=None, max_length=120)
    role: ContactRole | None = None
    is_primary: bool | None = None
    is_billing: bool | None = None
    is_technical: bool | None = None
    platform_user_ref: str | None = Field(default=None, max_length=100)
    notes: str | None = Field(default=None, max_length=5000)
    weekly_email_opt_in: bool | None = None


class ContactView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    client_id: int
    name: str
    email: str | None
    phone: str | None
    title: str | None
    role: ContactRole
    is_primary: bool
    is_billing: bool
    is_technical: bool
    platform_user_ref: str | None
    last_platform_login: dt.datetime | None
    last_csm_contact: dt.datetime | None
    engagement_status: EngagementStatus
    notes: str | None
    is_active: bool
    weekly_email_opt_in: bool


def list_contacts(
    *, db_session: Session, actor: Actor, client_id: int, include_inactive: bool = False
) -> list[ContactView]:
    """The client's contacts, primary first, then by name."""
    client = get_visible_client(db_session, actor, client_id)
    query = select(Contact).where(Contact.client_id == client.id)
    if not include_inactive:
        query = query.where(Contact.is_active.is_(True))
    rows = db_session.scalars(query.order_by(Contact.is_primary.desc(), Contact.name, Contact.id))
    return [ContactView.model_validate(row) for row in rows]


def add_contact(*, db_session: Session, actor: Actor, client_id: int, fields: ContactFields) -> ContactView:
    """Add a contact to a client; the name is required and an email may be used once per client."""
    client = get_visible_client(db_session, actor, client_id)
    values = fields.model_dump(exclude_none=True)
    if not values.get("name"):
        raise ValidationError("a contact needs a name")
    email = _normalised_email(values.pop("email", None))
    _check_email_free(db_session, client.id, email, None)
    contact = Contact(client_id=client.id, email=email, **values)
    db_session.add(contact)
    db_session.flush()
    view = ContactView.model_validate(contact)
    _audit(db_session, actor, "create", contact.id, None, view)
    return view


def update_contact(*, db_session: Session, actor: Actor, contact_id: int, fields: ContactFields) -> ContactView:
    """Change the given fields of a contact."""
    contact = _visible_contact(db_session, actor, contact_id)
    before = ContactView.model_validate(contact)
    values = fields.model_dump(exclude_unset=True)
    cleared = sorted(name for name in REQUIRED_FIELDS if name in values and values[name] is None)
    if cleared:
        raise ValidationError(f"{', '.join(cleared)} cannot be cleared (null); give a value")
    if "email" in values:
        values["email"] = _normalised_email(values["email"])
        _check_email_free(db_session, contact.client_id, values["email"], contact.id)
    for name, value in values.items():
        setattr(contact, name, value)
    db_session.flush()
    view = ContactView.model_validate(contact)
    if view != before:
        _audit(db_session, actor, "update", contact.id, before, view)
    return view


def remove_contact(*, db_session: Session, actor: Actor, contact_id: int, now: dt.datetime) -> ContactView:
    """Deactivate a contact (kept for history); removing it again changes nothing."""
    contact = _visible_contact(db_session, actor, contact_id)
    if not contact.is_active:
        return ContactView.model_validate(contact)
    before = ContactView.model_validate(contact)
    contact.is_active, contact.is_primary, contact.left_company_at = False, False, now
    db_session.flush()
    view = ContactView.model_validate(contact)
    _audit(db_session, actor, "deactivate", contact.id, before, view)
    return view


def _visible_contact(db_session: Session, actor: Actor, contact_id: int) -> Contact:
    contact = db_session.get(Contact, contact_id)
    if contact is None:
        raise NotFoundError(f"no contact with id {contact_id}")
    try:
        get_visible_client(db_session, actor, contact.client_id)
    except NotFoundError:  # another tenant's contact does not exist for this actor
        raise NotFoundError(f"no contact with id {contact_id}") from None
    return contact


def _normalised_email(email: str | None) -> str | None:
    return email.strip().lower() if email else None


def _check_email_free(db_session: Session, client_id: int, email: str | None, own_id: int | None) -> None:
    if email is None:
        return
    taken = db_session.scalar(select(Contact.id).where(Contact.client_id == client_id, Contact.email == email))
    if taken is not None and taken != own_id:
        raise ConflictError(f"the client already has a contact with email {email} (contact {taken})")


def _audit(
    db_session: Session, actor: Actor, action: str, contact_id: int, before: ContactView | None, after: ContactView
) -> None:
    def dump(view: ContactView | None) -> dict[str, Any] | None:
        return None if view is None else view.model_dump(mode="json")

    record_audit(
        db_session,
        workspace_id=actor.workspace_id,
        actor_user_id=actor.user_id,
        action=action,
        entity_type="contact",
        entity_id=contact_id,
        before=dump(before),
        after=dump(after),
    )
