// The chat page: conversation list, sending messages, streaming the turn, confirmation decisions.

import { assistantTurn, userBubble } from "./chat_render.js";
import { api, el, formatDate, wireSignOut } from "./common.js";
import { postEventStream } from "./sse.js";

const messages = document.getElementById("messages");
const form = document.getElementById("composer");
const input = document.getElementById("message-input");
const list = document.getElementById("conversation-list");
let threadId = new URLSearchParams(window.location.search).get("thread");
let busy = false;

function scrollToEnd() {
  messages.scrollTop = messages.scrollHeight;
}

function setBusy(value) {
  busy = value;
  form.querySelector("button[type=submit]").disabled = value;
  form.classList.toggle("busy", value);
}

/** Send one message (or a decision / edit on the pending write) and stream the turn into the page. */
async function send({ text = "", decision = null, edit = null, shown = text }) {
  if (busy) return;
  setBusy(true);
  messages.querySelector(".welcome")?.remove();
  if (shown) messages.append(userBubble(shown));
  const turn = assistantTurn();
  messages.append(turn.root);
  scrollToEnd();
  const body = { text, thread_id: threadId, decision, edit, message_id: crypto.randomUUID() };
  try {
    await postEventStream("/chat/messages", body, (event, data) => {
      if (event === "thread") threadId = data.thread_id;
      else if (event === "tool_started") turn.stepStarted(data);
      else if (event === "tool_finished") turn.stepFinished(data);
      else if (event === "answer_delta") turn.delta(data.text);
      else if (event === "reply") turn.finish(data, handlers);
      else if (event === "error") turn.fail(data.message);
      scrollToEnd();
    });
  } catch (problem) {
    if (problem.status === 401) window.location.assign("/sign-in");
    turn.fail(problem.message || "The server cannot be reached. Is `csagent serve` still running?");
  } finally {
    setBusy(false);
    history.replaceState(null, "", threadId ? `/?thread=${encodeURIComponent(threadId)}` : "/");
    loadConversations();
    input.focus();
  }
}

const handlers = {
  onConfirm: () => send({ decision: "confirm", shown: "Confirm" }),
  onCancel: () => send({ decision: "cancel", shown: "Cancel" }),
  onEdit: (changes) => send({ edit: changes, shown: `Edit: ${Object.entries(changes).map(([k, v]) => `${k} = ${v}`).join(", ")}` }),
};

async function loadConversations() {
  try {
    const conversations = await api("/conversations");
    list.replaceChildren(...conversations.map((conversation) => el("li", {},
      el("a", {
        href: `/?thread=${encodeURIComponent(conversation.thread_id)}`,
        class: conversation.thread_id === threadId ? "current" : null,
        onclick: (event) => { event.preventDefault(); openConversation(conversation.thread_id); },
      }, el("span", { class: "title" }, conversation.title),
      el("span", { class: "when" }, formatDate(conversation.last_message_at))))));
    if (!conversations.length) list.replaceChildren(el("li", { class: "empty" }, "No conversations yet."));
  } catch (problem) {
    list.replaceChildren(el("li", { class: "error" }, problem.message));
  }
}

async function openConversation(id) {
  if (busy) return;
  threadId = id;
  history.replaceState(null, "", `/?thread=${encodeURIComponent(id)}`);
  messages.replaceChildren(el("p", { class: "muted" }, "Loading…"));
  try {
    const { turns } = await api(`/conversations/${encodeURIComponent(id)}`);
    messages.replaceChildren();
    for (const { question, reply } of turns) {
      messages.append(userBubble(question));
      const turn = assistantTurn();
      messages.append(turn.root);
      turn.finish(reply, handlers);
    }
  } catch (problem) {
    messages.replaceChildren(el("p", { class: "error", role: "alert" }, problem.message));
    threadId = null;
  }
  loadConversations();
  scrollToEnd();
}

function newConversation() {
  threadId = null;
  history.replaceState(null, "", "/");
  messages.replaceChildren(welcome());
  loadConversations();
  input.focus();
}

function welcome() {
  const examples = ["Which of my clients are at risk?", "Show my alerts", "Upcoming renewals", "Portfolio summary"];
  return el("div", { class: "welcome" },
    el("p", {}, "Ask about your clients. For example:"),
    el("div", { class: "examples" }, examples.map((example) =>
      el("button", { type: "button", onclick: () => send({ text: example }) }, example))));
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = input.value.trim();
  if (!text) return;
  input.value = "";
  send({ text });
});
input.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey) {
    event.preventDefault();
    form.requestSubmit();
  }
});
document.getElementById("new-conversation").addEventListener("click", newConversation);
wireSignOut();
if (threadId) openConversation(threadId);
else newConversation();
