"""The forms a person types a client's name in: "Acme Corp", "acme", "northwind logistics" -> "northwind"."""

from __future__ import annotations

import re

LEGAL_SUFFIXES = frozenset({"corp", "corporation", "inc", "llc", "ltd", "co", "company", "group", "plc", "gmbh", "sa"})


def name_words(name: str) -> list[str]:
    return re.findall(r"[a-z0-9&']+", name.lower())


def typed_forms(name: str) -> set[str]:
    """The full name, the name without its legal suffix, and its first word when that is distinctive enough."""
    words = name_words(name)
    forms = {" ".join(words)}
    trimmed = [word for word in words if word not in LEGAL_SUFFIXES]
    if trimmed:
        forms.add(" ".join(trimmed))
    if len(words) > 1 and len(words[0]) >= 4:
        forms.add(words[0])
    return forms
