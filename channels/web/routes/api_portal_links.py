"""Staff side of the client portal: issue, list and revoke an engagement's portal links."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from channels.web.api_deps import NowDep, id_path
from channels.web.deps import ActorDep, SessionDep
from channels.web.schemas.errors import ERRORS
from domain.operations.portal_links import (
    IssuedPortalLink,
    PortalLinkView,
    create_portal_link,
    list_portal_links,
    revoke_portal_link,
)

router = APIRouter(prefix="/api", tags=["seed 003: operations and portal"], responses=ERRORS)
ProposalId = Annotated[int, id_path("proposal")]


@router.post(
    "/proposals/{proposal_id}/portal-links",
    response_model=IssuedPortalLink,
    status_code=201,
    summary="Issue portal link",
)
def post_portal_link(proposal_id: ProposalId, session: SessionDep, actor: ActorDep, now: NowDep) -> IssuedPortalLink:
    """A new unguessable link to the engagement's portal; the token is shown only in this response."""
    return create_portal_link(db_session=session, actor=actor, proposal_id=proposal_id, now=now)


@router.get("/proposals/{proposal_id}/portal-links", response_model=list[PortalLinkView], summary="List portal links")
def get_portal_links(proposal_id: ProposalId, session: SessionDep, actor: ActorDep) -> list[PortalLinkView]:
    return list_portal_links(db_session=session, actor=actor, proposal_id=proposal_id)


@router.delete("/portal-links/{link_id}", response_model=PortalLinkView, summary="Revoke portal link")
def delete_portal_link(
    link_id: Annotated[int, id_path("portal link")], session: SessionDep, actor: ActorDep, now: NowDep
) -> PortalLinkView:
    """The link stops working at once; revoking twice changes nothing."""
    return revoke_portal_link(db_session=session, actor=actor, link_id=link_id, now=now)
