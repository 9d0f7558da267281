"""Finding a client from what a person typed: ids, names, typos, ambiguity, scope."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from domain.clients.lookup import find_client
from domain.enums import Role
from domain.errors import AccessDeniedError, NotFoundError, ValidationError
from tests.factories import Factory


@pytest.fixture
def scene(factory: Factory) -> dict:
    workspace = factory.workspace()
    jane = factory.user(workspace, Role.CSM)
    john = factory.user(workspace, Role.CSM)
    acme = factory.client(workspace, name="Acme Corp", csm_user_id=jane.id)
    factory.client(workspace, name="Beta Industries", csm_user_id=jane.id)
    factory.client(workspace, name="Northwind Logistics", csm_user_id=jane.id)
    factory.client(workspace, name="Northwind Legal", csm_user_id=jane.id)
    factory.client(workspace, name="Gamma LLC", csm_user_id=john.id)
    other = factory.workspace()
    stranger = factory.client(other, name="Zeta Holdings")
    return {"jane": factory.actor(jane), "acme": acme, "stranger": stranger}


@pytest.mark.parametrize("typed", ["Acme Corp", "acme corp", "  ACME CORP ", "acme crop", "acme"])
def test_names_and_typos_resolve(db_session: Session, scene: dict, typed: str) -> None:
    assert find_client(db_session, scene["jane"], typed).id == scene["acme"].id


def test_id_resolves(db_session: Session, scene: dict) -> None:
    assert find_client(db_session, scene["jane"], str(scene["acme"].id)).name == "Acme Corp"


def test_ambiguous_name_asks_which(db_session: Session, scene: dict) -> None:
    with pytest.raises(ValidationError, match=r"Northwind Legal, Northwind Logistics\. Which one"):
        find_client(db_session, scene["jane"], "northwind")


def test_unknown_name_suggests_close_matches_in_scope(db_session: Session, scene: dict) -> None:
    with pytest.raises(NotFoundError, match="did you mean Beta Industries"):
        find_client(db_session, scene["jane"], "Beta Ind Group")


def test_other_portfolio_is_refused_without_leaking(db_session: Session, scene: dict) -> None:
    with pytest.raises(AccessDeniedError, match="not in your portfolio"):
        find_client(db_session, scene["jane"], "Gamma LLC")
    with pytest.raises(AccessDeniedError, match="'Gama LLC' is not in your portfolio"):
        find_client(db_session, scene["jane"], "Gama LLC")


def test_other_tenant_is_never_matched(db_session: Session, scene: dict) -> None:
    with pytest.raises(NotFoundError) as by_name:
        find_client(db_session, scene["jane"], "Zeta Holdings")
    assert "Zeta" not in str(by_name.value).replace("'Zeta Holdings'", "")
    with pytest.raises(NotFoundError):
        find_client(db_session, scene["jane"], str(scene["stranger"].id))


def test_empty_query_is_a_clear_error(db_session: Session, scene: dict) -> None:
    with pytest.raises(ValidationError, match="which client"):
        find_client(db_session, scene["jane"], "   ")


def test_a_short_form_of_another_portfolios_client_is_refused_as_such(db_session: Session, scene: dict) -> None:
    with pytest.raises(AccessDeniedError, match="'gamma' is not in your portfolio"):
        find_client(db_session, scene["jane"], "gamma")
