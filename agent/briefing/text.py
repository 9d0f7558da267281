"""The briefing as text: rendered from prompts/briefing.md, optionally rephrased by a language model.

A rephrasing is kept only if every figure in it appears in the deterministic briefing (the groundedness check
of agent/grounding.py); otherwise the deterministic text goes out, with a note saying why.
"""

from __future__ import annotations

import logging

from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, Field

import prompts
from agent.briefing.models import Briefing
from agent.grounding import ungrounded_numbers
from domain.settings import Settings

logger = logging.getLogger(__name__)


class BriefingText(BaseModel):
    markdown: str
    model: str  # "offline" when the deterministic text is what is sent
    notes: list[str] = Field(default_factory=list)


def deterministic_text(briefing: Briefing) -> str:
    return prompts.render("briefing.md", briefing=briefing.model_dump(mode="json"))


def render_briefing(briefing: Briefing, settings: Settings | None = None) -> BriefingText:
    """The briefing's text; with an LLM configured, a grounded rephrasing of it."""
    text = deterministic_text(briefing)
    if settings is None or settings.model == "offline" or briefing.stale or not briefing.items:
        return BriefingText(markdown=text, model="offline")
    return _rephrased(text, briefing, settings)


def _rephrased(text: str, briefing: Briefing, settings: Settings) -> BriefingText:
    from agent.models.openai import describe_failure, make_openai_model  # only when an LLM is configured

    system = prompts.render("briefing_rephrase.md", user_name=briefing.user_name)
    try:
        answer = make_openai_model(settings).invoke([SystemMessage(content=system), HumanMessage(content=text)])
    except Exception as error:  # any provider failure: the deterministic briefing still goes out
        logger.warning("briefing rephrase failed (%s); sending the deterministic text", describe_failure(error))
        note = f"the language model was unavailable ({describe_failure(error)}); this is the standard briefing"
        return BriefingText(markdown=text, model="offline", notes=[note])
    candidate = str(answer.content).strip()
    unverified = ungrounded_numbers(candidate, [briefing.model_dump(mode="json")], allowed_text=[text])
    if not candidate or unverified:
        found = ", ".join(unverified) or "an empty answer"
        note = f"the rephrased briefing was not grounded ({found}); this is the standard briefing"
        return BriefingText(markdown=text, model="offline", notes=[note])
    return BriefingText(markdown=candidate, model=settings.model)
