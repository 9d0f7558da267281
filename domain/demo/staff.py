"""The demo tenant and its fixed staff: who to log in as when trying csagent."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from domain.demo.clock import utc_at
from domain.enums import Role
from domain.staff.models import User, Workspace

DEMO_WORKSPACE_SLUG = "demo"
DEMO_WORKSPACE_NAME = "Demo Co"
DEMO_WORKSPACE_TIMEZONE = "America/New_York"

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")


@dataclass(frozen=True, slots=True)
class StaffSeed:
    """One demo staff member; README and the eval suite log in with these emails."""

    email: str
    name: str
    role: Role
    timezone: str
    slack_user_id: str
    briefing_channels: tuple[str, ...] = ("slack",)
    briefing_hour: int = 8
    briefing_weekdays: tuple[str, ...] = WEEKDAYS


DEMO_STAFF: tuple[StaffSeed, ...] = (
    StaffSeed("vp@demo.csagent.dev", "Victoria Park", Role.VP_CLIENT_SUCCESS, "America/New_York", "U0DEMO01",
              ("slack", "email"), 7),
    StaffSeed("senior@demo.csagent.dev", "Sam Rivera", Role.SENIOR_CSM, "America/Chicago", "U0DEMO02"),
    StaffSeed("jane@demo.csagent.dev", "Jane Doe", Role.CSM, "America/New_York", "U0DEMO03"),
    StaffSeed("john@demo.csagent.dev", "John Smith", Role.CSM, "Europe/London", "U0DEMO04", ("slack", "email"), 9),
    StaffSeed("priya@demo.csagent.dev", "Priya Patel", Role.CSM, "Asia/Kolkata", "U0DEMO05", ("email",), 9),
    StaffSeed("marcus@demo.csagent.dev", "Marcus Lee", Role.CSM, "America/Los_Angeles", "U0DEMO06"),
    StaffSeed("ae@demo.csagent.dev", "Alex Turner", Role.AE, "America/New_York", "U0DEMO07", ("email",), 8,
              ("mon", "wed", "fri")),
    StaffSeed("consultant@demo.csagent.dev", "Chris Morgan", Role.CONSULTANT, "Europe/Berlin", "U0DEMO08"),
    StaffSeed("sales@demo.csagent.dev", "Dana Brooks", Role.VP_SALES, "America/Denver", "U0DEMO09", ("email",), 7,
              ("mon",)),
    StaffSeed("admin@demo.csagent.dev", "Ada Admin", Role.ADMIN, "UTC", "U0DEMO10", ("email",), 8, ("mon",)),
)  # fmt: skip

# The staff the portfolio is spread over; the senior CSM carries a smaller book of strategic accounts.
BOOK_OWNERS = (
    "jane@demo.csagent.dev",
    "john@demo.csagent.dev",
    "priya@demo.csagent.dev",
    "marcus@demo.csagent.dev",
    "senior@demo.csagent.dev",
)
ACCOUNT_EXECUTIVE = "ae@demo.csagent.dev"
CONSULTANT = "consultant@demo.csagent.dev"
VP_CLIENT_SUCCESS = "vp@demo.csagent.dev"
# The workspace "existed" this long before as_of, so every row it holds is dated after its creation.
TENANT_AGE_DAYS = 1500


def create_workspace_and_staff(*, db_session: Session, as_of: dt.date) -> tuple[Workspace, dict[str, User]]:
    """Add the demo workspace and its staff; returns the workspace and the users by email."""
    created = utc_at(as_of - dt.timedelta(days=TENANT_AGE_DAYS), 9)
    workspace = Workspace(
        slug=DEMO_WORKSPACE_SLUG,
        name=DEMO_WORKSPACE_NAME,
        timezone=DEMO_WORKSPACE_TIMEZONE,
        created_at=created,
        updated_at=created,
    )
    db_session.add(workspace)
    db_session.flush()
    users = {seed.email: _user(workspace.id, seed, created) for seed in DEMO_STAFF}
    db_session.add_all(users.values())
    db_session.flush()
    return workspace, users


def _user(workspace_id: int, seed: StaffSeed, created: dt.datetime) -> User:
    return User(
        workspace_id=workspace_id,
        email=seed.email,
        name=seed.name,
        role=seed.role,
        timezone=seed.timezone,
        slack_user_id=seed.slack_user_id,
        is_active=True,
        briefing_channels=list(seed.briefing_channels),
        briefing_hour=seed.briefing_hour,
        briefing_weekdays=list(seed.briefing_weekdays),
        briefing_opt_out=False,
        created_at=created,
        updated_at=created,
    )
