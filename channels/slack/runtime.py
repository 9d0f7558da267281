"""What every Slack listener needs: settings, the database, the agent, the staff directory and a clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session, sessionmaker

from channels.slack.identity import SlackDirectory
from domain.settings import Settings

if TYPE_CHECKING:  # the agent stack is heavy; it is opened on the first message, not at import
    from agent.runner import Agent


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class SlackRuntime:
    settings: Settings
    sessions: sessionmaker[Session]
    agent: Callable[[], Agent]
    clock: Callable[[], dt.datetime] = utc_now
    directory: SlackDirectory = field(init=False)

    def __post_init__(self) -> None:
        self.directory = SlackDirectory(self.sessions)
