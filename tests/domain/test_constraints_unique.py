"""Unique constraints and partial unique indexes hold on every backend; each case also shows what stays allowed."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain.audit import IdempotencyKey
from domain.clients.models import Client
from domain.onboarding.models import OnboardingProgress
from domain.operations.models import Company
from domain.staff.models import Workspace
from tests.factories import Factory

NOW = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)


@dataclass
class World:
    workspace: Workspace
    other_workspace: Workspace
    factory: Factory

    def __post_init__(self) -> None:
        f = self.factory
        self.client = f.client(self.workspace, name="Acme")
        self.other_client = f.client(self.workspace, name="Globex")
        self.config = f.score_config(self.workspace)
        self.churn_model = f.churn_model(self.workspace)
        self.feature = f.feature(self.workspace, key="reports")

    def add(self, row: Any) -> Any:
        self.factory.session.add(row)
        self.factory.session.flush()
        return row


Build = Callable[[Factory, World], Any]


@pytest.fixture
def world(factory: Factory) -> World:
    return World(factory.workspace(), factory.workspace(), factory)


def violation(table: str, *columns: str, name: str | None = None) -> str:
    """What either backend says when a unique constraint or index named after the columns is broken."""
    pg_name = name or f"uq_{table}_{'_'.join(columns)}"
    sqlite_columns = ", ".join(f"{table}.{column}" for column in columns)
    return f"{re.escape(pg_name)}|{re.escape(f'UNIQUE constraint failed: {sqlite_columns}')}"


def _idempotency_key(world: World, workspace: Workspace, key: str) -> IdempotencyKey:
    return world.add(IdempotencyKey(workspace_id=workspace.id, key=key, operation="log_activity", result={}))


def _onboarding(world: World, client_id: int) -> OnboardingProgress:
    return world.add(OnboardingProgress(client_id=client_id, started_on=NOW.date()))


# (first row, a second row that collides with it, what the database says)
DUPLICATES: list[Any] = [
    pytest.param(
        lambda f, w: f.workspace(slug="acme-hq"),
        lambda f, w: f.workspace(slug="acme-hq"),
        violation("workspaces", "slug"),
        id="workspace-slug",
    ),
    pytest.param(
        lambda f, w: f.user(w.workspace, email="ann@example.com"),
        lambda f, w: f.user(w.other_workspace, email="ann@example.com"),
        violation("users", "email"),
        id="user-email-global-across-tenants",
    ),
    pytest.param(
        lambda f, w: f.user(w.workspace, slack_user_id="U123"),
        lambda f, w: f.user(w.other_workspace, slack_user_id="U123"),
        violation("users", "slack_user_id"),
        id="user-slack-id-global",
    ),
    pytest.param(
        lambda f, w: None,
        lambda f, w: f.client(w.workspace, name="Acme"),
        violation("clients", "workspace_id", "name"),
        id="client-name-per-workspace",
    ),
    pytest.param(
        lambda f, w: f.client(w.workspace, external_id="org-1"),
        lambda f, w: f.client(w.workspace, external_id="org-1"),
        violation("clients", "workspace_id", "external_id"),
        id="client-external-id-per-workspace",
    ),
    pytest.param(
        lambda f, w: f.contact(w.client, email="bo@acme.test"),
        lambda f, w: f.contact(w.client, email="bo@acme.test"),
        violation("contacts", "client_id", "email"),
        id="contact-email-per-client",
    ),
    pytest.param(
        lambda f, w: f.engagement_event(w.client, event_id="evt-1"),
        lambda f, w: f.engagement_event(w.other_client, event_id="evt-1"),
        violation("engagement_events", "workspace_id", "event_id"),
        id="event-id-per-workspace-even-for-another-client",
    ),
    pytest.param(
        lambda f, w: f.usage_rollup(w.client),
        lambda f, w: f.usage_rollup(w.client),
        violation("usage_rollups", "client_id", "day"),
        id="usage-rollup-client-day",
    ),
    pytest.param(
        lambda f, w: None,
        lambda f, w: f.feature(w.workspace, key="reports"),
        violation("features", "workspace_id", "key"),
        id="feature-key-per-workspace",
    ),
    pytest.param(
        lambda f, w: f.feature_adoption(w.client, w.feature),
        lambda f, w: f.feature_adoption(w.client, w.feature),
        violation("feature_adoptions", "client_id", "feature_id"),
        id="feature-adoption-client-feature",
    ),
    pytest.param(
        lambda f, w: f.health_snapshot(w.client, w.config),
        lambda f, w: f.health_snapshot(w.client, w.config),
        violation("health_snapshots", "client_id", "day", "model_key"),
        id="health-snapshot-client-day-model",
    ),
    pytest.param(
        lambda f, w: None,
        lambda f, w: f.score_config(w.workspace),
        violation("score_configs", "workspace_id", "model_key", "scope_key", "version"),
        id="score-config-version",
    ),
    pytest.param(
        lambda f, w: f.milestone(w.client, milestone_type="first_form"),
        lambda f, w: f.milestone(w.client, milestone_type="first_form"),
        violation("milestones", "client_id", "milestone_type"),
        id="milestone-once-per-client",
    ),
    pytest.param(
        lambda f, w: f.outcome_entry(w.client),
        lambda f, w: f.outcome_entry(w.client),
        violation("outcome_entries", "client_id", "metric", "week_start"),
        id="outcome-entry-client-metric-week",
    ),
    pytest.param(
        lambda f, w: _idempotency_key(w, w.workspace, "slack:1700000000.0001"),
        lambda f, w: _idempotency_key(w, w.workspace, "slack:1700000000.0001"),
        violation("idempotency_keys", "workspace_id", "key"),
        id="idempotency-key-per-workspace",
    ),
    pytest.param(
        lambda f, w: f.invoice(w.client, number="INV-1"),
        lambda f, w: f.invoice(w.client, number="INV-1"),
        violation("invoices", "client_id", "number"),
        id="invoice-number-per-client",
    ),
    pytest.param(
        lambda f, w: f.support_ticket(w.client, external_ref="T-1"),
        lambda f, w: f.support_ticket(w.client, external_ref="T-1"),
        violation("support_tickets", "client_id", "external_ref"),
        id="ticket-ref-per-client",
    ),
    pytest.param(
        lambda f, w: None,
        lambda f, w: f.churn_model(w.workspace, version=w.churn_model.version),
        violation("churn_models", "workspace_id", "version"),
        id="churn-model-version-per-workspace",
    ),
    pytest.param(
        lambda f, w: f.churn_prediction(w.client, w.churn_model),
        lambda f, w: f.churn_prediction(w.client, w.churn_model),
        violation("churn_predictions", "client_id", "day", "model_id"),
        id="churn-prediction-client-day-model",
    ),
    pytest.param(
        lambda f, w: _onboarding(w, w.client.id),
        lambda f, w: _onboarding(w, w.client.id),
        violation("onboarding_progress", "client_id"),
        id="onboarding-progress-once-per-client",
    ),
    pytest.param(
        lambda f, w: f.proposal(w.client),
        lambda f, w: w.add(Company(workspace_id=w.workspace.id, client_id=w.client.id, name="Acme Ltd")),
        violation("companies", "client_id"),
        id="company-once-per-client",
    ),
]

# (first row, a second row that shares some key columns but is allowed)
ALLOWED: list[Any] = [
    pytest.param(
        lambda f, w: None,
        lambda f, w: f.client(w.other_workspace, name="Acme"),
        id="same-client-name-in-another-workspace",
    ),
    pytest.param(
        lambda f, w: f.client(w.workspace, external_id="org-1"),
        lambda f, w: f.client(w.other_workspace, external_id="org-1"),
        id="same-external-id-in-another-workspace",
    ),
    pytest.param(
        lambda f, w: f.client(w.workspace, external_id=None),
        lambda f, w: f.client(w.workspace, external_id=None),
        id="many-clients-without-external-id",
    ),
    pytest.param(
        lambda f, w: f.contact(w.client, email="bo@acme.test"),
        lambda f, w: f.contact(w.other_client, email="bo@acme.test"),
        id="same-contact-email-at-another-client",
    ),
    pytest.param(
        lambda f, w: f.engagement_event(w.client, event_id="evt-1"),
        lambda f, w: f.engagement_event(f.client(w.other_workspace), event_id="evt-1"),
        id="same-event-id-in-another-workspace",
    ),
    pytest.param(
        lambda f, w: f.usage_rollup(w.client),
        lambda f, w: f.usage_rollup(w.client, day=NOW.date() + dt.timedelta(days=1)),
        id="usage-rollup-next-day",
    ),
    pytest.param(
        lambda f, w: f.feature_adoption(w.client, w.feature),
        lambda f, w: f.feature_adoption(w.other_client, w.feature),
        id="same-feature-adopted-by-another-client",
    ),
    pytest.param(
        lambda f, w: f.health_snapshot(w.client, w.config),
        lambda f, w: f.health_snapshot(w.client, w.config, model_key="success"),
        id="snapshot-same-day-other-model",
    ),
    pytest.param(
        lambda f, w: f.score_config(w.workspace, version=2),
        lambda f, w: f.score_config(w.workspace, version=2, scope_key="tier:ENTERPRISE"),
        id="score-config-same-version-other-scope",
    ),
    pytest.param(
        lambda f, w: f.milestone(w.client, milestone_type="first_form"),
        lambda f, w: f.milestone(w.client, milestone_type="ten_clients"),
        id="another-milestone-type",
    ),
    pytest.param(
        lambda f, w: f.outcome_entry(w.client),
        lambda f, w: f.outcome_entry(w.client, week_start=dt.date(2025, 3, 10)),
        id="outcome-entry-next-week",
    ),
    pytest.param(
        lambda f, w: _idempotency_key(w, w.workspace, "slack:1"),
        lambda f, w: _idempotency_key(w, w.other_workspace, "slack:1"),
        id="same-idempotency-key-in-another-workspace",
    ),
    pytest.param(
        lambda f, w: f.user(w.workspace, slack_user_id=None),
        lambda f, w: f.user(w.workspace, slack_user_id=None),
        id="many-users-without-slack-id",
    ),
]


@pytest.mark.parametrize(("first", "second", "message"), DUPLICATES)
def test_duplicate_is_rejected(
    db_session: Session, factory: Factory, world: World, first: Build, second: Build, message: str
) -> None:
    first(factory, world)
    with pytest.raises(IntegrityError, match=message), db_session.begin_nested():
        second(factory, world)


@pytest.mark.parametrize(("first", "second"), ALLOWED)
def test_near_duplicate_is_allowed(
    db_session: Session, factory: Factory, world: World, first: Build, second: Build
) -> None:
    before = first(factory, world)
    after = second(factory, world)
    rows = [row for row in [before, *(after if isinstance(after, list) else [after])] if row is not None]
    assert rows
    assert all(row.id is not None for row in rows)


def test_a_rejected_duplicate_leaves_the_session_usable(db_session: Session, factory: Factory, world: World) -> None:
    with pytest.raises(IntegrityError), db_session.begin_nested():
        factory.client(world.workspace, name="Acme")
    renamed = factory.client(world.workspace, name="Acme Europe")
    names = set(db_session.scalars(select(Client.name).where(Client.workspace_id == world.workspace.id)))
    assert names == {"Acme", "Globex", "Acme Europe"}
    assert renamed.id is not None
