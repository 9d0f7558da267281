"""Churn risk services on both backends: stored predictions, scoping, idempotence, the client column."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.churn.models import ChurnModel, ChurnPrediction
from domain.churn.schemas import ChurnRiskView
from domain.churn.service import get_churn_risk, portfolio_churn_risk, predict_churn
from domain.clients.models import Client
from domain.enums import ContactRole, LifecycleStatus, Role
from domain.errors import AccessDeniedError, NotFoundError, ValidationError
from domain.staff.models import User, Workspace
from tests.factories import Factory

AS_OF = dt.date(2025, 6, 1)


@dataclass(frozen=True)
class Signals:
    """A client's churn-relevant history, relative to the day it is read."""

    dau_before: int = 10
    dau_now: int = 10
    tickets_30d: int = 1
    tickets_prior_90d: int = 3
    nps: int | None = 9
    overdue_invoices: int = 0
    contact_days_ago: int | None = 5
    champion: str | None = "Sarah Chen"
    champion_login_days_ago: int | None = 1


HEALTHY = Signals()
RISKY = Signals(dau_now=5, tickets_30d=4, nps=3, overdue_invoices=1, contact_days_ago=100, champion_login_days_ago=21)


def seed_signals(factory: Factory, client: Client, csm: User, as_of: dt.date, signals: Signals) -> None:
    """Write the rows gather_inputs reads so the client shows `signals` as of `as_of`."""

    def day(days_ago: int) -> dt.date:
        return as_of - dt.timedelta(days=days_ago)

    def at(days_ago: int) -> dt.datetime:
        return dt.datetime.combine(day(days_ago), dt.time(12), tzinfo=dt.UTC)

    for days_ago, dau in ((45, signals.dau_before), (5, signals.dau_now)):
        factory.usage_rollup(
            client, day=day(days_ago), daily_active_users=dau, weekly_active_users=dau, monthly_active_users=dau
        )
    for n in range(signals.tickets_30d):
        factory.support_ticket(client, opened_at=at(1 + n % 28))
    for n in range(signals.tickets_prior_90d):
        factory.support_ticket(client, opened_at=at(35 + (n * 7) % 80))
    if signals.nps is not None:
        factory.survey_response(client, score=signals.nps, responded_at=at(20))
    for _ in range(signals.overdue_invoices):
        factory.invoice(client, issued_on=day(60), due_date=day(30))
    if signals.contact_days_ago is not None:
        factory.activity(client, csm, occurred_at=at(signals.contact_days_ago))
    if signals.champion is not None:
        ref = f"champion-{client.id}"
        factory.contact(client, name=signals.champion, role=ContactRole.CHAMPION, platform_user_ref=ref)
        if signals.champion_login_days_ago is not None:
            days_ago = signals.champion_login_days_ago
            factory.engagement_event(client, user_ref=ref, occurred_at=at(days_ago), occurred_on=day(days_ago))


@dataclass
class Tenant:
    workspace: Workspace
    csm: User
    other_csm: User
    vp: User
    healthy: Client
    risky: Client
    others: Client
    churned: Client


@pytest.fixture
def tenant(factory: Factory) -> Tenant:
    workspace = factory.workspace()
    csm, other_csm = factory.user(workspace), factory.user(workspace)
    vp = factory.user(workspace, role=Role.VP_CLIENT_SUCCESS)
    healthy = factory.client(
        workspace, csm_user_id=csm.id, contract_start_date=dt.date(2022, 3, 1), next_renewal_date=dt.date(2026, 3, 1)
    )
    risky = factory.client(
        workspace, csm_user_id=csm.id, contract_start_date=dt.date(2025, 1, 15), next_renewal_date=dt.date(2025, 7, 1)
    )
    others = factory.client(workspace, csm_user_id=other_csm.id, contract_start_date=dt.date(2023, 1, 1))
    churned = factory.client(
        workspace,
        csm_user_id=csm.id,
        lifecycle_status=LifecycleStatus.CHURNED,
        contract_end_date=dt.date(2025, 4, 1),
    )
    seed_signals(factory, healthy, csm, AS_OF, HEALTHY)
    seed_signals(factory, risky, csm, AS_OF, RISKY)
    return Tenant(workspace, csm, other_csm, vp, healthy, risky, others, churned)


def _predictions(session: Session, client: Client) -> list[ChurnPrediction]:
    return list(session.scalars(select(ChurnPrediction).where(ChurnPrediction.client_id == client.id)))


def _risk_column(session: Session, client: Client) -> int | None:
    return session.scalar(select(Client.churn_risk_score).where(Client.id == client.id))


