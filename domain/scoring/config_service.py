"""Score configurations as the API sees them (seed 004 config endpoints): list, create, re-weight, preview.

Every change is a new version (configs.py); `update` re-weights one configuration's scope, and
`simulate` previews weights on the current scores without saving anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from domain.access import Actor
from domain.enums import ContractTier
from domain.errors import NotFoundError, ValidationError
from domain.scoring.configs import active_configs, save_config_version, with_weights
from domain.scoring.models import ScoreConfig
from domain.scoring.presets import PRESETS
from domain.scoring.simulate import SimulationReport, simulate_weights


class ScoreConfigView(BaseModel):
    id: int
    model_key: str
    name: str
    scope_key: str  # "*", "tier:ENTERPRISE" or "segment:photographers"
    applies_to_tier: ContractTier | None
    applies_to_segment: str | None
    components: list[dict[str, Any]]  # [{"name", "metric", "weight", "normalise"}], weights sum to 100
    bands: list[dict[str, Any]]  # [{"status", "min"}], highest first
    version: int
    previous_version_id: int | None
    is_active: bool
    created_by_id: int | None


def config_view(row: ScoreConfig) -> ScoreConfigView:
    return ScoreConfigView(
        id=row.id,
        model_key=row.model_key,
        name=row.name,
        scope_key=row.scope_key,
        applies_to_tier=row.applies_to_tier,
        applies_to_segment=row.applies_to_segment,
        components=list(row.components),
        bands=list(row.bands),
        version=row.version,
        previous_version_id=row.previous_version_id,
        is_active=row.is_active,
        created_by_id=row.created_by_id,
    )


def list_score_configs(*, db_session: Session, actor: Actor, model_key: str | None = None) -> list[ScoreConfigView]:
    """The active configuration of every model and scope of the actor's tenant."""
    keys = [model_key] if model_key else list(PRESETS)
    if model_key is not None and model_key not in PRESETS:
        raise ValidationError(f"unknown score model {model_key!r}; known: {', '.join(PRESETS)}")
    rows = [
        row
        for key in keys
        for row in active_configs(db_session=db_session, workspace_id=actor.workspace_id, model_key=key)
    ]
    return [config_view(row) for row in sorted(rows, key=lambda row: (row.model_key, row.scope_key, row.id))]


def create_score_config(
    *,
    db_session: Session,
    actor: Actor,
    model_key: str,
    components: Sequence[Mapping[str, Any]],
    bands: Sequence[Mapping[str, Any]] | None = None,
    tier: ContractTier | None = None,
    segment: str | None = None,
) -> ScoreConfigView:
    """Save a configuration for a scope (a new version if the scope has one); VP or admin only."""
    row = save_config_version(
        db_session=db_session,
        actor=actor,
        model_key=model_key,
        components=components,
        bands=bands,
        tier=tier,
        segment=segment,
    )
    return config_view(row)


def reweight_score_config(
    *, db_session: Session, actor: Actor, config_id: int, weights: Mapping[str, float]
) -> ScoreConfigView:
    """A new version of one configuration's scope with some component weights replaced."""
    current = _config(db_session, actor, config_id)
    row = save_config_version(
        db_session=db_session,
        actor=actor,
        model_key=current.model_key,
        components=with_weights(current.components, weights),
        bands=current.bands,
        tier=current.applies_to_tier,
        segment=current.applies_to_segment,
    )
    return config_view(row)


def simulate_score_config(
    *, db_session: Session, actor: Actor, config_id: int, weights: Mapping[str, float], as_of: dt.date
) -> SimulationReport:
    """Preview a configuration's model with other weights on the visible clients' latest scores; saves nothing."""
    current = _config(db_session, actor, config_id)
    with_weights(current.components, weights)  # refuses unknown component names with the known ones listed
    return simulate_weights(
        db_session=db_session, actor=actor, weights=weights, as_of=as_of, model_key=current.model_key
    )


def _config(db_session: Session, actor: Actor, config_id: int) -> ScoreConfig:
    row = db_session.get(ScoreConfig, config_id)
    if row is None or row.workspace_id != actor.workspace_id:
        raise NotFoundError(f"no score configuration with id {config_id}")
    return row
