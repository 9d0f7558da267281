"""Follow-ups (overdue / due today / upcoming) and 'what did I do with clients last week?' summaries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy.orm import Session

from domain.activities.follow_ups import list_follow_ups
from domain.activities.models import Activity
from domain.activities.summary import activity_summary
from domain.clients.models import Client
from domain.enums import ActivityOutcome, ActivityType, Role
from domain.errors import AccessDeniedError, NotFoundError, ValidationError
from domain.staff.models import User
from tests.factories import Factory

AS_OF = dt.date(2025, 6, 16)  # a Monday
WEEK = (dt.date(2025, 6, 9), dt.date(2025, 6, 15))


@dataclass
class Staff:
    csm: User
    other_csm: User
    vp: User
    stranger: User  # a VP of another tenant
    acme: Client
    initech: Client
    globex: Client  # the other CSM's
    foreign: Client


@pytest.fixture
def staff(factory: Factory) -> Staff:
    workspace, elsewhere = factory.workspace(), factory.workspace()
    csm = factory.user(workspace, Role.CSM, name="Dana Scully")
    other = factory.user(workspace, Role.CSM, name="Fox Mulder")
    return Staff(
        csm=csm,
        other_csm=other,
        vp=factory.user(workspace, Role.VP_CLIENT_SUCCESS, name="Walter Skinner"),
        stranger=factory.user(elsewhere, Role.VP_CLIENT_SUCCESS),
        acme=factory.client(workspace, name="Acme", csm_user_id=csm.id),
        initech=factory.client(workspace, name="Initech", csm_user_id=csm.id),
        globex=factory.client(workspace, name="Globex", csm_user_id=other.id),
        foreign=factory.client(elsewhere, name="Foreign"),
    )


def follow_up(factory: Factory, client: Client, performer: User, due: dt.date, **overrides: Any) -> Activity:
    occurred = dt.datetime(2025, 5, 1, 10, 0, tzinfo=dt.UTC)
    return factory.activity(
        client, performer, subject=f"due {due}", occurred_at=occurred, follow_up_date=due, **overrides
    )


@pytest.fixture
def follow_ups(factory: Factory, staff: Staff) -> dict[str, Activity]:
    done = {"follow_up_completed": True, "follow_up_completed_at": dt.datetime(2025, 6, 12, tzinfo=dt.UTC)}
    factory.activity(staff.acme, staff.csm, subject="no follow-up")
    return {
        "overdue": follow_up(factory, staff.acme, staff.csm, dt.date(2025, 6, 10)),
        "today": follow_up(factory, staff.initech, staff.csm, AS_OF),
        "soon": follow_up(factory, staff.acme, staff.csm, dt.date(2025, 6, 20)),
        "week_out": follow_up(factory, staff.acme, staff.csm, dt.date(2025, 6, 23)),
        "too_far": follow_up(factory, staff.acme, staff.csm, dt.date(2025, 6, 24)),
        "done": follow_up(factory, staff.acme, staff.csm, dt.date(2025, 6, 12), **done),
        "done_long_ago": follow_up(factory, staff.acme, staff.csm, dt.date(2025, 5, 1), **done),
        "vp_on_acme": follow_up(factory, staff.acme, staff.vp, dt.date(2025, 6, 15)),
        "other_csm": follow_up(factory, staff.globex, staff.other_csm, dt.date(2025, 6, 14)),
        "foreign": follow_up(factory, staff.foreign, staff.stranger, dt.date(2025, 6, 10)),
    }


def ids(items: list[Any]) -> list[int]:
    return [item.activity_id for item in items]


def test_a_csm_sees_their_own_follow_ups_by_urgency(
    db_session: Session, factory: Factory, staff: Staff, follow_ups: dict[str, Activity]
) -> None:
    listed = list_follow_ups(db_session=db_session, actor=factory.actor(staff.csm), as_of=AS_OF)
    assert ids(listed.overdue) == [follow_ups["overdue"].id]
    assert ids(listed.due_today) == [follow_ups["today"].id]
    assert ids(listed.upcoming) == [follow_ups["soon"].id, follow_ups["week_out"].id]
    assert listed.completed == []
    assert [item.days_until_due for item in listed.overdue + listed.due_today + listed.upcoming] == [-6, 0, 4, 7]
    assert (listed.performer_id, listed.due_today[0].client_name) == (staff.csm.id, "Initech")
    assert len(listed.activity_ids) == 4


def test_completed_follow_ups_are_listed_on_request_for_the_last_30_days(
    db_session: Session, factory: Factory, staff: Staff, follow_ups: dict[str, Activity]
) -> None:
    listed = list_follow_ups(
        db_session=db_session, actor=factory.actor(staff.csm), as_of=AS_OF, include_completed=True, days_ahead=0
    )
    assert ids(listed.completed) == [follow_ups["done"].id]
    assert listed.completed[0].state == "completed"
    assert (ids(listed.overdue), ids(listed.due_today), listed.upcoming) == (
        [follow_ups["overdue"].id],
        [follow_ups["today"].id],
        [],
    )


def test_a_vp_sees_everyones_follow_ups_in_the_tenant_with_who_set_them(
    db_session: Session, factory: Factory, staff: Staff, follow_ups: dict[str, Activity]
) -> None:
    listed = list_follow_ups(db_session=db_session, actor=factory.actor(staff.vp), as_of=AS_OF)
    assert ids(listed.overdue) == [follow_ups[key].id for key in ("overdue", "other_csm", "vp_on_acme")]
    assert [item.performed_by_name for item in listed.overdue] == ["Dana Scully", "Fox Mulder", "Walter Skinner"]
    assert listed.performer_id is None
    other = list_follow_ups(db_session=db_session, actor=factory.actor(staff.other_csm), as_of=AS_OF)
    assert ids(other.overdue) == [follow_ups["other_csm"].id]
    stranger = list_follow_ups(db_session=db_session, actor=factory.actor(staff.stranger), as_of=AS_OF)
    assert ids(stranger.overdue) == [follow_ups["foreign"].id]


def test_follow_up_window_is_validated(db_session: Session, factory: Factory, staff: Staff) -> None:
    for days_ahead in (-1, 91):
        with pytest.raises(ValidationError):
            list_follow_ups(db_session=db_session, actor=factory.actor(staff.csm), as_of=AS_OF, days_ahead=days_ahead)


@pytest.fixture
def week(factory: Factory, staff: Staff) -> list[Activity]:
    """Dana's week of 9-15 June 2025, plus activities just outside it and someone else's."""

    def at(day: int, hour: int = 10, minute: int = 0, second: int = 0) -> dt.datetime:
        return dt.datetime(2025, 6, day, hour, minute, second, tzinfo=dt.UTC)

    done = {"follow_up_completed": True, "follow_up_completed_at": at(12)}
    factory.activity(staff.acme, staff.csm, occurred_at=at(8, 23, 59, 59))
    factory.activity(staff.acme, staff.csm, occurred_at=at(16, 0))
    factory.activity(staff.acme, staff.vp, occurred_at=at(10))
    return [
        factory.activity(
            staff.acme, staff.csm, occurred_at=at(9, 0), duration_minutes=30,
            outcome=ActivityOutcome.SUCCESSFUL_ENGAGEMENT, follow_up_date=dt.date(2025, 6, 12), **done,
        ),
        factory.activity(
            staff.acme, staff.csm, activity_type=ActivityType.EMAIL, occurred_at=at(11),
            outcome=ActivityOutcome.FOLLOW_UP_REQUIRED, follow_up_date=dt.date(2025, 6, 20),
        ),
        factory.activity(
            staff.initech, staff.csm, activity_type=ActivityType.QBR, occurred_at=at(12), duration_minutes=90,
            outcome=ActivityOutcome.EXPANSION_OPPORTUNITY,
        ),
        factory.activity(
            staff.initech, staff.csm, activity_type=ActivityType.MEETING, occurred_at=at(15, 23, 59),
            duration_minutes=45,
        ),
    ]  # fmt: skip


def test_what_did_i_do_last_week(db_session: Session, factory: Factory, staff: Staff, week: list[Activity]) -> None:
    summary = activity_summary(db_session=db_session, actor=factory.actor(staff.csm), start=WEEK[0], end=WEEK[1])
    assert (summary.performer_id, summary.performer_name) == (staff.csm.id, "Dana Scully")
    assert (summary.total_activities, summary.total_minutes) == (4, 165)
    assert summary.by_type == {
        ActivityType.CALL: 1,
        ActivityType.EMAIL: 1,
        ActivityType.MEETING: 1,
        ActivityType.QBR: 1,
    }
    assert list(summary.by_type) == [ActivityType.CALL, ActivityType.EMAIL, ActivityType.MEETING, ActivityType.QBR]
    assert summary.by_outcome == {
        ActivityOutcome.SUCCESSFUL_ENGAGEMENT: 1,
        ActivityOutcome.EXPANSION_OPPORTUNITY: 1,
        ActivityOutcome.FOLLOW_UP_REQUIRED: 1,
    }
    assert summary.without_outcome == 1
    touched = [(touch.client_name, touch.activities, touch.minutes) for touch in summary.clients_touched]
    assert touched == [("Acme", 2, 30), ("Initech", 2, 135)]
    assert (summary.follow_ups_created, summary.follow_ups_open) == (2, 1)
    assert summary.activity_ids == [activity.id for activity in week]


def test_a_vp_may_summarise_a_csm_but_a_csm_only_themselves(
    db_session: Session, factory: Factory, staff: Staff, week: list[Activity]
) -> None:
    vp, csm = factory.actor(staff.vp), factory.actor(staff.csm)
    for_vp = activity_summary(db_session=db_session, actor=vp, start=WEEK[0], end=WEEK[1], performer_id=staff.csm.id)
    assert (for_vp.performer_name, for_vp.total_activities) == ("Dana Scully", 4)
    own = activity_summary(db_session=db_session, actor=vp, start=WEEK[0], end=WEEK[1])
    assert own.total_activities == 1
    with pytest.raises(AccessDeniedError):
        activity_summary(db_session=db_session, actor=csm, start=WEEK[0], end=WEEK[1], performer_id=staff.vp.id)
    with pytest.raises(NotFoundError):
        activity_summary(db_session=db_session, actor=vp, start=WEEK[0], end=WEEK[1], performer_id=staff.stranger.id)
    stranger = factory.actor(staff.stranger)
    with pytest.raises(NotFoundError):
        activity_summary(db_session=db_session, actor=stranger, start=WEEK[0], end=WEEK[1], performer_id=staff.csm.id)
    with pytest.raises(ValidationError):
        activity_summary(db_session=db_session, actor=csm, start=WEEK[1], end=WEEK[0])
