"""The router's own TF-IDF (agent/offline/tfidf.py) scores like scikit-learn's TfidfVectorizer it replaced."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]

from agent.offline.router import IntentRouter, load_examples, mask, normalise
from agent.offline.tfidf import char_wb_ngrams, word_ngrams

QUERIES = [
    "why is acme dropping?",
    "whos at risk",
    "log a call with beta: they want a QBR in 2 weeks",
    "wat is acmes churn rsik",
    "  Upcoming   renewals\tplease ",
    "a",
    "",
    "the the the",
]


def test_ngrams_match_scikit_learn_analysers() -> None:
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4)).build_analyzer()
    words = TfidfVectorizer(analyzer="word", ngram_range=(1, 2)).build_analyzer()
    for text in QUERIES:
        lowered = text.lower()
        assert sorted(char_wb_ngrams(lowered, 2, 4)) == sorted(chars(text))
        assert sorted(word_ngrams(lowered, 1, 2)) == sorted(words(text))


def _sklearn_scores(examples: dict[str, list[str]], text: str, names: list[str]) -> dict[str, float]:
    texts = [utterance for utterances in examples.values() for utterance in utterances]
    labels = np.array([intent for intent, utterances in examples.items() for _ in utterances])
    query = normalise(mask(text, names))
    similarity = np.zeros(len(texts))
    for analyzer, ngrams in (("char_wb", (2, 4)), ("word", (1, 2))):
        vectorizer = TfidfVectorizer(analyzer=analyzer, ngram_range=ngrams, sublinear_tf=True)
        matrix = vectorizer.fit_transform(texts)
        similarity += (matrix @ vectorizer.transform([query]).T).toarray().ravel()
    similarity /= 2.0
    return {intent: float(np.sort(similarity[labels == intent])[-2:].mean()) for intent in examples}


@pytest.mark.parametrize("text", QUERIES)
def test_router_scores_match_scikit_learn(text: str) -> None:
    examples = load_examples()
    names = ["acme corp", "acme", "beta"]
    ours = IntentRouter(examples).scores(text, names)
    theirs = _sklearn_scores(examples, text, names)
    assert ours.keys() == theirs.keys()
    assert ours == pytest.approx(theirs, abs=1e-12)
    assert max(ours, key=ours.__getitem__) == max(theirs, key=theirs.__getitem__)
