"""Churn risk: predict and store per client per day, and scoped reads of the predictions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable

from sqlalchemy import ColumnElement, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain.access import Actor, get_visible_client, visible_clients_clause
from domain.churn.coefficients import DEFAULT_COEFFICIENTS, DEFAULT_MODEL_VERSION, Coefficients
from domain.churn.gather import NOT_PREDICTED, client_facts, gather_features, predictable
from domain.churn.models import ChurnModel, ChurnPrediction
from domain.churn.rules import Prediction, predict
from domain.churn.schemas import ChurnRiskView
from domain.churn.views import prediction_row, risk_view
from domain.clients.models import Client
from domain.errors import ValidationError


def active_model(*, db_session: Session, workspace_id: int) -> ChurnModel:
    """The workspace's newest active model, else the shipped defaults' row (created on first use)."""
    newest = db_session.scalar(
        select(ChurnModel)
        .where(ChurnModel.workspace_id == workspace_id, ChurnModel.is_active.is_(True))
        .order_by(ChurnModel.id.desc())
        .limit(1)
    )
    return newest or _default_model(db_session, workspace_id)


def _default_model(session: Session, workspace_id: int) -> ChurnModel:
    def existing() -> ChurnModel | None:
        return session.scalar(
            select(ChurnModel).where(
                ChurnModel.workspace_id == workspace_id, ChurnModel.version == DEFAULT_MODEL_VERSION
            )
        )

    found = existing()
    if found is not None:
        return found
    row = ChurnModel(
        workspace_id=workspace_id,
        version=DEFAULT_MODEL_VERSION,
        coefficients=DEFAULT_COEFFICIENTS.to_json(),
        metrics={"source": "shipped default coefficients; not backtested on this workspace"},
        trained_on_rows=0,
        is_active=True,
    )
    try:
        with session.begin_nested():  # a concurrent first use may insert the same version
            session.add(row)
    except IntegrityError:
        found = existing()
        if found is None:
            raise
        return found
    return row


def predict_churn(
    *, db_session: Session, workspace_id: int, as_of: dt.date, client_ids: Collection[int] | None = None
) -> list[ChurnRiskView]:
    """Predict and store 30/60/90-day churn for the workspace's current clients (or the given ones)."""
    # Re-running a day replaces that day's predictions of the same model; churned clients and prospects
    # have nothing to predict and are left out.
    model = active_model(db_session=db_session, workspace_id=workspace_id)
    coefficients = Coefficients.from_json(model.coefficients)
    where: ColumnElement[bool] = Client.workspace_id == workspace_id
    if client_ids is not None:
        where = where & Client.id.in_(list(client_ids))
    clients = predictable(client_facts(db_session=db_session, where=where))
    vectors = gather_features(
        db_session=db_session, workspace_id=workspace_id, as_of=as_of, clients=clients, client_ids=client_ids
    )
    predictions = {client_id: predict(coefficients, vector) for client_id, vector in vectors.items()}
    _store(db_session, model.id, as_of, where, predictions)
    _refresh_risk_scores(db_session, as_of, where, predictions)
    views = _stored_views(db_session, model, as_of, where)
    return _ranked(views[client_id] for client_id in predictions)


def _store(
    session: Session, model_id: int, day: dt.date, where: ColumnElement[bool], predictions: dict[int, Prediction]
) -> None:
    session.execute(
        delete(ChurnPrediction).where(
            ChurnPrediction.model_id == model_id,
            ChurnPrediction.day == day,
            ChurnPrediction.client_id.in_(select(Client.id).where(where)),
        )
    )
    rows = [prediction_row(client_id, day, model_id, prediction) for client_id, prediction in predictions.items()]
    if rows:
        session.execute(insert(ChurnPrediction), rows)


def _refresh_risk_scores(
    session: Session, day: dt.date, where: ColumnElement[bool], predictions: dict[int, Prediction]
) -> None:
    """Copy the 90-day probability onto Client.churn_risk_score, unless a later day is already predicted."""
    later = set(
        session.scalars(
            select(ChurnPrediction.client_id)
            .join(Client, Client.id == ChurnPrediction.client_id)
            .where(where, ChurnPrediction.day > day)
            .distinct()
        )
    )
    updates = [
        {"id": client_id, "churn_risk_score": round(prediction.probability_90d * 100)}
        for client_id, prediction in predictions.items()
        if client_id not in later
    ]
    if updates:
        session.execute(update(Client), updates)
    # A bulk UPDATE by primary key leaves already-loaded rows stale; expire the column so they reload it.
    updated = {row["id"] for row in updates}
    for loaded in list(session.identity_map.values()):
        if isinstance(loaded, Client) and loaded.id in updated:
            session.expire(loaded, ["churn_risk_score"])


def _stored_views(
    session: Session, model: ChurnModel, day: dt.date, where: ColumnElement[bool]
) -> dict[int, ChurnRiskView]:
    rows = session.execute(
        select(ChurnPrediction, Client.name)
        .join(Client, Client.id == ChurnPrediction.client_id)
        .where(where, ChurnPrediction.day == day, ChurnPrediction.model_id == model.id)
    )
    return {row.client_id: risk_view(row, name, model) for row, name in rows}


def _ranked(views: Iterable[ChurnRiskView]) -> list[ChurnRiskView]:
    return sorted(views, key=lambda view: (-view.probability_90d, view.client_name, view.client_id))


def get_churn_risk(*, db_session: Session, actor: Actor, client_id: int, as_of: dt.date) -> ChurnRiskView:
    """Get a client's churn risk on a day, predicting and storing it if that day has none yet."""
    client = get_visible_client(db_session, actor, client_id)
    if client.lifecycle_status in NOT_PREDICTED:
        status = client.lifecycle_status.value.lower()
        raise ValidationError(f"{client.name} is {status}: churn risk is predicted for current clients only")
    model = active_model(db_session=db_session, workspace_id=actor.workspace_id)
    stored = _stored_views(db_session, model, as_of, Client.id == client.id)
    if client.id in stored:
        return stored[client.id]
    (view,) = predict_churn(db_session=db_session, workspace_id=actor.workspace_id, as_of=as_of, client_ids=[client.id])
    return view


def portfolio_churn_risk(*, db_session: Session, actor: Actor, as_of: dt.date) -> list[ChurnRiskView]:
    """List churn risk for the actor's current clients, riskiest first; predicts the ones missing for as_of."""
    scope = visible_clients_clause(actor)
    model = active_model(db_session=db_session, workspace_id=actor.workspace_id)
    views = _stored_views(db_session, model, as_of, scope)
    current = set(db_session.scalars(select(Client.id).where(scope, Client.lifecycle_status.not_in(NOT_PREDICTED))))
    missing = current - set(views)
    if missing:
        fresh = predict_churn(
            db_session=db_session, workspace_id=actor.workspace_id, as_of=as_of, client_ids=sorted(missing)
        )
        views.update({view.client_id: view for view in fresh})
    return _ranked([views[client_id] for client_id in current if client_id in views])
