"""Recompute, explain and simulate scores on a hand-built client whose every component is computed by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.audit import AuditLog
from domain.enums import ContactRole, HealthStatus, InvoiceStatus, Role
from domain.errors import AccessDeniedError, NotFoundError, ValidationError
from domain.scoring.configs import save_config_version
from domain.scoring.drivers import explain_drivers, get_score
from domain.scoring.models import HealthSnapshot, ScoreConfig
from domain.scoring.presets import HEALTH
from domain.scoring.recompute import recompute_scores
from domain.scoring.simulate import simulate_weights
from tests.factories import Factory

AS_OF = dt.date(2026, 11, 22)


def _at(days_before: int) -> dt.datetime:
    return dt.datetime.combine(AS_OF - dt.timedelta(days=days_before), dt.time(10), tzinfo=dt.UTC)


@pytest.fixture
def scene(factory: Factory) -> dict:
    workspace = factory.workspace()
    csm = factory.user(workspace, Role.CSM)
    vp = factory.user(workspace, Role.VP_CLIENT_SUCCESS)
    client = factory.client(
        workspace, name="Acme Corp", csm_user_id=csm.id, licensed_user_count=20, licensed_modules=["Case Management"]
    )
    factory.feature(workspace, key="case_creation", module="Case Management", expected_monthly_usage=10)
    factory.feature(workspace, key="investigation", module="Case Management", expected_monthly_usage=5)
    factory.feature(workspace, key="dashboards", module="Analytics", expected_monthly_usage=20)
    for back in range(60):
        recent = back < 30
        factory.usage_rollup(
            client,
            day=AS_OF - dt.timedelta(days=back),
            daily_active_users=6 if recent else 10,
            weekly_active_users=12,
            monthly_active_users=15,
            total_actions=5,
            feature_counts={"case_creation": 1} if recent else {"investigation": 2},
        )
    champion = factory.contact(client, name="Sarah Chen", role=ContactRole.CHAMPION, platform_user_ref="u-sarah")
    factory.engagement_event(
        client, user_ref="u-sarah", occurred_at=_at(21), occurred_on=_at(21).date(), occurred_hour=10
    )
    factory.activity(client, csm, occurred_at=_at(45), contact_ids=[str(champion.id)])
    factory.survey_response(client, score=6, responded_at=_at(10))
    factory.invoice(
        client,
        issued_on=AS_OF - dt.timedelta(days=50),
        due_date=AS_OF - dt.timedelta(days=20),
        status=InvoiceStatus.OVERDUE,
    )
    empty = factory.client(workspace, name="Quiet Co", csm_user_id=csm.id)
    return {
        "workspace": workspace,
        "csm": factory.actor(csm),
        "vp": factory.actor(vp),
        "client": client,
        "empty": empty,
        "other_csm": factory.actor(factory.user(workspace, Role.CSM)),
    }


# Hand computation for Acme on AS_OF (weights 25/20/15/15/15/10):
USAGE = 100.0  # 7-day DAU 6 vs 20 licensed x 0.3 = 6 expected -> ratio 1.0
ADOPTION = 50.0  # licensed Case Management features: case_creation used 30x (>= 25% of 10), investigation 0x
SUPPORT = 100.0  # no tickets, no CSAT
RECENCY = (45 - 90) / (14 - 90) * 100  # last CSM contact 45 days ago, linear 90 -> 0 .. 14 -> 100
CHAMPION = (21 - 30) / (7 - 30) * 100  # Sarah Chen last seen 21 days ago, linear 30 -> 0 .. 7 -> 100
RELATIONSHIP = 0.4 * RECENCY + 0.3 * 100 + 0.3 * CHAMPION  # her only key contact was reached in 90 days
CONTRACT = 0.6 * 60 + 0.4 * 40  # NPS 6 -> 60; one overdue invoice -> 40
OUTCOME = 50.0  # case_creation at 100% of expected volume, investigation at 0%
OVERALL = 0.25 * USAGE + 0.20 * ADOPTION + 0.15 * SUPPORT + 0.15 * RELATIONSHIP + 0.15 * CONTRACT + 0.10 * OUTCOME


def test_recompute_matches_the_hand_computation(db_session: Session, scene: dict) -> None:
    report = recompute_scores(
        db_session=db_session, workspace_id=scene["workspace"].id, start=AS_OF, model_key="health"
    )
    assert report.snapshots == 2
    view = get_score(db_session=db_session, actor=scene["csm"], client_id=scene["client"].id, as_of=AS_OF)
    scores = {component.name: component.score for component in view.components}
    assert scores == pytest.approx(
        {
            "usage": USAGE,
            "adoption": ADOPTION,
            "support": SUPPORT,
            "relationship": round(RELATIONSHIP, 2),
            "contract": CONTRACT,
            "outcome": OUTCOME,
        },
        abs=0.01,
    )
    assert view.overall == pytest.approx(OVERALL, abs=0.01)
    assert view.status is HealthStatus.MONITOR
    relationship = next(component for component in view.components if component.name == "relationship")
    assert "champion Sarah Chen has not logged in for 21 days" in relationship.evidence
    db_session.refresh(scene["client"])
    assert scene["client"].current_health_score == round(OVERALL)
    assert scene["client"].health_status is HealthStatus.MONITOR


def test_recompute_is_idempotent_for_a_day(db_session: Session, scene: dict) -> None:
    for _ in range(2):
        recompute_scores(db_session=db_session, workspace_id=scene["workspace"].id, start=AS_OF)
    count = db_session.scalar(select(func.count()).select_from(HealthSnapshot).where(HealthSnapshot.day == AS_OF))
    assert count == 2


def test_insufficient_data_is_visible_not_zero(db_session: Session, scene: dict) -> None:
    recompute_scores(db_session=db_session, workspace_id=scene["workspace"].id, start=AS_OF)
    view = get_score(db_session=db_session, actor=scene["csm"], client_id=scene["empty"].id, as_of=AS_OF)
    assert set(view.insufficient) == {"usage", "adoption", "outcome"}
    by_name = {component.name: component for component in view.components}
    assert by_name["usage"].score is None
    assert by_name["usage"].effective_weight == 0
    assert by_name["support"].effective_weight == pytest.approx(15 / 45 * 100, abs=0.01)


def test_drivers_sum_to_the_change_and_name_the_evidence(db_session: Session, scene: dict) -> None:
    recompute_scores(
        db_session=db_session, workspace_id=scene["workspace"].id, start=AS_OF - dt.timedelta(days=30), end=AS_OF
    )
    report = explain_drivers(db_session=db_session, actor=scene["csm"], client_id=scene["client"].id, to_day=AS_OF)
    assert report.from_day == AS_OF - dt.timedelta(days=30)
    assert sum(driver.contribution for driver in report.drivers) == pytest.approx(report.change, abs=1e-9)
    assert report.change == pytest.approx(report.score_after - report.score_before)
    assert report.drivers[0].contribution == max((d.contribution for d in report.drivers), key=abs)
    assert report.most_impactful_input is not None
    # the CSM call was 45 days ago, outside the window; the NPS answer and the invoice falling due are inside
    assert {(event.kind, event.day) for event in report.events} == {
        ("survey", AS_OF - dt.timedelta(days=10)),
        ("invoice", AS_OF - dt.timedelta(days=20)),
    }
    view = get_score(db_session=db_session, actor=scene["csm"], client_id=scene["client"].id, as_of=AS_OF)
    assert view.trend is not None


def test_scores_are_scoped(db_session: Session, scene: dict) -> None:
    recompute_scores(db_session=db_session, workspace_id=scene["workspace"].id, start=AS_OF)
    with pytest.raises(AccessDeniedError, match="not in your portfolio"):
        get_score(db_session=db_session, actor=scene["other_csm"], client_id=scene["client"].id, as_of=AS_OF)


def test_missing_score_says_how_to_get_one(db_session: Session, scene: dict) -> None:
    with pytest.raises(NotFoundError, match="scores recompute"):
        get_score(db_session=db_session, actor=scene["csm"], client_id=scene["client"].id, as_of=AS_OF)


def test_simulation_reports_status_changes_and_saves_nothing(db_session: Session, scene: dict) -> None:
    recompute_scores(db_session=db_session, workspace_id=scene["workspace"].id, start=AS_OF)
    before = db_session.scalar(select(func.count()).select_from(HealthSnapshot))
    configs_before = db_session.scalar(select(func.count()).select_from(ScoreConfig))
    weights = {"usage": 0, "adoption": 0, "support": 0, "relationship": 50, "contract": 50, "outcome": 0}
    report = simulate_weights(db_session=db_session, actor=scene["vp"], weights=weights, as_of=AS_OF)
    acme = next(item for item in report.status_changes if item.client_name == "Acme Corp")
    assert acme.simulated_score == pytest.approx(0.5 * RELATIONSHIP + 0.5 * CONTRACT, abs=0.01)
    assert acme.simulated_status is HealthStatus.AT_RISK
    assert db_session.scalar(select(func.count()).select_from(HealthSnapshot)) == before
    assert db_session.scalar(select(func.count()).select_from(ScoreConfig)) == configs_before


def test_simulation_refuses_bad_weights(db_session: Session, scene: dict) -> None:
    recompute_scores(db_session=db_session, workspace_id=scene["workspace"].id, start=AS_OF)
    with pytest.raises(ValidationError, match="sum to 100"):
        simulate_weights(db_session=db_session, actor=scene["vp"], weights={"usage": 90}, as_of=AS_OF)
    with pytest.raises(ValidationError, match="unknown component"):
        simulate_weights(db_session=db_session, actor=scene["vp"], weights={"vibes": 10}, as_of=AS_OF)


def test_config_versions_are_kept_audited_and_used(db_session: Session, scene: dict) -> None:
    components = [
        {**component, "weight": weight}
        for component, weight in zip(HEALTH["components"], [30, 20, 10, 20, 10, 10], strict=True)
    ]
    with pytest.raises(AccessDeniedError):
        save_config_version(db_session=db_session, actor=scene["csm"], model_key="health", components=components)
    saved = save_config_version(db_session=db_session, actor=scene["vp"], model_key="health", components=components)
    assert saved.version == 2
    versions = db_session.scalars(
        select(ScoreConfig)
        .where(ScoreConfig.workspace_id == scene["workspace"].id, ScoreConfig.model_key == "health")
        .order_by(ScoreConfig.version)
    ).all()
    assert [(v.version, v.is_active) for v in versions] == [(1, False), (2, True)]
    assert db_session.scalar(select(AuditLog).where(AuditLog.entity_type == "score_config")) is not None
    recompute_scores(db_session=db_session, workspace_id=scene["workspace"].id, start=AS_OF)
    view = get_score(db_session=db_session, actor=scene["csm"], client_id=scene["client"].id, as_of=AS_OF)
    assert view.config_id == saved.id
    expected = 0.3 * USAGE + 0.2 * ADOPTION + 0.1 * SUPPORT + 0.2 * RELATIONSHIP + 0.1 * CONTRACT + 0.1 * OUTCOME
    assert view.overall == pytest.approx(expected, abs=0.01)


def test_declared_slow_month_lowers_expected_usage(db_session: Session, scene: dict, factory: Factory) -> None:
    from domain.seasonality import set_slow_months

    client = factory.client(
        scene["workspace"],
        name="Lens & Light",
        segment="photographers",
        licensed_user_count=20,
        csm_user_id=scene["csm"].user_id,
    )
    for back in range(14):
        factory.usage_rollup(
            client,
            day=AS_OF - dt.timedelta(days=back),
            daily_active_users=3,
            weekly_active_users=5,
            monthly_active_users=8,
            total_actions=3,
        )

    def usage_score() -> float | None:
        recompute_scores(db_session=db_session, workspace_id=scene["workspace"].id, start=AS_OF)
        view = get_score(db_session=db_session, actor=scene["csm"], client_id=client.id, as_of=AS_OF)
        return next(component.score for component in view.components if component.name == "usage")

    assert usage_score() == pytest.approx(50.0)  # 3 DAU vs 20 x 0.3 = 6 expected
    set_slow_months(db_session=db_session, actor=scene["vp"], segment="photographers", months=[11], factor=0.5)
    assert usage_score() == pytest.approx(100.0)  # November: 3 expected
