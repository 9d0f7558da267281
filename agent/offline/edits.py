"""Edits to a pending write in plain words: "make it 45 minutes", "follow up on friday", "subject: QBR prep"."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from agent.offline.fillers_writes import ACTIVITY_TYPES, OUTCOMES, feedback_sentiment
from agent.offline.slots import duration_minutes, find_dates, keyword_choice, numbers

TEXT_FIELDS = ("subject", "notes", "content", "title", "description", "resolution", "response", "metric", "unit")
DATE_FIELDS = {
    "log_activity": ("occurred_on", "follow_up_date"),
    "set_result_target": ("target_date", None),
    "log_intervention": ("occurred_on", None),
    "add_outcome_entry": ("week_of", None),
}
VALUE_FIELDS = {"add_outcome_entry": "value", "record_baseline": "value"}


def extract_edit(tool: str, args: dict[str, Any], text: str, as_of: dt.date) -> dict[str, Any]:
    """The argument changes the text asks for; empty when it is not an edit of this pending action."""
    changes: dict[str, Any] = {}
    for field in TEXT_FIELDS:
        match = re.search(rf"\b{field}\s*(?:[:=]|to|should be)\s*(.+)$", text, re.I)
        if match and field in args:
            changes[field] = match.group(1).strip().strip("\"'")
    changes.update(_dates(tool, text, as_of))
    if tool == "log_activity":
        if (minutes := duration_minutes(text)) is not None:
            changes["duration_minutes"] = minutes
        if (kind := keyword_choice(text, ACTIVITY_TYPES)) and re.search(
            r"\b(it was|make it|type|actually)\b", text, re.I
        ):
            changes["activity_type"] = kind
        if (outcome := keyword_choice(text, OUTCOMES)) and "outcome" in text.lower():
            changes["outcome"] = outcome
    if tool == "log_feedback" and "response" in changes:  # new words, new sentiment
        changes["sentiment"] = feedback_sentiment(changes["response"])
    if (value_field := VALUE_FIELDS.get(tool)) and (values := numbers(text)) and not changes:
        changes[value_field] = values[0]
    return changes


def _dates(tool: str, text: str, as_of: dt.date) -> dict[str, Any]:
    fields = DATE_FIELDS.get(tool)
    if not fields:
        return {}
    primary, follow_up = fields
    wants_future = follow_up is not None and re.search(r"follow", text, re.I)
    dates = find_dates(text, as_of, prefer="future" if wants_future or tool == "set_result_target" else "past")
    if not dates:
        return {}
    field = follow_up if wants_future and follow_up else primary
    return {field: dates[0].value.isoformat()}
