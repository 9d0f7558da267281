"""What-if: score the portfolio under a proposed weight set without saving anything (seed 004 US-015-020)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.access import Actor, visible_clients_clause
from domain.clients.models import Client
from domain.enums import HealthStatus
from domain.errors import ValidationError
from domain.scoring.configs import active_configs, default_config, validate_components, with_weights
from domain.scoring.models import HealthSnapshot
from domain.scoring.rules import band, weighted_score


class SimulatedClient(BaseModel):
    client_id: int
    client_name: str
    current_score: float
    simulated_score: float
    current_status: HealthStatus
    simulated_status: HealthStatus


class SimulationReport(BaseModel):
    model_key: str
    as_of: dt.date
    weights: dict[str, float]
    clients: int
    status_changes: list[SimulatedClient]
    average_current: float | None
    average_simulated: float | None
    status_counts_current: dict[str, int]
    status_counts_simulated: dict[str, int]


def simulate_weights(
    *,
    db_session: Session,
    actor: Actor,
    weights: Mapping[str, float],
    as_of: dt.date,
    model_key: str = "health",
) -> SimulationReport:
    """Re-weight each visible client's latest components; report who would change status. Saves nothing."""
    configs = active_configs(db_session=db_session, workspace_id=actor.workspace_id, model_key=model_key)
    default = default_config(configs)
    proposed = with_weights(default.components, weights)
    validate_components(proposed, default.bands)
    new_weights = {str(component["name"]): float(component["weight"]) for component in proposed}
    rows = _latest_snapshots(db_session, actor, as_of, model_key)
    if not rows:
        raise ValidationError(f"no {model_key} scores on or before {as_of}; run `csagent scores recompute` first")
    results = [_resimulate(client, snapshot, new_weights, default.bands) for client, snapshot in rows]
    changes = [item for item in results if item.simulated_status != item.current_status]
    return SimulationReport(
        model_key=model_key,
        as_of=as_of,
        weights=new_weights,
        clients=len(results),
        status_changes=sorted(changes, key=lambda item: item.simulated_score - item.current_score),
        average_current=round(sum(item.current_score for item in results) / len(results), 2),
        average_simulated=round(sum(item.simulated_score for item in results) / len(results), 2),
        status_counts_current=_counts(item.current_status for item in results),
        status_counts_simulated=_counts(item.simulated_status for item in results),
    )


def _resimulate(
    client: Client, snapshot: HealthSnapshot, weights: dict[str, float], bands: Sequence[Mapping[str, Any]]
) -> SimulatedClient:
    simulated = weighted_score(weights, snapshot.components).overall
    return SimulatedClient(
        client_id=client.id,
        client_name=client.name,
        current_score=round(snapshot.overall_score, 2),
        simulated_score=round(simulated, 2),
        current_status=snapshot.status,
        simulated_status=band(simulated, bands),
    )


def _counts(statuses: Iterable[HealthStatus]) -> dict[str, int]:
    counts = {status.value: 0 for status in HealthStatus}
    for status in statuses:
        counts[status.value] += 1
    return counts


def _latest_snapshots(
    session: Session, actor: Actor, as_of: dt.date, model_key: str
) -> list[tuple[Client, HealthSnapshot]]:
    latest = (
        select(HealthSnapshot.client_id, func.max(HealthSnapshot.day).label("day"))
        .join(Client, Client.id == HealthSnapshot.client_id)
        .where(visible_clients_clause(actor), HealthSnapshot.model_key == model_key, HealthSnapshot.day <= as_of)
        .group_by(HealthSnapshot.client_id)
        .subquery()
    )
    query = (
        select(Client, HealthSnapshot)
        .join(HealthSnapshot, HealthSnapshot.client_id == Client.id)
        .join(latest, (latest.c.client_id == HealthSnapshot.client_id) & (latest.c.day == HealthSnapshot.day))
        .where(HealthSnapshot.model_key == model_key)
        .order_by(Client.name)
    )
    return [(client, snapshot) for client, snapshot in session.execute(query).tuples()]
