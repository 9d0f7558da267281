// Client page panels for seeds 000 and 003: the result target with outcome progress, deliverables and payments.

import { el, formatDate, formatMoney, formatNumber, humanize } from "./common.js";

function empty(text) {
  return el("p", { class: "muted" }, text);
}

function progressBar(share, label) {
  const percent = Math.max(0, Math.min(100, Math.round(share * 100)));
  return el("div", { class: "progress", role: "progressbar", "aria-valuenow": percent, "aria-valuemin": 0, "aria-valuemax": 100, "aria-label": label },
    el("div", { style: `width:${percent}%` }));
}

/** Seed 000: what the client wants to achieve, where it started, where it is, and whether that is on track. */
export function outcomePanel(success) {
  const target = success.target;
  if (!target) return empty("No result target set yet. Ask csagent to set one (\"set a result target for …\").");
  const progress = success.progress;
  const nodes = [
    el("p", {}, el("strong", {}, target.metric), ` from ${target.current_state} to ${target.target_state}`),
    el("p", { class: "muted" }, `Target ${formatNumber(Number(target.target_value))} ${target.unit} by ${formatDate(target.target_date)}`),
  ];
  if (progress && progress.progress !== null && progress.progress !== undefined) {
    nodes.push(
      progressBar(progress.progress, "Progress to target"),
      el("p", {}, `${formatNumber(Number(progress.baseline_value))} → ${formatNumber(Number(progress.latest_value))} ${progress.unit} `,
        `(${progress.percent_change}%), ${Math.round(progress.progress * 100)}% of the way; expected ${Math.round((progress.expected_progress ?? 0) * 100)}% by now · `,
        el("strong", {}, humanize(progress.status))),
    );
  } else {
    nodes.push(empty("No baseline or outcome entries yet."));
  }
  const openRisks = (success.risks ?? []).filter((risk) => risk.status === "open");
  if (openRisks.length) nodes.push(el("p", {}, el("strong", {}, "Open risks: "), openRisks.map((risk) => risk.description).join("; ")));
  return nodes;
}

/** Seed 003: the engagement's deliverables and payments, overdue ones marked. */
export function engagementPanel(engagement) {
  if (!engagement) return empty("No consulting engagement for this client.");
  const deliverables = el("table", { class: "data-table" },
    el("thead", {}, el("tr", {}, ["Deliverable", "Status", "Due"].map((label) => el("th", {}, label)))),
    el("tbody", {}, engagement.deliverables.map((item) => el("tr", { class: item.overdue ? "overdue" : null },
      el("td", {}, item.title), el("td", {}, humanize(item.status), item.notes ? el("div", { class: "muted" }, item.notes) : null),
      el("td", {}, formatDate(item.due_date), item.overdue ? el("span", { class: "error" }, ` ${item.days_overdue} d late`) : null)))));
  const payments = el("table", { class: "data-table" },
    el("thead", {}, el("tr", {}, ["Payment", "Amount", "Due", "Status"].map((label) => el("th", {}, label)))),
    el("tbody", {}, engagement.payments.map((payment) => el("tr", {},
      el("td", {}, payment.description), el("td", {}, formatMoney(payment.amount)), el("td", {}, formatDate(payment.due_date)),
      el("td", { class: payment.overdue ? "error" : null }, humanize(payment.status))))));
  return [
    el("p", {}, `${engagement.completed_deliverables} of ${engagement.total_deliverables} deliverables done · overall ${humanize(engagement.overall)}`),
    progressBar(engagement.total_deliverables ? engagement.completed_deliverables / engagement.total_deliverables : 0, "Deliverables done"),
    deliverables, el("h3", {}, "Payments"), payments,
  ];
}
