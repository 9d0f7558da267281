"""What the app holds for its lifetime: settings, the database, and a warm agent opened on first use."""

from __future__ import annotations

import threading
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from domain.settings import Settings

if TYPE_CHECKING:  # the agent stack is heavy; REST-only use never loads it
    from agent.runner import Agent


@dataclass
class WebState:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    _agent: Agent | None = None
    _stack: ExitStack = field(default_factory=ExitStack)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def agent(self) -> Agent:
        """The shared agent, opened once (checkpointer and compiled graph) on the first chat turn."""
        with self._lock:
            if self._agent is None:
                from agent.runner import open_agent

                self._agent = self._stack.enter_context(open_agent(self.settings, self.engine))
            return self._agent

    def close(self) -> None:
        self._stack.close()
        self._agent = None
