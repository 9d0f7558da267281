"""Who may see a set of clients: the rule a shared Slack channel applies before answering in the open."""

from __future__ import annotations

from sqlalchemy.orm import Session

from domain.clients.audience import client_ids_named, clients_hidden_from_any
from domain.enums import Role
from domain.staff.models import User
from tests.factories import Factory


def test_a_client_is_hidden_when_any_one_of_the_audience_may_not_see_it(db_session: Session, factory: Factory) -> None:
    tenant, other_tenant = factory.workspace(), factory.workspace()
    jane, priya = factory.user(tenant), factory.user(tenant)
    vp, stranger_vp = factory.user(tenant, role=Role.VP_CLIENT_SUCCESS), factory.user(other_tenant, role=Role.ADMIN)
    janes = factory.client(tenant, csm_user_id=jane.id)
    priyas = factory.client(tenant, csm_user_id=priya.id)
    ids = {janes.id, priyas.id}

    def hidden(*users: User) -> set[int]:
        actors = [factory.actor(user) for user in users]
        return clients_hidden_from_any(db_session=db_session, actors=actors, client_ids=ids)

    assert hidden(vp) == set(), "a VP sees the whole tenant"
    assert hidden(jane, vp) == {priyas.id}
    assert hidden(jane, priya) == ids, "each CSM lacks the other's client"
    assert hidden(vp, stranger_vp) == ids, "another tenant's admin sees none of them"
    assert hidden() == set(), "nobody to hide from"


def test_client_names_resolve_within_the_askers_tenant_only(db_session: Session, factory: Factory) -> None:
    tenant, other_tenant = factory.workspace(), factory.workspace()
    acme = factory.client(tenant, name="Acme Corp")
    factory.client(other_tenant, name="Globex")
    actor = factory.actor(factory.user(tenant))
    found = client_ids_named(db_session=db_session, actor=actor, names=["acme corp ", "Globex", "", "Nobody"])
    assert found == {acme.id}
