// How one chat turn looks: tool steps, the answer, tables, drafts with copy buttons, the health chart, notes.

import { healthChart } from "./chart.js";
import { el, formatMoney, formatNumber, humanize, statusBadge } from "./common.js";

const OFFLINE_NOTE = "running without an LLM";
const MONEY_KEYS = new Set(["annual_recurring_revenue", "arr", "arr_at_risk"]);

export function userBubble(text) {
  return el("div", { class: "message user" }, el("div", { class: "bubble" }, text));
}

/** An empty assistant turn; the returned object fills it in as events arrive. */
export function assistantTurn() {
  const steps = el("div", { class: "steps" });
  const answer = el("div", { class: "answer streaming" });
  const extras = el("div", { class: "extras" });
  const side = el("aside", { class: "turn-side" });
  const root = el("div", { class: "message assistant" },
    el("div", { class: "turn-main" }, steps, answer, extras), side);
  const byId = new Map();
  return {
    root,
    stepStarted({ id, name, args }) {
      const status = el("span", { class: "step-status" }, "running…");
      const node = el("details", { class: "step running" },
        el("summary", {}, el("span", { class: "step-name" }, humanize(name)), " ", status),
        el("pre", { class: "step-args" }, JSON.stringify(args ?? {}, null, 2)));
      byId.set(id, { node, status });
      steps.append(node);
    },
    stepFinished({ id, name, status, error }) {
      if (!byId.has(id)) this.stepStarted({ id, name, args: {} }); // a confirmed write resumes without a start
      const step = byId.get(id);
      step.node.classList.remove("running");
      step.node.classList.add(status === "ok" ? "done" : "failed");
      step.status.textContent = status === "ok" ? "done" : humanize(status);
      if (error) step.node.append(el("p", { class: "step-error" }, error));
    },
    delta(text) {
      answer.textContent += text;
    },
    finish(reply, handlers) {
      answer.classList.remove("streaming");
      answer.innerHTML = reply.answer_html; // rendered server-side by markdown-it with raw HTML disabled
      if (!byId.size) { // a reloaded conversation: no streamed steps, so draw them from the reply
        reply.tool_calls.forEach((call, index) => {
          this.stepStarted({ id: index, name: call.name, args: call.args });
          if (call.status !== "pending_confirmation") this.stepFinished({ id: index, ...call });
        });
      }
      for (const step of byId.values()) { // still running at the end: a write paused for confirmation
        if (!step.node.classList.contains("running")) continue;
        step.node.classList.replace("running", "waiting");
        step.status.textContent = reply.pending_confirmation ? "waiting for your confirmation" : "not run";
      }
      for (const attachment of reply.attachments) {
        if (attachment.kind === "table") extras.append(table(attachment));
        else if (attachment.kind === "draft") extras.append(draft(attachment));
        else if (attachment.kind === "chart") side.append(chart(attachment));
      }
      if (side.childElementCount) root.classList.add("with-side");
      if (reply.pending_confirmation) extras.append(confirmationCard(reply.pending_confirmation, handlers));
      const notes = reply.notes.filter((note) => !note.startsWith(OFFLINE_NOTE));
      if (notes.length) extras.append(el("ul", { class: "notes" }, notes.map((note) => el("li", {}, note))));
    },
    fail(message) {
      answer.classList.remove("streaming");
      answer.replaceChildren(el("p", { class: "error", role: "alert" }, message));
    },
  };
}

function cell(key, value, row) {
  if (key === "name" || key === "client_name") {
    const id = row._link ?? row.client_id;
    return id ? el("a", { href: `/dashboard/clients/${Number(id)}` }, value) : value;
  }
  if (key === "health_status" || key === "status") return statusBadge(value);
  if (MONEY_KEYS.has(key)) return formatMoney(value);
  if (typeof value === "number") return formatNumber(value);
  return value ?? "–";
}

