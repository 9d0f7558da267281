"""Seed 001's weekly insights: rules from real data only (pure), generation, listing and status changes."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.audit import AuditLog
from domain.clients.models import Client
from domain.enums import EventType, InsightStatus, InsightType, LifecycleStatus, Role
from domain.errors import AccessDeniedError, ConflictError, NotFoundError, ValidationError
from domain.insights.models import Insight
from domain.insights.rules import WeekFacts, can_transition, weekly_insights
from domain.insights.service import generate_weekly_insights, list_insights, set_insight_status
from domain.onboarding.models import OnboardingProgress
from domain.onboarding.path_rules import ONBOARDING_ACTIONS
from tests.factories import Factory

WEEK = dt.date(2025, 3, 10)  # a Monday
NOW = dt.datetime(2025, 3, 18, 9, 0, tzinfo=dt.UTC)
_sequence = iter(range(1, 1_000_000))


def keys(facts: WeekFacts) -> dict[str, InsightType]:
    return {draft.key: draft.insight_type for draft in weekly_insights(facts)}


# --- rules ----------------------------------------------------------------------------------------------------


def test_a_quiet_week_gets_a_nudge_never_an_achievement() -> None:
    quiet = WeekFacts(week_start=WEEK, actions_prev=50, last_active_day=dt.date(2025, 3, 5))
    drafts = weekly_insights(quiet)
    assert {d.key: d.insight_type for d in drafts} == {
        "weekly_summary": InsightType.WEEKLY_SUMMARY,
        "inactivity_nudge": InsightType.RECOMMENDATION,
    }
    nudge = drafts[1]
    assert nudge.priority == 1
    assert nudge.body.startswith(
        "No logins or actions recorded from 2025-03-10 to 2025-03-16. Last activity on 2025-03-05."
    )
    assert drafts[0].title == "Week of 2025-03-10: no activity"


def test_the_summary_states_the_weeks_counts() -> None:
    week = WeekFacts(week_start=WEEK, active_days=4, actions=120, actions_prev=110, tasks_completed=6, content=1)
    summary = weekly_insights(week)[0]
    assert summary.title == "Week of 2025-03-10: 4 active days, 120 actions"
    assert summary.body == (
        "4 active days, 120 actions, 6 tasks completed, 1 piece of content created. The week before: 110 actions."
    )


@pytest.mark.parametrize(("actions", "achieved"), [(120, True), (119, False)])
def test_activity_up_is_an_achievement_from_twenty_percent(actions: int, achieved: bool) -> None:
    week = WeekFacts(week_start=WEEK, active_days=3, actions=actions, actions_prev=100)
    assert ("activity_up" in keys(week)) is achieved


def test_activity_up_needs_a_week_before_to_compare_with() -> None:
    assert "activity_up" not in keys(WeekFacts(week_start=WEEK, active_days=1, actions=30, actions_prev=0))


def test_more_content_is_an_achievement() -> None:
    drafts = {d.key: d for d in weekly_insights(WeekFacts(week_start=WEEK, actions=9, content=3))}
    assert drafts["content_up"].body == "3 pieces of content created this week vs none the week before."
    assert "content_up" not in keys(WeekFacts(week_start=WEEK, actions=9, content=3, content_prev=3))


@pytest.mark.parametrize(("actions", "previous", "nudged"), [(50, 100, True), (51, 100, False), (4, 9, False)])
def test_a_sharp_drop_is_a_recommendation(actions: int, previous: int, nudged: bool) -> None:
    assert ("activity_drop" in keys(WeekFacts(week_start=WEEK, actions=actions, actions_prev=previous))) is nudged


def test_milestones_underused_features_and_onboarding_tip() -> None:
    week = WeekFacts(
        week_start=WEEK,
        actions=10,
        milestones=(("first_form", "First form created", dt.date(2025, 3, 12)),),
        licensed_features=5,
        unused_features=("report_exports", "api_calls"),
        onboarding_remaining=("invite_sent_to_client", "multiple_clients_active"),
    )
    drafts = {d.key: d for d in weekly_insights(week)}
    assert drafts["milestone_first_form"].title == "Milestone reached: First form created"
    assert drafts["underused_features"].title == "2 of 5 licensed features not in active use"
    assert drafts["underused_features"].body.startswith(
        "Not actively used in the last 30 days: report exports, api calls."
    )
    assert drafts["onboarding_almost_complete"].body == (
        "2 steps left to full activation: invite sent to client, multiple clients active."
    )
    three_left = replace(week, onboarding_remaining=("a", "b", "c"))
    assert "onboarding_almost_complete" not in keys(three_left)


@pytest.mark.parametrize(
    ("current", "new", "allowed"),
    [
        (InsightStatus.UNREAD, InsightStatus.READ, True),
        (InsightStatus.UNREAD, InsightStatus.ACTED_ON, True),
        (InsightStatus.READ, InsightStatus.DISMISSED, True),
        (InsightStatus.READ, InsightStatus.UNREAD, False),
        (InsightStatus.DISMISSED, InsightStatus.READ, False),
        (InsightStatus.ACTED_ON, InsightStatus.DISMISSED, False),
        (InsightStatus.DISMISSED, InsightStatus.DISMISSED, True),
    ],
)
def test_status_transitions(current: InsightStatus, new: InsightStatus, allowed: bool) -> None:
    assert can_transition(current, new) is allowed


# --- generation and access -------------------------------------------------------------------------------------


def event(factory: Factory, client: Client, when: dt.date, event_type: EventType = EventType.PAGE_VIEW) -> None:
    at = dt.datetime.combine(when, dt.time(10), tzinfo=dt.UTC)
    factory.engagement_event(
        client,
        event_type=event_type,
        occurred_at=at,
        occurred_on=when,
        occurred_hour=10,
        event_id=f"in-{next(_sequence)}",
    )


@pytest.fixture
def world(factory: Factory) -> dict[str, Any]:
    workspace = factory.workspace()
    csm = factory.user(workspace, Role.CSM)
    other_csm = factory.user(workspace, Role.CSM)
    busy = factory.client(workspace, name="Acme Corp", csm_user_id=csm.id, licensed_modules=["Analytics"])
    quiet = factory.client(workspace, name="Quiet Co", csm_user_id=other_csm.id)
    factory.feature(workspace, key="report_exports", module="Analytics", expected_monthly_usage=2.0)
    # Rollups are what usage facts (last activity, feature use) are read from, as for the health score.
    factory.usage_rollup(busy, day=WEEK + dt.timedelta(days=3), total_actions=5, feature_counts={})
    factory.usage_rollup(quiet, day=WEEK - dt.timedelta(days=2), total_actions=1)
    factory.client(workspace, name="Gone Inc", lifecycle_status=LifecycleStatus.CHURNED)
    for offset in (0, 0, 1, 3):
        event(factory, busy, WEEK + dt.timedelta(days=offset))
    event(factory, busy, WEEK + dt.timedelta(days=2), EventType.TASK_COMPLETED)
    event(factory, busy, WEEK - dt.timedelta(days=3))  # the week before
    event(factory, quiet, WEEK - dt.timedelta(days=2))
    factory.milestone(busy, milestone_type="first_form", achieved_at=dt.datetime(2025, 3, 12, 8, tzinfo=dt.UTC))
    factory.session.add(
        OnboardingProgress(
            client_id=busy.id, started_on=dt.date(2025, 2, 20), completed_actions=list(ONBOARDING_ACTIONS[:-1])
        )
    )
    factory.session.flush()
    outsider = factory.user(factory.workspace(), Role.ADMIN)
    return {
        "workspace": workspace,
        "csm": factory.actor(csm),
        "other_csm": factory.actor(other_csm),
        "outsider": factory.actor(outsider),
        "busy": busy,
        "quiet": quiet,
    }


def _generate(db_session: Session, world: dict[str, Any]) -> int:
    return generate_weekly_insights(db_session=db_session, workspace_id=world["workspace"].id, week_start=WEEK)


def _insights(db_session: Session, client: Client) -> dict[str, Insight]:
    return {i.insight_key: i for i in db_session.scalars(select(Insight).where(Insight.client_id == client.id))}


def test_insights_come_from_the_clients_own_data(db_session: Session, world: dict) -> None:
    created = _generate(db_session, world)
    busy = _insights(db_session, world["busy"])
    assert set(busy) == {
        "weekly_summary",
        "activity_up",
        "milestone_first_form",
        "underused_features",
        "onboarding_almost_complete",
    }
    assert busy["underused_features"].body.startswith("Not actively used in the last 30 days: report exports.")
    assert busy["weekly_summary"].body == (
        "4 active days, 5 actions, 1 task completed, 0 pieces of content created. The week before: 1 action."
    )
    quiet = _insights(db_session, world["quiet"])
    assert set(quiet) == {"weekly_summary", "inactivity_nudge"}
    assert "Last activity on 2025-03-08" in quiet["inactivity_nudge"].body
    assert created == 7  # nothing for the churned client


def test_regenerating_a_week_adds_nothing_and_keeps_statuses(db_session: Session, world: dict) -> None:
    _generate(db_session, world)
    nudge = _insights(db_session, world["quiet"])["inactivity_nudge"]
    set_insight_status(
        db_session=db_session, actor=world["other_csm"], insight_id=nudge.id, status="dismissed", now=NOW
    )
    assert _generate(db_session, world) == 0
    assert nudge.status is InsightStatus.DISMISSED


def test_weeks_start_on_monday(db_session: Session, world: dict) -> None:
    with pytest.raises(ValidationError, match="Monday"):
        generate_weekly_insights(
            db_session=db_session, workspace_id=world["workspace"].id, week_start=WEEK + dt.timedelta(days=1)
        )


def test_listing_is_scoped_ordered_and_filterable(db_session: Session, world: dict) -> None:
    _generate(db_session, world)
    listed = list_insights(db_session=db_session, actor=world["csm"], client_id=world["busy"].id)
    assert [i.insight_key for i in listed] == [
        "milestone_first_form",
        "weekly_summary",
        "activity_up",
        "underused_features",
        "onboarding_almost_complete",
    ]
    assert {i.client_name for i in listed} == {"Acme Corp"}
    set_insight_status(
        db_session=db_session, actor=world["csm"], insight_id=listed[0].id, status=InsightStatus.READ, now=NOW
    )
    read = list_insights(
        db_session=db_session, actor=world["csm"], client_id=world["busy"].id, status=InsightStatus.READ
    )
    assert [i.id for i in read] == [listed[0].id]
    with pytest.raises(AccessDeniedError):
        list_insights(db_session=db_session, actor=world["csm"], client_id=world["quiet"].id)
    with pytest.raises(NotFoundError):
        list_insights(db_session=db_session, actor=world["outsider"], client_id=world["busy"].id)


def test_status_changes_are_validated_and_audited(db_session: Session, world: dict) -> None:
    _generate(db_session, world)
    summary = _insights(db_session, world["busy"])["weekly_summary"]
    kwargs = {"db_session": db_session, "actor": world["csm"], "insight_id": summary.id, "now": NOW}
    read = set_insight_status(**kwargs, status="read")
    assert (read.status, read.status_changed_at) == (InsightStatus.READ, NOW)
    acted = set_insight_status(**kwargs, status="acted_on")
    assert acted.status is InsightStatus.ACTED_ON
    assert set_insight_status(**kwargs, status="acted_on").status is InsightStatus.ACTED_ON
    with pytest.raises(ConflictError):
        set_insight_status(**kwargs, status="dismissed")
    with pytest.raises(ValidationError):
        set_insight_status(**kwargs, status="unread")
    with pytest.raises(ValidationError):
        set_insight_status(**kwargs, status="archived")
    audits = db_session.scalars(select(AuditLog).where(AuditLog.entity_type == "insight").order_by(AuditLog.id)).all()
    assert [(a.before["status"], a.after["status"]) for a in audits] == [("unread", "read"), ("read", "acted_on")]


@pytest.mark.parametrize(("who", "error"), [("outsider", NotFoundError), ("other_csm", AccessDeniedError)])
def test_status_changes_are_scoped(db_session: Session, world: dict, who: str, error: type) -> None:
    _generate(db_session, world)
    summary = _insights(db_session, world["busy"])["weekly_summary"]
    with pytest.raises(error):
        set_insight_status(db_session=db_session, actor=world[who], insight_id=summary.id, status="read", now=NOW)
    with pytest.raises(NotFoundError):
        set_insight_status(
            db_session=db_session, actor=world["csm"], insight_id=summary.id + 10_000, status="read", now=NOW
        )
    assert summary.status is InsightStatus.UNREAD
