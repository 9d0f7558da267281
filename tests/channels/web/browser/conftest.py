"""Browser fixtures: the app under uvicorn on a free loopback port over a demo copy, and Debian's Chromium."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import Engine

from channels.web.api_deps import current_now
from channels.web.app import create_app
from domain.db import make_engine
from tests.channels.web.chat.conftest import web_settings
from tests.demo_fixture import NOW

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip
ARTIFACTS = Path(__file__).resolve().parents[4] / "test-artifacts" / "browser"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def browser_engine(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    copy = tmp_path_factory.mktemp("browser") / "demo.db"
    shutil.copyfile(demo_template, copy)
    engine = make_engine(f"sqlite:///{copy}")
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def server_url(browser_engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`csagent serve --demo` in miniature: uvicorn in a thread, the demo clock pinned to NOW."""
    app = create_app(web_settings(browser_engine, tmp_path_factory.mktemp("chroma")), engine=browser_engine)
    app.dependency_overrides[current_now] = lambda: NOW
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="uvicorn-browser-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
