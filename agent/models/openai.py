"""The OpenAI-compatible chat model (OpenAI, Azure, vLLM, Ollama, LM Studio via OPENAI_BASE_URL)."""

from __future__ import annotations

import openai
from langchain_openai import ChatOpenAI
from pydantic import SecretStr

from domain.settings import Settings

PREFIX = "openai:"
NO_KEY = "not-needed-for-local-servers"  # local OpenAI-compatible servers accept any key; the SDK wants one


def make_openai_model(settings: Settings) -> ChatOpenAI:
    """`openai:<model>`, temperature 0. Requests are non-streaming unless the caller streams (e.g. LangGraph's
    "messages" stream mode attaches a streaming handler); both kinds go through the same retries and fallback.

    Retries are the SDK's own: up to `settings.openai_max_retries` (CSAGENT_OPENAI_MAX_RETRIES) on 408/409/429/5xx
    and timeouts, with exponential backoff from 0.5 s (capped at 8 s) unless the server says how long to wait
    (`retry-after-ms` / `retry-after`, honoured up to 2 minutes). Each attempt may take up to
    `settings.openai_timeout` seconds (CSAGENT_OPENAI_TIMEOUT). After the last retry the error propagates and
    the factory falls back to the offline planner."""
    return ChatOpenAI(
        model=settings.model.removeprefix(PREFIX),
        api_key=SecretStr(settings.openai_api_key or NO_KEY),
        base_url=settings.openai_base_url,
        temperature=0,
        timeout=settings.openai_timeout,
        max_retries=settings.openai_max_retries,
        streaming=False,
    )


def describe_failure(error: BaseException) -> str:
    """A short, secret-free description of why the provider call failed, for the reply's fallback note."""
    if isinstance(error, openai.APITimeoutError):
        return "timed out"
    if isinstance(error, openai.APIConnectionError):
        return "could not connect"
    if isinstance(error, openai.RateLimitError):
        return "rate limited (HTTP 429)"
    if isinstance(error, openai.AuthenticationError):
        return "authentication failed; check OPENAI_API_KEY"
    if isinstance(error, openai.APIStatusError):
        return f"HTTP {error.status_code}"
    return type(error).__name__