function table({ title, data }) {
  const head = el("tr", {}, data.columns.map((column) => el("th", { scope: "col" }, column.label)));
  const rows = data.rows.map((row) => el("tr", {}, data.columns.map((column) => el("td", {}, cell(column.key, row[column.key], row)))));
  return el("figure", { class: "attachment table" },
    el("figcaption", {}, title),
    el("div", { class: "table-scroll" }, el("table", { class: "data-table" }, el("thead", {}, head), el("tbody", {}, rows))));
}

function draft({ title, data }) {
  const button = el("button", { type: "button", class: "copy" }, "Copy");
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(data.text);
      button.textContent = "Copied";
    } catch {
      button.textContent = "Select the text and copy it";
    }
    setTimeout(() => { button.textContent = "Copy"; }, 2000);
  });
  return el("figure", { class: "attachment draft" },
    el("figcaption", {}, title, " ", button), el("pre", { class: "draft-text" }, data.text));
}

function chart({ title, data }) {
  return el("figure", { class: "attachment chart", dataset: { clientId: data.client_id } },
    el("figcaption", {}, el("a", { href: `/dashboard/clients/${Number(data.client_id)}` }, title)),
    healthChart(data.points, data.events, { label: title, width: 420, height: 190 }));
}

function confirmationCard(pending, { onConfirm, onCancel, onEdit }) {
  const args = el("dl", { class: "confirm-args" },
    Object.entries(pending.args).flatMap(([key, value]) => [el("dt", {}, humanize(key)), el("dd", {}, display(value))]));
  const buttons = el("div", { class: "confirm-buttons" });
  const card = el("section", { class: "confirm-card", "aria-label": "Confirmation needed" },
    el("h3", {}, "Confirm this change"), el("p", { class: "confirm-summary" }, pending.summary), args, buttons);
  const settle = (label) => {
    buttons.replaceChildren(el("span", { class: "confirm-outcome" }, label));
    card.classList.add("settled");
  };
  buttons.append(
    el("button", { type: "button", class: "primary", onclick: () => { settle("Confirmed"); onConfirm(); } }, "Confirm"),
    el("button", { type: "button", onclick: () => card.append(editForm(pending, (changes) => { settle("Edited"); onEdit(changes); })) }, "Edit"),
    el("button", { type: "button", class: "danger", onclick: () => { settle("Cancelled"); onCancel(); } }, "Cancel"),
  );
  return card;
}

function display(value) {
  if (Array.isArray(value)) return value.length ? value.join(", ") : "–";
  if (value === null || value === undefined || value === "") return "–";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

function editForm(pending, submit) {
  const inputs = Object.entries(pending.args).map(([key, value]) => {
    const type = typeof value === "number" ? "number" : /date|_on$/.test(key) ? "date" : "text";
    const field = key === "notes"
      ? el("textarea", { name: key, rows: 3 }, display(value) === "–" ? "" : String(value))
      : el("input", { name: key, type, value: Array.isArray(value) ? value.join(", ") : value ?? "", step: type === "number" ? "any" : null });
    return { key, value, field, row: el("label", {}, el("span", {}, humanize(key)), field) };
  });
  const form = el("form", { class: "edit-form" }, inputs.map((input) => input.row),
    el("button", { type: "submit", class: "primary" }, "Save changes"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const changes = {};
    for (const { key, value, field } of inputs) {
      const raw = field.value.trim();
      const next = Array.isArray(value) ? raw.split(",").map((part) => part.trim()).filter(Boolean)
        : typeof value === "number" ? Number(raw) : raw || null;
      if (JSON.stringify(next) !== JSON.stringify(value)) changes[key] = next;
    }
    if (!Object.keys(changes).length) {
      form.querySelector(".form-error")?.remove();
      form.append(el("p", { class: "form-error", role: "alert" }, "Nothing changed yet."));
      return;
    }
    form.remove();
    submit(changes);
  });
  return form;
}
