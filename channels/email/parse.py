"""Inbound mail as csagent needs it: who sent it, what they wrote (quoted history stripped), and its thread.

Two shapes are accepted: the raw RFC 822 message, and the JSON an inbound-parse webhook posts (Postmark's
field names: From / FromFull, Subject, TextBody, StrippedTextReply, MessageID, Headers [{Name, Value}]).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parseaddr
from typing import Any

from mailparser_reply import EmailReplyParser  # type: ignore[import-untyped]

from domain.errors import ValidationError

_MSG_ID = re.compile(r"<[^<>\s]+>")
_SIGNATURE = re.compile(r"\n--\s*\n.*\Z", re.S)


@dataclass(frozen=True, slots=True)
class InboundEmail:
    sender: str  # the From address, lower-cased
    subject: str
    text: str  # the new text only: quoted history and signature removed
    message_id: str
    in_reply_to: str | None
    references: list[str]

    @property
    def thread_root(self) -> str:
        """The first message of the conversation: every reply in it names the same root."""
        if self.references:
            return self.references[0]
        return self.in_reply_to or self.message_id

    @property
    def reply_subject(self) -> str:
        subject = self.subject.strip() or "csagent"
        return subject if subject.lower().startswith("re:") else f"Re: {subject}"


def new_text(body: str) -> str:
    """The reply's own words: quoted history ("On ... wrote:", "> ...") and a trailing signature removed."""
    stripped = str(EmailReplyParser(languages=["en"]).parse_reply(text=body.replace("\r\n", "\n")))
    return _SIGNATURE.sub("", "\n" + stripped).strip()


def message_ids(value: str | None) -> list[str]:
    return _MSG_ID.findall(value or "")


def parse_raw(raw: bytes) -> InboundEmail:
    """Read an RFC 822 message; it must have a sender and a Message-ID."""
    parsed = message_from_bytes(raw, policy=policy.default)
    if not isinstance(parsed, EmailMessage):
        raise ValidationError("the request body is not an email message")
    body = parsed.get_body(("plain",))
    text = body.get_content() if isinstance(body, EmailMessage) else ""
    return _build(
        sender=str(parsed.get("From") or ""),
        subject=str(parsed.get("Subject") or ""),
        text=str(text),
        message_id=str(parsed.get("Message-ID") or ""),
        in_reply_to=str(parsed.get("In-Reply-To") or ""),
        references=str(parsed.get("References") or ""),
    )


def parse_webhook_json(payload: dict[str, Any]) -> InboundEmail:
    """Read the JSON of an inbound-parse webhook (Postmark's shape)."""
    headers = {
        str(item.get("Name", "")).lower(): str(item.get("Value", ""))
        for item in payload.get("Headers") or []
        if isinstance(item, dict)
    }
    full = payload.get("FromFull")
    sender = full.get("Email", "") if isinstance(full, dict) else payload.get("From", "")
    message_id = headers.get("message-id") or str(payload.get("MessageID") or "")
    if message_id and not message_id.startswith("<"):
        message_id = f"<{message_id}>"
    return _build(
        sender=str(sender),
        subject=str(payload.get("Subject") or ""),
        text=str(payload.get("TextBody") or payload.get("StrippedTextReply") or ""),
        message_id=message_id,
        in_reply_to=headers.get("in-reply-to", ""),
        references=headers.get("references", ""),
    )


def _build(*, sender: str, subject: str, text: str, message_id: str, in_reply_to: str, references: str) -> InboundEmail:
    address = parseaddr(sender)[1].strip().lower()
    if "@" not in address:
        raise ValidationError("the email has no sender address")
    ids = message_ids(message_id)
    if not ids:
        raise ValidationError("the email has no Message-ID")
    replied = message_ids(in_reply_to)
    return InboundEmail(
        sender=address,
        subject=" ".join(subject.split()),
        text=new_text(text),
        message_id=ids[0],
        in_reply_to=replied[0] if replied else None,
        references=message_ids(references),
    )
