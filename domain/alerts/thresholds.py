"""Alert thresholds: the documented defaults, how tenant and client overrides merge, and quiet hours.

Pure: no I/O. A workspace row may override any parameter of any type and switch types off; a client row
may override again. What neither says comes from DEFAULT_THRESHOLDS below (seeds 004 F8, 001 and 003).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from domain.enums import AlertType
from domain.errors import ValidationError

DEFAULT_THRESHOLDS: dict[AlertType, dict[str, Any]] = {
    # seed 004 F8 / US-015-022
    AlertType.HEALTH_DROP: {"points": 10, "days": 7},
    AlertType.KEY_USER_INACTIVE: {"days": 14},
    AlertType.SUPPORT_SPIKE: {"multiplier": 3.0, "normal_floor": 1.0},
    # Seasonality (seed 002) is not a threshold: a segment's slow months come from domain.seasonality.
    AlertType.USAGE_DECLINE: {"drop_pct": 30, "min_baseline_dau": 1.0},
    AlertType.FEATURE_ABANDONED: {"min_prior_uses": 1},
    AlertType.RENEWAL_APPROACHING: {"days": [90, 60, 30], "high_within_days": 30},
    AlertType.CONTRACT_UTILIZATION_LOW: {"min_share": 0.5},
    AlertType.CHAMPION_RISK: {"inactive_days": 21, "renewal_within_days": 120},
    AlertType.NPS_DETRACTOR: {"max_score": 6},
    AlertType.PAYMENT_ISSUE: {"grace_days": 0},
    # seed 001 momentum alerts
    AlertType.INACTIVITY: {"hours": 48},
    AlertType.ZERO_ACTIVITY: {"days": 3},
    AlertType.TASK_STALLED: {"hours": 72},
    AlertType.SCORE_DROP: {"warning_points": 20, "critical_points": 30, "days": 30},
    # seed 003 operations
    AlertType.DELIVERABLE_OVERDUE: {"grace_days": 0},
    AlertType.DELIVERABLE_BLOCKED: {},
    AlertType.PAYMENT_DUE: {"within_days": 7},
    AlertType.PAYMENT_OVERDUE: {"grace_days": 0},
}


@dataclass(frozen=True, slots=True)
class EffectiveSettings:
    """What applies to one client after merging defaults, the workspace row and the client row."""

    disabled: frozenset[AlertType] = frozenset()
    thresholds: Mapping[AlertType, Mapping[str, Any]] = field(default_factory=lambda: DEFAULT_THRESHOLDS)
    muted_until: dt.datetime | None = None

    def is_enabled(self, alert_type: AlertType) -> bool:
        return alert_type not in self.disabled

    def params(self, alert_type: AlertType) -> Mapping[str, Any]:
        return self.thresholds.get(alert_type, DEFAULT_THRESHOLDS[alert_type])


@dataclass(frozen=True, slots=True)
class SettingsLayer:
    """The parts of one AlertSetting row that override (plain values, so merging is testable)."""

    enabled: Mapping[str, Any] = field(default_factory=dict)
    thresholds: Mapping[str, Any] = field(default_factory=dict)
    muted_until: dt.datetime | None = None


def merge_settings(*layers: SettingsLayer | None) -> EffectiveSettings:
    """Apply layers in order (workspace, then client) over the defaults; later layers win per parameter."""
    thresholds = {alert_type: dict(params) for alert_type, params in DEFAULT_THRESHOLDS.items()}
    disabled: set[AlertType] = set()
    muted_until = None
    for layer in layers:
        if layer is None:
            continue
        for key, params in layer.thresholds.items():
            thresholds[AlertType(key)].update(params)
        for key, on in layer.enabled.items():
            (disabled.discard if on else disabled.add)(AlertType(key))
        muted_until = layer.muted_until or muted_until
    return EffectiveSettings(frozenset(disabled), thresholds, muted_until)


def validate_overrides(enabled: Mapping[str, Any], thresholds: Mapping[str, Any]) -> None:
    """Refuse unknown alert types, unknown parameters and values that are not usable numbers."""
    for key, on in enabled.items():
        _alert_type(key)
        if not isinstance(on, bool):
            raise ValidationError(f"enabled[{key!r}] must be true or false")
    for key, params in thresholds.items():
        alert_type = _alert_type(key)
        if not isinstance(params, Mapping):
            raise ValidationError(f"thresholds[{key!r}] must be an object of parameter: value")
        known = DEFAULT_THRESHOLDS[alert_type]
        for name, value in params.items():
            if name not in known:
                raise ValidationError(f"{key} has no parameter {name!r}; known: {', '.join(known) or 'none'}")
            _check_value(alert_type, name, value)


def _alert_type(key: str) -> AlertType:
    try:
        return AlertType(key)
    except ValueError:
        raise ValidationError(f"unknown alert type {key!r}; known: {', '.join(AlertType)}") from None


def _check_value(alert_type: AlertType, name: str, value: Any) -> None:
    if name == "days" and alert_type is AlertType.RENEWAL_APPROACHING:
        if not (isinstance(value, list) and value and all(isinstance(d, int) and d > 0 for d in value)):
            raise ValidationError("renewal reminder days must be a non-empty list of positive whole days")
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ValidationError(f"{alert_type}.{name} must be a number >= 0")


def in_quiet_hours(local_time: dt.time, start: dt.time | None, end: dt.time | None) -> bool:
    """Whether a wall-clock time falls in [start, end); a start after the end spans midnight."""
    if start is None or end is None or start == end:
        return False
    if start < end:
        return start <= local_time < end
    return local_time >= start or local_time < end
