"""The alembic migrations build exactly the schema the ORM models declare, on every backend."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine

from domain.migrate import head_revision, is_up_to_date
from domain.models import Base


def test_migrated_schema_matches_models(engine: Engine) -> None:
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_database_is_at_head(engine: Engine) -> None:
    assert head_revision() == "0003"
    assert is_up_to_date(engine)
