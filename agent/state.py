"""The graph's state: the conversation, plus how many model steps this turn has taken."""

from __future__ import annotations

from typing import Annotated, TypedDict

from langchain_core.messages import AnyMessage
from langgraph.graph.message import add_messages


class AgentState(TypedDict):
    messages: Annotated[list[AnyMessage], add_messages]
    steps: int  # model calls in the current turn; reset by the runner, capped by the graph
