"""Portal links: unguessable, stored only as a hash, scoped to staff who see the engagement, revocable."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.access import Actor
from domain.enums import Role
from domain.errors import AccessDeniedError, NotFoundError
from domain.operations.models import PortalLink
from domain.operations.portal_links import (
    create_portal_link,
    hash_portal_token,
    list_portal_links,
    portal_data_for_token,
    revoke_portal_link,
)
from tests.factories import Factory

NOW = dt.datetime(2026, 11, 22, 15, 0, tzinfo=dt.UTC)


@pytest.fixture
def engagement(factory: Factory) -> tuple[Actor, Actor, int]:
    """(the client's CSM, another CSM of the tenant, the engagement's proposal id)."""
    workspace = factory.workspace()
    csm, other = factory.user(workspace, role=Role.CSM), factory.user(workspace, role=Role.CSM)
    client = factory.client(workspace, csm_user_id=csm.id)
    contact = factory.contact(client)
    proposal = factory.proposal(client, contact_id=contact.id, purpose="Automate intake")
    factory.deliverable(contact, proposal_id=proposal.id)
    return factory.actor(csm), factory.actor(other), proposal.id


def test_token_is_shown_once_and_stored_as_hash(db_session: Session, engagement: tuple[Actor, Actor, int]) -> None:
    csm, _other, proposal_id = engagement
    issued = create_portal_link(db_session=db_session, actor=csm, proposal_id=proposal_id, now=NOW)
    assert issued.path == f"/portal/{issued.token}"
    assert len(issued.token) > 40
    stored = db_session.scalars(select(PortalLink.token_hash).where(PortalLink.proposal_id == proposal_id)).all()
    assert stored == [hash_portal_token(issued.token)]
    assert issued.token not in stored
    second = create_portal_link(db_session=db_session, actor=csm, proposal_id=proposal_id, now=NOW)
    assert second.token != issued.token


def test_token_opens_the_portal_and_records_the_view(db_session: Session, engagement: tuple[Actor, Actor, int]) -> None:
    csm, _other, proposal_id = engagement
    issued = create_portal_link(db_session=db_session, actor=csm, proposal_id=proposal_id, now=NOW)
    later = NOW + dt.timedelta(hours=2)
    data = portal_data_for_token(db_session=db_session, token=issued.token, now=later, as_of=later.date())
    assert data["proposal"]["id"] == proposal_id
    assert data["proposal"]["purpose"] == "Automate intake"
    assert data["status"]["totalDeliverables"] == 1
    (link,) = list_portal_links(db_session=db_session, actor=csm, proposal_id=proposal_id)
    assert link.last_viewed_at == later
    assert link.active


def test_revoked_or_unknown_token_is_not_found(db_session: Session, engagement: tuple[Actor, Actor, int]) -> None:
    csm, _other, proposal_id = engagement
    issued = create_portal_link(db_session=db_session, actor=csm, proposal_id=proposal_id, now=NOW)
    revoked = revoke_portal_link(db_session=db_session, actor=csm, link_id=issued.link.id, now=NOW)
    again = revoke_portal_link(db_session=db_session, actor=csm, link_id=issued.link.id, now=NOW + dt.timedelta(days=1))
    assert revoked.revoked_at == again.revoked_at == NOW
    assert not again.active
    for token in (issued.token, "csp_" + "x" * 43):
        with pytest.raises(NotFoundError, match="not valid"):
            portal_data_for_token(db_session=db_session, token=token, now=NOW, as_of=NOW.date())


def test_only_staff_who_see_the_engagement_manage_links(
    db_session: Session, engagement: tuple[Actor, Actor, int]
) -> None:
    csm, other, proposal_id = engagement
    with pytest.raises(AccessDeniedError):
        create_portal_link(db_session=db_session, actor=other, proposal_id=proposal_id, now=NOW)
    issued = create_portal_link(db_session=db_session, actor=csm, proposal_id=proposal_id, now=NOW)
    with pytest.raises(AccessDeniedError):
        revoke_portal_link(db_session=db_session, actor=other, link_id=issued.link.id, now=NOW)
    with pytest.raises(NotFoundError):
        revoke_portal_link(db_session=db_session, actor=csm, link_id=issued.link.id + 999, now=NOW)
