"""Seed 003 engagement operations as a tool: deliverables, payments, next milestone, what is blocked."""

from __future__ import annotations

from pydantic import BaseModel

from domain.operations.schemas import EngagementStatus
from domain.operations.status import engagement_status as engagement_status_service
from tools.base import ToolContext, ToolResult, cs_tool, resolve_client


class EngagementArgs(BaseModel):
    client: str


class EngagementResult(ToolResult):
    engagement: EngagementStatus


@cs_tool("engagement_status", args=EngagementArgs)
def engagement_status(args: EngagementArgs, context: ToolContext) -> EngagementResult:
    """Where a client's engagement stands: deliverables (done / total, overdue, blocked), payments (due,
    overdue), the next milestone and the next payment."""
    client = resolve_client(context, args.client)
    status = engagement_status_service(
        db_session=context.db_session, actor=context.actor, client_id=client.id, as_of=context.as_of
    )
    return EngagementResult(as_of=context.as_of, source_ids=status.source_ids, engagement=status)
