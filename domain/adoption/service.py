"""The Adoption tab (seed 004 F5, US-015-011): one client's feature adoption matrix, scoped by the actor."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.access import Actor, get_visible_client
from domain.adoption.assess import (
    Assessment,
    FeatureUsage,
    StoredFlags,
    assess_client,
    load_catalogue,
    load_feature_usage,
)
from domain.adoption.models import FeatureAdoption
from domain.adoption.rules import ACTIVELY_USED_LEVELS, USED_LEVELS, adoption_score
from domain.adoption.schemas import AdoptionMatrix, ExpansionOpportunity, FeatureAdoptionView, ModuleAdoption
from domain.benchmarks.rules import NOT_PEERS
from domain.clients.models import Client
from domain.enums import AdoptionStatus
from domain.seasonality import expected_usage_factor, load_seasonality

COMMON_IN_TIER_SHARE = 0.5  # a module more than half the tier peers license "would fit" a client without it
MIN_TIER_PEERS = 2


def adoption_matrix(*, db_session: Session, actor: Actor, client_id: int, as_of: dt.date) -> AdoptionMatrix:
    """Show a client's feature adoption by module, its adoption score and its expansion opportunities."""
    client = get_visible_client(db_session, actor, client_id)
    catalogue = load_catalogue(db_session=db_session, workspace_id=client.workspace_id)
    usage = load_feature_usage(db_session=db_session, clients=Client.id == client.id, as_of=as_of)
    stored, percentiles = _stored(db_session, client.id)
    settings = load_seasonality(db_session=db_session, workspace_id=client.workspace_id)
    factor = expected_usage_factor(client.segment, as_of.month, settings)
    assessed = assess_client(
        catalogue=catalogue,
        licensed_modules=list(client.licensed_modules or []),
        usage=usage.get(client.id, FeatureUsage()),
        stored=stored,
        factor=factor,
        as_of=as_of,
    )
    views = [_view(item, percentiles.get(item.feature.id)) for item in assessed]
    licensed = [view for view in views if view.is_licensed]
    used = [view for view in licensed if view.status in USED_LEVELS]
    opportunities = _unused_licences(views) + _unlicensed_modules(db_session, client, views)
    return AdoptionMatrix(
        client_id=client.id,
        client_name=client.name,
        as_of=as_of,
        modules=_by_module(views),
        adoption_score=adoption_score(view.status for view in views),
        features_licensed=len(licensed),
        features_used=len(used),
        features_actively_used=sum(1 for view in licensed if view.status in ACTIVELY_USED_LEVELS),
        summary=f"Licensed features used: {len(used)} of {len(licensed)}",
        unused_licensed_features=[view.feature_name for view in licensed if view.status not in USED_LEVELS],
        opportunities=opportunities,
        seasonal_factor=factor,
    )


def _stored(session: Session, client_id: int) -> tuple[dict[int, StoredFlags], dict[int, int | None]]:
    rows = session.execute(
        select(
            FeatureAdoption.feature_id,
            FeatureAdoption.is_configured,
            FeatureAdoption.configured_at,
            FeatureAdoption.last_used_at,
            FeatureAdoption.adoption_percentile,
        ).where(FeatureAdoption.client_id == client_id)
    )
    flags, percentiles = {}, {}
    for feature_id, configured, configured_at, last_used, percentile in rows:
        flags[feature_id] = StoredFlags(configured, configured_at, last_used)
        percentiles[feature_id] = percentile
    return flags, percentiles


def _view(item: Assessment, percentile: int | None) -> FeatureAdoptionView:
    expected = item.expected_usage
    return FeatureAdoptionView(
        feature_key=item.feature.key,
        feature_name=item.feature.name,
        module=item.feature.module,
        status=item.status,
        is_licensed=item.is_licensed,
        is_configured=item.is_configured,
        usage_30_days=item.usage_30_days,
        usage_previous_30_days=item.usage_previous_30_days,
        usage_trend=item.trend,
        expected_usage=round(expected, 4),
        expected_usage_metric=item.feature.expected_usage_metric,
        usage_ratio=round(item.usage_30_days / expected, 4) if expected > 0 else None,
        last_used_at=item.last_used_at,
        adoption_percentile=percentile,
    )


def _by_module(views: list[FeatureAdoptionView]) -> list[ModuleAdoption]:
    """Rows grouped by module, modules in the order their first feature appears in the catalogue."""
    modules: dict[str, list[FeatureAdoptionView]] = {}
    for view in views:
        modules.setdefault(view.module, []).append(view)
    return [
        ModuleAdoption(module=name, is_licensed=features[0].is_licensed, features=features)
        for name, features in modules.items()
    ]


def _unused_licences(views: list[FeatureAdoptionView]) -> list[ExpansionOpportunity]:
    """Licensed modules with no feature in use: paid for, not yet valuable."""
    found = []
    for module in _by_module(views):
        statuses = {view.status for view in module.features}
        if not module.is_licensed or statuses & USED_LEVELS:
            continue
        detail = "licensed, not configured" if statuses == {AdoptionStatus.NOT_CONFIGURED} else "licensed, not used"
        found.append(ExpansionOpportunity(module=module.module, reason="unused_licence", detail=detail))
    return found


def _unlicensed_modules(
    session: Session, client: Client, views: list[FeatureAdoptionView]
) -> list[ExpansionOpportunity]:
    """Unlicensed modules the client has tried, then those most clients of its tier license."""
    unlicensed = [module.module for module in _by_module(views) if not module.is_licensed]
    found = []
    for module in unlicensed:
        uses = sum(v.usage_30_days + v.usage_previous_30_days for v in views if v.module == module)
        if uses:
            found.append(ExpansionOpportunity(module=module, reason="explored", detail=f"{uses} uses in 60 days"))
    explored = {item.module for item in found}
    peers = session.scalars(
        select(Client.licensed_modules).where(
            Client.workspace_id == client.workspace_id,
            Client.contract_tier == client.contract_tier,
            Client.id != client.id,
            Client.lifecycle_status.not_in(sorted(NOT_PEERS)),
        )
    ).all()
    licences = Counter(module for modules in peers for module in set(modules or []))
    for module in unlicensed:
        share = licences[module] / len(peers) if peers else 0.0
        if module not in explored and len(peers) >= MIN_TIER_PEERS and share > COMMON_IN_TIER_SHARE:
            detail = f"licensed by {licences[module]} of {len(peers)} other {client.contract_tier.value} clients"
            found.append(ExpansionOpportunity(module=module, reason="common_in_tier", detail=detail))
    return found
