"""Property-based API check: schemathesis drives every operation of the OpenAPI document against the demo
tenant as the VP (who sees the whole tenant); no request may produce a server error or a response that
breaks the documented schema."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from sqlalchemy import select

from channels.web.api_deps import current_now
from channels.web.app import create_app
from domain.db import make_engine, make_session_factory, session_scope
from domain.settings import Settings
from domain.staff.auth import issue_token
from domain.staff.models import User
from tests.demo_fixture import NOW

EXAMPLES_PER_OPERATION = 10
# Agent turns cost about a second each; their shape is covered by test_ai.py with real messages.
AGENT_OPERATIONS = r"/ai/chat$|/summary$|/ai/summary$"


@pytest.fixture(scope="module")
def api_app(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, str]]:
    folder = tmp_path_factory.mktemp("schemathesis")
    copy = folder / "demo.db"
    shutil.copyfile(demo_template, copy)
    engine = make_engine(f"sqlite:///{copy}")
    with session_scope(make_session_factory(engine)) as session:
        vp = session.scalars(select(User).where(User.email == "vp@demo.csagent.dev")).one()
        token = issue_token(session, vp, name="schemathesis")[1]
    settings = Settings(
        database_url=f"sqlite:///{copy}",
        chroma_path=folder / "chroma",
        email_inbound_secret="schemathesis-inbound-secret",  # configured, so the route answers 401/422, not 503
    )
    app = create_app(settings, engine=engine)
    app.dependency_overrides[current_now] = lambda: NOW
    yield app, token
    engine.dispose()


def test_api_conforms(api_app: tuple[Any, str]) -> None:
    app, token = api_app
    schema = schemathesis.openapi.from_asgi("/openapi.json", app).exclude(path_regex=AGENT_OPERATIONS)
    failures: list[str] = []
    for loaded in schema.get_all_operations():
        operation = loaded.ok()
        try:
            _exercise(operation, token)
        except KeyboardInterrupt:
            raise
        except BaseException as problem:  # schemathesis raises a failure group; collect all, report together
            failures.append(f"{operation.label}: {problem!r}"[:3000])
    assert not failures, "\n\n".join(failures)


def _exercise(operation: Any, token: str) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def run(case: Any) -> None:
        case.call_and_validate(
            headers={"Authorization": f"Bearer {token}"},
            checks=[not_a_server_error, response_schema_conformance],
        )

    run()
