"""Client portal links (seed 003): an unguessable token per engagement that opens its portal, read-only.

Only the token's sha256 is stored; the plain token is returned once, when the link is created. Staff
who may see the engagement create and revoke links; whoever holds a live token sees that one portal.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.access import Actor
from domain.errors import NotFoundError
from domain.operations.models import PortalLink, Proposal
from domain.operations.portal import hydrate_portal
from domain.operations.scope import audit, visible_proposal

TOKEN_BYTES = 32  # 256 bits: guessing one is hopeless, so a fast hash is enough
TOKEN_PREFIX = "csp_"


class PortalLinkView(BaseModel):
    id: int
    proposal_id: int
    created_by_id: int | None
    created_at: dt.datetime
    last_viewed_at: dt.datetime | None
    revoked_at: dt.datetime | None
    active: bool


class IssuedPortalLink(BaseModel):
    """A new link: the plain token and its URL path are shown this once and never again."""

    link: PortalLinkView
    token: str
    path: str


def hash_portal_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_portal_link(*, db_session: Session, actor: Actor, proposal_id: int, now: dt.datetime) -> IssuedPortalLink:
    """Issue a new portal token for an engagement the actor may see."""
    proposal, _client = visible_proposal(db_session, actor, proposal_id)
    token = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    link = PortalLink(
        workspace_id=proposal.workspace_id,
        proposal_id=proposal.id,
        token_hash=hash_portal_token(token),
        created_by_id=actor.user_id,
        created_at=now,
    )
    db_session.add(link)
    db_session.flush()
    audit(db_session, actor, action="create", entity_type="portal_link", entity_id=link.id, before=None,
          after={"proposal_id": proposal.id})  # fmt: skip
    return IssuedPortalLink(link=_view(link), token=token, path=f"/portal/{token}")


def list_portal_links(*, db_session: Session, actor: Actor, proposal_id: int) -> list[PortalLinkView]:
    """An engagement's links, newest first, revoked ones included."""
    proposal, _client = visible_proposal(db_session, actor, proposal_id)
    rows = db_session.scalars(
        select(PortalLink).where(PortalLink.proposal_id == proposal.id).order_by(PortalLink.id.desc())
    )
    return [_view(row) for row in rows]


def revoke_portal_link(*, db_session: Session, actor: Actor, link_id: int, now: dt.datetime) -> PortalLinkView:
    """Revoke a link: its token stops working at once. Revoking again changes nothing."""
    link = db_session.get(PortalLink, link_id)
    if link is None or link.workspace_id != actor.workspace_id:
        raise NotFoundError(f"no portal link with id {link_id}")
    visible_proposal(db_session, actor, link.proposal_id)
    if link.revoked_at is None:
        link.revoked_at = now
        db_session.flush()
        audit(db_session, actor, action="revoke", entity_type="portal_link", entity_id=link.id, before=None,
              after={"revoked_at": now.isoformat()})  # fmt: skip
    return _view(link)


def resolve_portal_token(*, db_session: Session, token: str, now: dt.datetime) -> Proposal:
    """The engagement a live token opens; any unknown or revoked token is the same NotFoundError."""
    link = db_session.scalar(select(PortalLink).where(PortalLink.token_hash == hash_portal_token(token)))
    proposal = db_session.get(Proposal, link.proposal_id) if link is not None else None
    if link is None or link.revoked_at is not None or proposal is None:
        raise NotFoundError("this portal link is not valid; ask your consultant for a new one")
    link.last_viewed_at = now
    return proposal


def portal_data_for_token(*, db_session: Session, token: str, now: dt.datetime, as_of: dt.date) -> dict[str, Any]:
    """Seed 003's portalData for the engagement behind a portal token."""
    proposal = resolve_portal_token(db_session=db_session, token=token, now=now)
    return hydrate_portal(db_session=db_session, proposal=proposal, as_of=as_of)


def _view(link: PortalLink) -> PortalLinkView:
    return PortalLinkView(
        id=link.id,
        proposal_id=link.proposal_id,
        created_by_id=link.created_by_id,
        created_at=link.created_at,
        last_viewed_at=link.last_viewed_at,
        revoked_at=link.revoked_at,
        active=link.revoked_at is None,
    )
