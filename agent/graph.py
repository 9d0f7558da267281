"""The agent graph, wired like a diagram: model node <-> tool node, one conditional edge, a step limit."""

from __future__ import annotations

from typing import Literal

from langchain_core.messages import AIMessage, AnyMessage
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.runtime import Runtime

from agent.context import RunContext
from agent.state import AgentState
from agent.tool_node import call_tools


def call_model(state: AgentState, runtime: Runtime[RunContext]) -> dict[str, list[AnyMessage] | int]:
    """Ask the chat model for the next step; stop politely once the turn has used its step budget."""
    steps = state.get("steps", 0)
    if steps >= runtime.context.max_steps:
        stop = AIMessage(content="I stopped here: this request needed more steps than I allow in one turn.")
        return {"messages": [stop], "steps": steps + 1}
    response = runtime.context.chat_model.invoke(state["messages"])
    return {"messages": [response], "steps": steps + 1}


def route_after_model(state: AgentState) -> Literal["tools", "__end__"]:
    last = state["messages"][-1]
    return "tools" if isinstance(last, AIMessage) and last.tool_calls else "__end__"  # langgraph's END


def build_graph(checkpointer: BaseCheckpointSaver[str]) -> CompiledStateGraph[AgentState, RunContext]:
    builder = StateGraph(AgentState, context_schema=RunContext)
    builder.add_node("model", call_model)
    builder.add_node("tools", call_tools)
    builder.add_edge(START, "model")
    builder.add_conditional_edges("model", route_after_model, ["tools", END])
    builder.add_edge("tools", "model")
    return builder.compile(checkpointer=checkpointer)
