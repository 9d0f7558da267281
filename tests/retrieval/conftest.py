"""Retrieval fixtures: a small two-tenant world in a SQLite file (built once, copied per test), the real
all-MiniLM-L6-v2 embedder loaded once per session, and an embedded Chroma store per test."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from agent.retrieval.config import RetrievalConfig
from agent.retrieval.embeddings import MiniLMEmbedder
from agent.retrieval.index import TimelineIndex, forget_index, open_index
from domain.access import Actor
from domain.db import make_engine, make_session_factory, session_scope
from domain.enums import ActivityType, Role, TicketSeverity, TicketStatus
from domain.migrate import upgrade
from domain.settings import Settings
from tests.factories import Factory

T0 = dt.datetime(2026, 10, 1, 10, 0, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 11, 22, 15, 0, tzinfo=dt.UTC)


@dataclass(frozen=True)
class World:
    """Workspace A (CSMs Jane and Omar, VP Vera, admin Ada; clients Acme for Jane, Beta for Omar) and
    workspace B (VP Ben; client Gamma). Text ids name rows whose content the tests search for."""

    workspace_id: int
    other_workspace_id: int
    jane: Actor
    omar: Actor
    vera: Actor
    ada: Actor
    ben: Actor
    acme: int
    beta: int
    gamma: int
    rows: dict[str, int]


def _build_world(path: Path) -> World:
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with session_scope(make_session_factory(engine)) as session:
        world = _populate(Factory(session))
    engine.dispose()
    return world


def _populate(make: Factory) -> World:
    home, elsewhere = make.workspace(name="Home"), make.workspace(name="Elsewhere")
    jane = make.user(home, Role.CSM, name="Jane Doe", email="jane@home.test")
    omar = make.user(home, Role.CSM, name="Omar Ali", email="omar@home.test")
    vera = make.user(home, Role.VP_CLIENT_SUCCESS, name="Vera Vance", email="vera@home.test")
    ada = make.user(home, Role.ADMIN, name="Ada Admin", email="ada@home.test")
    ben = make.user(elsewhere, Role.VP_CLIENT_SUCCESS, name="Ben Other", email="ben@elsewhere.test")
    acme = make.client(home, name="Acme Corp", csm_user_id=jane.id)
    beta = make.client(home, name="Beta Industries", csm_user_id=omar.id)
    gamma = make.client(elsewhere, name="Gamma LLC")
    rows = {
        "acme_freeze": make.note(
            acme, jane, title="Budget", content="Procurement froze all new spending until spring.", created_at=T0
        ).id,
        "acme_private": make.note(
            acme,
            jane,
            title="Private",
            content="The CFO told me in confidence she is interviewing at a competitor.",
            is_private=True,
            created_at=T0,
        ).id,
        "acme_lunch": make.note(acme, jane, title="Social", content="Team lunch with their admins on Friday.").id,
        "acme_sso": make.activity(
            acme,
            jane,
            activity_type=ActivityType.CALL,
            subject="SSO rollout",
            description="Walked their IT admin through single sign-on with Okta; go-live agreed for March.",
            occurred_at=T0 + dt.timedelta(days=3),
        ).id,
        "acme_ticket": make.support_ticket(
            acme,
            subject="Report export times out for large date ranges",
            severity=TicketSeverity.HIGH,
            status=TicketStatus.OPEN,
            opened_at=T0 + dt.timedelta(days=10),
        ).id,
        "beta_cut": make.note(
            beta, omar, title="Budget", content="Their budget was cut by a third; they want a discount.", created_at=T0
        ).id,
        "beta_private": make.note(
            beta, omar, title="Private", content="Champion hinted he may resign soon.", is_private=True, created_at=T0
        ).id,
        "gamma_freeze": make.note(
            gamma, ben, title="Budget", content="Gamma froze every purchase; spending is on hold.", created_at=T0
        ).id,
    }
    return World(
        workspace_id=home.id,
        other_workspace_id=elsewhere.id,
        jane=Actor.from_user(jane),
        omar=Actor.from_user(omar),
        vera=Actor.from_user(vera),
        ada=Actor.from_user(ada),
        ben=Actor.from_user(ben),
        acme=acme.id,
        beta=beta.id,
        gamma=gamma.id,
        rows=rows,
    )


@pytest.fixture(scope="session")
def world_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, World]:
    path = tmp_path_factory.mktemp("retrieval") / "world.db"
    return path, _build_world(path)


@pytest.fixture(scope="session")
def embedder() -> MiniLMEmbedder:
    """The real model, loaded once for the whole session."""
    model = MiniLMEmbedder()
    model.embed_query("warm up")
    return model


@dataclass
class Env:
    world: World
    settings: Settings
    config: RetrievalConfig
    engine: Engine
    sessions: sessionmaker[Session]
    session: Session
    index: TimelineIndex

    def reopen(self) -> None:
        """Forget the cached handle so the next open reads the files again."""
        forget_index(self.config)
        self.index = open_index(self.config, self.index.embedder)


@pytest.fixture
def env(world_template: tuple[Path, World], embedder: MiniLMEmbedder, tmp_path: Path) -> Iterator[Env]:
    """A private copy of the world database and an empty embedded Chroma store."""
    template, world = world_template
    database = tmp_path / "world.db"
    shutil.copyfile(template, database)
    settings = Settings(database_url=f"sqlite:///{database}", chroma_path=tmp_path / "chroma")
    config = RetrievalConfig.from_settings(settings)
    engine = make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    session = sessions()
    index = open_index(config, embedder)
    try:
        yield Env(world, settings, config, engine, sessions, session, index)
    finally:
        session.close()
        engine.dispose()
        forget_index(config)
