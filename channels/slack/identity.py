"""Which staff user a Slack user is: a stored Slack id, else the Slack account found for their staff email."""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Iterable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from domain.access import Actor
from domain.db import session_scope
from domain.staff.models import User

LINK_HELP = (
    "I can't match your Slack account to a csagent user yet: ask a csagent admin to add you with the email "
    "of your Slack profile (or to store your Slack member id on your user), then message me again."
)
# A staff email Slack did not know is asked about again only after this long (seconds), so a busy channel
# does not turn every message into a round of users.lookupByEmail calls.
RECHECK_AFTER = 600.0
_log = logging.getLogger(__name__)


class SlackDirectory:
    """Maps Slack member ids to Actors; links unlinked staff by email once and stores the Slack id."""

    def __init__(self, sessions: sessionmaker[Session], recheck_after: float = RECHECK_AFTER) -> None:
        self._sessions = sessions
        self._recheck_after = recheck_after
        self._checked: dict[str, float] = {}
        self._lock = threading.Lock()

    def actor_for(self, client: WebClient, slack_user_id: str) -> Actor | None:
        """The active staff user behind a Slack member id, or None (they get LINK_HELP and nothing else)."""
        return self.actors_for(client, [slack_user_id]).get(slack_user_id)

    def actors_for(self, client: WebClient, slack_user_ids: Iterable[str]) -> dict[str, Actor]:
        """The Slack member ids that are active staff users, with their Actors; the others are left out."""
        wanted = set(slack_user_ids)
        known = self._stored(wanted)
        if wanted - known.keys():
            self._link_by_email(client)
            known = self._stored(wanted)
        return known

    def _stored(self, slack_user_ids: set[str]) -> dict[str, Actor]:
        if not slack_user_ids:
            return {}
        with session_scope(self._sessions) as session:
            query = select(User).where(User.slack_user_id.in_(slack_user_ids), User.is_active.is_(True))
            return {str(user.slack_user_id): Actor.from_user(user) for user in session.scalars(query)}

    def _link_by_email(self, client: WebClient) -> None:
        """Ask Slack for the account of each unlinked staff email not asked about recently, and store what it finds."""
        with self._lock:
            try:
                with session_scope(self._sessions) as session:
                    self._link_unlinked(client, session)
            except IntegrityError:  # another process linked the same account first; its row stands
                _log.info("a Slack id was linked concurrently; keeping the stored one")

    def _link_unlinked(self, client: WebClient, session: Session) -> None:
        now = time.monotonic()
        query = select(User).where(User.slack_user_id.is_(None), User.is_active.is_(True)).order_by(User.id)
        for user in session.scalars(query).all():
            if now - self._checked.get(user.email, -math.inf) < self._recheck_after:
                continue
            try:
                slack_id = lookup_slack_id(client, user.email)
            except SlackApiError as problem:  # rate limited, missing scope: ask again next time
                _log.warning("users.lookupByEmail failed: %s", problem.response.get("error"))
                continue
            self._checked[user.email] = now
            if slack_id and session.scalar(select(User.id).where(User.slack_user_id == slack_id)) is None:
                user.slack_user_id = slack_id
                session.flush()


def lookup_slack_id(client: WebClient, email: str) -> str | None:
    """The Slack member id for an email, None when Slack has no such (human, active) user; other errors raise."""
    try:
        response = client.users_lookupByEmail(email=email)
    except SlackApiError as problem:
        if problem.response.get("error") == "users_not_found":
            return None
        raise
    user = response.get("user") or {}
    if user.get("deleted") or user.get("is_bot"):
        return None
    return str(user["id"]) if user.get("id") else None
