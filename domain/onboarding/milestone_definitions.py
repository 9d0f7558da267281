"""Which milestones a tenant recognises: seed 002's three by default, plus any the tenant defines."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.access import Actor
from domain.audit import record_audit
from domain.enums import EventType
from domain.errors import AccessDeniedError, ValidationError
from domain.onboarding.models import MilestoneDefinition, MilestoneMeasure
from domain.onboarding.path_rules import FULLY_ACTIVATED
from domain.onboarding.schemas import MilestoneDefinitionView


@dataclass(frozen=True, slots=True)
class MilestoneSeed:
    key: str
    name: str
    event_type: EventType
    feature_key: str | None
    measure: MilestoneMeasure
    threshold: int
    celebration: str


# Seed 002's supplier platform counts forms, clients and automations. In this platform's event vocabulary
# a form is generated content, the people using a client's account are its users, and automations run
# through the API. Tenants whose product differs redefine these with define_milestone.
DEFAULT_MILESTONES: tuple[MilestoneSeed, ...] = (
    MilestoneSeed(
        "first_form",
        "First form created",
        EventType.CONTENT_GENERATED,
        None,
        MilestoneMeasure.EVENTS,
        1,
        "send a short congratulations note on their first form",
    ),
    MilestoneSeed(
        "ten_clients",
        "Ten active users",
        EventType.LOGIN,
        None,
        MilestoneMeasure.DISTINCT_USERS,
        10,
        "congratulate the champion on ten people using the platform",
    ),
    MilestoneSeed(
        "first_automation",
        "First automation",
        EventType.FEATURE_USE,
        "api_calls",
        MilestoneMeasure.EVENTS,
        1,
        "congratulate them on their first automation and share the next one to try",
    ),
)
# Reached through the onboarding path (path.record_onboarding_action), not through events.
ACTIVATION_NAME = "Fully activated"
ACTIVATION_CELEBRATION = "send the success certificate (onboarding complete)"

_KEY = re.compile(r"^[a-z][a-z0-9_]{1,63}$")


def ensure_default_milestones(*, db_session: Session, workspace_id: int) -> list[MilestoneDefinitionView]:
    """Add seed 002's milestone definitions to a workspace where missing; edited ones stay as they are."""
    existing = set(
        db_session.scalars(select(MilestoneDefinition.key).where(MilestoneDefinition.workspace_id == workspace_id))
    )
    for seed in DEFAULT_MILESTONES:
        if seed.key not in existing:
            db_session.add(
                MilestoneDefinition(
                    workspace_id=workspace_id,
                    key=seed.key,
                    name=seed.name,
                    event_type=seed.event_type,
                    feature_key=seed.feature_key,
                    measure=seed.measure,
                    threshold=seed.threshold,
                    celebration=seed.celebration,
                    enabled=True,
                )
            )
    db_session.flush()
    return list_milestone_definitions(db_session=db_session, workspace_id=workspace_id)


def list_milestone_definitions(*, db_session: Session, workspace_id: int) -> list[MilestoneDefinitionView]:
    """Every milestone definition of a workspace, oldest first."""
    rows = db_session.scalars(
        select(MilestoneDefinition)
        .where(MilestoneDefinition.workspace_id == workspace_id)
        .order_by(MilestoneDefinition.id)
    )
    return [MilestoneDefinitionView.model_validate(row, from_attributes=True) for row in rows]


def define_milestone(
    *,
    db_session: Session,
    actor: Actor,
    key: str,
    name: str,
    event_type: EventType,
    threshold: int = 1,
    feature_key: str | None = None,
    measure: MilestoneMeasure = MilestoneMeasure.EVENTS,
    celebration: str | None = None,
    enabled: bool = True,
) -> MilestoneDefinitionView:
    """Create or update a tenant milestone: reached at the `threshold`-th matching event (or distinct user)."""
    if not actor.sees_whole_tenant:
        raise AccessDeniedError("only senior CSMs, VPs and admins define the tenant's milestones")
    values = _validated(key, name, threshold, feature_key, celebration)
    try:
        values |= {"event_type": EventType(event_type), "measure": MilestoneMeasure(measure), "enabled": enabled}
    except ValueError as error:
        raise ValidationError(f"unknown event type or measure: {error}") from None
    row = db_session.scalar(
        select(MilestoneDefinition).where(
            MilestoneDefinition.workspace_id == actor.workspace_id, MilestoneDefinition.key == values["key"]
        )
    )
    before = None if row is None else _audit_state(row)
    if row is None:
        row = MilestoneDefinition(workspace_id=actor.workspace_id, **values)
        db_session.add(row)
    else:
        for column, value in values.items():
            setattr(row, column, value)
    db_session.flush()
    record_audit(
        db_session,
        workspace_id=actor.workspace_id,
        actor_user_id=actor.user_id,
        action="create" if before is None else "update",
        entity_type="milestone_definition",
        entity_id=row.id,
        before=before,
        after=_audit_state(row),
    )
    db_session.flush()
    return MilestoneDefinitionView.model_validate(row, from_attributes=True)


def _validated(
    key: str, name: str, threshold: int, feature_key: str | None, celebration: str | None
) -> dict[str, object]:
    clean_key = key.strip().lower()
    if not _KEY.match(clean_key):
        raise ValidationError(f"milestone key {key!r} must be 2-64 characters of a-z, 0-9 and _, starting a-z")
    if clean_key == FULLY_ACTIVATED:
        raise ValidationError("fully_activated comes from the onboarding path and cannot be redefined")
    clean_name = name.strip()
    if not clean_name or len(clean_name) > 120:
        raise ValidationError("a milestone needs a name of 1-120 characters")
    if threshold < 1:
        raise ValidationError(f"a milestone threshold must be at least 1, not {threshold}")
    words = (celebration or "").strip() or f"congratulate them on reaching {clean_name}"
    if len(words) > 200:
        raise ValidationError("the celebration advice must fit in 200 characters")
    return {
        "key": clean_key,
        "name": clean_name,
        "threshold": threshold,
        "feature_key": (feature_key or "").strip() or None,
        "celebration": words,
    }


def _audit_state(row: MilestoneDefinition) -> dict[str, object]:
    return {
        "key": row.key,
        "name": row.name,
        "event_type": str(row.event_type),
        "feature_key": row.feature_key,
        "measure": str(row.measure),
        "threshold": row.threshold,
        "celebration": row.celebration,
        "enabled": row.enabled,
    }
