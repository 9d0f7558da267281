// The client page: one panel per concern, each filled from its REST endpoint and failing on its own.

import { healthChart } from "./chart.js";
import { api, el, formatDate, formatMoney, formatNumber, humanize, statusBadge, wireSignOut } from "./common.js";
import { engagementPanel, outcomePanel } from "./client_outcomes.js";

const clientId = Number(document.querySelector(".client-page").dataset.clientId);
const API = `/api/v1/client-success/clients/${clientId}`;

function fill(panelId, nodes) {
  const present = [nodes].flat(3).filter((node) => node !== null && node !== undefined && node !== false);
  document.querySelector(`#${panelId} .body`).replaceChildren(...present);
}

function empty(text) {
  return el("p", { class: "muted" }, text);
}

/** Load one panel; a failure shows in that panel only, so one missing endpoint never blanks the page. */
async function panel(panelId, path, render, { expected = [] } = {}) {
  try {
    fill(panelId, render(await api(path)));
  } catch (problem) {
    // An expected refusal (e.g. no outcome layer for a client outside an engagement) is information, not a fault.
    fill(panelId, el("p", { class: expected.includes(problem.status) ? "muted" : "error" }, problem.message));
  }
}

function head(client) {
  document.title = `${client.name} · csagent`;
  document.getElementById("client-head").replaceChildren(
    el("h1", {}, client.name), statusBadge(client.health_status),
    el("span", {}, `Health ${formatNumber(client.health_score)} · trend ${humanize(client.health_trend)}`),
    el("span", { class: "muted" }, `${humanize(client.tier)} · ${client.industry ?? "–"} · ARR ${formatMoney(client.annual_recurring_revenue)}`),
    el("span", { class: "muted" }, client.next_renewal_date ? `renews ${formatDate(client.next_renewal_date)} (${client.days_to_renewal} days)` : "no renewal date"),
  );
}

function trend(history) {
  if (!history.points.length) return empty("No scores in the last 90 days.");
  const recent = history.events.slice(-8).reverse();
  return [
    healthChart(history.points, history.events, { label: `${history.client_name}: health, last 90 days`, width: 1000, height: 220 }),
    el("ul", { class: "plain events" }, recent.map((event) => el("li", {}, el("strong", {}, formatDate(event.day)), ` ${humanize(event.kind)}: ${event.description}`))),
  ];
}

function components(health) {
  const rows = health.components.map((component) => el("tr", {},
    el("td", {}, humanize(component.name)),
    el("td", {}, component.score === null ? "no data" : formatNumber(component.score)),
    el("td", { class: "weights" }, `${formatNumber(component.weight)}%`,
      component.effective_weight !== component.weight ? el("span", { class: "muted" }, ` (effective ${formatNumber(component.effective_weight)}%)`) : null,
      el("div", { class: "bar", style: `width:${Math.max(0, Math.min(100, component.effective_weight))}%` })),
    el("td", { class: "muted" }, component.evidence ?? "")));
  return el("table", { class: "data-table" },
    el("thead", {}, el("tr", {}, ["Component", "Score", "Weight", "Evidence"].map((label) => el("th", {}, label)))),
    el("tbody", {}, rows));
}

function drivers(health) {
  const moved = health.drivers.filter((driver) => Math.abs(driver.contribution) >= 0.05);
  const change = `${health.trend_change >= 0 ? "+" : ""}${formatNumber(health.trend_change)} points over ${health.trend_period_days} days`;
  return [
    el("p", {}, change),
    moved.length ? el("ul", { class: "plain" }, moved.map((driver) => el("li", {},
      el("strong", {}, `${humanize(driver.component)} ${driver.contribution >= 0 ? "+" : ""}${formatNumber(driver.contribution)} pts`),
      el("div", { class: "muted" }, `${driver.evidence_before ?? "–"} → ${driver.evidence_after ?? "–"}`)))) : empty("Nothing moved noticeably."),
    health.recommended_actions.length ? el("p", {}, el("strong", {}, "Recommended: "), health.recommended_actions.join("; ")) : null,
  ];
}