def test_predict_stores_one_explained_prediction_per_current_client(db_session: Session, tenant: Tenant) -> None:
    views = predict_churn(db_session=db_session, workspace_id=tenant.workspace.id, as_of=AS_OF)

    by_client = {view.client_id: view for view in views}
    assert set(by_client) == {tenant.healthy.id, tenant.risky.id, tenant.others.id}
    assert views[0].client_id == tenant.risky.id  # riskiest first
    risky, healthy = by_client[tenant.risky.id], by_client[tenant.healthy.id]
    assert (risky.risk_band, healthy.risk_band) == ("high", "low")
    assert risky.probability_30d <= risky.probability_60d <= risky.probability_90d
    assert risky.model_version == "default-1"
    assert "Assign to client success as high priority" in risky.recommended_actions
    details = {factor.factor: factor.detail for factor in risky.factors}
    assert details["champion_inactivity"] == "champion Sarah Chen no login in 21 days"
    assert details["support_load"].startswith("4x normal ticket volume")
    assert details["usage_trend"].startswith("DAU down 50%")
    assert sum(factor.share for factor in risky.factors) == pytest.approx(1.0, abs=1e-3)
    assert "no licensed features or no usage data" in risky.missing_inputs
    assert 0 < risky.confidence < 1
    assert _risk_column(db_session, tenant.risky) == round(risky.probability_90d * 100) == risky.churn_risk_score
    assert _risk_column(db_session, tenant.churned) is None
    assert tenant.risky.churn_risk_score == risky.churn_risk_score  # the loaded row is kept in step
    stored = _predictions(db_session, tenant.risky)
    assert [(row.id, row.risk_band, row.day) for row in stored] == [(risky.prediction_id, "high", AS_OF)]


def test_rerunning_a_day_replaces_its_predictions(db_session: Session, tenant: Tenant) -> None:
    first = predict_churn(db_session=db_session, workspace_id=tenant.workspace.id, as_of=AS_OF)
    second = predict_churn(db_session=db_session, workspace_id=tenant.workspace.id, as_of=AS_OF)

    def strip(views: list[ChurnRiskView]) -> list[dict[str, Any]]:
        return [view.model_dump(exclude={"prediction_id"}) for view in views]

    assert strip(first) == strip(second)
    assert len(_predictions(db_session, tenant.risky)) == 1
    models = db_session.scalar(select(func.count()).where(ChurnModel.workspace_id == tenant.workspace.id))
    assert models == 1


def test_an_older_day_does_not_overwrite_the_client_column(db_session: Session, tenant: Tenant) -> None:
    (latest,) = predict_churn(
        db_session=db_session, workspace_id=tenant.workspace.id, as_of=AS_OF, client_ids=[tenant.risky.id]
    )
    predict_churn(
        db_session=db_session,
        workspace_id=tenant.workspace.id,
        as_of=AS_OF - dt.timedelta(days=60),
        client_ids=[tenant.risky.id],
    )
    assert len(_predictions(db_session, tenant.risky)) == 2
    assert _risk_column(db_session, tenant.risky) == latest.churn_risk_score


def test_get_churn_risk_computes_once_then_reads_the_stored_prediction(db_session: Session, tenant: Tenant) -> None:
    actor = Factory(db_session).actor(tenant.csm)
    first = get_churn_risk(db_session=db_session, actor=actor, client_id=tenant.risky.id, as_of=AS_OF)
    again = get_churn_risk(db_session=db_session, actor=actor, client_id=tenant.risky.id, as_of=AS_OF)
    assert first == again
    assert len(_predictions(db_session, tenant.risky)) == 1
    assert _predictions(db_session, tenant.healthy) == []


def test_a_csm_cannot_read_another_csms_client_nor_another_tenants(
    db_session: Session, factory: Factory, tenant: Tenant
) -> None:
    with pytest.raises(AccessDeniedError):
        get_churn_risk(
            db_session=db_session, actor=factory.actor(tenant.other_csm), client_id=tenant.risky.id, as_of=AS_OF
        )
    stranger = factory.user(factory.workspace(), role=Role.ADMIN)
    with pytest.raises(NotFoundError):
        get_churn_risk(db_session=db_session, actor=factory.actor(stranger), client_id=tenant.risky.id, as_of=AS_OF)
    assert _predictions(db_session, tenant.risky) == []


def test_churned_clients_are_not_predicted(db_session: Session, factory: Factory, tenant: Tenant) -> None:
    with pytest.raises(ValidationError, match="churned"):
        get_churn_risk(db_session=db_session, actor=factory.actor(tenant.csm), client_id=tenant.churned.id, as_of=AS_OF)


def test_portfolio_is_scoped_and_riskiest_first(db_session: Session, factory: Factory, tenant: Tenant) -> None:
    mine = portfolio_churn_risk(db_session=db_session, actor=factory.actor(tenant.csm), as_of=AS_OF)
    assert [view.client_id for view in mine] == [tenant.risky.id, tenant.healthy.id]

    everyone = portfolio_churn_risk(db_session=db_session, actor=factory.actor(tenant.vp), as_of=AS_OF)
    assert {view.client_id for view in everyone} == {tenant.risky.id, tenant.healthy.id, tenant.others.id}
    assert {view.prediction_id for view in mine} <= {view.prediction_id for view in everyone}  # reused, not redone
    assert len(_predictions(db_session, tenant.others)) == 1
