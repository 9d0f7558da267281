"""The daily briefing: deterministic content (build.py), rendered text (text.py)."""

from agent.briefing.build import build_briefing, mark_briefed
from agent.briefing.models import Briefing, BriefingItem, ItemKind
from agent.briefing.text import BriefingText, render_briefing

__all__ = ["Briefing", "BriefingItem", "BriefingText", "ItemKind", "build_briefing", "mark_briefed", "render_briefing"]
