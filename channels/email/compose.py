"""Building outgoing messages: plain text plus HTML from the same Markdown, threading and unsubscribe headers."""

from __future__ import annotations

import datetime as dt
import html
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from urllib.parse import quote

from markdown_it import MarkdownIt

import prompts
from domain.settings import Settings

# CommonMark without raw HTML: text from data (client names, notes) can never inject markup into the HTML part.
_MARKDOWN = MarkdownIt("commonmark", {"html": False})


def sender_address(settings: Settings) -> str:
    return parseaddr(settings.email_from)[1] or "csagent@localhost"


def new_message_id(settings: Settings) -> str:
    domain = sender_address(settings).rpartition("@")[2] or "localhost"
    return make_msgid(domain=domain)


def unsubscribe_header(settings: Settings) -> str:
    """RFC 2369 List-Unsubscribe: a mail to csagent with the subject "unsubscribe" (handled by the inbound route)."""
    return f"<mailto:{sender_address(settings)}?subject={quote('unsubscribe')}>"


def markdown_to_html(markdown: str, *, title: str) -> str:
    body = _MARKDOWN.render(markdown)
    return prompts.render("email/layout.html.j2", title=html.escape(title), body_html=body)


def compose_email(
    settings: Settings,
    *,
    to: str | Address,
    subject: str,
    markdown: str,
    now: dt.datetime,
    bulk: bool = True,
    in_reply_to: str | None = None,
    references: list[str] | None = None,
) -> EmailMessage:
    """A multipart/alternative message: the Markdown as the plain part, rendered as the HTML part."""
    message = EmailMessage()
    message["From"] = settings.email_from
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(now.astimezone(dt.UTC))
    message["Message-ID"] = new_message_id(settings)
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = " ".join([*(references or []), in_reply_to])
    if bulk:  # scheduled mail (briefings, weekly emails) can be turned off from the mail client
        message["List-Unsubscribe"] = unsubscribe_header(settings)
        message["Auto-Submitted"] = "auto-generated"
    message.set_content(markdown + "\n")
    message.add_alternative(markdown_to_html(markdown, title=subject), subtype="html")
    return message
