"""Fitting the churn model on a tenant's own synthetic history, on both backends."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.churn.fit import fit_churn_model
from domain.churn.models import ChurnModel, ChurnPrediction
from domain.churn.service import active_model, predict_churn
from domain.churn.training import latest_renewal
from domain.clients.models import Client
from domain.enums import LifecycleStatus
from domain.errors import ValidationError
from domain.staff.models import User, Workspace
from tests.domain.test_churn_service import Signals, seed_signals
from tests.factories import Factory

FIT_DAY = dt.date(2025, 6, 1)


def churner_signals(rng: random.Random) -> Signals:
    # Worse on average than retained clients, with enough overlap that the fit has something to learn.
    return Signals(
        dau_before=10,
        dau_now=rng.randint(3, 11),
        tickets_30d=rng.randint(0, 5),
        tickets_prior_90d=3,
        nps=rng.randint(2, 9),
        overdue_invoices=rng.choice([0, 0, 1, 2]),
        contact_days_ago=rng.randint(5, 100),
        champion_login_days_ago=rng.randint(2, 45),
    )


def retained_signals(rng: random.Random) -> Signals:
    return Signals(
        dau_before=10,
        dau_now=rng.randint(6, 13),
        tickets_30d=rng.randint(0, 3),
        tickets_prior_90d=3,
        nps=rng.randint(4, 10),
        overdue_invoices=rng.choice([0, 0, 0, 1]),
        contact_days_ago=rng.randint(2, 60),
        champion_login_days_ago=rng.randint(0, 30),
    )


def churned_client(factory: Factory, workspace: Workspace, csm: User, index: int, rng: random.Random) -> Client:
    churn_day = FIT_DAY - dt.timedelta(days=20 + 11 * index)
    client = factory.client(
        workspace,
        csm_user_id=csm.id,
        lifecycle_status=LifecycleStatus.CHURNED,
        contract_start_date=churn_day - dt.timedelta(days=rng.randint(200, 900)),
        contract_end_date=churn_day,
    )
    seed_signals(factory, client, csm, churn_day - dt.timedelta(days=90), churner_signals(rng))
    return client


def retained_client(factory: Factory, workspace: Workspace, csm: User, index: int, rng: random.Random) -> Client:
    start = FIT_DAY - dt.timedelta(days=380 + 41 * index)
    renewal = latest_renewal(start, None, FIT_DAY)
    assert renewal is not None
    client = factory.client(workspace, csm_user_id=csm.id, contract_start_date=start)
    seed_signals(factory, client, csm, renewal - dt.timedelta(days=90), retained_signals(rng))
    return client


def build_history(factory: Factory, *, churned: int, retained: int, seed: int = 2025) -> tuple[Workspace, list[Client]]:
    rng = random.Random(seed)
    workspace = factory.workspace()
    csm = factory.user(workspace)
    for index in range(churned):
        churned_client(factory, workspace, csm, index, rng)
    current = [retained_client(factory, workspace, csm, index, rng) for index in range(retained)]
    return workspace, current


def test_fit_on_history_separates_churners_and_becomes_the_active_model(db_session: Session, factory: Factory) -> None:
    workspace, current = build_history(factory, churned=14, retained=16)
    predict_churn(db_session=db_session, workspace_id=workspace.id, as_of=FIT_DAY)  # uses, and creates, default-1
    default = active_model(db_session=db_session, workspace_id=workspace.id)

    report = fit_churn_model(db_session=db_session, workspace_id=workspace.id, as_of=FIT_DAY)

    assert (report.churned, report.retained, report.trained_on_rows, report.skipped) == (14, 16, 30, 0)
    assert report.folds == 5
    assert report.auc > 0.7
    assert 0 <= report.brier < 0.25
    assert sum(entry.clients for entry in report.calibration) == 30
    assert report.replaced_versions == ["default-1"]
    assert report.version == "fit-2025-06-01-1"
    assert report.intercepts["30"] < report.intercepts["60"] < report.intercepts["90"]
    assert report.weights["usage_trend"] < 0 < report.weights["nps"]

    model = active_model(db_session=db_session, workspace_id=workspace.id)
    assert (model.id, model.version, model.trained_on_rows) == (report.model_id, report.version, 30)
    assert model.metrics["auc"] == report.auc
    active = db_session.scalar(
        select(func.count()).where(ChurnModel.workspace_id == workspace.id, ChurnModel.is_active.is_(True))
    )
    assert active == 1

    views = predict_churn(db_session=db_session, workspace_id=workspace.id, as_of=FIT_DAY)
    assert {view.model_version for view in views} == {report.version}
    assert {view.client_id for view in views} == {client.id for client in current}
    assert all(view.model_auc == report.auc for view in views)
    stored_models = db_session.scalars(
        select(ChurnPrediction.model_id).where(ChurnPrediction.client_id == current[0].id)
    ).all()
    assert sorted(stored_models) == sorted([default.id, report.model_id])  # the default's rows are kept


def test_a_second_fit_the_same_day_gets_the_next_version(db_session: Session, factory: Factory) -> None:
    workspace, _ = build_history(factory, churned=10, retained=10)
    first = fit_churn_model(db_session=db_session, workspace_id=workspace.id, as_of=FIT_DAY)
    second = fit_churn_model(db_session=db_session, workspace_id=workspace.id, as_of=FIT_DAY)
    assert (first.version, second.version) == ("fit-2025-06-01-1", "fit-2025-06-01-2")
    assert second.replaced_versions == [first.version]
    assert first.weights == second.weights  # deterministic


def test_fit_refuses_with_too_few_outcomes_and_changes_nothing(db_session: Session, factory: Factory) -> None:
    workspace = factory.workspace()
    for _ in range(3):
        factory.client(
            workspace,
            lifecycle_status=LifecycleStatus.CHURNED,
            contract_start_date=dt.date(2023, 1, 1),
            contract_end_date=dt.date(2025, 1, 1),
        )
    for _ in range(12):
        factory.client(workspace, contract_start_date=dt.date(2023, 1, 1))
    factory.client(workspace, lifecycle_status=LifecycleStatus.CHURNED)  # no churn date: cannot be placed

    with pytest.raises(ValidationError, match=r"3 churned and 12 retained .* 1 churned clients .* at least 10 of each"):
        fit_churn_model(db_session=db_session, workspace_id=workspace.id, as_of=FIT_DAY)
    assert db_session.scalar(select(func.count()).where(ChurnModel.workspace_id == workspace.id)) == 0
