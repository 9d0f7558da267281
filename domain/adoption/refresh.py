"""Recompute every client's feature adoption rows for a day, set-based (the daily adoption job)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from domain.adoption.assess import (
    Assessment,
    FeatureUsage,
    StoredFlags,
    assess_client,
    load_catalogue,
    load_feature_usage,
)
from domain.adoption.models import FeatureAdoption
from domain.adoption.schemas import AdoptionRefreshReport
from domain.benchmarks.rules import MIN_COHORT_FOR_PERCENTILE, NOT_PEERS, percentile_ranks
from domain.clients.models import Client
from domain.enums import ContractTier
from domain.seasonality import expected_usage_factor, load_seasonality

PercentileKey = tuple[int, int]  # (client_id, feature_id)
# Clients whose 60 days of rollups are read at once: bounds memory while keeping the query count small.
CLIENT_BATCH = 500
_table = cast(Table, FeatureAdoption.__table__)


def refresh_feature_adoption(*, db_session: Session, workspace_id: int, as_of: dt.date) -> AdoptionRefreshReport:
    """Upsert one adoption row per client and catalogue feature from the rollups up to as_of.

    Licensing follows Client.licensed_modules; is_configured, licensed_at and configured_at are kept
    (use of a licensed feature marks it configured). Re-running a day rewrites the same values.
    """
    catalogue = load_catalogue(db_session=db_session, workspace_id=workspace_id)
    clients = db_session.execute(
        select(Client.id, Client.contract_tier, Client.segment, Client.licensed_modules, Client.lifecycle_status)
        .where(Client.workspace_id == workspace_id)
        .order_by(Client.id)
    ).all()
    stored, row_ids = _stored_rows(db_session, workspace_id)
    settings = load_seasonality(db_session=db_session, workspace_id=workspace_id)
    assessed: dict[int, list[Assessment]] = {}
    for offset in range(0, len(clients), CLIENT_BATCH):
        batch = clients[offset : offset + CLIENT_BATCH]
        usage = load_feature_usage(db_session=db_session, clients=Client.id.in_([row[0] for row in batch]), as_of=as_of)
        for client_id, _, segment, modules, _ in batch:
            assessed[client_id] = assess_client(
                catalogue=catalogue,
                licensed_modules=list(modules or []),
                usage=usage.get(client_id, FeatureUsage()),
                stored=stored.get(client_id, {}),
                factor=expected_usage_factor(segment, as_of.month, settings),
                as_of=as_of,
            )
    peers = {client_id: tier for client_id, tier, _, _, status in clients if status not in NOT_PEERS}
    created, updated = _write(db_session, assessed, _tier_percentiles(assessed, peers), row_ids, as_of)
    return AdoptionRefreshReport(
        workspace_id=workspace_id,
        as_of=as_of,
        clients=len(clients),
        features=len(catalogue),
        created=created,
        updated=updated,
    )


def _write(
    session: Session,
    assessed: dict[int, list[Assessment]],
    percentiles: dict[PercentileKey, int],
    row_ids: dict[PercentileKey, int],
    as_of: dt.date,
) -> tuple[int, int]:
    """Insert the rows that are new and update the rest in two bulk statements."""
    new_rows, changed_rows = [], []
    for client_id, items in assessed.items():
        for item in items:
            key = (client_id, item.feature.id)
            values = _row_values(item, percentiles.get(key), as_of)
            if key in row_ids:
                changed_rows.append({"row_id": row_ids[key], **values})
            else:
                new_rows.append({"client_id": client_id, "feature_id": item.feature.id, **values})
    # Core executemany on the table: the ORM bulk paths fall back to a statement per row here.
    if new_rows:
        session.execute(insert(_table), new_rows)
    if changed_rows:
        session.execute(update(_table).where(_table.c.id == bindparam("row_id")), changed_rows)
    return len(new_rows), len(changed_rows)


def _stored_rows(
    session: Session, workspace_id: int
) -> tuple[dict[int, dict[int, StoredFlags]], dict[PercentileKey, int]]:
    rows = session.execute(
        select(
            FeatureAdoption.id,
            FeatureAdoption.client_id,
            FeatureAdoption.feature_id,
            FeatureAdoption.is_configured,
            FeatureAdoption.configured_at,
            FeatureAdoption.last_used_at,
        )
        .join(Client, Client.id == FeatureAdoption.client_id)
        .where(Client.workspace_id == workspace_id)
    )
    flags: dict[int, dict[int, StoredFlags]] = defaultdict(dict)
    ids: dict[PercentileKey, int] = {}
    for row_id, client_id, feature_id, configured, configured_at, last_used in rows:
        flags[client_id][feature_id] = StoredFlags(configured, configured_at, last_used)
        ids[client_id, feature_id] = row_id
    return flags, ids


def _tier_percentiles(
    assessed: dict[int, list[Assessment]], peers: dict[int, ContractTier]
) -> dict[PercentileKey, int]:
    """Each peer's 30-day use of each licensed feature ranked among licensed peers of its tier."""
    cohorts: dict[tuple[ContractTier, int], list[tuple[int, int]]] = defaultdict(list)
    for client_id, tier in peers.items():
        for item in assessed[client_id]:
            if item.is_licensed:
                cohorts[tier, item.feature.id].append((client_id, item.usage_30_days))
    percentiles: dict[PercentileKey, int] = {}
    for (_, feature_id), members in cohorts.items():
        if len(members) < MIN_COHORT_FOR_PERCENTILE:
            continue
        ranks = percentile_ranks([float(uses) for _, uses in members])
        for (client_id, _), rank in zip(members, ranks, strict=True):
            percentiles[client_id, feature_id] = round(rank)
    return percentiles


def _row_values(item: Assessment, percentile: int | None, as_of: dt.date) -> dict[str, Any]:
    return {
        "is_licensed": item.is_licensed,
        "is_configured": item.is_configured,
        "configured_at": item.configured_at,
        "adoption_status": item.status,
        "last_used_at": item.last_used_at,
        "usage_30_days": item.usage_30_days,
        "usage_trend": item.trend,
        "expected_usage": item.expected_usage,
        "adoption_percentile": percentile,
        "assessed_on": as_of,
    }
