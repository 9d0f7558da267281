"""Versioned score configurations: presets installed per tenant, scoped overrides, every change a new version."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.access import Actor
from domain.audit import record_audit
from domain.enums import ContractTier, HealthStatus, Role
from domain.errors import AccessDeniedError, ValidationError
from domain.scoring.metrics import REGISTRY
from domain.scoring.models import ScoreConfig
from domain.scoring.presets import PRESETS
from domain.scoring.rules import normalise

CONFIG_EDITORS = frozenset({Role.VP_CLIENT_SUCCESS, Role.ADMIN})


def scope_key(tier: ContractTier | None, segment: str | None) -> str:
    if segment:
        return f"segment:{segment}"
    if tier:
        return f"tier:{tier.value}"
    return "*"


def validate_components(components: Sequence[Mapping[str, Any]], bands: Sequence[Mapping[str, Any]]) -> None:
    """Refuse a configuration that could not score: unknown metric, bad weights, bad normaliser or bands."""
    if not components:
        raise ValidationError("a score model needs at least one component")
    names = [str(component.get("name", "")) for component in components]
    if len(set(names)) != len(names) or not all(names):
        raise ValidationError("component names must be present and unique")
    for component in components:
        if component.get("metric") not in REGISTRY:
            raise ValidationError(f"unknown metric {component.get('metric')!r}; known: {', '.join(sorted(REGISTRY))}")
        if not isinstance(component.get("weight"), int | float) or component["weight"] < 0:
            raise ValidationError(f"weight of {component['name']!r} must be a number >= 0")
        try:
            normalise(0.0, component.get("normalise", {}))
        except (KeyError, ValueError, TypeError, ZeroDivisionError) as problem:
            raise ValidationError(f"bad normaliser for {component['name']!r}: {problem}") from None
    if abs(sum(float(component["weight"]) for component in components) - 100.0) > 1e-6:
        raise ValidationError("weights must sum to 100")
    if not bands or any(band.get("status") not in HealthStatus.__members__ for band in bands):
        raise ValidationError("bands need a known status (HEALTHY, MONITOR, AT_RISK, CRITICAL) and a minimum")


def ensure_presets(*, db_session: Session, workspace_id: int) -> list[ScoreConfig]:
    """Install version 1 of every preset for a tenant that has none; idempotent."""
    existing = set(
        db_session.scalars(select(ScoreConfig.model_key).where(ScoreConfig.workspace_id == workspace_id)).all()
    )
    created = []
    for key, preset in PRESETS.items():
        if key in existing:
            continue
        config = ScoreConfig(
            workspace_id=workspace_id,
            model_key=key,
            name=preset["name"],
            scope_key="*",
            components=preset["components"],
            bands=preset["bands"],
            trend_rules=preset["trend_rules"],
            version=1,
        )
        db_session.add(config)
        created.append(config)
    db_session.flush()
    return created


def active_configs(*, db_session: Session, workspace_id: int, model_key: str) -> list[ScoreConfig]:
    """The active configuration of every scope (default, tiers, segments) of one model."""
    ensure_presets(db_session=db_session, workspace_id=workspace_id)
    return list(
        db_session.scalars(
            select(ScoreConfig).where(
                ScoreConfig.workspace_id == workspace_id,
                ScoreConfig.model_key == model_key,
                ScoreConfig.is_active.is_(True),
            )
        )
    )


def pick_config(configs: Sequence[ScoreConfig], *, tier: ContractTier, segment: str | None) -> ScoreConfig:
    """The most specific active configuration for a client: its segment, else its tier, else the default."""
    by_scope = {config.scope_key: config for config in configs}
    for key in (f"segment:{segment}" if segment else None, f"tier:{tier.value}", "*"):
        if key and key in by_scope:
            return by_scope[key]
    raise ValidationError("no default score configuration is active")


def save_config_version(
    *,
    db_session: Session,
    actor: Actor,
    model_key: str,
    components: Sequence[Mapping[str, Any]],
    bands: Sequence[Mapping[str, Any]] | None = None,
    tier: ContractTier | None = None,
    segment: str | None = None,
) -> ScoreConfig:
    """Save a new version of a model's configuration for a scope; the old version stays for the audit trail."""
    if actor.role not in CONFIG_EDITORS:
        raise AccessDeniedError("only a VP of client success or an admin can change score weights")
    if model_key not in PRESETS:
        raise ValidationError(f"unknown score model {model_key!r}; known: {', '.join(PRESETS)}")
    ensure_presets(db_session=db_session, workspace_id=actor.workspace_id)
    current = _current(db_session, actor.workspace_id, model_key, scope_key(tier, segment))
    fallback = current or pick_config(
        active_configs(db_session=db_session, workspace_id=actor.workspace_id, model_key=model_key),
        tier=tier or ContractTier.CUSTOM,
        segment=None,
    )
    chosen_bands = list(bands) if bands is not None else list(fallback.bands)
    validate_components(components, chosen_bands)
    if current is not None:
        current.is_active = False
    config = ScoreConfig(
        workspace_id=actor.workspace_id,
        model_key=model_key,
        name=fallback.name,
        applies_to_tier=tier,
        applies_to_segment=segment,
        scope_key=scope_key(tier, segment),
        components=[dict(component) for component in components],
        bands=chosen_bands,
        trend_rules=dict(fallback.trend_rules),
        version=(current.version + 1) if current else 1,
        previous_version_id=current.id if current else None,
        created_by_id=actor.user_id,
    )
    db_session.add(config)
    db_session.flush()
    record_audit(
        db_session,
        workspace_id=actor.workspace_id,
        actor_user_id=actor.user_id,
        action="create",
        entity_type="score_config",
        entity_id=config.id,
        before={"version": current.version, "components": current.components} if current else None,
        after={"version": config.version, "components": config.components, "scope": config.scope_key},
    )
    return config


def _current(session: Session, workspace_id: int, model_key: str, scope: str) -> ScoreConfig | None:
    return session.scalar(
        select(ScoreConfig)
        .where(
            ScoreConfig.workspace_id == workspace_id,
            ScoreConfig.model_key == model_key,
            ScoreConfig.scope_key == scope,
        )
        .order_by(ScoreConfig.version.desc())
        .limit(1)
    )


def with_weights(components: Sequence[Mapping[str, Any]], weights: Mapping[str, float]) -> list[dict[str, Any]]:
    """A copy of `components` with some weights replaced; unknown component names are refused."""
    names = {str(component["name"]) for component in components}
    unknown = sorted(set(weights) - names)
    if unknown:
        raise ValidationError(f"unknown component(s) {', '.join(unknown)}; known: {', '.join(sorted(names))}")
    return [{**component, "weight": weights.get(component["name"], component["weight"])} for component in components]


def default_config(configs: Sequence[ScoreConfig]) -> ScoreConfig:
    """The tenant-wide configuration of a model (scope "*")."""
    for config in configs:
        if config.scope_key == "*":
            return config
    raise ValidationError("no default score configuration is active")
