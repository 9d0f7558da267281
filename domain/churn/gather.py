"""Churn features for many clients at once, on top of the scoring inputs (a handful of grouped queries)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from domain.churn.features import FeatureContext, FeatureVector, client_features
from domain.clients.models import Client
from domain.enums import LifecycleStatus
from domain.scoring.inputs import gather_inputs, licensed_feature_expectations

# A churned client has no future to predict, and a prospect has no contract yet.
NOT_PREDICTED = (LifecycleStatus.CHURNED, LifecycleStatus.PROSPECT)


@dataclass(frozen=True, slots=True)
class ClientFacts:
    name: str
    lifecycle_status: LifecycleStatus
    contract_start_date: dt.date
    contract_end_date: dt.date | None


def client_facts(*, db_session: Session, where: ColumnElement[bool]) -> dict[int, ClientFacts]:
    """Name, lifecycle and contract dates of the clients matching `where`, in one query."""
    rows = db_session.execute(
        select(
            Client.id, Client.name, Client.lifecycle_status, Client.contract_start_date, Client.contract_end_date
        ).where(where)
    )
    return {client_id: ClientFacts(name, status, start, end) for client_id, name, status, start, end in rows}


def predictable(facts: Mapping[int, ClientFacts]) -> dict[int, ClientFacts]:
    return {client_id: fact for client_id, fact in facts.items() if fact.lifecycle_status not in NOT_PREDICTED}


def gather_features(
    *,
    db_session: Session,
    workspace_id: int,
    as_of: dt.date,
    clients: Mapping[int, ClientFacts],
    client_ids: Collection[int] | None = None,
    days_to_renewal: int | None = None,
    catalogue: Mapping[str, tuple[str, float]] | None = None,
) -> dict[int, FeatureVector]:
    """Compute the features of the given clients as of a day; `client_ids=None` reads the whole workspace."""
    # `days_to_renewal` overrides the client's current renewal date, which says nothing about the past:
    # training rows know their renewal, it is the outcome they are labelled with.
    inputs = gather_inputs(db_session=db_session, workspace_id=workspace_id, as_of=as_of, client_ids=client_ids)
    if catalogue is None:
        catalogue = licensed_feature_expectations(db_session=db_session, workspace_id=workspace_id)
    vectors = {}
    for client_id, item in inputs.items():
        fact = clients.get(client_id)
        if fact is None:
            continue
        if days_to_renewal is not None:
            item.days_to_renewal = days_to_renewal
        context = FeatureContext(contract_start=fact.contract_start_date, catalogue=catalogue)
        vectors[client_id] = client_features(item, context)
    return vectors
