"""The unified client timeline: every source, ordering, filters, pagination, private notes, scoping, search."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
from sqlalchemy.orm import Session

from domain.clients.models import Client
from domain.enums import Role
from domain.errors import AccessDeniedError, NotFoundError, ValidationError
from domain.staff.models import User
from domain.timeline.schemas import TimelineEntry, TimelineKind
from domain.timeline.service import client_timeline, iter_timeline_entries, search_timeline
from tests.domain.timeline_world import World, actor, ago, build_history, build_world
from tests.factories import Factory


@pytest.fixture
def world(factory: Factory) -> World:
    return build_world(factory)


@pytest.fixture
def history(factory: Factory, world: World) -> None:
    build_history(factory, world)


def everything(session: Session, user: User, client: Client, **filters: Any) -> list[TimelineEntry]:
    page = client_timeline(db_session=session, actor=actor(user), client_id=client.id, limit=500, **filters)
    assert page.next_cursor is None
    return page.entries


def only(entries: list[TimelineEntry], kind: TimelineKind) -> list[TimelineEntry]:
    return [entry for entry in entries if entry.kind is kind]


EXPECTED_COUNTS = dict.fromkeys(TimelineKind, 1) | {
    TimelineKind.ACTIVITY: 2,
    TimelineKind.NOTE: 2,  # the public one and the reader's own private one
    TimelineKind.TICKET_OPENED: 2,
    TimelineKind.ALERT_RAISED: 2,
    TimelineKind.HEALTH_CHANGE: 2,
    TimelineKind.DELIVERABLE_CREATED: 2,
}


@pytest.mark.usefixtures("history")
def test_every_source_appears_once_per_event_newest_first(db_session: Session, world: World) -> None:
    entries = everything(db_session, world.csm, world.client)
    assert Counter(entry.kind for entry in entries) == EXPECTED_COUNTS
    keys = [(entry.occurred_at, entry.entry_id) for entry in entries]
    assert keys == sorted(keys, reverse=True)
    assert len(set(keys)) == len(keys)
    assert {entry.client_id for entry in entries} == {world.client.id}
    assert all(entry.occurred_at.utcoffset() == dt.timedelta(0) for entry in entries)
    assert all(entry.entry_id == entry.kind.entry_id(entry.source_id) for entry in entries)
    # Same instant: the tie is broken by entry id, descending, so pages stay stable.
    first, second = entries[:2]
    assert first.occurred_at == second.occurred_at == ago(1)
    assert first.entry_id > second.entry_id


@pytest.mark.usefixtures("history")
def test_entries_carry_the_fields_of_their_source(db_session: Session, world: World) -> None:
    entries = everything(db_session, world.csm, world.client)
    (call,) = [entry for entry in only(entries, TimelineKind.ACTIVITY) if entry.subtype == "CALL"]
    assert (call.title, call.author_user_id, call.author_name) == (
        "Call: Renewal check-in",
        world.csm.id,
        world.csm.name,
    )
    assert call.source_type == "activity"
    for text in ("Discussed the budget freeze", "Outcome: Risk identified", "Follow-up due 2025-06-08 (open)"):
        assert text in call.body
    (closed,) = only(entries, TimelineKind.TICKET_CLOSED)
    assert (closed.title, closed.occurred_at, closed.details["resolution_hours"]) == (
        "Ticket solved: Export fails",
        ago(8),
        48.0,
    )
    assert "CSAT 4/5" in closed.body
    recovery, drop = only(entries, TimelineKind.HEALTH_CHANGE)
    assert recovery.occurred_at == dt.datetime.combine(ago(16).date(), dt.time.min, tzinfo=dt.UTC)
    assert (recovery.details["status_before"], recovery.details["status_after"]) == ("AT_RISK", "HEALTHY")
    assert (recovery.details["score_before"], recovery.details["score_after"]) == (58.0, 75.0)
    assert (drop.details["status_before"], drop.details["score_before"], drop.details["score_after"]) == (
        "HEALTHY",
        78.0,
        60.0,
    )


@pytest.mark.usefixtures("history")
def test_lifecycle_entries_carry_who_and_when(db_session: Session, world: World) -> None:
    entries = everything(db_session, world.csm, world.client)
    (acknowledged,) = only(entries, TimelineKind.ALERT_ACKNOWLEDGED)
    (dismissed,) = only(entries, TimelineKind.ALERT_DISMISSED)
    (resolved,) = only(entries, TimelineKind.ALERT_RESOLVED)
    assert (acknowledged.author_user_id, acknowledged.occurred_at) == (world.csm.id, ago(6))
    assert (dismissed.author_name, dismissed.occurred_at) == (world.vp.name, ago(11))
    assert "Usage recovered" in resolved.body
    (survey,) = only(entries, TimelineKind.SURVEY)
    assert survey.title == "NPS 3 (detractor) from Sarah Chen"
    assert "Exports are too slow" in survey.body
    (blocked,) = only(entries, TimelineKind.DELIVERABLE_BLOCKED)
    assert (blocked.occurred_at, "Waiting on SSO access" in blocked.body) == (ago(26, 3), True)
    (overdue,) = only(entries, TimelineKind.INVOICE_OVERDUE)
    assert overdue.occurred_at.date() == ago(34).date()  # the day after the due date: it was paid late
    (paid,) = only(entries, TimelineKind.PAYMENT_PAID)
    assert paid.occurred_at == ago(27, 5)
    (risk_resolved,) = only(entries, TimelineKind.RISK_RESOLVED)
    assert "New champion named" in risk_resolved.body


def midnight(days: int) -> dt.datetime:
    return dt.datetime.combine(ago(days).date(), dt.time.min, tzinfo=dt.UTC)


@pytest.mark.usefixtures("history")
@pytest.mark.parametrize(
    ("kind", "text", "occurred_at"),
    [
        (TimelineKind.INTERACTION, "Walked through dashboards", ago(13)),
        (TimelineKind.INTERVENTION, "Intervention (automation): Automated the weekly report", midnight(14)),
        (TimelineKind.OUTCOME, "reporting_hours 8 hours/week", midnight(15)),
        (TimelineKind.RISK_RAISED, "Risk raised (medium): Champion on leave", midnight(21)),
        (TimelineKind.FEEDBACK, "Approvals still feel slow", midnight(22)),
        (TimelineKind.TARGET_SET, "reporting_hours 10 → 2 hours/week", ago(23)),
        (TimelineKind.BASELINE, "reporting_hours 10.0 hours/week", midnight(24)),
        (TimelineKind.PROOF_POST, "Proof post: Reporting down to 2 hours", ago(25)),
        (TimelineKind.DELIVERABLE_CREATED, "Deliverable created: SSO setup", ago(27)),
        (TimelineKind.DELIVERABLE_COMPLETED, "Deliverable completed: Reporting playbook", ago(23, 2)),
        (TimelineKind.PAYMENT_DUE, "Payment due: Deposit (1,000.00 USD)", midnight(28)),
        (TimelineKind.MILESTONE, "Milestone achieved: First form", ago(29)),
        (TimelineKind.INVOICE_ISSUED, "1,200.00 USD", midnight(40)),
        (TimelineKind.INVOICE_PAID, "paid", midnight(30)),
    ],
)
def test_each_kind_says_what_happened_and_when(
    db_session: Session, world: World, kind: TimelineKind, text: str, occurred_at: dt.datetime
) -> None:
    entries = [
        entry
        for entry in only(everything(db_session, world.csm, world.client), kind)
        if text in entry.body + entry.title
    ]
    assert [entry.occurred_at for entry in entries] == [occurred_at]


@pytest.mark.usefixtures("history")
def test_private_notes_are_seen_by_their_author_only(db_session: Session, world: World) -> None:
    csm_notes = only(everything(db_session, world.csm, world.client), TimelineKind.NOTE)
    vp_notes = only(everything(db_session, world.vp, world.client), TimelineKind.NOTE)
    (csm_private,) = [note for note in csm_notes if note.is_private]
    (vp_private,) = [note for note in vp_notes if note.is_private]
    assert (csm_private.author_user_id, "interviewing" in csm_private.body) == (world.csm.id, True)
    assert (vp_private.author_user_id, "pricing" in vp_private.body) == (world.vp.id, True)
    assert everything(db_session, world.vp, world.client, text="interviewing") == []
    assert everything(db_session, world.csm, world.client, text="pricing") == []
    assert search_timeline(db_session=db_session, actor=actor(world.vp), query="interviewing") == []
    (hit,) = search_timeline(db_session=db_session, actor=actor(world.csm), query="interviewing")
    assert hit.source_id == csm_private.source_id


@pytest.mark.usefixtures("history")
def test_date_range_is_inclusive_and_checked(db_session: Session, world: World) -> None:
    every = everything(db_session, world.csm, world.client)
    start, end = ago(10).date(), ago(5).date()
    within = everything(db_session, world.csm, world.client, start=start, end=end)
    assert within == [entry for entry in every if start <= entry.occurred_at.date() <= end]
    assert {TimelineKind.TICKET_OPENED, TimelineKind.TICKET_CLOSED} <= {entry.kind for entry in within}
    one_day = everything(db_session, world.csm, world.client, start=ago(14).date(), end=ago(14).date())
    assert [entry.kind for entry in one_day] == [TimelineKind.INTERVENTION]
    with pytest.raises(ValidationError, match="before the start"):
        everything(db_session, world.csm, world.client, start=end, end=start)


@pytest.mark.usefixtures("history")
@pytest.mark.parametrize(
    ("types", "kinds"),
    [
        (["ticket"], {TimelineKind.TICKET_OPENED, TimelineKind.TICKET_CLOSED}),
        (["alert_resolved", "Note"], {TimelineKind.ALERT_RESOLVED, TimelineKind.NOTE}),
        (["health"], {TimelineKind.HEALTH_CHANGE}),
        (["CALL"], {TimelineKind.ACTIVITY}),
        (["activity:email"], {TimelineKind.ACTIVITY}),
    ],
)
def test_type_filter_selects_kinds_groups_and_subtypes(
    db_session: Session, world: World, types: list[str], kinds: set[TimelineKind]
) -> None:
    entries = everything(db_session, world.csm, world.client, types=types)
    assert {entry.kind for entry in entries} == kinds
    if types == ["CALL"]:
        assert [entry.title for entry in entries] == ["Call: Renewal check-in"]
    if types == ["activity:email"]:
        assert [entry.subtype for entry in entries] == ["EMAIL"]


def test_unknown_type_is_refused(db_session: Session, world: World) -> None:
    with pytest.raises(ValidationError, match="unknown timeline type 'bogus'"):
        everything(db_session, world.csm, world.client, types=["bogus"])


@pytest.mark.usefixtures("history")
def test_text_filter_needs_every_word_case_insensitively(db_session: Session, world: World) -> None:
    export = everything(db_session, world.csm, world.client, text="EXPORT")
    assert {entry.kind for entry in export} == {
        TimelineKind.TICKET_OPENED,
        TimelineKind.TICKET_CLOSED,
        TimelineKind.SURVEY,
    }
    assert all("export" in f"{entry.title} {entry.body}".lower() for entry in export)
    (both,) = everything(db_session, world.csm, world.client, text="export  slow")
    assert both.kind is TimelineKind.SURVEY


def walk(session: Session, user: User, client: Client, limit: int, filters: dict[str, Any]) -> list[TimelineEntry]:
    """Every page in turn, following next_cursor."""
    walked: list[TimelineEntry] = []
    cursor: str | None = None
    while True:
        page = client_timeline(
            db_session=session, actor=actor(user), client_id=client.id, limit=limit, cursor=cursor, **filters
        )
        assert len(page.entries) <= limit
        walked.extend(page.entries)
        if page.next_cursor is None:
            return walked
        cursor = page.next_cursor


@pytest.mark.usefixtures("history")
@pytest.mark.parametrize("limit", [1, 3, 7])
@pytest.mark.parametrize(
    "filters", [{}, {"types": ["ticket", "activity", "health", "invoice"]}, {"end": ago(20).date()}, {"text": "e"}]
)
def test_pages_cover_the_timeline_without_duplicates_or_gaps(
    db_session: Session, world: World, limit: int, filters: dict[str, Any]
) -> None:
    every = everything(db_session, world.vp, world.client, **filters)
    assert len(every) > limit
    assert walk(db_session, world.vp, world.client, limit, filters) == every


def test_bad_cursor_and_limit_are_refused(db_session: Session, world: World) -> None:
    with pytest.raises(ValidationError, match="invalid cursor"):
        client_timeline(db_session=db_session, actor=actor(world.csm), client_id=world.client.id, cursor="nope")
    with pytest.raises(ValidationError, match="limit"):
        client_timeline(db_session=db_session, actor=actor(world.csm), client_id=world.client.id, limit=0)


@pytest.mark.usefixtures("history")
def test_timeline_is_scoped_to_the_actor(db_session: Session, world: World) -> None:
    with pytest.raises(AccessDeniedError):
        everything(db_session, world.other_csm, world.client)
    with pytest.raises(NotFoundError):
        everything(db_session, world.outsider, world.client)
    with pytest.raises(AccessDeniedError):
        search_timeline(db_session=db_session, actor=actor(world.csm), query="export", client_id=world.other_client.id)
    with pytest.raises(NotFoundError):
        search_timeline(db_session=db_session, actor=actor(world.csm), query="x", client_id=world.foreign_client.id)


@pytest.mark.usefixtures("history")
def test_search_ranks_by_words_matched_then_recency(db_session: Session, world: World) -> None:
    hits = search_timeline(db_session=db_session, actor=actor(world.csm), query="What about slow exports?")
    assert (hits[0].kind, hits[0].score, hits[0].matched_words) == (TimelineKind.SURVEY, 2, ["slow", "exports"])
    rest = hits[1:]
    assert [hit.kind for hit in rest] == [
        TimelineKind.TICKET_CLOSED,
        TimelineKind.TICKET_OPENED,
        TimelineKind.FEEDBACK,
    ]
    assert all(hit.score == 1 for hit in rest)
    assert {hit.client_id for hit in hits} == {world.client.id}  # nor Beta's nor the other tenant's
    vp_hits = search_timeline(db_session=db_session, actor=actor(world.vp), query="slow exports", limit=2)
    assert [hit.client_name for hit in vp_hits] == ["Acme Corp", "Beta Industries"]
    one_client = search_timeline(
        db_session=db_session, actor=actor(world.vp), query="export", client_id=world.other_client.id
    )
    assert [hit.title for hit in one_client] == ["Call: Export review"]
    with pytest.raises(ValidationError):
        search_timeline(db_session=db_session, actor=actor(world.vp), query="  ?! ")


@pytest.mark.usefixtures("history")
def test_iter_timeline_entries_exports_everything_with_metadata(db_session: Session, world: World) -> None:
    batches = list(iter_timeline_entries(db_session=db_session, workspace_id=world.workspace.id, batch_size=7))
    assert all(1 <= len(batch) <= 7 for batch in batches)
    entries = [entry for batch in batches for entry in batch]
    assert len({entry.entry_id for entry in entries}) == len(entries)
    assert {entry.kind for entry in entries} == set(TimelineKind)
    assert {entry.client_id for entry in entries} == {world.client.id, world.other_client.id}
    private = {entry.author_user_id for entry in entries if entry.is_private}
    assert private == {world.csm.id, world.vp.id}
    csm_of = {world.client.id: world.csm.id, world.other_client.id: world.other_csm.id}
    assert all(entry.csm_user_id == csm_of[entry.client_id] for entry in entries)
    assert all(entry.workspace_id == world.workspace.id for entry in entries)
    only_beta = iter_timeline_entries(
        db_session=db_session, workspace_id=world.workspace.id, client_ids=[world.other_client.id]
    )
    (beta,) = list(only_beta)
    assert [entry.title for entry in beta] == ["Call: Export review"]


@pytest.mark.usefixtures("history")
def test_iter_timeline_entries_since_keeps_rows_changed_since(
    db_session: Session, factory: Factory, world: World
) -> None:
    later = dt.datetime(2100, 1, 2, tzinfo=dt.UTC)
    edited = factory.activity(world.client, world.csm, subject="Logged late", occurred_at=ago(60), updated_at=later)
    since = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
    batches = list(iter_timeline_entries(db_session=db_session, workspace_id=world.workspace.id, since=since))
    assert [entry.entry_id for batch in batches for entry in batch] == [f"activity:{edited.id}"]
    with pytest.raises(ValidationError, match="timezone"):
        list(
            iter_timeline_entries(
                db_session=db_session, workspace_id=world.workspace.id, since=since.replace(tzinfo=None)
            )
        )


@pytest.mark.usefixtures("history")
def test_a_consultant_sees_the_whole_timeline_of_a_client_they_serve(
    db_session: Session, factory: Factory, world: World
) -> None:
    consultant = factory.user(world.workspace, Role.CONSULTANT)
    factory.proposal(world.client, consultant)  # their engagement; the payments belong to another proposal
    kinds = {entry.kind for entry in everything(db_session, consultant, world.client)}
    assert {TimelineKind.PAYMENT_DUE, TimelineKind.PAYMENT_PAID, TimelineKind.DELIVERABLE_BLOCKED} <= kinds
    hits = search_timeline(db_session=db_session, actor=actor(consultant), query="payment deposit")
    assert {hit.client_id for hit in hits} == {world.client.id}
    assert TimelineKind.PAYMENT_PAID in {hit.kind for hit in hits}
