"""Who may see what. Every service takes an Actor; every query on clients goes through these scopes."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, exists, false, select, true
from sqlalchemy.orm import Session

from domain.activities.models import Note
from domain.clients.models import Client
from domain.enums import Role
from domain.errors import AccessDeniedError, NotFoundError
from domain.operations.models import Proposal
from domain.staff.models import User

WHOLE_TENANT_ROLES = frozenset({Role.SENIOR_CSM, Role.VP_CLIENT_SUCCESS, Role.VP_SALES, Role.ADMIN})


@dataclass(frozen=True, slots=True)
class Actor:
    """The staff user a request runs as: identity, tenant and role. Built by channels, trusted below."""

    user_id: int
    workspace_id: int
    role: Role
    email: str
    name: str

    @property
    def sees_whole_tenant(self) -> bool:
        return self.role in WHOLE_TENANT_ROLES

    @classmethod
    def from_user(cls, user: User) -> Actor:
        return cls(user.id, user.workspace_id, user.role, user.email, user.name)


def actor_for_email(session: Session, email: str) -> Actor:
    """Resolve a staff email to an Actor; unknown or deactivated users are refused."""
    user = session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.is_active:
        raise NotFoundError(f"no active staff user with email {email.strip()!r}")
    return Actor.from_user(user)


def portfolio_clause(actor: Actor) -> ColumnElement[bool]:
    """The role rule alone: which clients of the actor's own tenant are theirs to see."""
    if actor.sees_whole_tenant:
        return true()
    if actor.role is Role.CSM:
        return Client.csm_user_id == actor.user_id
    if actor.role is Role.AE:
        return Client.ae_user_id == actor.user_id
    if actor.role is Role.CONSULTANT:
        return exists().where(Proposal.client_id == Client.id, Proposal.consultant_id == actor.user_id)
    return false()


def visible_clients_clause(actor: Actor) -> ColumnElement[bool]:
    """Tenant boundary plus the role rule, for use in any query that touches clients."""
    return and_(Client.workspace_id == actor.workspace_id, portfolio_clause(actor))


def scoped_clients(actor: Actor) -> Select[tuple[Client]]:
    """SELECT of the clients the actor may see."""
    return select(Client).where(visible_clients_clause(actor))


def get_visible_client(session: Session, actor: Actor, client_id: int) -> Client:
    """Load a client the actor may see. Another tenant's client is reported as missing, never as denied."""
    client = session.get(Client, client_id)
    if client is None or client.workspace_id != actor.workspace_id:
        raise NotFoundError(f"no client with id {client_id}")
    allowed = session.scalar(select(Client.id).where(Client.id == client_id, visible_clients_clause(actor)))
    if allowed is None:
        raise AccessDeniedError(f"{client.name} is not in your portfolio")
    return client


def can_see_note(actor: Actor, note: Note) -> bool:
    """Private notes are for their author only, whatever the actor's role."""
    return not note.is_private or note.created_by_id == actor.user_id


def visible_notes_clause(actor: Actor) -> ColumnElement[bool]:
    """Privacy only: combine with visible_clients_clause (on the note's client) for tenant and portfolio scope."""
    return (Note.is_private.is_(False)) | (Note.created_by_id == actor.user_id)
