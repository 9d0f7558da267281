"""A lease in the database that lets one process at a time act (the scheduler), however many are running.

Taking the lease is one atomic UPDATE (renew our own, or take over one that has lapsed) or, when no row exists
yet, one INSERT that the primary key lets only one process win. The caller commits right after.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from domain.errors import ValidationError
from domain.scheduling.models import JobLease


def acquire_lease(*, db_session: Session, name: str, holder: str, now: dt.datetime, ttl: dt.timedelta) -> bool:
    """Take or renew the lease `name` for `holder` until now + ttl; False while another holder's is current."""
    if ttl <= dt.timedelta(0):
        raise ValidationError("a lease must last a positive time")
    expires = now + ttl
    taken = db_session.execute(
        update(JobLease)
        .where(JobLease.name == name, or_(JobLease.holder == holder, JobLease.expires_at <= now))
        .values(holder=holder, expires_at=expires)
        .execution_options(synchronize_session=False)
    )
    if getattr(taken, "rowcount", 0) == 1:
        return True
    try:
        with db_session.begin_nested():
            db_session.execute(insert(JobLease).values(name=name, holder=holder, expires_at=expires))
    except IntegrityError:  # the row exists and is someone else's, or another process inserted it first
        return False
    return True


def holds_lease(*, db_session: Session, name: str, holder: str, now: dt.datetime) -> bool:
    """Whether `holder` holds a lease that has not lapsed."""
    found = db_session.scalar(
        select(JobLease.name).where(JobLease.name == name, JobLease.holder == holder, JobLease.expires_at > now)
    )
    return found is not None


def release_lease(*, db_session: Session, name: str, holder: str) -> bool:
    """Give the lease up (on shutdown) so another process need not wait for it to lapse."""
    gone = db_session.execute(
        delete(JobLease)
        .where(JobLease.name == name, JobLease.holder == holder)
        .execution_options(synchronize_session=False)
    )
    return getattr(gone, "rowcount", 0) == 1


def current_holder(*, db_session: Session, name: str, now: dt.datetime) -> str | None:
    """Who holds the lease now, if anyone."""
    return db_session.scalar(select(JobLease.holder).where(JobLease.name == name, JobLease.expires_at > now))
