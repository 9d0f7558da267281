"""What a conversation list shows: the thread, its title and when it last moved."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict


class ConversationView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    thread_id: str
    channel: str
    title: str
    created_at: dt.datetime
    last_message_at: dt.datetime
