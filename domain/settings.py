"""The one validated settings class; built by entry points and passed down, never imported as a global."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    return Path(user_data_dir("csagent", appauthor=False))


def default_database_url() -> str:
    return f"sqlite:///{default_data_dir() / 'csagent.db'}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CSAGENT_", extra="ignore")

    database_url: str = Field(default_factory=default_database_url)
    model: str = "offline"
    chroma_path: Path = Field(default_factory=lambda: default_data_dir() / "chroma")
    chroma_url: str | None = None
    # Search timelines by meaning (Chroma + a sentence-embedding model); off means keyword search only.
    semantic_search: bool = True
    smtp_url: str | None = None
    openai_api_key: str | None = Field(default=None, validation_alias="OPENAI_API_KEY")
    openai_base_url: str | None = Field(default=None, validation_alias="OPENAI_BASE_URL")
    openai_timeout: float = Field(default=30.0, gt=0)  # seconds per request; then retry, then offline fallback
    openai_max_retries: int = Field(default=3, ge=0)  # retries with backoff on rate limits, 5xx and timeouts
    slack_bot_token: str | None = Field(default=None, validation_alias="SLACK_BOT_TOKEN")
    slack_signing_secret: str | None = Field(default=None, validation_alias="SLACK_SIGNING_SECRET")
    slack_app_token: str | None = Field(default=None, validation_alias="SLACK_APP_TOKEN")
    # Where the Slack Web API lives; only changed to point the SDK at a local stand-in in tests.
    slack_api_url: str | None = None
    # The address links in briefings, emails and portal invitations point at.
    public_url: str = "http://127.0.0.1:8000"
    email_from: str = "csagent <csagent@localhost>"
    # Shared secret an inbound-email webhook must present (POST /email/inbound); unset disables the route.
    email_inbound_secret: str | None = None
    # One-click sign-in as any demo-tenant user on the web sign-in page (`csagent serve --demo`); never in production.
    demo_sign_in: bool = False

    @field_validator("database_url")
    @classmethod
    def _known_backend(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql")):
            raise ValueError("CSAGENT_DATABASE_URL must be a sqlite:/// or postgresql+psycopg:// URL")
        return value

    @field_validator("model")
    @classmethod
    def _known_model(cls, value: str) -> str:
        if value != "offline" and not value.startswith("openai:"):
            raise ValueError("CSAGENT_MODEL must be 'offline' or 'openai:<model>'")
        return value

    def ensure_sqlite_directory(self) -> None:
        """Create the parent folder of a SQLite file so a first run needs no manual setup."""
        if self.database_url.startswith("sqlite:///") and ":memory:" not in self.database_url:
            Path(self.database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
