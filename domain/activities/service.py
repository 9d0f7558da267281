"""Log, change and list CSM activities (seed 004 F9, US-015-040) and complete their follow-ups.

Scoping: another tenant's client or activity does not exist for the actor (NotFoundError); a client of
the same tenant outside their portfolio is refused (AccessDeniedError). Only the person who logged an
activity, or an ADMIN, may change it; anyone who may see the client may complete its follow-up, so a
colleague covering a portfolio can close the loop. Rules are in domain/activities/rules.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from domain.access import Actor, get_visible_client
from domain.activities import rules
from domain.activities.models import Activity
from domain.activities.schemas import ActivityChanges, ActivityList, ActivityView
from domain.activities.views import activity_rows, activity_snapshot, contact_ids_of, load_activity_views
from domain.audit import find_idempotent_result, record_audit, remember_idempotent_result
from domain.clients.models import Client, Contact
from domain.enums import ActivityOutcome, ActivityType, Role
from domain.errors import AccessDeniedError, ConflictError, NotFoundError, ValidationError

MAX_LIST = 200
_REQUIRED = ("activity_type", "subject", "occurred_at", "contact_ids")


def log_activity(
    *,
    db_session: Session,
    actor: Actor,
    client_id: int,
    activity_type: ActivityType,
    subject: str,
    occurred_at: dt.datetime,
    now: dt.datetime,
    description: str | None = None,
    duration_minutes: int | None = None,
    contact_ids: Sequence[int] = (),
    outcome: ActivityOutcome | None = None,
    outcome_notes: str | None = None,
    follow_up_date: dt.date | None = None,
    idempotency_key: str | None = None,
) -> ActivityView:
    """Log an interaction with a client; it moves the client's and contacts' last CSM contact forward."""
    if idempotency_key:
        earlier = _earlier_result(db_session, actor, idempotency_key)
        if earlier is not None:
            return earlier
    client = get_visible_client(db_session, actor, client_id)
    kind = rules.as_choice(ActivityType, activity_type, "activity type")
    result = None if outcome is None else rules.as_choice(ActivityOutcome, outcome, "activity outcome")
    text = rules.clean_subject(subject)
    rules.check_occurred_at(occurred_at, now)
    rules.check_duration(duration_minutes)
    rules.check_follow_up(follow_up_date, occurred_at)
    contacts = _checked_contacts(db_session, client, contact_ids)
    activity = Activity(
        client_id=client.id,
        activity_type=kind,
        subject=text,
        description=rules.clean_text(description),
        performed_by_id=actor.user_id,
        contact_ids=[str(contact_id) for contact_id in contacts],
        occurred_at=occurred_at,
        duration_minutes=duration_minutes,
        outcome=result,
        outcome_notes=rules.clean_text(outcome_notes),
        follow_up_date=follow_up_date,
        follow_up_completed=False,
        created_at=now,
        updated_at=now,
    )
    db_session.add(activity)
    db_session.flush()
    _audit(db_session, actor, "create", activity, None)
    _record_touch(db_session, actor, client, activity, now)
    if idempotency_key:
        _remember(db_session, actor, idempotency_key, activity.id)
    db_session.flush()
    return _view(db_session, activity.id)


def update_activity(
    *, db_session: Session, actor: Actor, activity_id: int, changes: ActivityChanges, now: dt.datetime
) -> ActivityView:
    """Change the given fields of an activity you logged (ADMINs may change anyone's); the rest stay."""
    activity, client = _load(db_session, actor, activity_id)
    if activity.performed_by_id != actor.user_id and actor.role is not Role.ADMIN:
        raise AccessDeniedError("only the person who logged an activity (or an admin) can change it")
    given = {name: getattr(changes, name) for name in changes.model_fields_set}
    for name in _REQUIRED:
        if name in given and given[name] is None:
            raise ValidationError(f"an activity's {name.replace('_', ' ')} cannot be cleared")
    values = _validated_changes(db_session, client, activity, given, now)
    before = activity_snapshot(activity)
    for name, value in values.items():
        setattr(activity, name, value)
    if activity.follow_up_date is None:
        # A follow-up that is no longer asked for cannot stay completed (and the table refuses it).
        activity.follow_up_completed, activity.follow_up_completed_at = False, None
    if activity_snapshot(activity) == before:
        return _view(db_session, activity.id)
    activity.updated_at = now
    db_session.flush()
    _audit(db_session, actor, "update", activity, before)
    _record_touch(db_session, actor, client, activity, now)
    db_session.flush()
    return _view(db_session, activity.id)


def _validated_changes(
    session: Session, client: Client, activity: Activity, given: dict[str, Any], now: dt.datetime
) -> dict[str, Any]:
    """Validate the activity as it would be after the change; return the column values to set."""
    values = dict(given)
    occurred_at = given.get("occurred_at", activity.occurred_at)
    rules.check_occurred_at(occurred_at, now)
    rules.check_duration(given.get("duration_minutes", activity.duration_minutes))
    rules.check_follow_up(given.get("follow_up_date", activity.follow_up_date), occurred_at)
    if "subject" in given:
        values["subject"] = rules.clean_subject(given["subject"])
    for name in ("description", "outcome_notes"):
        if name in given:
            values[name] = rules.clean_text(given[name])
    if "contact_ids" in given:
        values["contact_ids"] = [str(contact) for contact in _checked_contacts(session, client, given["contact_ids"])]
    return values


def complete_follow_up(*, db_session: Session, actor: Actor, activity_id: int, now: dt.datetime) -> ActivityView:
    """Mark an activity's follow-up done; completing it again changes nothing."""
    activity, _client = _load(db_session, actor, activity_id)
    if activity.follow_up_date is None:
        raise ValidationError(f"activity {activity.id} ({activity.subject}) has no follow-up to complete")
    if activity.follow_up_completed:
        return _view(db_session, activity.id)
    before = activity_snapshot(activity)
    activity.follow_up_completed, activity.follow_up_completed_at, activity.updated_at = True, now, now
    db_session.flush()
    _audit(db_session, actor, "complete_follow_up", activity, before)
    return _view(db_session, activity.id)


def list_activities(*, db_session: Session, actor: Actor, client_id: int, limit: int = 20) -> ActivityList:
    """List a client's activities, newest first."""
    if isinstance(limit, bool) or not 1 <= limit <= MAX_LIST:
        raise ValidationError(f"list 1 to {MAX_LIST} activities at a time")
    client = get_visible_client(db_session, actor, client_id)
    query = activity_rows(Activity.client_id == client.id)
    views = load_activity_views(
        db_session, query.order_by(Activity.occurred_at.desc(), Activity.id.desc()).limit(limit)
    )
    total = db_session.scalar(select(func.count()).select_from(Activity).where(Activity.client_id == client.id))
    return ActivityList(client_id=client.id, client_name=client.name, total=total or 0, activities=views)


def _load(session: Session, actor: Actor, activity_id: int) -> tuple[Activity, Client]:
    activity = session.get(Activity, activity_id)
    if activity is None:
        raise NotFoundError(f"no activity with id {activity_id}")
    try:
        client = get_visible_client(session, actor, activity.client_id)
    except NotFoundError:
        raise NotFoundError(f"no activity with id {activity_id}") from None
    return activity, client


def _view(session: Session, activity_id: int) -> ActivityView:
    (view,) = load_activity_views(session, activity_rows(Activity.id == activity_id))
    return view


def _earlier_result(session: Session, actor: Actor, key: str) -> ActivityView | None:
    """A retried request (same key) gets the activity the first attempt logged, and nothing is written."""
    result = find_idempotent_result(session, workspace_id=actor.workspace_id, key=key)
    if result is None:
        return None
    if "activity_id" not in result:
        raise ConflictError("this request id was already used for a different kind of change")
    activity, _client = _load(session, actor, int(result["activity_id"]))
    return _view(session, activity.id)


def _remember(session: Session, actor: Actor, key: str, activity_id: int) -> None:
    result = {"activity_id": activity_id}
    remember_idempotent_result(
        session, workspace_id=actor.workspace_id, key=key, operation="log_activity", result=result
    )


def _checked_contacts(session: Session, client: Client, contact_ids: Sequence[int]) -> list[int]:
    """The given contact ids, de-duplicated in order; each must be a contact of this client."""
    wanted: list[int] = []
    for contact_id in contact_ids:
        if isinstance(contact_id, bool) or not isinstance(contact_id, int):
            raise ValidationError(f"contact ids are whole numbers, got {contact_id!r}")
        if contact_id not in wanted:
            wanted.append(contact_id)
    if not wanted:
        return []
    found = set(session.scalars(select(Contact.id).where(Contact.client_id == client.id, Contact.id.in_(wanted))))
    strangers = [str(contact_id) for contact_id in wanted if contact_id not in found]
    if strangers:
        raise ValidationError(f"contact {', '.join(strangers)} is not a contact of {client.name}")
    return wanted


def _record_touch(session: Session, actor: Actor, client: Client, activity: Activity, now: dt.datetime) -> None:
    """Move the client's and its contacts' last CSM contact forward to this activity, never back."""
    if not rules.is_client_touch(activity.activity_type):
        return
    # Capped at now: an activity logged slightly ahead must not make the last contact lie in the future.
    moment = min(activity.occurred_at, now)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    if client.last_csm_contact_at is None or moment > client.last_csm_contact_at:
        before["last_csm_contact_at"] = _iso(client.last_csm_contact_at)
        client.last_csm_contact_at, after["last_csm_contact_at"] = moment, moment.isoformat()
        client.updated_at = now
    ids = contact_ids_of(activity)
    contacts = session.scalars(select(Contact).where(Contact.id.in_(ids)).order_by(Contact.id)).all() if ids else []
    for contact in contacts:
        if contact.last_csm_contact is None or moment > contact.last_csm_contact:
            before.setdefault("contacts", {})[str(contact.id)] = _iso(contact.last_csm_contact)
            after.setdefault("contacts", {})[str(contact.id)] = moment.isoformat()
            contact.last_csm_contact, contact.updated_at = moment, now
    if after:
        record_audit(
            session,
            workspace_id=actor.workspace_id,
            actor_user_id=actor.user_id,
            action="record_contact",
            entity_type="client",
            entity_id=client.id,
            before=before,
            after={**after, "activity_id": activity.id},
        )


def _iso(moment: dt.datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _audit(session: Session, actor: Actor, action: str, activity: Activity, before: dict[str, Any] | None) -> None:
    record_audit(
        session,
        workspace_id=actor.workspace_id,
        actor_user_id=actor.user_id,
        action=action,
        entity_type="activity",
        entity_id=activity.id,
        before=before,
        after=activity_snapshot(activity),
    )
