"""Seed 004 configuration endpoints: score models (list, create, re-weight, simulate) and alert settings."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from channels.web.api_deps import AsOfDep, NowDep, id_path
from channels.web.deps import ActorDep, SessionDep
from channels.web.schemas.alerts import AlertSettingsIn
from channels.web.schemas.config import ScoreConfigIn, WeightsIn
from channels.web.schemas.errors import ERRORS
from domain.alerts.schemas import AlertSettingsView
from domain.alerts.settings import get_alert_settings, update_alert_settings
from domain.scoring.config_service import (
    ScoreConfigView,
    create_score_config,
    list_score_configs,
    reweight_score_config,
    simulate_score_config,
)
from domain.scoring.simulate import SimulationReport

router = APIRouter(prefix="/api/v1/client-success/config", tags=["configuration"], responses=ERRORS)
ConfigId = Annotated[int, id_path("score configuration")]


@router.get("/health-score", response_model=list[ScoreConfigView], summary="List configs")
def get_score_configs(
    session: SessionDep, actor: ActorDep, model_key: Literal["health", "success", "supplier"] | None = None
) -> list[ScoreConfigView]:
    """The active configuration of every score model and scope (default, tier, segment)."""
    return list_score_configs(db_session=session, actor=actor, model_key=model_key)


@router.post("/health-score", response_model=ScoreConfigView, status_code=201, summary="Create config")
def post_score_config(body: ScoreConfigIn, session: SessionDep, actor: ActorDep) -> ScoreConfigView:
    """A configuration for a scope; a scope that has one gets a new version. VP of client success or admin."""
    return create_score_config(
        db_session=session,
        actor=actor,
        model_key=body.model_key,
        components=[component.model_dump(exclude_none=True) for component in body.components],
        bands=None if body.bands is None else [band.model_dump(mode="json") for band in body.bands],
        tier=body.tier,
        segment=body.segment,
    )


@router.put("/health-score/{config_id}", response_model=ScoreConfigView, summary="Update config")
def put_score_config(config_id: ConfigId, body: WeightsIn, session: SessionDep, actor: ActorDep) -> ScoreConfigView:
    """Re-weight: a new version of the configuration's scope (the old one is kept for the audit trail)."""
    return reweight_score_config(db_session=session, actor=actor, config_id=config_id, weights=body.weights)


@router.post("/health-score/{config_id}/simulate", response_model=SimulationReport, summary="Preview impact")
def post_simulate(
    config_id: ConfigId, body: WeightsIn, session: SessionDep, actor: ActorDep, as_of: AsOfDep
) -> SimulationReport:
    """Which visible clients would change status under these weights; nothing is saved."""
    return simulate_score_config(
        db_session=session, actor=actor, config_id=config_id, weights=body.weights, as_of=as_of
    )


@router.get("/alerts", response_model=AlertSettingsView, summary="Alert settings")
def get_alert_config(
    session: SessionDep,
    actor: ActorDep,
    client_id: Annotated[int | None, Query(ge=1, le=2**31 - 1, description="A client's effective settings")] = None,
) -> AlertSettingsView:
    return get_alert_settings(db_session=session, actor=actor, client_id=client_id)


@router.put("/alerts", response_model=AlertSettingsView, summary="Update settings")
def put_alert_config(body: AlertSettingsIn, session: SessionDep, actor: ActorDep, now: NowDep) -> AlertSettingsView:
    """Tenant defaults (VP or admin) or one client's overrides; enabled and thresholds merge per alert type."""
    quiet = None
    if body.quiet_hours_start is not None and body.quiet_hours_end is not None:
        quiet = (body.quiet_hours_start, body.quiet_hours_end)
    return update_alert_settings(
        db_session=session,
        actor=actor,
        now=now,
        client_id=body.client_id,
        enabled=None if body.enabled is None else {kind.value: on for kind, on in body.enabled.items()},
        thresholds=None if body.thresholds is None else {kind.value: p for kind, p in body.thresholds.items()},
        quiet_hours=quiet,
        clear_quiet_hours=body.clear_quiet_hours,
    )
