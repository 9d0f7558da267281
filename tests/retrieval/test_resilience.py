"""A missing or corrupt index is rebuilt, an unreachable server falls back to keywords, and the Chroma
server mode (CSAGENT_CHROMA_URL) works against a real `chroma run` on loopback."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from agent.retrieval.config import RetrievalConfig
from agent.retrieval.index import IndexUnavailableError, forget_index, open_index
from agent.retrieval.search import TimelineSearcher, semantic_search
from agent.retrieval.sync import sync_workspace, verify
from domain.settings import Settings
from tests.retrieval.conftest import NOW, Env
from tools import TOOLS
from tools.base import ToolContext


def test_a_missing_index_is_built_by_the_first_search(env: Env) -> None:
    assert env.index.built_at(env.world.workspace_id) is None
    hits = semantic_search(
        db_session=env.session, actor=env.world.jane, settings=env.config, query="spending freeze", index=env.index
    )
    assert hits[0].entry_id == f"note:{env.world.rows['acme_freeze']}"
    assert env.index.built_at(env.world.workspace_id) is not None
    assert verify(db_session=env.session, index=env.index, workspace_id=env.world.workspace_id).in_sync


def test_a_corrupt_store_is_moved_aside_and_rebuilt(env: Env) -> None:
    sync_workspace(db_session=env.session, index=env.index, workspace_id=env.world.workspace_id)
    forget_index(env.config)
    store = env.config.chroma_path
    for path in store.rglob("*"):
        if path.is_file():
            path.write_bytes(b"this is not a chroma store" * 64)
    env.reopen()  # does not raise: the damaged folder is set aside, an empty store takes its place
    assert list(store.parent.glob("chroma.corrupt-*"))
    hits = semantic_search(
        db_session=env.session, actor=env.world.jane, settings=env.config, query="spending freeze", index=env.index
    )
    assert hits[0].entry_id == f"note:{env.world.rows['acme_freeze']}"


def test_a_too_large_missing_index_is_not_built_inline(env: Env) -> None:
    config = RetrievalConfig(chroma_path=env.config.chroma_path, auto_build_limit=2)
    with pytest.raises(IndexUnavailableError, match="csagent index rebuild"):
        semantic_search(db_session=env.session, actor=env.world.jane, settings=config, query="x", index=env.index)


def _tool_context(env: Env, search: object) -> ToolContext:
    return ToolContext(
        actor=env.world.jane,
        db_session=env.session,
        as_of=NOW.date(),
        now=NOW,
        timeline_search=search,  # type: ignore[arg-type]
    )


def test_the_tool_searches_by_meaning_when_an_index_is_given(env: Env) -> None:
    result = TOOLS["search_timeline"].invoke(
        {"query": "is money tight there?", "client": "Acme Corp", "limit": 3},
        _tool_context(env, TimelineSearcher(env.config)),
    )
    assert result.method == "semantic"
    assert result.note is None
    assert result.hits[0].entry_id == f"note:{env.world.rows['acme_freeze']}"
    payload = result.model_dump(mode="json")["hits"][0]
    for key in (
        "entry_id",
        "client_name",
        "occurred_at",
        "title",
        "body",
        "author_name",
        "kind",
        "source_type",
        "source_id",
        "score",
    ):
        assert key in payload


def test_the_tool_falls_back_to_keywords_when_the_index_fails(env: Env) -> None:
    unreachable = TimelineSearcher(RetrievalConfig(chroma_path=env.config.chroma_path, chroma_url="http://127.0.0.1:9"))
    result = TOOLS["search_timeline"].invoke(
        {"query": "spending", "client": "Acme Corp"}, _tool_context(env, unreachable)
    )
    assert result.method == "keyword"
    assert result.note
    assert "unavailable" in result.note
    assert [hit.entry_id for hit in result.hits] == [f"note:{env.world.rows['acme_freeze']}"]
    plain = TOOLS["search_timeline"].invoke({"query": "spending", "types": ["activity"]}, _tool_context(env, None))
    assert (plain.method, plain.hits) == ("keyword", [])


def test_modules_import_without_the_heavy_libraries() -> None:
    """A turn that never searches must not pay for torch, sentence-transformers or chromadb."""
    code = (
        "import sys, agent.runner, agent.retrieval.search, agent.retrieval.sync, tools;"
        "heavy = [m for m in ('torch', 'sentence_transformers', 'chromadb', 'transformers') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.strip() == ""


# ---------------------------------------------------------------------------------------- server mode


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _chroma_cli() -> str | None:
    beside = Path(sys.executable).with_name("chroma")
    return str(beside) if beside.exists() else shutil.which("chroma")


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[str]:
    """`chroma run` on 127.0.0.1 and a free port, with its own data folder; stopped after the test."""
    cli = _chroma_cli()
    if cli is None:
        pytest.skip("the `chroma` command (from the chromadb package) is not installed")
    port = _free_port()
    log = (tmp_path / "chroma-server.log").open("wb")
    server = subprocess.Popen(
        [cli, "run", "--path", str(tmp_path / "server-data"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if server.poll() is not None:
                pytest.fail(
                    f"chroma run exited with {server.returncode}: {(tmp_path / 'chroma-server.log').read_text()}"
                )
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("chroma run did not answer its heartbeat within 90 s")
            time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        log.close()


def test_server_mode_against_a_local_chroma_server(env: Env, chroma_server: str) -> None:
    settings = Settings(database_url=env.settings.database_url, chroma_url=chroma_server)
    config = RetrievalConfig.from_settings(settings)
    index = open_index(config, env.index.embedder)
    try:
        assert index.location == chroma_server
        report = sync_workspace(db_session=env.session, index=index, workspace_id=env.world.workspace_id)
        assert report.added > 0
        assert verify(db_session=env.session, index=index, workspace_id=env.world.workspace_id).in_sync
        hits = semantic_search(
            db_session=env.session, actor=env.world.jane, settings=config, query="is money tight?", index=index
        )
        assert hits[0].entry_id == f"note:{env.world.rows['acme_freeze']}"
        private = semantic_search(
            db_session=env.session,
            actor=env.world.vera,
            settings=config,
            query="looking for a new job",
            index=index,
            limit=20,
        )
        assert f"note:{env.world.rows['acme_private']}" not in [hit.entry_id for hit in private]
        assert env.index.count(env.world.workspace_id) == 0  # nothing went to the embedded store
    finally:
        forget_index(config)


def test_an_unreachable_server_is_reported_not_crashed(env: Env) -> None:
    config = RetrievalConfig(chroma_path=env.config.chroma_path, chroma_url=f"http://127.0.0.1:{_free_port()}")
    with pytest.raises(IndexUnavailableError, match="unavailable"):
        open_index(config, env.index.embedder)
