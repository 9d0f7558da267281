"""The eval case schema: who asks, what they say turn by turn, what to set up first, and what must hold after.

Cases live in evals/datasets/*.yaml. A file holds `cases:` (a list) and may set `defaults:` (category,
actor) for its cases. Everything is validated on load; an error names the file and the case id.
Checks are declarative (tau-bench: the final database state and required facts, not one reference path;
BFCL: tool choice and arguments, irrelevance, missing parameters).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml  # type: ignore[import-untyped, unused-ignore]  # no types-PyYAML in the dev deps
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from domain.demo import DEMO_STAFF
from tools import TOOLS, WRITE_TOOLS

DATASETS = Path(__file__).with_name("datasets")
CATEGORIES = (
    "tool_use",
    "multi_turn",
    "clarification",
    "irrelevance",
    "access",
    "confirmation",
    "injection",
    "groundedness",
    "retrieval",
)
Category = Literal[
    "tool_use",
    "multi_turn",
    "clarification",
    "irrelevance",
    "access",
    "confirmation",
    "injection",
    "groundedness",
    "retrieval",
]
# The other tenant the eval fixture adds beside the demo (evals/fixtures.py): for "nobody sees another tenant".
OTHER_TENANT_STAFF = ("vp@other-tenant.test",)
KNOWN_ACTORS = frozenset(seed.email for seed in DEMO_STAFF) | frozenset(OTHER_TENANT_STAFF)
# Tables a db check may look at (the ones write tools change, plus what they read for context).
DB_TABLES = (
    "activities",
    "notes",
    "alerts",
    "risks",
    "result_targets",
    "baseline_snapshots",
    "interventions",
    "outcome_entries",
    "client_feedback",
    "proof_posts",
    "idempotency_keys",
)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ---------------------------------------------------------------------------------------------- matchers


class Matcher(Strict):
    """A value test for an argument or a column. Exactly one field is set."""

    equals: Any = None
    contains: str | None = None  # case-insensitive substring of a string (or of any item of a list)
    one_of: list[Any] | None = None
    absent: bool | None = None  # true: the argument is missing or null
    present: bool | None = None  # true: the argument is given and not null
    gte: float | None = None
    lte: float | None = None

    @model_validator(mode="before")
    @classmethod
    def _plain_value(cls, value: Any) -> Any:
        # A plain YAML value means equality; a mapping with matcher keys is a matcher.
        keys = {"equals", "contains", "one_of", "absent", "present", "gte", "lte"}
        if isinstance(value, dict) and value and set(value) <= keys:
            return value
        return {"equals": value}

    @model_validator(mode="after")
    def _one_test(self) -> Matcher:
        tests = set(self.model_fields_set)
        if len(tests) != 1 and not (tests and tests <= {"gte", "lte"}):
            raise ValueError(f"a matcher takes one test (equals, contains, one_of, absent, present, gte/lte): {tests}")
        return self


ArgChecks = dict[str, dict[str, Matcher]]  # tool -> argument -> matcher


class ToolsCalled(Strict):
    """Which tools the conversation (or turn) called, by name: all of `names` (superset), exactly them, or none."""

    mode: Literal["superset", "exact", "none"] = "superset"
    names: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _names(self) -> ToolsCalled:
        unknown = sorted(set(self.names) - set(TOOLS))
        if unknown:
            raise ValueError(f"unknown tool(s) {unknown}; known: {sorted(TOOLS)}")
        if self.mode == "none" and self.names:
            raise ValueError("mode none takes no names")
        if self.mode != "none" and not self.names:
            raise ValueError(f"mode {self.mode} needs names")
        return self


class DbCheck(Strict):
    """Rows of one table matching `where` (column -> matcher; `client` -> the client's name, `{user: email}` ->
    a staff id), counted among rows created during the conversation (`scope: new`) or all rows (`all`)."""

    table: Literal[
        "activities",
        "notes",
        "alerts",
        "risks",
        "result_targets",
        "baseline_snapshots",
        "interventions",
        "outcome_entries",
        "client_feedback",
        "proof_posts",
        "idempotency_keys",
    ]
    where: dict[str, Matcher] = Field(default_factory=dict)
    scope: Literal["new", "all"] = "new"
    count: int | None = Field(None, ge=0)
    min_count: int | None = Field(None, ge=0)

    @model_validator(mode="after")
    def _one_count(self) -> DbCheck:
        if (self.count is None) == (self.min_count is None):
            raise ValueError("give exactly one of count or min_count")
        return self


class RetrievalCheck(Strict):
    """Timeline retrieval: each expected text must be in one of the first k search_timeline hits."""

    expected: list[str] = Field(min_length=1, description="Case-insensitive text of an entry that must be found.")
    k: int = Field(5, ge=1, le=50)
    min_recall: float = Field(1.0, ge=0, le=1)


class Checks(Strict):
    tools_called: ToolsCalled | None = None
    tools_not_called: list[str] = Field(default_factory=list)  # e.g. every write tool, for injection cases
    args: ArgChecks = Field(default_factory=dict)
    db: list[DbCheck] = Field(default_factory=list)
    no_writes: bool = False  # nothing any write tool changes was changed
    answer_contains: list[str] = Field(default_factory=list)
    answer_not_contains: list[str] = Field(default_factory=list)
    pending_confirmation: str | None = None  # checked only when given; null means "nothing pending"
    grounded: bool = False  # every number in the answer appears in this conversation's tool results
    retrieval: RetrievalCheck | None = None

    @field_validator("tools_not_called")
    @classmethod
    def _known_names(cls, value: list[str]) -> list[str]:
        expanded = [name for item in value for name in (sorted(WRITE_TOOLS) if item == "WRITE_TOOLS" else [item])]
        if unknown := sorted(set(expanded) - set(TOOLS)):
            raise ValueError(f"unknown tool(s) {unknown}; WRITE_TOOLS stands for every write tool")
        return expanded

    @field_validator("args")
    @classmethod
    def _known_tools(cls, value: ArgChecks) -> ArgChecks:
        unknown = sorted(set(value) - set(TOOLS))
        if unknown:
            raise ValueError(f"unknown tool(s) {unknown}")
        for tool, arguments in value.items():
            fields = set(TOOLS[tool].args_model.model_fields)
            if extra := sorted(set(arguments) - fields):
                raise ValueError(f"{tool} has no argument(s) {extra}; it takes {sorted(fields)}")
        return value

    @field_validator("pending_confirmation")
    @classmethod
    def _write_tool(cls, value: str | None) -> str | None:
        if value is not None and value not in WRITE_TOOLS:
            raise ValueError(f"{value!r} is not a write tool; write tools: {sorted(WRITE_TOOLS)}")
        return value

    @property
    def checks_pending(self) -> bool:
        return "pending_confirmation" in self.model_fields_set

    @property
    def empty(self) -> bool:
        return not self.model_fields_set


class Turn(Strict):
    text: str = ""
    yes: bool = False  # confirm any write this turn proposes (like `csagent ask --yes`)
    edit: dict[str, Any] | None = None  # edit the pending write's arguments (a channel's edit form)
    message_id: str | None = None  # the channel's message id; a repeat tests idempotency
    checks: Checks | None = None  # checked right after this turn

    @field_validator("text", mode="before")
    @classmethod
    def _yaml_yes(cls, value: Any) -> Any:
        # YAML 1.1 reads a bare yes / no as a boolean; a turn that says "yes" means the word.
        return ("yes" if value else "no") if isinstance(value, bool) else value

    @model_validator(mode="after")
    def _says_something(self) -> Turn:
        if not self.text.strip() and self.edit is None:
            raise ValueError("a turn needs text or an edit")
        return self


# ------------------------------------------------------------------------------------------------- setup


class NoteSetup(Strict):
    kind: Literal["note"]
    client: str
    author: str = Field(description="Staff email of the note's author.")
    content: str
    title: str | None = None
    note_type: Literal["GENERAL", "STRATEGY", "RISK", "OPPORTUNITY", "QBR_PREP", "INTERNAL"] = "GENERAL"
    private: bool = False
    days_ago: int = Field(1, ge=0, le=3650)


class ActivitySetup(Strict):
    kind: Literal["activity"]
    client: str
    author: str
    subject: str
    description: str | None = None
    activity_type: Literal[
        "CALL",
        "EMAIL",
        "MEETING",
        "QBR",
        "TRAINING",
        "ONBOARDING",
        "SUPPORT_ESCALATION",
        "EXECUTIVE_TOUCHPOINT",
        "INTERNAL_DISCUSSION",
        "OTHER",
    ] = "CALL"
    days_ago: int = Field(1, ge=0, le=3650)
    follow_up_in_days: int | None = Field(None, ge=-365, le=365)


class FeedbackSetup(Strict):
    kind: Literal["feedback"]
    client: str
    author: str
    response: str
    sentiment: Literal["positive", "neutral", "negative"] | None = None
    days_ago: int = Field(1, ge=0, le=3650)


SetupRow = Annotated[NoteSetup | ActivitySetup | FeedbackSetup, Field(discriminator="kind")]


# -------------------------------------------------------------------------------------------------- case


class Case(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]{2,80}$")
    category: Category
    actor: str
    description: str | None = None
    turns: list[Turn] = Field(min_length=1)
    setup: list[SetupRow] = Field(default_factory=list)
    checks: Checks = Field(default_factory=Checks)
    tags: list[str] = Field(default_factory=list)
    source: str = ""  # the dataset file, filled on load

    @field_validator("actor")
    @classmethod
    def _known_actor(cls, value: str) -> str:
        if value not in KNOWN_ACTORS:
            raise ValueError(f"unknown actor {value!r}; use a demo staff email: {sorted(KNOWN_ACTORS)}")
        return value

    @field_validator("turns", mode="before")
    @classmethod
    def _plain_turns(cls, value: Any) -> Any:
        # A turn may be written as a bare string; YAML 1.1 reads the key `yes:` as the boolean true.
        if isinstance(value, list):
            return [
                {"text": turn}
                if isinstance(turn, str | bool)
                else {("yes" if key is True else key): item for key, item in turn.items()}
                if isinstance(turn, dict)
                else turn
                for turn in value
            ]
        return value

    @model_validator(mode="after")
    def _has_checks(self) -> Case:
        if self.checks.empty and all(turn.checks is None for turn in self.turns):
            raise ValueError("a case needs at least one check")
        if self.category == "retrieval" and not self._retrieval_checks():
            raise ValueError("a retrieval case needs a retrieval check")
        for row in self.setup:
            if row.author not in KNOWN_ACTORS:
                raise ValueError(f"setup author {row.author!r} is not a known staff email")
        return self

    def _retrieval_checks(self) -> list[RetrievalCheck]:
        found = [self.checks.retrieval] + [turn.checks.retrieval for turn in self.turns if turn.checks]
        return [check for check in found if check is not None]

    @property
    def texts(self) -> list[str]:
        return [turn.text for turn in self.turns]


class CaseFileError(ValueError):
    """A dataset that does not load: names the file, the case and what is wrong."""


def _describe(error: ValidationError) -> str:
    parts = []
    for item in error.errors()[:5]:
        where = ".".join(str(part) for part in item["loc"]) or "case"
        parts.append(f"{where}: {item['msg']}")
    return "; ".join(parts)


def load_file(path: Path) -> list[Case]:
    """The cases of one YAML file, validated; raises CaseFileError naming the file and case id."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as problem:
        raise CaseFileError(f"{path.name}: not valid YAML: {problem}") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("cases"), list):
        raise CaseFileError(f"{path.name}: expected a mapping with a `cases:` list")
    if extra := sorted(set(raw) - {"cases", "defaults"}):
        raise CaseFileError(f"{path.name}: unknown top-level key(s) {extra}")
    defaults = raw.get("defaults") or {}
    if not isinstance(defaults, dict) or set(defaults) - {"category", "actor", "tags"}:
        raise CaseFileError(f"{path.name}: defaults may set category, actor and tags only")
    cases = []
    for index, item in enumerate(raw["cases"]):
        if not isinstance(item, dict):
            raise CaseFileError(f"{path.name}: case #{index + 1} is not a mapping")
        case_id = item.get("id", f"#{index + 1}")
        try:
            cases.append(Case.model_validate({**defaults, **_jsonable(item), "source": path.name}))
        except ValidationError as problem:
            raise CaseFileError(f"{path.name}: case {case_id}: {_describe(problem)}") from None
    return cases


