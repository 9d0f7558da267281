"""Seasonality (seed 002: "November slowdown is normal"): the expected-usage factor and its settings."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.audit import AuditLog
from domain.enums import Role
from domain.errors import AccessDeniedError, NotFoundError, ValidationError
from domain.seasonality import (
    build_settings,
    clear_slow_months,
    expected_usage_factor,
    list_seasonality,
    load_seasonality,
    set_slow_months,
)
from tests.factories import Factory

SETTINGS = build_settings([("Photographers", [11, 12], 0.6), ("*", [8], 0.8), ("DJs", [], 1.0)])


@pytest.mark.parametrize(
    ("segment", "month", "factor"),
    [
        ("Photographers", 11, 0.6),
        ("photographers ", 12, 0.6),  # segment names match case- and space-insensitively
        ("Photographers", 10, 1.0),
        ("Photographers", 8, 1.0),  # its own rule replaces the tenant-wide one
        ("Florists", 8, 0.8),  # no rule of its own: the tenant-wide "*" applies
        (None, 8, 0.8),
        ("DJs", 8, 1.0),  # an empty rule opts out of the tenant-wide slow month
        ("Florists", 11, 1.0),
    ],
)
def test_expected_usage_factor(segment: str | None, month: int, factor: float) -> None:
    assert expected_usage_factor(segment, month, SETTINGS) == factor


def test_no_settings_means_normal_usage_all_year() -> None:
    assert expected_usage_factor("Photographers", 11, {}) == 1.0


def test_a_vp_declares_replaces_and_clears_slow_months(db_session: Session, factory: Factory) -> None:
    workspace = factory.workspace()
    vp = factory.actor(factory.user(workspace, role=Role.VP_CLIENT_SUCCESS))

    set_slow_months(db_session=db_session, actor=vp, segment="Photographers", months=[11], factor=0.7)
    view = set_slow_months(
        db_session=db_session, actor=vp, segment="photographers", months=[12, 11, 11], factor=0.5, note="wedding season"
    )

    assert (view.segment, view.slow_months, view.usage_factor, view.note) == (
        "Photographers",
        [11, 12],
        0.5,
        "wedding season",
    )
    assert [rule.segment for rule in list_seasonality(db_session=db_session, actor=vp)] == ["Photographers"]
    settings = load_seasonality(db_session=db_session, workspace_id=workspace.id)
    assert expected_usage_factor("Photographers", 12, settings) == 0.5
    actions = db_session.scalars(
        select(AuditLog.action).where(AuditLog.entity_type == "seasonality_rule").order_by(AuditLog.id)
    ).all()
    assert actions == ["create", "update"]

    clear_slow_months(db_session=db_session, actor=vp, segment="PHOTOGRAPHERS")
    assert load_seasonality(db_session=db_session, workspace_id=workspace.id) == {}
    with pytest.raises(NotFoundError):
        clear_slow_months(db_session=db_session, actor=vp, segment="Photographers")


def test_settings_are_per_tenant_and_validated(db_session: Session, factory: Factory) -> None:
    workspace, elsewhere = factory.workspace(), factory.workspace()
    admin = factory.actor(factory.user(workspace, role=Role.ADMIN))
    set_slow_months(db_session=db_session, actor=admin, segment="Photographers", months=[11], factor=0.7)
    assert load_seasonality(db_session=db_session, workspace_id=elsewhere.id) == {}
    with pytest.raises(ValidationError, match="1 \\(January\\) to 12"):
        set_slow_months(db_session=db_session, actor=admin, segment="Photographers", months=[13], factor=0.7)
    with pytest.raises(ValidationError, match="above 0"):
        set_slow_months(db_session=db_session, actor=admin, segment="Photographers", months=[11], factor=0)
    with pytest.raises(ValidationError, match="name the segment"):
        set_slow_months(db_session=db_session, actor=admin, segment=" ", months=[11], factor=0.7)
    csm = factory.actor(factory.user(workspace))
    with pytest.raises(AccessDeniedError):
        set_slow_months(db_session=db_session, actor=csm, segment="DJs", months=[1], factor=0.9)
