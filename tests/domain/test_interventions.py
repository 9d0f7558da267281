"""Seed 002's intervention triggers: each condition at its threshold (pure), the daily run, and its scoping."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.activities.models import Activity
from domain.audit import AuditLog
from domain.enums import ContractTier, LifecycleStatus, Role
from domain.errors import AccessDeniedError, ConflictError, NotFoundError, ValidationError
from domain.onboarding.intervention_rules import (
    CONDITIONS,
    ClientFacts,
    Finding,
    approaching_limits,
    high_usage_no_upgrade,
    low_client_adoption,
    no_login_7_days,
    recommended_action,
    stuck_onboarding,
)
from domain.onboarding.interventions import (
    ensure_default_rules,
    list_recommended_actions,
    mark_intervention,
    run_daily_interventions,
)
from domain.onboarding.models import InterventionRule, InterventionRun, OnboardingProgress
from domain.onboarding.path_rules import missed_steps
from domain.onboarding.schemas import RunStatus
from domain.scoring.inputs import ClientInputs
from tests.factories import Factory

AS_OF = dt.date(2025, 3, 20)
FEATURES = {f"f{n}": ("Core", 10.0) for n in range(5)}


def facts(**inputs: Any) -> ClientFacts:
    values: dict[str, Any] = {
        "client_id": 1,
        "as_of": AS_OF,
        "tier": ContractTier.PROFESSIONAL,
        "segment": None,
        "licensed_user_count": 20,
        "licensed_modules": ["Core"],
    }
    client_inputs = ClientInputs(**(values | inputs))
    return ClientFacts(name="Acme Corp", customer_since=dt.date(2024, 1, 1), inputs=client_inputs, features=FEATURES)


# --- conditions at their thresholds ---------------------------------------------------------------------------


def test_no_login_fires_at_seven_days_not_six() -> None:
    assert no_login_7_days(facts(last_active_day=AS_OF - dt.timedelta(days=6))) is None
    finding = no_login_7_days(facts(last_active_day=AS_OF - dt.timedelta(days=7)))
    assert finding is not None
    assert finding.evidence == "no login for 7 days (last activity 2025-03-13)"


def test_no_login_without_any_activity_depends_on_tenure() -> None:
    new_client = replace(facts(), customer_since=AS_OF - dt.timedelta(days=6))
    assert no_login_7_days(new_client) is None
    recent = no_login_7_days(replace(facts(), customer_since=AS_OF - dt.timedelta(days=9)))
    assert recent is not None
    assert recent.evidence == "no login since the contract started 9 days ago"
    old = no_login_7_days(facts())
    assert old is not None
    assert old.evidence == "no login in the last 60 days"


def _adoption(active: int) -> ClientFacts:
    uses = {f"f{n}": 10 for n in range(active)}
    return facts(dau_30d=3.0, feature_uses_30d=uses)


def test_low_adoption_fires_below_forty_percent_of_licensed_features() -> None:
    assert low_client_adoption(_adoption(2)) is None  # 2 of 5 = 40%: at the threshold, not below
    finding = low_client_adoption(_adoption(1))
    assert finding is not None
    assert finding.details["unused_features"] == ["f1", "f2", "f3", "f4"]
    assert finding.evidence.startswith("1 of 5 licensed features actively used in 30 days")


def test_low_adoption_needs_licensed_features_and_some_usage() -> None:
    assert low_client_adoption(facts(feature_uses_30d={})) is None  # no usage at all: no_login's business
    assert low_client_adoption(facts(dau_30d=3.0, licensed_modules=["Other"])) is None


@pytest.mark.parametrize(
    ("tier", "mau", "fires"),
    [
        (ContractTier.PROFESSIONAL, 16, True),  # 80% of 20
        (ContractTier.PROFESSIONAL, 15, False),
        (ContractTier.STARTER, 16, True),
        (ContractTier.ENTERPRISE, 20, False),
        (ContractTier.CUSTOM, 20, False),
    ],
)
def test_high_usage_no_upgrade_fires_at_eighty_percent_on_upgradeable_tiers(
    tier: ContractTier, mau: int, fires: bool
) -> None:
    finding = high_usage_no_upgrade(facts(tier=tier, mau=mau))
    assert (finding is not None) is fires
    if finding:
        assert finding.evidence == f"{mau} of 20 licensed users active in 30 days (80%) on the {tier.title()} tier"


@pytest.mark.parametrize(("mau", "fires"), [(19, True), (18, False), (25, True)])
def test_approaching_limits_fires_at_ninety_five_percent_on_any_tier(mau: int, fires: bool) -> None:
    assert (approaching_limits(facts(tier=ContractTier.ENTERPRISE, mau=mau)) is not None) is fires


def test_seat_conditions_need_both_numbers() -> None:
    assert approaching_limits(facts(mau=None)) is None
    assert approaching_limits(facts(mau=5, licensed_user_count=None)) is None
    assert high_usage_no_upgrade(facts(mau=5, licensed_user_count=0)) is None


def test_stuck_onboarding_names_the_missed_steps() -> None:
    started = AS_OF - dt.timedelta(days=5)
    missed = tuple(missed_steps(started_on=started, completed=["account_created"], as_of=AS_OF))
    stuck = replace(facts(), onboarding_started_on=started, missed_onboarding=missed)
    finding = stuck_onboarding(stuck)
    assert finding is not None
    assert finding.evidence == (
        "onboarding stuck on day 5, missed day 0 (vendor type selected); "
        "day 1 (first login, import clients started); day 3 (first form created, invite sent to client)"
    )
    assert finding.details["step_interventions"] == ["send_getting_started_video", "offer_form_creation_help"]
    assert stuck_onboarding(replace(stuck, missed_onboarding=())) is None


def test_the_recommendation_names_the_client_its_data_and_the_template() -> None:
    finding = Finding("no login for 9 days (last activity 2025-03-11)")
    text = recommended_action(
        client_name="Acme Corp", finding=finding, action="send_re_engagement_email", template="we_miss_you"
    )
    assert (
        text == "Acme Corp: no login for 9 days (last activity 2025-03-11) — send the 'we miss you' re-engagement email"
    )


def test_long_evidence_is_shortened_but_the_advice_kept() -> None:
    text = recommended_action(client_name="Acme", finding=Finding("x" * 400), action="offer_setup_call", template="t")
    assert len(text) == 300
    assert text.endswith("… — offer a setup call (the 't' email)")


# --- the daily run ---------------------------------------------------------------------------------------------


@pytest.fixture
def world(factory: Factory) -> dict[str, Any]:
    workspace = factory.workspace()
    csm = factory.user(workspace, Role.CSM)
    other_csm = factory.user(workspace, Role.CSM)
    vp = factory.user(workspace, Role.VP_CLIENT_SUCCESS)
    quiet = factory.client(workspace, name="Acme Corp", csm_user_id=csm.id, licensed_user_count=50)
    factory.usage_rollup(quiet, day=AS_OF - dt.timedelta(days=9), total_actions=12)
    busy = factory.client(workspace, name="Busy Ltd", csm_user_id=other_csm.id, licensed_user_count=20)
    factory.usage_rollup(busy, day=AS_OF, total_actions=40, weekly_active_users=15, monthly_active_users=19)
    churned = factory.client(workspace, name="Gone Inc", lifecycle_status=LifecycleStatus.CHURNED)
    new = factory.client(workspace, name="New Co", csm_user_id=csm.id, contract_start_date=AS_OF - dt.timedelta(days=5))
    factory.session.add(OnboardingProgress(client_id=new.id, started_on=new.contract_start_date, completed_actions=[]))
    factory.session.flush()
    ensure_default_rules(db_session=factory.session, workspace_id=workspace.id)
    outsider = factory.user(factory.workspace(), Role.ADMIN)
    return {
        "workspace": workspace,
        "csm": factory.actor(csm),
        "other_csm": factory.actor(other_csm),
        "vp": factory.actor(vp),
        "outsider": factory.actor(outsider),
        "quiet": quiet,
        "busy": busy,
        "churned": churned,
        "new": new,
    }


def _run(db_session: Session, world: dict[str, Any], as_of: dt.date = AS_OF) -> Any:
    return run_daily_interventions(db_session=db_session, workspace_id=world["workspace"].id, as_of=as_of)


def _runs(db_session: Session, world: dict[str, Any]) -> list[tuple[str, str]]:
    rows = db_session.execute(
        select(InterventionRule.condition, InterventionRun.recommended_action)
        .join(InterventionRule, InterventionRule.id == InterventionRun.rule_id)
        .where(InterventionRule.workspace_id == world["workspace"].id)
        .order_by(InterventionRun.client_id, InterventionRule.id)
    )
    return [(condition, text) for condition, text in rows]


def test_default_rules_are_the_seeds_five_and_ensuring_them_is_idempotent(db_session: Session, world: dict) -> None:
    rule = db_session.scalars(select(InterventionRule).where(InterventionRule.condition == "no_login_7_days")).one()
    rule.template = "our_own_template"
    rules = ensure_default_rules(db_session=db_session, workspace_id=world["workspace"].id)
    assert [r.condition for r in rules] == list(CONDITIONS)
    assert [(r.action, r.template) for r in rules][1:] == [
        ("send_adoption_tips", "boost_client_engagement"),
        ("offer_setup_call", "lets_get_you_started"),
        ("send_upgrade_benefits", "unlock_more_features"),
        ("notify_usage_limits", "reaching_plan_limits"),
    ]
    assert rules[0].template == "our_own_template"


def test_the_daily_run_recommends_in_plain_words_per_active_client(db_session: Session, world: dict) -> None:
    report = _run(db_session, world)
    assert report.clients_evaluated == 3  # the churned client is not evaluated
    assert report.recommended == 4
    assert report.by_condition == {
        "no_login_7_days": 1,
        "low_client_adoption": 0,
        "stuck_onboarding": 1,
        "high_usage_no_upgrade": 1,
        "approaching_limits": 1,
    }
    assert _runs(db_session, world) == [
        (
            "no_login_7_days",
            "Acme Corp: no login for 9 days (last activity 2025-03-11) — send the 'we miss you' re-engagement email",
        ),
        (
            "high_usage_no_upgrade",
            "Busy Ltd: 19 of 20 licensed users active in 30 days (95%) on the Professional tier"
            " — share the upgrade benefits (the 'unlock more features' email)",
        ),
        (
            "approaching_limits",
            "Busy Ltd: 19 of 20 licensed users active in 30 days (95%)"
            " — tell them they are nearing their plan limits (the 'reaching plan limits' email)",
        ),
        (
            "stuck_onboarding",
            "New Co: onboarding stuck on day 5, missed day 0 (account created, vendor type selected);"
            " day 1 (first login, import clients started); day 3 (first form created, invite sent to client)"
            " — offer a setup call (the 'lets get you started' email)",
        ),
    ]


def test_rerunning_a_day_writes_nothing_new(db_session: Session, world: dict) -> None:
    _run(db_session, world)
    again = _run(db_session, world)
    assert (again.recommended, again.already_recorded) == (0, 4)
    assert len(_runs(db_session, world)) == 4


def test_nothing_is_sent_only_recommendations_are_logged(db_session: Session, world: dict) -> None:
    audits_before = db_session.scalar(select(func.count()).select_from(AuditLog))
    _run(db_session, world)
    assert db_session.scalar(select(func.count()).select_from(Activity)) == 0
    assert db_session.scalar(select(func.count()).select_from(AuditLog)) == audits_before
    runs = db_session.scalars(select(InterventionRun)).all()
    assert {run.status for run in runs} == {"recommended"}
    assert all(run.details["sent"] is False for run in runs)


def test_disabled_rules_are_not_evaluated(db_session: Session, world: dict) -> None:
    rule = db_session.scalars(select(InterventionRule).where(InterventionRule.condition == "approaching_limits")).one()
    rule.enabled = False
    report = _run(db_session, world)
    assert "approaching_limits" not in report.conditions
    assert report.recommended == 3


def test_a_closed_recommendation_stays_quiet_for_a_week(db_session: Session, world: dict) -> None:
    _run(db_session, world)
    (action,) = list_recommended_actions(
        db_session=db_session, actor=world["csm"], as_of=AS_OF, client_id=world["quiet"].id
    )
    mark_intervention(db_session=db_session, actor=world["csm"], run_id=action.run_id, status="done")
    next_day = _run(db_session, world, AS_OF + dt.timedelta(days=1))
    assert next_day.suppressed == 1
    assert next_day.by_condition["no_login_7_days"] == 0
    week_later = AS_OF + dt.timedelta(days=8)
    _run(db_session, world, week_later)
    listed = list_recommended_actions(
        db_session=db_session, actor=world["csm"], as_of=week_later, client_id=world["quiet"].id
    )
    assert [(a.condition, a.run_on) for a in listed] == [("no_login_7_days", week_later)]


def test_recommended_actions_are_scoped_to_the_portfolio(db_session: Session, world: dict) -> None:
    _run(db_session, world)
    mine = list_recommended_actions(db_session=db_session, actor=world["csm"], as_of=AS_OF)
    assert [(a.client_name, a.condition) for a in mine] == [
        ("Acme Corp", "no_login_7_days"),
        ("New Co", "stuck_onboarding"),
    ]
    assert len(list_recommended_actions(db_session=db_session, actor=world["vp"], as_of=AS_OF)) == 4
    assert list_recommended_actions(db_session=db_session, actor=world["outsider"], as_of=AS_OF) == []
    with pytest.raises(AccessDeniedError):
        list_recommended_actions(db_session=db_session, actor=world["csm"], as_of=AS_OF, client_id=world["busy"].id)
    with pytest.raises(NotFoundError):
        list_recommended_actions(
            db_session=db_session, actor=world["outsider"], as_of=AS_OF, client_id=world["busy"].id
        )


def test_only_the_latest_run_of_a_rule_is_listed(db_session: Session, world: dict) -> None:
    _run(db_session, world, AS_OF - dt.timedelta(days=1))
    _run(db_session, world)
    listed = list_recommended_actions(
        db_session=db_session, actor=world["csm"], as_of=AS_OF, client_id=world["quiet"].id
    )
    assert [(a.run_on, a.condition) for a in listed] == [(AS_OF, "no_login_7_days")]
    later = list_recommended_actions(db_session=db_session, actor=world["csm"], as_of=AS_OF + dt.timedelta(days=7))
    assert later == []  # a week-old recommendation is stale


def test_marking_a_recommendation_is_audited_and_idempotent(db_session: Session, world: dict) -> None:
    _run(db_session, world)
    (action,) = list_recommended_actions(
        db_session=db_session, actor=world["csm"], as_of=AS_OF, client_id=world["quiet"].id
    )
    kwargs = {"db_session": db_session, "actor": world["csm"], "run_id": action.run_id}
    done = mark_intervention(**kwargs, status=RunStatus.DISMISSED)
    assert done.status is RunStatus.DISMISSED
    assert mark_intervention(**kwargs, status="dismissed").status is RunStatus.DISMISSED
    audits = db_session.scalars(select(AuditLog).where(AuditLog.entity_type == "intervention_run")).all()
    assert [(a.before, a.after, a.actor_user_id) for a in audits] == [
        ({"status": "recommended"}, {"status": "dismissed"}, world["csm"].user_id)
    ]
    with pytest.raises(ConflictError, match="already marked dismissed"):
        mark_intervention(**kwargs, status="done")
    with pytest.raises(ValidationError):
        mark_intervention(**kwargs, status="recommended")
    assert (
        list_recommended_actions(db_session=db_session, actor=world["csm"], as_of=AS_OF, client_id=world["quiet"].id)
        == []
    )


@pytest.mark.parametrize(("who", "error"), [("outsider", NotFoundError), ("other_csm", AccessDeniedError)])
def test_marking_is_scoped(db_session: Session, world: dict, who: str, error: type[Exception]) -> None:
    _run(db_session, world)
    (action,) = list_recommended_actions(
        db_session=db_session, actor=world["csm"], as_of=AS_OF, client_id=world["quiet"].id
    )
    with pytest.raises(error):
        mark_intervention(db_session=db_session, actor=world[who], run_id=action.run_id, status="done")
    with pytest.raises(NotFoundError):
        mark_intervention(db_session=db_session, actor=world["csm"], run_id=action.run_id + 10_000, status="done")
    assert db_session.get(InterventionRun, action.run_id).status == "recommended"
