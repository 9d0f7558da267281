"""The offline planner: a LangChain chat model that routes, fills arguments and writes answers from tool
results with templates. Deterministic and grounded by construction; the default model.

A turn: read the thread (thread.py) -> resolve "the second one" against the last list -> a reply to an open
"which one?" -> a follow-up ("what about beta") repeats the last read for the new client or staff member ->
otherwise route (router.py similarity, adjusted by cues.py: cue words, portfolio-wide vs one-client intents,
a domain-vocabulary gate for out-of-scope, questions no tool answers go to the client's timeline) -> fill the
arguments (fillers*.py) or ask one question. A write aimed at "the acme alert" first lists the client's alerts
and then proposes the one alert the words fit, or asks which.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage
from langchain_core.messages.tool import ToolCall
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.tools import BaseTool
from pydantic import ConfigDict

from agent.confirm import classify_reply
from agent.offline.answers import compose_answer
from agent.offline.cues import adjust, cue_intents, has_domain_word, refers_to_someone
from agent.offline.fillers import Clarify, Message, client_arg, staff_named, unknown_name
from agent.offline.intents import BUILDERS, HELP, NOT_SURE, OUT_OF_SCOPE
from agent.offline.router import MIN_CONFIDENCE, default_router
from agent.offline.slots import ClientMention, find_client_mention, find_contact_mention, invalid_dates
from agent.offline.thread import LOOKUP_KEY, Thread, read_thread, resolve_ordinal
from agent.offline.vocabulary import ClientName, Vocabulary
from tools import TOOLS

MODEL_NAME = "offline"


class OfflinePlanner(BaseChatModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    vocabulary: Vocabulary
    as_of: dt.date
    tool_names: frozenset[str] = frozenset()

    @property
    def _llm_type(self) -> str:
        return "csagent-offline-planner"

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> OfflinePlanner:
        names = {tool.name if isinstance(tool, BaseTool) else str(tool["name"]) for tool in tools}
        return self.model_copy(update={"tool_names": frozenset(names)})

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        last = messages[-1]
        if isinstance(last, ToolMessage):
            reply = self.after_lookup(messages) or AIMessage(content=compose_answer(messages))
        else:
            reply = self.plan(str(last.content), messages)
        return ChatResult(generations=[ChatGeneration(message=reply)])

    def plan(self, text: str, history: Sequence[BaseMessage]) -> AIMessage:
        """Pick the intent, fill its arguments, and either call the tool or ask one question."""
        thread = read_thread(history)
        if classify_reply(text) == "accept":  # a "yes" reaches the planner only when nothing waits for one
            return AIMessage(content=_nothing_to_confirm(history))
        text = resolve_ordinal(text, thread)
        message = Message(
            text=text,
            as_of=self.as_of,
            vocabulary=self.vocabulary,
            last_client=thread.last_client,
            last_staff=thread.last_staff,
            topic=" ".join(thread.said[:2]),
        )
        mention = find_client_mention(text, self.vocabulary)
        if thread.choice is not None and (chosen := self._answer_to_choice(text, thread)) is not None:
            return chosen
        repeated = self._follow_up(message, mention, thread)
        if repeated is not None:
            return repeated
        intent = self._intent(message, mention)
        if intent in (HELP, OUT_OF_SCOPE, NOT_SURE):
            return AIMessage(content=intent)
        writes = TOOLS[intent].writes if intent in TOOLS else False
        if writes and (bad := invalid_dates(text, self.as_of)):
            return AIMessage(content=f"'{bad[0]}' is not a valid date. Which day do you mean? Nothing was saved.")
        args = BUILDERS[intent](message)
        if isinstance(args, Clarify):
            return AIMessage(content=args.question)
        if writes and args.get("client"):
            known = self._known_client(str(args["client"]))
            if known is None:
                return AIMessage(content="I couldn't find a client by that name in your portfolio. Which client?")
            if not known.visible:  # refused before anything is proposed, not after the user said yes
                return AIMessage(content=f"'{args['client']}' is not in your portfolio, so there is nothing to save.")
        if intent == "update_alert" and "alert_id" not in args and "list_alerts" in self.tool_names:
            # Which of the client's alerts? Look first, so the user confirms one alert (or is asked which).
            lookup = {"client": args["client"]}
            return AIMessage(
                content="",
                tool_calls=[_call("list_alerts", lookup)],
                additional_kwargs={LOOKUP_KEY: {"name": intent, "args": args}},
            )
        return AIMessage(content="", tool_calls=[_call(intent, args)])

    def _intent(self, message: Message, mention: ClientMention) -> str:
        """The tool to call, or one of the direct answers (HELP, OUT_OF_SCOPE, NOT_SURE)."""
        text = message.text
        raw = default_router().scores(text, self.vocabulary.names())
        named = bool(mention.matches) or _names_person(message)
        best_raw = max(raw, key=raw.__getitem__)
        if best_raw == "greeting" and raw[best_raw] >= MIN_CONFIDENCE:
            if not named and not has_domain_word(text):
                return HELP
            raw = {**raw, "greeting": 0.0}  # "met their cfo this morning" is not a "good morning"
        staff = staff_named(message)
        scores = adjust(raw, text, names_client=bool(mention.matches), names_staff=staff is not None)
        cues = cue_intents(text)
        if _is_question(text):  # a question asks to read, unless it also says what to write or draft
            for intent in scores:
                acts = intent in TOOLS and (TOOLS[intent].writes or intent == "draft_outreach")
                if acts and intent not in cues:
                    scores[intent] -= QUESTION_WRITE_PENALTY
        ranked = sorted(scores, key=scores.__getitem__, reverse=True)
        best = ranked[0]
        if best not in cues:  # an intent the message has cue words for beats a merely similar one, if close
            cued = next((intent for intent in ranked[1:3] if intent in cues), None)
            if cued is not None and scores[best] - scores[cued] < CUE_MARGIN:
                best = cued
        about_work = (
            named
            or has_domain_word(text)
            or (refers_to_someone(text) and best != "out_of_scope")
            or unknown_name(message) is not None  # "with zorblax industries": a client we don't know, still work
        )
        if best == "out_of_scope" or (not about_work and raw[best] < OFF_TOPIC_CEILING):
            return OUT_OF_SCOPE
        if not about_work and _needs_client(best) and not message.last_client:
            return OUT_OF_SCOPE  # "tell me a story" is shaped like "tell me about beta", but names nothing
        if best == "greeting":
            return HELP
        searchable = mention.matches and _is_question(text) and "search_timeline" in self.tool_names
        if best not in cues and scores[best] < QUESTION_FLOOR and searchable:
            return "search_timeline"  # a question about a client that no tool clearly answers: its timeline
        if scores[best] < MIN_CONFIDENCE and best not in cues:
            if _names_only(message, mention):
                return "get_client_overview"
            return NOT_SURE
        if best not in BUILDERS or best not in self.tool_names:
            return NOT_SURE
        return best

    def _follow_up(self, message: Message, mention: ClientMention, thread: Thread) -> AIMessage | None:
        """ "what about beta" / "same for delta" / "and john?": the last request again, for another client or
        staff member. Only reads are repeated; a write is always asked for in its own words."""
        if thread.last_call is None:
            if mention.matches and _names_only(message, mention) and "get_client_overview" in self.tool_names:
                return self._client_call("get_client_overview", {}, message, mention)
            return None
        name, args = thread.last_call
        tool = TOOLS.get(name)
        if tool is None or tool.writes or name not in self.tool_names:
            return None
        if not (FOLLOW_UP.search(message.lowered) or _names_only(message, mention)):
            return None
        fields = tool.args_model.model_fields
        if mention.matches and _names_only(message, mention):
            if "client" in fields:
                return self._client_call(name, args, message, mention)
            return self._client_call("get_client_overview", {}, message, mention)
        staff = staff_named(message)
        if staff and "csm" in fields and _names_only(message, mention, staff=True):
            return AIMessage(content="", tool_calls=[_call(name, {**args, "csm": staff})])
        return None

    def _client_call(self, name: str, args: dict[str, Any], message: Message, mention: ClientMention) -> AIMessage:
        client = client_arg(message)
        if isinstance(client, Clarify):
            return AIMessage(content=client.question)
        return AIMessage(content="", tool_calls=[_call(name, {**args, "client": client})])

    def _answer_to_choice(self, text: str, thread: Thread) -> AIMessage | None:
        """The reply to "which one?": an alert number ("#2", "2") or words that fit one of the listed alerts."""
        assert thread.choice is not None
        then, items = thread.choice
        ids = {int(item["id"]) for item in items}
        numbers = [int(n) for n in re.findall(r"#?\b(\d{1,6})\b", text) if int(n) in ids]
        picked = [item for item in items if int(item["id"]) in numbers[:1]]
        if not picked and len(text.split()) <= 6 and re.search(r"\b(?:one|alert|that|this|the)\b", text, re.I):
            narrowed = pick_alerts(items, None, text, str(then["args"].get("client", "")))
            picked = narrowed if len(narrowed) == 1 and len(items) > 1 else []
        if len(picked) != 1:
            return None
        return AIMessage(content="", tool_calls=[_call(then["name"], {**then["args"], "alert_id": picked[0]["id"]})])

    def _known_client(self, name: str) -> ClientName | None:
        """The client a name (as the planner filled it in) stands for, in the portfolio or not."""
        lowered = name.lower()
        return next((c for c in self.vocabulary.clients if lowered == c.name.lower() or lowered in c.aliases), None)

    def after_lookup(self, messages: Sequence[BaseMessage]) -> AIMessage | None:
        """After the lookup made before a write: the write, now aimed at one item, or a question naming them."""
        request = next((m for m in reversed(messages) if isinstance(m, AIMessage) and m.tool_calls), None)
        if request is None or not request.additional_kwargs.get(LOOKUP_KEY):
            return None
        then = request.additional_kwargs[LOOKUP_KEY]
        result = messages[-1]
        if not isinstance(result, ToolMessage) or result.status == "error":
            return None  # the lookup's error (not in your portfolio, ...) is the answer
        alerts = json.loads(str(result.content)).get("alerts") or []
        args = dict(then["args"])
        chosen = pick_alerts(alerts, args.get("about"), self._last_human(messages), args.get("client", ""))
        if not alerts:
            return AIMessage(
                content=f"{args.get('client')} has no open alerts, so there is nothing to {args['action']}."
            )
        if len(chosen) == 1:
            args["alert_id"] = chosen[0]["id"]
            return AIMessage(content="", tool_calls=[_call(then["name"], args)])
        listed = "; ".join(f"#{alert['id']} {alert['title']}" for alert in (chosen or alerts)[:8])
        return AIMessage(content=f"{args.get('client')} has {len(chosen or alerts)} open alerts: {listed}. Which one?")

    @staticmethod
    def _last_human(messages: Sequence[BaseMessage]) -> str:
        return next((str(m.content) for m in reversed(messages) if isinstance(m, HumanMessage)), "")


QUESTION_WRITE_PENALTY = 0.15  # taken from writes and drafts without cue words when the message is a question
CUE_MARGIN = 0.06  # how far an intent with cue words may trail the most similar one and still be chosen
QUESTION_FLOOR = 0.3  # below this, a question about a client with no cue words is searched for in its timeline
OFF_TOPIC_CEILING = 0.45  # a message with no sign of client work is out of scope unless it matches this well
FOLLOW_UP = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|and|so|now|also|then|cool|thanks|great|k)\W+)*"
    r"(?:what about|how about|what of|same (?:thing |question |again |one )?(?:for|with)|do the same for|"
    r"do (?:that|this|it) (?:for|with)|ditto for|and for|and|now for|also for|now|then)\b"
)
_FILLER = re.compile(
    r"\b(?:what|how|about|same|thing|question|again|one|for|with|do|the|that|this|it|ditto|and|now|also|then|"
    r"too|as well|instead|please|pls|ok|okay|so|cool|thanks|great|k|next|of|please|plz|s|[a-z]{1,2})\b"
)


def _names_only(message: Message, mention: ClientMention, *, staff: bool = False) -> bool:
    """Nothing in the message but a name and follow-up words: "beta?", "what about delta inc", "and john"."""
    rest = message.lowered
    forms: set[str] = {mention.typed} if mention.typed else set()
    for client in mention.matches:
        forms |= {client.name.lower(), *client.aliases}
    if staff:
        for _, name, _ in message.vocabulary.staff:
            forms |= {name.lower(), name.lower().split()[0]}
    for form in sorted(forms, key=len, reverse=True):
        rest = re.sub(rf"(?<![a-z0-9]){re.escape(form)}(?:'?s)?(?![a-z0-9])", " ", rest)
    if rest == message.lowered:
        return False
    return not re.sub(r"[\W\d_]+", " ", _FILLER.sub(" ", rest)).strip()


NOTHING_PENDING = "There is nothing waiting for your confirmation."


def _nothing_to_confirm(history: Sequence[BaseMessage]) -> str:
    """The answer to a "yes" with nothing pending: say so, and repeat a short last answer it may be replying to
    ("'gamma' is not in your portfolio ..."), so the user sees why nothing happened."""
    earlier = list(history[:-1] if history and isinstance(history[-1], HumanMessage) else history)
    last = earlier[-1] if earlier else None
    # only an answer given without running anything (a refusal, a question), not a tool's result
    direct = isinstance(last, AIMessage) and not last.tool_calls and len(earlier) >= 2
    said = str(last.content).strip() if direct and last and isinstance(earlier[-2], HumanMessage) else ""
    return f"{NOTHING_PENDING} {said}" if said and len(said) <= 300 else NOTHING_PENDING


def _needs_client(intent: str) -> bool:
    tool = TOOLS.get(intent)
    field = tool.args_model.model_fields.get("client") if tool else None
    return field is not None and field.is_required()


def _names_person(message: Message) -> bool:
    return bool(find_contact_mention(message.text, message.vocabulary).contacts) or staff_named(message) is not None


def _is_question(text: str) -> bool:
    return text.strip().endswith("?") or bool(
        re.match(
            r"\s*(is|are|was|were|did|does|do|has|have|had|any|anything|what|why|how|when|who|will|can|could)\b",
            text,
            re.I,
        )
    )


def _call(name: str, args: dict[str, Any]) -> ToolCall:
    return {"name": name, "args": args, "id": f"call_{uuid.uuid4().hex[:12]}", "type": "tool_call"}


def pick_alerts(alerts: list[dict[str, Any]], about: str | None, text: str, client: str) -> list[dict[str, Any]]:
    """The alerts the words point at: an alert whose type matches the topic beats one that only mentions it in
    its title ("the renewal alert" is the renewal-approaching alert, not the champion risk before the renewal)."""
    if len(alerts) <= 1:
        return alerts
    client_words = set(re.findall(r"[a-z0-9]+", client.lower()))
    ignored = client_words | {
        "alert",
        "alerts",
        "the",
        "one",
        "ack",
        "acknowledge",
        "snooze",
        "dismiss",
        "resolve",
        "for",
        "on",
        "at",
        "a",
        "an",
        "it",
        "that",
        "this",
        "week",
        "day",
        "days",
        "they",
    }
    words = {w for w in re.findall(r"[a-z0-9]+", f"{about or ''} {text}".lower()) if len(w) > 2 and w not in ignored}
    if not words:
        return alerts
    scored = []
    for alert in alerts:
        kind = str(alert.get("alert_type", "")).lower().replace("_", " ")
        title = re.sub(r"[_\W]+", " ", str(alert.get("title", "")).lower())
        score = sum(2 for w in words if w in kind.split() or w.rstrip("s") in kind.split())
        score += sum(1 for w in words if w in title.split() or w.rstrip("s") in title.split())
        scored.append((score, alert))
    best = max(score for score, _ in scored)
    if best == 0:
        return alerts
    return [alert for score, alert in scored if score == best]
