"""Access rules: who sees which clients and notes, and that no role ever crosses into another tenant."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from domain.access import (
    Actor,
    actor_for_email,
    can_see_note,
    get_visible_client,
    scoped_clients,
    visible_clients_clause,
    visible_notes_clause,
)
from domain.activities.models import Note
from domain.alerts.models import Alert
from domain.clients.models import Client
from domain.clients.service import list_clients
from domain.enums import ProposalStatus, Role
from domain.errors import AccessDeniedError, NotFoundError
from domain.staff.models import User, Workspace
from tests.factories import Factory

AS_OF = dt.date(2025, 6, 1)
STAFF = {
    "csm": Role.CSM,
    "csm2": Role.CSM,
    "idle_csm": Role.CSM,
    "senior": Role.SENIOR_CSM,
    "vp_cs": Role.VP_CLIENT_SUCCESS,
    "vp_sales": Role.VP_SALES,
    "admin": Role.ADMIN,
    "ae": Role.AE,
    "ae2": Role.AE,
    "consultant": Role.CONSULTANT,
    "consultant2": Role.CONSULTANT,
}
ALL = {"Acme", "Globex", "Initech", "Umbrella", "Hooli"}
EXPECTED = {
    "csm": {"Acme", "Initech"},
    "csm2": {"Globex", "Hooli"},
    "idle_csm": set(),
    "senior": ALL,
    "vp_cs": ALL,
    "vp_sales": ALL,
    "admin": ALL,
    "ae": {"Acme", "Hooli"},
    "ae2": {"Globex"},
    "consultant": {"Acme", "Initech"},
    "consultant2": {"Globex", "Initech"},
}


@dataclass
class Tenant:
    workspace: Workspace
    users: dict[str, User] = field(default_factory=dict)
    clients: dict[str, Client] = field(default_factory=dict)

    def actor(self, key: str) -> Actor:
        return Actor.from_user(self.users[key])

    def ids(self, names: set[str]) -> set[int]:
        return {self.clients[name].id for name in names}


def build_tenant(factory: Factory, domain: str) -> Tenant:
    """Five clients with the same names in every tenant, spread over CSMs, AEs and consultants."""
    tenant = Tenant(factory.workspace())
    for key, role in STAFF.items():
        tenant.users[key] = factory.user(tenant.workspace, role, email=f"{key}@{domain}", name=f"{key} at {domain}")
    tenant.users["inactive"] = factory.user(
        tenant.workspace, Role.VP_CLIENT_SUCCESS, email=f"gone@{domain}", is_active=False
    )
    u = tenant.users
    assignments = {
        "Acme": (u["csm"], u["ae"]),
        "Globex": (u["csm2"], u["ae2"]),
        "Initech": (u["csm"], None),
        "Umbrella": (None, None),
        "Hooli": (u["csm2"], u["ae"]),
    }
    for name, (csm, ae) in assignments.items():
        tenant.clients[name] = factory.client(
            tenant.workspace, name=name, csm_user_id=csm.id if csm else None, ae_user_id=ae.id if ae else None
        )
    c = tenant.clients
    factory.engagement(c["Acme"], u["consultant"])
    factory.engagement(c["Globex"], u["consultant2"])
    factory.engagement(c["Initech"], u["consultant"], status=ProposalStatus.ACTIVE)
    factory.proposal(c["Initech"], u["consultant2"], status=ProposalStatus.ACTIVE)
    factory.engagement(c["Hooli"], u["idle_csm"])  # a proposal owned by a non-consultant grants nothing
    factory.proposal(c["Umbrella"], None)
    return tenant


@pytest.fixture
def tenants(factory: Factory) -> tuple[Tenant, Tenant]:
    """Two tenants built alike, plus tenant A's client "Stark" wrongly pointing at tenant B's staff."""
    a, b = build_tenant(factory, "a.example.com"), build_tenant(factory, "b.example.com")
    stark = factory.client(a.workspace, name="Stark", csm_user_id=b.users["csm"].id, ae_user_id=b.users["ae"].id)
    factory.engagement(stark, b.users["consultant"])
    a.clients["Stark"] = stark
    return a, b


def visible_ids(session: Session, actor: Actor) -> set[int]:
    return {client.id for client in session.scalars(scoped_clients(actor))}


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_each_role_sees_its_portfolio(db_session: Session, tenants: tuple[Tenant, Tenant], key: str) -> None:
    a, b = tenants
    whole_tenant_extra = {"Stark"} if a.actor(key).sees_whole_tenant else set()
    assert visible_ids(db_session, a.actor(key)) == a.ids(EXPECTED[key] | whole_tenant_extra)
    assert visible_ids(db_session, b.actor(key)) == b.ids(EXPECTED[key])


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_no_role_sees_another_tenant(db_session: Session, tenants: tuple[Tenant, Tenant], key: str) -> None:
    a, b = tenants
    for own, other in ((a, b), (b, a)):
        actor = own.actor(key)
        other_ids = {client.id for client in other.clients.values()}
        scoped = db_session.scalars(scoped_clients(actor)).all()
        listed = list_clients(db_session=db_session, actor=actor, as_of=AS_OF)
        assert all(client.workspace_id == own.workspace.id for client in scoped)
        assert {client.id for client in scoped}.isdisjoint(other_ids)
        assert {summary.id for summary in listed} == {client.id for client in scoped}


def test_staff_wrongly_linked_to_another_tenants_client_still_cannot_see_it(
    db_session: Session, tenants: tuple[Tenant, Tenant]
) -> None:
    a, b = tenants
    stark_id = a.clients["Stark"].id
    for key in ("csm", "ae", "consultant"):
        assert stark_id not in visible_ids(db_session, b.actor(key))
        with pytest.raises(NotFoundError):
            get_visible_client(db_session, b.actor(key), stark_id)


def test_visible_clients_clause_scopes_other_queries(
    db_session: Session, factory: Factory, tenants: tuple[Tenant, Tenant]
) -> None:
    a, b = tenants
    ours = factory.alert(a.clients["Acme"])
    factory.alert(b.clients["Acme"])
    factory.alert(a.clients["Globex"])

    def alert_ids(actor: Actor) -> set[int]:
        query = select(Alert.id).join(Client, Client.id == Alert.client_id).where(visible_clients_clause(actor))
        return set(db_session.scalars(query))

    assert alert_ids(a.actor("csm")) == {ours.id}
    assert len(alert_ids(a.actor("vp_cs"))) == 2
    assert ours.id in alert_ids(a.actor("vp_cs"))


@pytest.mark.parametrize(
    ("role", "whole_tenant"),
    [(Role.CSM, False), (Role.AE, False), (Role.CONSULTANT, False)]
    + [(role, True) for role in (Role.SENIOR_CSM, Role.VP_CLIENT_SUCCESS, Role.VP_SALES, Role.ADMIN)],
)
def test_sees_whole_tenant(role: Role, whole_tenant: bool) -> None:
    assert Actor(1, 1, role, "x@example.com", "X").sees_whole_tenant is whole_tenant


@pytest.mark.parametrize(
    ("key", "client"),
    [("csm", "Acme"), ("ae", "Hooli"), ("consultant", "Initech"), ("vp_sales", "Umbrella"), ("admin", "Globex")],
)
def test_get_visible_client_returns_a_client_in_the_portfolio(
    db_session: Session, tenants: tuple[Tenant, Tenant], key: str, client: str
) -> None:
    a, _ = tenants
    assert get_visible_client(db_session, a.actor(key), a.clients[client].id) is a.clients[client]


@pytest.mark.parametrize(
    ("key", "client"),
    [("csm", "Globex"), ("ae2", "Acme"), ("consultant", "Hooli"), ("consultant2", "Umbrella"), ("idle_csm", "Hooli")],
)
def test_get_visible_client_denies_a_same_tenant_client_outside_the_portfolio(
    db_session: Session, tenants: tuple[Tenant, Tenant], key: str, client: str
) -> None:
    a, _ = tenants
    with pytest.raises(AccessDeniedError, match=f"{client} is not in your portfolio"):
        get_visible_client(db_session, a.actor(key), a.clients[client].id)


@pytest.mark.parametrize("key", ["csm", "admin", "vp_cs", "consultant"])
def test_get_visible_client_reports_another_tenants_client_as_missing(
    db_session: Session, tenants: tuple[Tenant, Tenant], key: str
) -> None:
    a, b = tenants
    foreign = b.clients["Acme"]
    with pytest.raises(NotFoundError) as caught:
        get_visible_client(db_session, a.actor(key), foreign.id)
    # Exactly what a non-existent id gets: no name, no hint that the client exists.
    missing_id = max(client.id for client in [*a.clients.values(), *b.clients.values()]) + 1000
    with pytest.raises(NotFoundError) as nothing:
        get_visible_client(db_session, a.actor(key), missing_id)
    assert str(caught.value).replace(str(foreign.id), "N") == str(nothing.value).replace(str(missing_id), "N")
    assert "Acme" not in str(caught.value)
    assert not isinstance(caught.value, AccessDeniedError)


@pytest.fixture
def notes(factory: Factory, tenants: tuple[Tenant, Tenant]) -> dict[str, Note]:
    a, b = tenants
    acme = a.clients["Acme"]
    return {
        "public": factory.note(acme, a.users["csm"], content="Renewal looks good"),
        "csm_private": factory.note(acme, a.users["csm"], is_private=True, content="Champion is job hunting"),
        "vp_private": factory.note(acme, a.users["vp_cs"], is_private=True, content="Discount ceiling 10%"),
        "other_tenant_public": factory.note(b.clients["Acme"], b.users["csm"], content="Tenant B only"),
    }


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("csm", {"public", "csm_private"}),
        ("vp_cs", {"public", "vp_private"}),
        ("senior", {"public"}),
        ("admin", {"public"}),
        ("consultant", {"public"}),
    ],
)
def test_private_notes_are_visible_to_their_author_only(
    db_session: Session, tenants: tuple[Tenant, Tenant], notes: dict[str, Note], key: str, expected: set[str]
) -> None:
    a, _ = tenants
    actor = a.actor(key)
    tenant_notes = {name: note for name, note in notes.items() if name != "other_tenant_public"}
    assert {name for name, note in tenant_notes.items() if can_see_note(actor, note)} == expected
    query = (
        select(Note.id)
        .join(Client, Client.id == Note.client_id)
        .where(visible_clients_clause(actor), visible_notes_clause(actor))
    )
    assert set(db_session.scalars(query)) == {tenant_notes[name].id for name in expected}


def test_notes_clause_alone_does_not_hide_private_notes_of_others(
    db_session: Session, tenants: tuple[Tenant, Tenant], notes: dict[str, Note]
) -> None:
    a, _ = tenants
    query = select(Note.id).where(Note.client_id == a.clients["Acme"].id, visible_notes_clause(a.actor("admin")))
    assert set(db_session.scalars(query)) == {notes["public"].id}


def test_actor_for_email_resolves_case_insensitively(db_session: Session, tenants: tuple[Tenant, Tenant]) -> None:
    a, b = tenants
    actor = actor_for_email(db_session, "  CSM@A.Example.COM ")
    user = a.users["csm"]
    assert actor == Actor(user.id, a.workspace.id, Role.CSM, "csm@a.example.com", user.name)
    assert actor_for_email(db_session, "Admin@B.example.com").workspace_id == b.workspace.id


@pytest.mark.parametrize("email", ["nobody@a.example.com", "gone@a.example.com", "GONE@b.example.com", ""])
def test_actor_for_email_refuses_unknown_or_inactive(
    db_session: Session, tenants: tuple[Tenant, Tenant], email: str
) -> None:
    with pytest.raises(NotFoundError, match="no active staff user"):
        actor_for_email(db_session, email)


def test_a_private_note_whose_author_was_deleted_is_visible_to_nobody(
    db_session: Session, factory: Factory, tenants: tuple[Tenant, Tenant]
) -> None:
    a, _ = tenants
    leaver = factory.user(a.workspace, Role.CSM)
    note = factory.note(a.clients["Acme"], leaver, is_private=True)
    db_session.execute(delete(User).where(User.id == leaver.id))
    db_session.expire_all()
    assert note.created_by_id is None
    for key in STAFF:
        actor = a.actor(key)
        assert not can_see_note(actor, note)
        assert db_session.scalar(select(Note.id).where(Note.id == note.id, visible_notes_clause(actor))) is None
