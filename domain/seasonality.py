"""Seasonality (seed 002): a segment's declared slow months lower the usage expected of it.

"November slowdown is normal" for wedding photographers: in a declared slow month the usage a client
is expected to show is multiplied by the segment's factor, so scores and alerts hold the client to a
lower bar instead of flagging a decline that happens every year.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pydantic import BaseModel
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from domain.access import Actor
from domain.audit import record_audit
from domain.enums import Role
from domain.errors import AccessDeniedError, NotFoundError, ValidationError
from domain.usage.models import SeasonalityRule

EVERY_SEGMENT = "*"  # a tenant-wide rule, used by segments that declare none of their own
SEASONALITY_EDITORS = frozenset({Role.VP_CLIENT_SUCCESS, Role.ADMIN})


@dataclass(frozen=True, slots=True)
class SlowSeason:
    months: frozenset[int]
    factor: float


# Keyed by the case-folded segment name (or EVERY_SEGMENT), as built by load_seasonality.
SeasonalitySettings = Mapping[str, SlowSeason]


def segment_key(segment: str) -> str:
    return segment.strip().casefold()


def expected_usage_factor(segment: str | None, month: int, settings: SeasonalitySettings) -> float:
    """The share of normal usage to expect from a segment in a month: its factor in a slow month, else 1.0.

    A segment's own rule replaces the tenant-wide "*" rule entirely, so a segment can opt out of a
    tenant-wide slow month by declaring a rule with other (or no) months.
    """
    season = settings.get(segment_key(segment)) if segment else None
    if season is None:
        season = settings.get(EVERY_SEGMENT)
    if season is None or month not in season.months:
        return 1.0
    return season.factor


def build_settings(rules: Iterable[tuple[str, Iterable[int], float]]) -> dict[str, SlowSeason]:
    """Settings from (segment, slow months, factor) triples; the last rule for a segment wins."""
    return {segment_key(segment): SlowSeason(frozenset(months), factor) for segment, months, factor in rules}


def load_seasonality(*, db_session: Session, workspace_id: int) -> dict[str, SlowSeason]:
    """The workspace's seasonality settings, ready for expected_usage_factor."""
    rows = db_session.execute(
        select(SeasonalityRule.segment, SeasonalityRule.slow_months, SeasonalityRule.usage_factor)
        .where(SeasonalityRule.workspace_id == workspace_id)
        .order_by(SeasonalityRule.id)
    )
    return build_settings((segment, months or [], factor) for segment, months, factor in rows)


class SeasonalityView(BaseModel):
    segment: str
    slow_months: list[int]
    usage_factor: float
    note: str | None


def list_seasonality(*, db_session: Session, actor: Actor) -> list[SeasonalityView]:
    """List the actor's tenant's seasonality rules, by segment."""
    rules = db_session.scalars(
        select(SeasonalityRule)
        .where(SeasonalityRule.workspace_id == actor.workspace_id)
        .order_by(SeasonalityRule.segment)
    )
    return [_view(rule) for rule in rules]


def set_slow_months(
    *,
    db_session: Session,
    actor: Actor,
    segment: str,
    months: Iterable[int],
    factor: float,
    note: str | None = None,
) -> SeasonalityView:
    """Declare (or replace) a segment's slow months and the share of usage expected in them."""
    _require_editor(actor)
    name, chosen = _validated(segment, months, factor)
    rule = _find(db_session, actor.workspace_id, name)
    before = None if rule is None else _view(rule).model_dump()
    if rule is None:
        rule = SeasonalityRule(workspace_id=actor.workspace_id, segment=name)
        db_session.add(rule)
    rule.slow_months, rule.usage_factor, rule.note, rule.updated_by_id = chosen, factor, note, actor.user_id
    db_session.flush()
    view = _view(rule)
    record_audit(
        db_session,
        workspace_id=actor.workspace_id,
        actor_user_id=actor.user_id,
        action="create" if before is None else "update",
        entity_type="seasonality_rule",
        entity_id=rule.id,
        before=before,
        after=view.model_dump(),
    )
    return view


def clear_slow_months(*, db_session: Session, actor: Actor, segment: str) -> None:
    """Remove a segment's seasonality rule; its usage is expected at the normal level all year again."""
    _require_editor(actor)
    rule = _find(db_session, actor.workspace_id, segment.strip())
    if rule is None:
        raise NotFoundError(f"no seasonality rule for segment {segment.strip()!r}")
    before = _view(rule).model_dump()
    db_session.execute(delete(SeasonalityRule).where(SeasonalityRule.id == rule.id))
    db_session.flush()
    record_audit(
        db_session,
        workspace_id=actor.workspace_id,
        actor_user_id=actor.user_id,
        action="delete",
        entity_type="seasonality_rule",
        entity_id=rule.id,
        before=before,
    )


def _require_editor(actor: Actor) -> None:
    if actor.role not in SEASONALITY_EDITORS:
        raise AccessDeniedError("only a VP of client success or an admin can change seasonality")


def _validated(segment: str, months: Iterable[int], factor: float) -> tuple[str, list[int]]:
    name = segment.strip()
    if not name:
        raise ValidationError("name the segment (or '*' for every segment)")
    chosen = sorted(set(months))
    if any(month < 1 or month > 12 for month in chosen):
        raise ValidationError("slow months are numbers from 1 (January) to 12 (December)")
    if not 0 < factor <= 1:
        raise ValidationError("the usage factor is the share of normal usage expected, above 0 and at most 1")
    return name, chosen


def _find(session: Session, workspace_id: int, segment: str) -> SeasonalityRule | None:
    # Segment names match case-insensitively, as expected_usage_factor reads them.
    return session.scalar(
        select(SeasonalityRule).where(
            SeasonalityRule.workspace_id == workspace_id,
            func.lower(SeasonalityRule.segment) == segment.casefold(),
        )
    )


def _view(rule: SeasonalityRule) -> SeasonalityView:
    return SeasonalityView(
        segment=rule.segment, slow_months=sorted(rule.slow_months), usage_factor=rule.usage_factor, note=rule.note
    )
