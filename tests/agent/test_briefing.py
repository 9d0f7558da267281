"""The deterministic briefing on the demo tenant: the stories reach their owner, nobody sees others' clients."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from agent.briefing import Briefing, ItemKind, build_briefing, mark_briefed, render_briefing
from agent.briefing.portfolio_items import MIN_SCORE_CHANGE
from domain.access import actor_for_email
from domain.clients.models import Client
from domain.enums import Role
from domain.scoring.models import HealthSnapshot
from tests.agent.briefing_fixtures import (
    CONSULTANT,
    JANE,
    JOHN,
    MARCUS,
    PRIYA,
    STORIES,
    VP,
    fresh_db,
    set_scores_computed_at,
)
from tests.demo_fixture import NOW

__all__ = ["fresh_db"]


def brief(session: Session, email: str, now: dt.datetime = NOW) -> Briefing:
    return build_briefing(db_session=session, actor=actor_for_email(session, email), now=now)


def by_client(briefing: Briefing) -> dict[str, list[str]]:
    """Client name -> the alert types of its alert item (empty for other kinds)."""
    found: dict[str, list[str]] = {}
    for item in briefing.items:
        found.setdefault(item.client_name, []).extend(item.facts.get("alert_types", []))
    return found


def test_the_demo_stories_reach_their_owner(fresh_db: Session) -> None:
    briefing = brief(fresh_db, JANE)
    assert not briefing.stale
    items = by_client(briefing)
    for client, alert_type in STORIES.items():
        assert alert_type in items.get(client, []), f"{client} missing from Jane's briefing"
    text = render_briefing(briefing).markdown
    assert "champion Sarah Chen inactive" in text
    assert "support tickets" in text
    assert "invoice" in text
    assert "overdue" in text


@pytest.mark.parametrize("email", [JOHN, PRIYA, MARCUS])
def test_other_csms_do_not_get_janes_stories(fresh_db: Session, email: str) -> None:
    briefing = brief(fresh_db, email)
    text = render_briefing(briefing).markdown
    assert briefing.items, f"{email} should have something to do on the demo day"
    for client in STORIES:
        assert client not in by_client(briefing)
        assert client not in text


@pytest.mark.parametrize("email", [JANE, JOHN, PRIYA, MARCUS])
def test_a_csm_briefing_never_names_a_client_outside_their_portfolio(
    fresh_db: Session, email: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("agent.briefing.build.MAX_ITEMS", 1000)  # every item, not just the top of the list
    actor = actor_for_email(fresh_db, email)
    assert actor.role is Role.CSM
    mine = set(fresh_db.scalars(select(Client.name).where(Client.csm_user_id == actor.user_id)))
    others = set(fresh_db.scalars(select(Client.name).where(Client.csm_user_id != actor.user_id))) - mine
    briefing = brief(fresh_db, email)
    assert briefing.more_items == 0
    text = render_briefing(briefing).markdown
    assert {item.client_name for item in briefing.items} <= mine
    leaked = [name for name in others if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text)]
    assert leaked == []


def test_items_come_most_urgent_first_each_with_one_action(fresh_db: Session) -> None:
    briefing = brief(fresh_db, VP)
    assert briefing.items
    assert [item.sort_key() for item in briefing.items] == sorted(item.sort_key() for item in briefing.items)
    assert all(item.action.strip() and item.headline.strip() for item in briefing.items)
    assert briefing.items[0].priority == 1  # the demo has critical alerts (zero activity)
    assert briefing.more_items == sum(briefing.counts.values()) - len(briefing.items)


def test_score_changes_under_three_points_stay_out(fresh_db: Session) -> None:
    briefing = brief(fresh_db, VP)
    moves = [item for item in briefing.items if item.kind is ItemKind.SCORE_CHANGE]
    assert all(abs(item.facts["change"]) >= MIN_SCORE_CHANGE for item in moves)
    # Nudge one client's score by 2.9 points since yesterday: still no item for it.
    acme = fresh_db.scalars(select(Client).where(Client.name == "Acme Corp")).one()
    today, yesterday = (
        fresh_db.scalars(
            select(HealthSnapshot).where(
                HealthSnapshot.client_id == acme.id, HealthSnapshot.model_key == "health", HealthSnapshot.day == day
            )
        ).one()
        for day in (NOW.date(), NOW.date() - dt.timedelta(days=1))
    )
    today.overall_score = yesterday.overall_score - 2.9
    today.status = yesterday.status
    fresh_db.flush()
    quiet = brief(fresh_db, JANE)
    assert not any(i.kind is ItemKind.SCORE_CHANGE and i.client_name == "Acme Corp" for i in quiet.items)
    today.overall_score = yesterday.overall_score - 6.5
    fresh_db.flush()
    moved = next(
        item
        for item in brief(fresh_db, JANE).items
        if item.kind is ItemKind.SCORE_CHANGE and item.client_name == "Acme Corp"
    )
    assert moved.facts["change"] == pytest.approx(-6.5, abs=0.11)
    assert "fell 6.5 points" in moved.headline


def test_only_changes_since_the_last_briefing_are_news(fresh_db: Session) -> None:
    first = brief(fresh_db, JANE)
    assert any(item.kind is ItemKind.ALERT for item in first.items)
    mark_briefed(db_session=fresh_db, user_id=first.user_id, now=NOW)
    later = brief(fresh_db, JANE, NOW + dt.timedelta(hours=1))
    assert later.since == NOW
    assert not any(item.kind is ItemKind.ALERT for item in later.items)  # every demo alert was raised at NOW


def test_stale_scores_are_reported_instead_of_briefed(fresh_db: Session) -> None:
    set_scores_computed_at(fresh_db, NOW - dt.timedelta(hours=27))
    briefing = brief(fresh_db, JANE)
    assert briefing.stale
    assert briefing.items == []
    assert briefing.stale_reason is not None
    assert "27 hours ago" in briefing.stale_reason
    text = render_briefing(briefing).markdown
    assert "stale" in text
    assert "Acme Corp" not in text
    set_scores_computed_at(fresh_db, NOW - dt.timedelta(hours=25))
    assert not brief(fresh_db, JANE).stale


def test_the_briefing_states_its_data_as_of(fresh_db: Session) -> None:
    briefing = brief(fresh_db, JANE)
    assert briefing.data_as_of == NOW.date()
    assert briefing.data_computed_at == NOW - dt.timedelta(hours=2)
    assert briefing.local_date == dt.date(2026, 11, 22)  # 10:00 in New York
    assert "Data as of Nov 22, 2026, scores computed 2026-11-22 13:00 UTC" in render_briefing(briefing).markdown


def test_a_consultant_gets_engagement_items_only_for_their_engagements(fresh_db: Session) -> None:
    briefing = brief(fresh_db, CONSULTANT)
    kinds = {item.kind for item in briefing.items}
    assert kinds <= {
        ItemKind.DELIVERABLE, ItemKind.PAYMENT, ItemKind.OUTCOME_MISSING, ItemKind.TARGET_PROGRESS,
        ItemKind.FOLLOW_UP, ItemKind.MILESTONE,
    }  # fmt: skip
    assert {ItemKind.DELIVERABLE, ItemKind.PAYMENT, ItemKind.OUTCOME_MISSING} <= kinds
    assert {item.client_name for item in briefing.items} <= {
        "Northwind Logistics", "BusinessPoint Law", "Riverside Dental Group",
    }  # fmt: skip
    first = briefing.items[0]
    assert (first.kind, first.client_name, first.facts["status"]) == (ItemKind.DELIVERABLE, "Northwind Logistics",
                                                                      "blocked")  # fmt: skip
    payment = next(item for item in briefing.items if item.kind is ItemKind.PAYMENT)
    assert payment.facts["days_overdue"] > 0
