"""API fixtures: the app over a private copy of the demo tenant, pinned to the demo's clock, and bearer tokens."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from channels.web.api_deps import current_now
from channels.web.app import create_app
from domain.clients.models import Client
from domain.db import make_engine, make_session_factory, session_scope
from domain.operations.models import Proposal
from domain.settings import Settings
from domain.staff.auth import issue_token
from domain.staff.models import User
from tests.demo_fixture import DEMO_AS_OF, NOW

__all__ = ["DEMO_AS_OF", "NOW"]
DOMAIN = "demo.csagent.dev"


@pytest.fixture
def demo_engine(demo_template: Path, tmp_path: Path) -> Iterator[Engine]:
    copy = tmp_path / "demo.db"
    shutil.copyfile(demo_template, copy)
    engine = make_engine(f"sqlite:///{copy}")
    yield engine
    engine.dispose()


@pytest.fixture
def api(demo_engine: Engine, tmp_path: Path) -> Iterator[TestClient]:
    """A client without credentials; the app's clock reads the demo's NOW."""
    settings = Settings(database_url=str(demo_engine.url), model="offline", chroma_path=tmp_path / "chroma")
    app = create_app(settings, engine=demo_engine)
    app.dependency_overrides[current_now] = lambda: NOW
    with TestClient(app) as client:
        yield client


@pytest.fixture
def db(demo_engine: Engine) -> Iterator[Session]:
    """A session on the same database, for checking what the API wrote."""
    session = make_session_factory(demo_engine)()
    yield session
    session.close()


@pytest.fixture
def token_for(demo_engine: Engine) -> Callable[[str], str]:
    """token_for("jane") -> a fresh bearer token of jane@demo.csagent.dev."""

    def issue(name: str) -> str:
        with session_scope(make_session_factory(demo_engine)) as session:
            user = session.scalars(select(User).where(User.email == f"{name}@{DOMAIN}")).one()
            return issue_token(session, user, name="test")[1]

    return issue


@pytest.fixture
def as_user(token_for: Callable[[str], str]) -> Callable[[str], dict[str, str]]:
    """as_user("jane") -> the Authorization header of a fresh token of jane@demo.csagent.dev."""
    return lambda name: {"Authorization": f"Bearer {token_for(name)}"}


@pytest.fixture
def ids(db: Session) -> dict[str, int]:
    """Ids the tests use, looked up by what they are: Jane's Acme Corp, one of John's clients, Jane's engagement."""
    jane = db.scalars(select(User.id).where(User.email == f"jane@{DOMAIN}")).one()
    john = db.scalars(select(User.id).where(User.email == f"john@{DOMAIN}")).one()
    acme = db.scalars(select(Client.id).where(Client.name == "Acme Corp")).one()
    johns = db.scalars(select(Client.id).where(Client.csm_user_id == john).order_by(Client.id)).first()
    proposal = db.scalars(
        select(Proposal.id)
        .join(Client, Client.id == Proposal.client_id)
        .where(Client.csm_user_id == jane)
        .order_by(Proposal.id)
    ).first()
    assert johns is not None
    assert proposal is not None
    return {"jane": jane, "john": john, "acme": acme, "johns_client": johns, "proposal": proposal}
