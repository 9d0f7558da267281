"""What every tool shares: the injected context, the typed result envelope, and the registration helper.

A tool is a typed LangChain StructuredTool. Its model-visible arguments are a pydantic model; the
`ToolContext` (who is asking, their database session, the as-of date, the channel's idempotency key)
is an `InjectedToolArg`, so a model can never forge it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Generic, Protocol, TypeVar, get_type_hints

from langchain_core.tools import InjectedToolArg, StructuredTool
from pydantic import BaseModel, ConfigDict, Field, create_model
from sqlalchemy.orm import Session

from domain.access import Actor
from domain.clients.lookup import find_client
from domain.clients.models import Client
from domain.timeline.schemas import TimelineHit

ArgsT = TypeVar("ArgsT", bound=BaseModel)
ResultT = TypeVar("ResultT", bound=BaseModel)


class TimelineSearch(Protocol):
    """Semantic search over client timelines, supplied by the agent (tools never import it); raises when
    its index cannot serve, and the search_timeline tool then falls back to the database keyword search."""

    def __call__(
        self,
        *,
        db_session: Session,
        actor: Actor,
        query: str,
        client_id: int | None = None,
        types: list[str] | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
        limit: int = 5,
    ) -> list[TimelineHit]: ...


@dataclass(frozen=True, slots=True)
class ToolContext:
    """Server-side facts a tool runs with; built by the agent for each call, never by the model."""

    actor: Actor
    db_session: Session
    as_of: dt.date
    now: dt.datetime
    channel: str = "cli"
    idempotency_key: str | None = None
    timeline_search: TimelineSearch | None = None  # semantic search; None means keyword search only


class ToolResult(BaseModel):
    """Base of every tool result: where its numbers came from."""

    model_config = ConfigDict(extra="forbid")

    as_of: dt.date
    source_ids: dict[str, list[int]] = Field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CsTool(Generic[ArgsT, ResultT]):
    """A registered tool: its LangChain face plus what the agent needs to know about it."""

    name: str
    args_model: type[ArgsT]
    result_model: type[ResultT]
    writes: bool
    run: Callable[[ArgsT, ToolContext], ResultT]
    summarize: Callable[[ArgsT], str] | None
    langchain_tool: StructuredTool

    def invoke(self, args: dict[str, Any], context: ToolContext) -> ResultT:
        """Validate the model's arguments and run the tool with the injected context."""
        result: ResultT = self.langchain_tool.invoke({**args, "context": context})
        return result


def cs_tool(
    name: str,
    *,
    args: type[ArgsT],
    writes: bool = False,
    summarize: Callable[[ArgsT], str] | None = None,
) -> Callable[[Callable[[ArgsT, ToolContext], ResultT]], CsTool[ArgsT, ResultT]]:
    """Turn `run(args, context) -> result` into a CsTool whose docstring is what the model reads."""

    def register(run: Callable[[ArgsT, ToolContext], ResultT]) -> CsTool[ArgsT, ResultT]:
        schema = create_model(  # the model-visible fields plus the hidden, injected context
            f"{args.__name__}WithContext",
            __base__=args,
            context=(Annotated[Any, InjectedToolArg], ...),
        )

        def call(**kwargs: Any) -> ResultT:
            context = kwargs.pop("context")
            return run(args.model_validate(kwargs), context)

        langchain_tool = StructuredTool.from_function(
            func=call, name=name, description=(run.__doc__ or "").strip(), args_schema=schema
        )
        result_model = get_type_hints(run)["return"]
        return CsTool(name, args, result_model, writes, run, summarize, langchain_tool)

    return register


def resolve_client(context: ToolContext, client: str) -> Client:
    """The client a tool argument names, within the asker's portfolio (fuzzy, with clear errors)."""
    return find_client(context.db_session, context.actor, client)
