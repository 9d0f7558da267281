"""Names the offline planner can recognise in a message: the actor's clients, their contacts, the staff.

Built per turn from the database (cheap: names only). Clients outside the actor's portfolio are known only
by exact name, so a typed name can be answered with "not in your portfolio" without ever suggesting one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from domain.access import Actor, visible_clients_clause
from domain.clients.models import Client, Contact
from domain.staff.models import User


def words(text: str) -> frozenset[str]:
    """A set of words written as one string (long word lists stay readable)."""
    return frozenset(text.split())


# Names that are also everyday words: "mark it resolved", "grant access", "will renew".
COMMON_WORD_NAMES = words(
    "mark grant guy dawn will may june april august rose page faith hope joy summer autumn holly ray frank art "
    "chase miles penny sue bill pat carol iris lane lee max rich drew gene jean sandy wade cole price bell chan "
    "long young rice hale case brook brooks hunter mason major king rush"
)


LEGAL_SUFFIXES = {"corp", "corporation", "inc", "llc", "ltd", "co", "company", "group", "plc", "gmbh", "sa"}


@dataclass(frozen=True, slots=True)
class ClientName:
    id: int
    name: str
    aliases: tuple[str, ...]  # lowercase forms a person might type: "acme corp", "acme"
    visible: bool


@dataclass(slots=True)
class Vocabulary:
    clients: list[ClientName] = field(default_factory=list)
    contacts: dict[int, list[tuple[int, str]]] = field(default_factory=dict)  # client id -> (contact id, name)
    staff: list[tuple[int, str, str]] = field(default_factory=list)  # (user id, name, email)

    def name_tokens(self) -> dict[str, list[ClientName]]:
        """Distinctive words of visible clients' names ("ochoa" in Ochoa PLC and Rose-Ochoa) -> those clients.

        Words people use for other things are left out: legal suffixes, "and", words of the planner's own
        example requests ("health", "group"), and the given names of staff and contacts."""
        common = ordinary_words() | {name.split()[0].lower() for _, name, _ in self.staff}
        common |= {name.lower().split()[0] for contacts in self.contacts.values() for _, name in contacts}
        tokens: dict[str, list[ClientName]] = {}
        for client in self.clients:
            if not client.visible:
                continue
            for word in dict.fromkeys(re.findall(r"[a-z0-9&']+", client.name.lower())):
                if len(word) >= 3 and word not in common | COMMON_WORD_NAMES and word not in LEGAL_SUFFIXES:
                    tokens.setdefault(word, []).append(client)
        return tokens

    def people(self) -> list[str]:
        """Full names (lowercase) of the visible clients' contacts and of the staff, longest first."""
        found = {name.lower() for contacts in self.contacts.values() for _, name in contacts if " " in name}
        found |= {name.lower() for _, name, _ in self.staff if " " in name}
        return sorted(found, key=len, reverse=True)

    def names(self) -> list[str]:
        """Client aliases and contact names (full and first), for masking before intent routing."""
        found = {alias for client in self.clients for alias in client.aliases}
        for contacts in self.contacts.values():
            for _, name in contacts:
                found.add(name.lower())
                found.add(name.lower().split()[0])
        return sorted(found)


# Words of company names that say what a company is, not which one: "industries" alone names no client.
NAME_STOPWORDS = words(
    "and the of sons partners associates brothers holdings industries industry logistics health healthcare dental "
    "law legal group systems solutions services technologies technology tech software labs lab global "
    "international capital ventures enterprises enterprise consulting dynamics digital media energy financial "
    "insurance retail manufacturing pharmaceuticals pharma education hospitality foods motors networks analytics "
    "partners studio studios agency clinic clinics medical bank trust fund"
)


@lru_cache(maxsize=1)
def ordinary_words() -> frozenset[str]:
    """Words of the planner's example requests: when a client's name contains one, that word alone is not a name."""
    from agent.offline.router import load_examples

    words = {word for examples in load_examples().values() for text in examples for word in re.findall(r"[a-z]+", text)}
    return frozenset(words | NAME_STOPWORDS)


def aliases_for(name: str, taken_first_words: set[str]) -> tuple[str, ...]:
    """The full name, the name without a legal suffix, and a distinctive first word."""
    words = re.findall(r"[a-z0-9&']+", name.lower())
    forms = {" ".join(words)}
    trimmed = [word for word in words if word not in LEGAL_SUFFIXES]
    if trimmed:
        forms.add(" ".join(trimmed))
    if len(words) > 1 and len(words[0]) >= 4 and words[0] not in taken_first_words | COMMON_WORD_NAMES:
        forms.add(words[0])  # "miles" alone is a distance, not Miles, Allen and Jackson
    return tuple(sorted(forms, key=len, reverse=True))


def build_vocabulary(db_session: Session, actor: Actor) -> Vocabulary:
    rows = db_session.execute(
        select(Client.id, Client.name, visible_clients_clause(actor)).where(Client.workspace_id == actor.workspace_id)
    ).all()
    first_words = [re.findall(r"[a-z0-9&']+", name.lower())[:1] for _, name, _ in rows]
    counts: dict[str, int] = {}
    for words in first_words:
        for word in words:
            counts[word] = counts.get(word, 0) + 1
    shared = {word for word, count in counts.items() if count > 1}
    vocabulary = Vocabulary(
        clients=[ClientName(cid, name, aliases_for(name, shared), bool(visible)) for cid, name, visible in rows]
    )
    visible_ids = [client.id for client in vocabulary.clients if client.visible]
    for contact_id, client_id, name in db_session.execute(
        select(Contact.id, Contact.client_id, Contact.name).where(Contact.client_id.in_(visible_ids))
    ):
        vocabulary.contacts.setdefault(client_id, []).append((contact_id, name))
    vocabulary.staff = [
        (user_id, name, email)
        for user_id, name, email in db_session.execute(
            select(User.id, User.name, User.email).where(User.workspace_id == actor.workspace_id)
        )
    ]
    return vocabulary
