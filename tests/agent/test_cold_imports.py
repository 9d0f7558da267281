"""A cold `csagent ask` loads only what a turn needs (issue 4: under 3 s for a question that does not search).

Each library below costs a tenth of a second to over a second to import; the code that needs one imports it
where it is used (churn fitting, timeline search, the OpenAI model, demo data), never at module level.
"""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("sklearn", "scipy", "numpy", "torch", "sentence_transformers", "chromadb", "langchain_openai", "faker")


def _loaded_after(statement: str) -> list[str]:
    code = f"import sys; {statement}; print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    return [name for name in done.stdout.strip().split(",") if name]


def test_the_cli_and_the_agent_import_none_of_the_heavy_libraries() -> None:
    assert _loaded_after("import channels.cli.app, agent.runner, tools") == []


def test_the_control_sees_a_heavy_library_when_one_is_imported() -> None:
    """Control: the check above would notice a heavy import (scikit-learn is what the router used to import)."""
    assert _loaded_after("import sklearn.feature_extraction.text") == ["sklearn", "scipy", "numpy"]
