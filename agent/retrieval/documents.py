"""A timeline entry as the index stores it: a Chroma id, the text that is embedded, metadata, a content hash.

Metadata carries what search filters on (tenant, client, CSM, kind, date, author, private flag) and what
sync compares (content hash). Chroma metadata cannot hold None, so absent ids are -1 and absent text "".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from domain.timeline.schemas import TimelineEntry

TEXT_VERSION = 3  # bump when embedding_text changes: every entry then reads as stale and is re-embedded
NONE_ID = -1
BODY_LINES = 3  # body lines embedded after the title
MAX_TEXT_CHARS = 2000  # the model reads 256 tokens at most; longer text only costs tokenizer time

Metadata = dict[str, str | int | float | bool]


@dataclass(frozen=True, slots=True)
class IndexedEntry:
    chroma_id: str
    text: str
    metadata: Metadata
    content_hash: str


def chroma_id(workspace_id: int, entry_id: str) -> str:
    return f"w{workspace_id}/{entry_id}"


def entry_id_of(chroma_id_value: str) -> str:
    return chroma_id_value.split("/", 1)[1]


def embedding_text(entry: TimelineEntry) -> str:
    """What the model reads: the title and the first body lines that add something new, without the client's name.

    Search always filters by client, so the name only adds noise: every entry of a client would match a
    question naming it. Bodies often repeat the title ("Call: Check-in" / "Check-in" / "Check-in. Logged
    by ..."), so repeated lines are dropped; past the first few lines, body text is mostly bookkeeping
    (durations, triggers, statuses) that dilutes the meaning.
    """
    seen = [entry.title.casefold()]
    lines = [entry.title]
    for raw in entry.body.splitlines():
        line = raw.strip()
        folded = line.casefold().rstrip(".")
        if not line or any(folded in earlier for earlier in seen):
            continue
        seen.append(folded)
        lines.append(line)
        if len(lines) > BODY_LINES:
            break
    text = without_name("\n".join(lines), entry.client_name)
    return text[:MAX_TEXT_CHARS]


def without_name(text: str, name: str) -> str:
    """`text` with every mention of `name` removed, and the punctuation it leaves behind tidied."""
    if not name.strip():
        return text
    text = re.sub(re.escape(name.strip()), "", text, flags=re.IGNORECASE)
    text = re.sub(r"\s*:\s*:\s*", ": ", text)
    return re.sub(r"[ \t]{2,}", " ", text).strip()


def metadata_of(entry: TimelineEntry) -> Metadata:
    occurred = entry.occurred_at.astimezone(dt.UTC)
    return {
        "entry_id": entry.entry_id,
        "workspace_id": entry.workspace_id,
        "client_id": entry.client_id,
        "client_name": entry.client_name,
        "csm_user_id": entry.csm_user_id if entry.csm_user_id is not None else NONE_ID,
        "kind": entry.kind.value,
        "kind_group": entry.kind.group,
        "subtype": (entry.subtype or "").upper(),
        "occurred_ts": int(occurred.timestamp()),
        "occurred_at": occurred.isoformat(),
        "author_user_id": entry.author_user_id if entry.author_user_id is not None else NONE_ID,
        "author_name": entry.author_name or "",
        "is_private": entry.is_private,
        "source_type": entry.source_type,
        "source_id": entry.source_id,
        "title": entry.title,
    }


def content_hash(text: str, metadata: Mapping[str, Any]) -> str:
    payload = json.dumps({"v": TEXT_VERSION, "text": text, "meta": dict(metadata)}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


def indexed_entry(entry: TimelineEntry) -> IndexedEntry:
    text = embedding_text(entry)
    metadata = metadata_of(entry)
    digest = content_hash(text, metadata)
    return IndexedEntry(
        chroma_id(entry.workspace_id, entry.entry_id), text, {**metadata, "content_hash": digest}, digest
    )
