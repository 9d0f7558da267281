"""Assess feature adoption from usage rollups: the shared core of the refresh job and the Adoption tab.

Reads are set-based: one query for the catalogue and one for 60 days of rollups, whatever the number
of clients the filter selects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Integer, case, cast, func, select, true
from sqlalchemy.orm import Session

from domain.adoption.models import Feature
from domain.adoption.rules import adoption_level, usage_trend
from domain.clients.models import Client
from domain.enums import AdoptionStatus, UsageTrend
from domain.usage.models import UsageRollup

WINDOW_DAYS = 30


@dataclass(frozen=True, slots=True)
class CatalogueFeature:
    id: int
    key: str
    name: str
    module: str
    expected_usage_metric: str
    expected_monthly_usage: float


@dataclass(slots=True)
class FeatureUsage:
    """One client's feature uses: the last 30 days, the 30 before, and first/last day of use in those 60."""

    current: dict[str, int] = field(default_factory=dict)
    previous: dict[str, int] = field(default_factory=dict)
    first_day: dict[str, dt.date] = field(default_factory=dict)
    last_day: dict[str, dt.date] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class StoredFlags:
    """What the refresh keeps from an existing adoption row rather than recomputing."""

    is_configured: bool = False
    configured_at: dt.datetime | None = None
    last_used_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class Assessment:
    feature: CatalogueFeature
    is_licensed: bool
    is_configured: bool
    configured_at: dt.datetime | None
    status: AdoptionStatus
    usage_30_days: int
    usage_previous_30_days: int
    trend: UsageTrend
    expected_usage: float
    last_used_at: dt.datetime | None


def windows(as_of: dt.date) -> tuple[dt.date, dt.date]:
    """First day of the current 30-day window and of the 30 days before it."""
    current_start = as_of - dt.timedelta(days=WINDOW_DAYS - 1)
    return current_start, current_start - dt.timedelta(days=WINDOW_DAYS)


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def load_catalogue(*, db_session: Session, workspace_id: int) -> list[CatalogueFeature]:
    """The workspace's features in catalogue order (the order they were added)."""
    rows = db_session.execute(
        select(
            Feature.id,
            Feature.key,
            Feature.name,
            Feature.module,
            Feature.expected_usage_metric,
            Feature.expected_monthly_usage,
        )
        .where(Feature.workspace_id == workspace_id)
        .order_by(Feature.id)
    )
    return [CatalogueFeature(*row) for row in rows]


def load_feature_usage(*, db_session: Session, clients: ColumnElement[bool], as_of: dt.date) -> dict[int, FeatureUsage]:
    """Feature uses per client from the rollups of the 60 days up to as_of, for the clients matching `clients`.

    The JSON feature counts are unpacked and summed in the database (json_each), which is several
    times faster than decoding every rollup row in Python.
    """
    current_start, previous_start = windows(as_of)
    rollups = UsageRollup.__table__.c
    dialect = db_session.get_bind().dialect.name
    each = func.json_each_text if dialect == "postgresql" else func.json_each
    pairs = each(rollups.feature_counts).table_valued("key", "value")
    uses = cast(pairs.c.value, Integer)
    is_current = rollups.day >= current_start
    rows = db_session.execute(
        select(
            rollups.client_id,
            pairs.c.key,
            func.sum(case((is_current, uses), else_=0)),
            func.sum(case((is_current, 0), else_=uses)),
            func.min(rollups.day),
            func.max(rollups.day),
        )
        .select_from(UsageRollup.__table__)
        .join(Client, Client.id == rollups.client_id)
        .join(pairs, true())
        .where(clients, rollups.day.between(previous_start, as_of), rollups.total_actions > 0, uses > 0)
        .group_by(rollups.client_id, pairs.c.key)
    )
    usage: dict[int, FeatureUsage] = {}
    for client_id, key, current, previous, first, last in rows:
        item = usage.setdefault(client_id, FeatureUsage())
        if current:
            item.current[key] = int(current)
        if previous:
            item.previous[key] = int(previous)
        item.first_day[key], item.last_day[key] = _as_date(first), _as_date(last)
    return usage


def _as_date(value: dt.date | str) -> dt.date:
    # SQLite returns MIN()/MAX() over a DATE column as text.
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


def assess_client(
    *,
    catalogue: Sequence[CatalogueFeature],
    licensed_modules: Sequence[str],
    usage: FeatureUsage,
    stored: Mapping[int, StoredFlags],
    factor: float,
    as_of: dt.date,
) -> list[Assessment]:
    """Assess every catalogue feature for one client; `factor` is the seasonal share of usage expected."""
    modules = set(licensed_modules)
    return [
        _assess(feature, feature.module in modules, usage, stored.get(feature.id, StoredFlags()), factor, as_of)
        for feature in catalogue
    ]


def _assess(
    feature: CatalogueFeature,
    licensed: bool,
    usage: FeatureUsage,
    kept: StoredFlags,
    factor: float,
    as_of: dt.date,
) -> Assessment:
    uses, previous = usage.current.get(feature.key, 0), usage.previous.get(feature.key, 0)
    # Use proves a licensed feature was set up; the configured flag must never outlive the licence.
    configured = licensed and (kept.is_configured or uses + previous > 0)
    configured_at = kept.configured_at
    if configured and configured_at is None and feature.key in usage.first_day:
        configured_at = midnight(usage.first_day[feature.key])
    expected = feature.expected_monthly_usage * factor
    status = adoption_level(is_licensed=licensed, is_configured=configured, uses_30_days=uses, expected=expected)
    return Assessment(
        feature=feature,
        is_licensed=licensed,
        is_configured=configured,
        configured_at=configured_at,
        status=status,
        usage_30_days=uses,
        usage_previous_30_days=previous,
        trend=usage_trend(uses, previous),
        expected_usage=expected,
        last_used_at=_last_used(usage.last_day.get(feature.key), kept.last_used_at, as_of),
    )


def _last_used(seen: dt.date | None, kept: dt.datetime | None, as_of: dt.date) -> dt.datetime | None:
    """The last day of use within the 60-day window, else an older stored value.

    A stored value inside the window (or later) without use seen there came from a refresh for a later
    day; it is dropped so re-running an earlier day gives that day's answer.
    """
    if seen is not None:
        return midnight(seen)
    _, previous_start = windows(as_of)
    if kept is not None and kept < midnight(previous_start):
        return kept
    return None
