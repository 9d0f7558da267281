"""Choose the chat model for a turn: the offline planner, or an OpenAI-compatible model that falls back to it."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, SystemMessage
from langchain_core.runnables import Runnable, RunnableLambda

import prompts
from agent.offline.planner import OfflinePlanner
from agent.offline.vocabulary import Vocabulary
from domain.access import Actor
from domain.settings import Settings

logger = logging.getLogger(__name__)

FALLBACK_NOTE = "The language model was unavailable ({error}); this answer comes from the offline planner."


def model_name(settings: Settings) -> str:
    return settings.model


def make_chat_model(
    *, settings: Settings, tools: Sequence[Any], vocabulary: Vocabulary, actor: Actor, as_of: dt.date
) -> Runnable[list[BaseMessage], BaseMessage]:
    """A runnable taking the conversation and returning the model's next message, tools bound."""
    offline = OfflinePlanner(vocabulary=vocabulary, as_of=as_of).bind_tools(tools)
    if settings.model == "offline":
        return offline
    from agent.models.openai import (  # imported only when configured: keeps cold start fast
        describe_failure,
        make_openai_model,
    )

    primary = make_openai_model(settings).bind_tools(tools)
    system = SystemMessage(content=prompts.render("system.md", actor=actor, as_of=as_of.isoformat()))
    failed: list[str] = []  # once the provider has failed in this turn, the rest of the turn stays offline

    def call(messages: list[BaseMessage]) -> BaseMessage:
        if failed:
            return offline.invoke(messages)
        try:
            return primary.invoke([system, *messages])
        except Exception as error:  # any provider failure (after the client's retries): answer offline, visibly
            failed.append(describe_failure(error))
            logger.warning("chat model %s failed (%s); falling back to the offline planner", settings.model, failed[0])
            reply = offline.invoke(messages)
            if isinstance(reply, AIMessage):
                reply.additional_kwargs["csagent_note"] = FALLBACK_NOTE.format(error=failed[0])
            return reply

    return RunnableLambda(call)
