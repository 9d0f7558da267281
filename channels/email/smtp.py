"""Sending mail through the SMTP server named by CSAGENT_SMTP_URL.

smtp://host:25                      plain (a local relay, a test server)
smtp://user:pass@host:587?starttls  STARTTLS, then login
smtps://user:pass@host:465          TLS from the first byte
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

from domain.errors import ValidationError
from domain.settings import Settings

TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True, slots=True)
class SmtpServer:
    host: str
    port: int
    username: str | None
    password: str | None
    tls: bool  # TLS from the start (smtps)
    starttls: bool


def parse_smtp_url(url: str) -> SmtpServer:
    """Read CSAGENT_SMTP_URL; a malformed one is a one-line configuration error."""
    parts = urlsplit(url)
    if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
        raise ValidationError("CSAGENT_SMTP_URL must look like smtp://host:25 or smtps://user:pass@host:465")
    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 25)
    except ValueError:
        raise ValidationError("CSAGENT_SMTP_URL has an invalid port") from None
    return SmtpServer(
        host=parts.hostname,
        port=port,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        tls=parts.scheme == "smtps",
        starttls="starttls" in parse_qs(parts.query, keep_blank_values=True),
    )


def smtp_configured(settings: Settings) -> bool:
    return bool(settings.smtp_url)


def send_email(settings: Settings, message: EmailMessage) -> None:
    """Hand one message to the SMTP server; its To/Cc headers are the recipients."""
    if not settings.smtp_url:
        raise ValidationError("email is not configured: set CSAGENT_SMTP_URL")
    server = parse_smtp_url(settings.smtp_url)
    context = ssl.create_default_context()
    connection: smtplib.SMTP
    if server.tls:
        connection = smtplib.SMTP_SSL(server.host, server.port, timeout=TIMEOUT_SECONDS, context=context)
    else:
        connection = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT_SECONDS)
    with connection:
        if server.starttls:
            connection.starttls(context=context)
        if server.username:
            connection.login(server.username, server.password or "")
        connection.send_message(message)