def _jsonable(value: Any) -> Any:
    """YAML reads 2026-11-21 as a date; expectations compare with ISO strings, as tool arguments carry them."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    return value


def load_cases(paths: Iterable[Path] | None = None) -> list[Case]:
    """Every case of the given files (default: all datasets), ids unique across files."""
    files = sorted(paths) if paths is not None else sorted(DATASETS.glob("*.yaml"))
    cases: list[Case] = []
    seen: dict[str, str] = {}
    for path in files:
        for case in load_file(path):
            if case.id in seen:
                raise CaseFileError(f"{path.name}: case {case.id}: id already used in {seen[case.id]}")
            seen[case.id] = path.name
            cases.append(case)
    return cases


def select_cases(cases: list[Case], suite: str) -> list[Case]:
    """`all`, or comma-separated categories, dataset file stems or case ids."""
    if suite in ("all", ""):
        return cases
    wanted = {part.strip() for part in suite.split(",") if part.strip()}
    known = set(CATEGORIES) | {Path(case.source).stem for case in cases} | {case.id for case in cases}
    if unknown := sorted(wanted - known):
        raise CaseFileError(f"unknown suite(s) {unknown}; use all, a category ({', '.join(CATEGORIES)}) or a file")
    return [case for case in cases if {case.category, Path(case.source).stem, case.id} & wanted]
