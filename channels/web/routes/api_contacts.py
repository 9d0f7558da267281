"""Seed 004 contact endpoints: a client's contacts, adding, changing and removing (deactivating) one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from channels.web.api_deps import ClientId, IdempotencyKeyDep, NowDep, id_path
from channels.web.deps import ActorDep, SessionDep
from channels.web.idempotency import run_once
from channels.web.pagination import Page, PageDep
from channels.web.schemas.errors import ERRORS
from domain.clients.contacts import (
    ContactFields,
    ContactView,
    add_contact,
    list_contacts,
    remove_contact,
    update_contact,
)

router = APIRouter(prefix="/api/v1/client-success", tags=["contacts"], responses=ERRORS)
ContactId = Annotated[int, id_path("contact")]


@router.get("/clients/{client_id}/contacts", response_model=Page[ContactView], summary="List contacts")
def get_contacts(
    client_id: ClientId, session: SessionDep, actor: ActorDep, paging: PageDep, include_inactive: bool = False
) -> Page[ContactView]:
    """Active contacts (all with include_inactive), primary first, then by name."""
    rows = list_contacts(db_session=session, actor=actor, client_id=client_id, include_inactive=include_inactive)
    return paging.cut(rows)


@router.post("/clients/{client_id}/contacts", response_model=ContactView, status_code=201, summary="Add contact")
def post_contact(
    client_id: ClientId, body: ContactFields, session: SessionDep, actor: ActorDep, key: IdempotencyKeyDep
) -> ContactView:
    return run_once(
        session,
        actor,
        "add_contact",
        key,
        ContactView,
        lambda: add_contact(db_session=session, actor=actor, client_id=client_id, fields=body),
    )


@router.put("/contacts/{contact_id}", response_model=ContactView, summary="Update contact")
def put_contact(contact_id: ContactId, body: ContactFields, session: SessionDep, actor: ActorDep) -> ContactView:
    """Change the given fields only."""
    return update_contact(db_session=session, actor=actor, contact_id=contact_id, fields=body)


@router.delete("/contacts/{contact_id}", response_model=ContactView, summary="Remove contact")
def delete_contact(contact_id: ContactId, session: SessionDep, actor: ActorDep, now: NowDep) -> ContactView:
    """Deactivate the contact; it stays in the history of activities and deliverables."""
    return remove_contact(db_session=session, actor=actor, contact_id=contact_id, now=now)
