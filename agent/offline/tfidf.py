"""TF-IDF vectors over character and word n-grams, as scikit-learn's TfidfVectorizer computes them.

The router needs only this much of scikit-learn, whose import alone (scipy.stats and all) took over a second
of every cold `csagent ask`. Same definitions as `TfidfVectorizer(analyzer=..., ngram_range=...,
sublinear_tf=True)` with its defaults (lowercase, smooth idf, l2 norm), so routing scores are unchanged
(tests/agent/test_router_tfidf.py compares the two when scikit-learn is installed):

    tf    = 1 + ln(count)                   idf = ln((1 + documents) / (1 + documents with the term)) + 1
    value = tf x idf, then each vector scaled to unit length over the terms seen when fitting
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence

SparseVector = dict[str, float]
WORD = re.compile(r"(?u)\b\w\w+\b")
RUNS_OF_SPACE = re.compile(r"\s\s+")


def char_wb_ngrams(text: str, low: int, high: int) -> list[str]:
    """Character n-grams inside word boundaries, each word padded with a space on both sides."""
    grams = []
    for word in RUNS_OF_SPACE.sub(" ", text).split():
        padded = f" {word} "
        for size in range(low, high + 1):
            offset = 0
            grams.append(padded[:size])
            while offset + size < len(padded):
                offset += 1
                grams.append(padded[offset : offset + size])
            if offset == 0:  # a word shorter than the n-gram counts once
                break
    return grams


def word_ngrams(text: str, low: int, high: int) -> list[str]:
    """Word n-grams of the two-or-more-character tokens."""
    tokens = WORD.findall(text)
    return [
        " ".join(tokens[start : start + size])
        for size in range(low, high + 1)
        for start in range(len(tokens) - size + 1)
    ]


class TfidfSpace:
    """The vector space fitted on a list of documents; `vector` places any text in it."""

    def __init__(self, documents: Sequence[str], analyse: Callable[[str], list[str]]) -> None:
        self.analyse = analyse
        counts = [Counter(analyse(document.lower())) for document in documents]
        frequency = Counter(term for count in counts for term in count)
        self.idf = {term: math.log((1 + len(documents)) / (1 + df)) + 1 for term, df in frequency.items()}
        self.vectors = [self._weigh(count) for count in counts]

    def vector(self, text: str) -> SparseVector:
        return self._weigh(Counter(term for term in self.analyse(text.lower()) if term in self.idf))

    def _weigh(self, count: Counter[str]) -> SparseVector:
        weights = {term: (1 + math.log(n)) * self.idf[term] for term, n in count.items()}
        length = math.sqrt(sum(weight * weight for weight in weights.values()))
        return {term: weight / length for term, weight in weights.items()} if length else weights


def postings(vectors: Sequence[SparseVector]) -> dict[str, list[tuple[int, float]]]:
    """Term -> (document index, weight): an inverted index, so a query touches only the documents sharing a term."""
    index: dict[str, list[tuple[int, float]]] = {}
    for number, vector in enumerate(vectors):
        for term, weight in vector.items():
            index.setdefault(term, []).append((number, weight))
    return index
