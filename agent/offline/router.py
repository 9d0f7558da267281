"""Intent routing by similarity to example utterances: TF-IDF over char and word n-grams, nearest examples.

Built once per process from examples.yaml in milliseconds (no training loop, so a cold `csagent ask` stays
fast); char n-grams make it robust to typos, word n-grams to paraphrase. An intent's score is the mean
cosine similarity of its two nearest examples; a low best score means "not sure", never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

EXAMPLES = Path(__file__).with_name("examples.yaml")
CLIENT_PLACEHOLDER = "client"
MIN_CONFIDENCE = 0.22


@dataclass(frozen=True, slots=True)
class Route:
    intent: str
    confidence: float
    runner_up: str | None


# Names that appear in examples.yaml: masked like the client and contact names of a real message, so
# routing learns the shape of a request ("<client> was at <n> hours") and not which client was named.
EXAMPLE_NAMES = (
    "acme corp",
    "acme",
    "beta industries",
    "beta",
    "gamma llc",
    "gamma",
    "delta inc",
    "delta",
    "epsilon health",
    "epsilon",
    "northwind logistics",
    "northwind",
    "businesspoint law",
    "businesspoint",
    "riverside dental group",
    "riverside",
    "sarah chen",
    "sarah",
    "mike",
    "john",
    "priya",
)


def mask(text: str, names: tuple[str, ...] | list[str]) -> str:
    """Replace names with the word "client" and digits with 0, longest names first."""
    masked = re.sub(r"[\"“][^\"”]*[\"”]", " quote ", text.lower())  # quoted words are the client's, not a request
    for name in sorted(names, key=len, reverse=True):
        masked = re.sub(rf"(?<![a-z0-9]){re.escape(name)}(?:'s)?(?![a-z0-9])", "client", masked)
    return re.sub(r"\d", "0", masked)


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower()).strip()


@lru_cache(maxsize=1)
def load_examples() -> dict[str, list[str]]:
    raw = yaml.safe_load(EXAMPLES.read_text(encoding="utf-8"))
    return {
        intent: [normalise(mask(_as_text(example), EXAMPLE_NAMES)) for example in examples]
        for intent, examples in raw.items()
    }


def _as_text(example: object) -> str:
    # YAML reads an unquoted "note for beta: text" as a mapping; keep it as the sentence it was.
    if isinstance(example, dict):
        return " ".join(f"{key}: {value}" for key, value in example.items())
    return str(example)


class IntentRouter:
    def __init__(self, examples: dict[str, list[str]]) -> None:
        texts = [text for utterances in examples.values() for text in utterances]
        self.labels = np.array([intent for intent, utterances in examples.items() for _ in utterances])
        self.intents = list(examples)
        self.features = FeatureUnion(
            [
                ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)),
                ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True)),
            ]
        )
        self.matrix = self.features.fit_transform(texts)

    def scores(self, text: str, names: tuple[str, ...] | list[str] = ()) -> dict[str, float]:
        """Each intent's similarity to `text` (names masked): the mean of its two most similar examples."""
        query = self.features.transform([normalise(mask(text, names))])
        similarity = (self.matrix @ query.T).toarray().ravel() / 2.0  # two unit-norm blocks -> cosine in [0, 1]
        result = {}
        for intent in self.intents:
            top = np.sort(similarity[self.labels == intent])[-2:]
            result[intent] = float(top.mean())
        return result

    def route(self, text: str, names: tuple[str, ...] | list[str] = ()) -> Route:
        ranked = sorted(self.scores(text, names).items(), key=lambda item: -item[1])
        (best, score), runner_up = ranked[0], ranked[1][0] if len(ranked) > 1 else None
        return Route(best, score, runner_up)


@lru_cache(maxsize=1)
def default_router() -> IntentRouter:
    return IntentRouter(load_examples())
