"""Intent routing by similarity to example utterances: TF-IDF over char and word n-grams, nearest examples.

Built once per process from examples.yaml in milliseconds (no training loop, and no scikit-learn import: see
tfidf.py, so a cold `csagent ask` stays fast); char n-grams make it robust to typos, word n-grams to
paraphrase. An intent's score is the mean cosine similarity of its two nearest examples; a low best score
means "not sure", never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from agent.offline.tfidf import TfidfSpace, char_wb_ngrams, postings, word_ngrams

EXAMPLES = Path(__file__).with_name("examples.yaml")
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser: a fifth of a cold start's parse time
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
        if name in masked:  # a name that is not even a substring cannot match: skip the regex
            masked = _name_pattern(name).sub("client", masked)
    return re.sub(r"\d", "0", masked)


@lru_cache(maxsize=4096)
def _name_pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![a-z0-9]){re.escape(name)}(?:'s)?(?![a-z0-9])")


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower()).strip()


@lru_cache(maxsize=1)
def load_examples() -> dict[str, list[str]]:
    raw = yaml.load(EXAMPLES.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
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
        self.labels = [intent for intent, utterances in examples.items() for _ in utterances]
        self.intents = list(examples)
        self.spaces = (
            TfidfSpace(texts, lambda text: char_wb_ngrams(text, 2, 4)),
            TfidfSpace(texts, lambda text: word_ngrams(text, 1, 2)),
        )
        self.postings = [postings(space.vectors) for space in self.spaces]

    def scores(self, text: str, names: tuple[str, ...] | list[str] = ()) -> dict[str, float]:
        """Each intent's similarity to `text` (names masked): the mean of its two most similar examples."""
        query = normalise(mask(text, names))
        similarity = [0.0] * len(self.labels)
        for space, index in zip(self.spaces, self.postings, strict=True):
            for term, weight in space.vector(query).items():
                for number, example_weight in index[term]:
                    similarity[number] += weight * example_weight
        by_intent: dict[str, list[float]] = {intent: [] for intent in self.intents}
        for label, value in zip(self.labels, similarity, strict=True):
            by_intent[label].append(value / 2.0)  # two unit-norm blocks -> cosine in [0, 1]
        return {intent: _mean_of_top_two(values) for intent, values in by_intent.items()}

    def route(self, text: str, names: tuple[str, ...] | list[str] = ()) -> Route:
        ranked = sorted(self.scores(text, names).items(), key=lambda item: -item[1])
        (best, score), runner_up = ranked[0], ranked[1][0] if len(ranked) > 1 else None
        return Route(best, score, runner_up)


def _mean_of_top_two(values: list[float]) -> float:
    top = sorted(values)[-2:]
    return sum(top) / len(top)


@lru_cache(maxsize=1)
def default_router() -> IntentRouter:
    return IntentRouter(load_examples())