function churn(risk) {
  const factors = (list) => el("ul", { class: "plain" }, list.map((factor) =>
    el("li", {}, el("strong", {}, factor.label), ` (${factor.impact}): ${factor.detail}`)));
  return [
    el("p", {}, el("strong", {}, `${Math.round(risk.probability_90d * 100)}%`), ` chance of churn in 90 days · ${humanize(risk.risk_band)} risk`),
    risk.factors.length ? factors(risk.factors) : empty("No risk factors."),
    risk.protective_factors.length ? [el("h3", {}, "Protective"), factors(risk.protective_factors)] : null,
  ];
}

function alerts(page) {
  if (!page.data.length) return empty("No alerts.");
  return el("ul", { class: "plain" }, page.data.map((alert) => el("li", {},
    el("span", { class: `badge severity-${String(alert.severity).toLowerCase()}` }, alert.severity), " ",
    el("strong", {}, alert.title), el("span", { class: "muted" }, ` · ${humanize(alert.status)}`),
    alert.recommended_action ? el("div", { class: "muted" }, alert.recommended_action) : null)));
}

function activities(client) {
  if (!client.recent_activities.length) return empty("No activities logged.");
  return el("ul", { class: "plain", id: "activity-list" }, client.recent_activities.map((activity) => el("li", {},
    el("strong", {}, formatDate(activity.occurred_at)), ` ${humanize(activity.activity_type)}: `, activity.subject,
    activity.performed_by_name ? el("span", { class: "muted" }, ` · ${activity.performed_by_name}`) : null,
    activity.description ? el("div", { class: "muted" }, activity.description) : null)));
}

function contacts(page) {
  if (!page.data.length) return empty("No contacts.");
  return el("table", { class: "data-table" },
    el("thead", {}, el("tr", {}, ["Name", "Role", "Email", "Engagement", "Last login"].map((label) => el("th", {}, label)))),
    el("tbody", {}, page.data.map((contact) => el("tr", {},
      el("td", {}, contact.name, contact.title ? el("div", { class: "muted" }, contact.title) : null),
      el("td", {}, humanize(contact.role)), el("td", {}, contact.email ?? "–"),
      el("td", {}, humanize(contact.engagement_status)), el("td", {}, formatDate(contact.last_platform_login))))));
}

function timeline(page) {
  if (!page.entries.length) return empty("Nothing on the timeline yet.");
  return el("ul", { class: "plain", id: "timeline-list" }, page.entries.map((entry) => el("li", {},
    el("strong", {}, formatDate(entry.occurred_at)), ` ${humanize(entry.kind)}: `, entry.title,
    entry.author_name ? el("span", { class: "muted" }, ` · ${entry.author_name}`) : null)));
}

async function main() {
  wireSignOut();
  let client;
  try {
    client = await api(API);
  } catch (problem) {
    const box = document.getElementById("client-error");
    box.textContent = problem.message;
    box.hidden = false;
    document.getElementById("client-head").replaceChildren(el("h1", {}, "Client not available"));
    return;
  }
  head(client);
  fill("panel-activities", activities(client));
  fill("panel-engagement", engagementPanel(client.engagement));
  await Promise.all([
    panel("panel-trend", `${API}/health/history?days=90`, trend),
    panel("panel-components", `${API}/health`, components),
    panel("panel-drivers", `${API}/health`, drivers),
    panel("panel-churn", `${API}/churn-risk`, churn),
    panel("panel-alerts", `${API}/alerts?limit=20`, alerts),
    panel("panel-contacts", `${API}/contacts?limit=50`, contacts),
    panel("panel-timeline", `${API}/timeline?limit=20`, timeline),
    panel("panel-outcome", `/api/leads/${clientId}/client-success`, outcomePanel, { expected: [422] }),
  ]);
  document.querySelector(".client-page").dataset.loaded = "true";
}

main();
