// The dashboard: portfolio summary cards and the sortable, filterable, paged client list (REST API data).

import { api, el, formatDate, formatMoney, formatNumber, humanize, statusBadge, wireSignOut } from "./common.js";

const API = "/api/v1/client-success";
const COLUMNS = [
  { key: "name", label: "Client", sort: "name" },
  { key: "health_score", label: "Health", sort: "health_score" },
  { key: "health_status", label: "Status" },
  { key: "health_trend", label: "Trend" },
  { key: "contract_tier", label: "Tier" },
  { key: "annual_recurring_revenue", label: "ARR", sort: "annual_recurring_revenue" },
  { key: "next_renewal_date", label: "Renewal", sort: "next_renewal_date" },
  { key: "churn_risk_score", label: "Churn risk", sort: "churn_risk_score" },
  { key: "csm_name", label: "CSM" },
];
const state = { sort: "health_score", order: "asc", page: 1, limit: 25, filters: {} };
const errorBox = document.getElementById("dashboard-error");

function showError(message) {
  errorBox.textContent = message;
  errorBox.hidden = false;
}

function setCard(id, value, detail = "") {
  const card = document.getElementById(id);
  card.querySelector(".value").textContent = value;
  card.querySelector(".detail").textContent = detail;
}

async function loadSummary() {
  const summary = await api(`${API}/analytics/portfolio`);
  setCard("card-clients", summary.total_clients, `ARR ${formatMoney(summary.total_arr)}`);
  setCard("card-at-risk", summary.at_risk_count, "at risk or critical");
  setCard("card-health", formatNumber(summary.average_health), `${summary.scored_clients} scored`);
  setCard("card-arr", formatMoney(summary.arr_at_risk), `${formatNumber(summary.arr_at_risk_share)}% of ARR`);
}

function header() {
  const row = document.querySelector("#client-table thead tr");
  row.replaceChildren(...COLUMNS.map((column) => {
    if (!column.sort) return el("th", { scope: "col" }, column.label);
    const active = state.sort === column.sort;
    const arrow = active ? (state.order === "asc" ? " ▲" : " ▼") : "";
    return el("th", { scope: "col", "aria-sort": active ? (state.order === "asc" ? "ascending" : "descending") : null },
      el("button", { type: "button", class: "sort", dataset: { sort: column.sort }, onclick: () => sortBy(column.sort) },
        column.label + arrow));
  }));
}

function sortBy(key) {
  state.order = state.sort === key && state.order === "asc" ? "desc" : "asc";
  state.sort = key;
  state.page = 1;
  loadClients();
}

function cell(column, client) {
  const value = client[column.key];
  if (column.key === "name") return el("a", { href: `/dashboard/clients/${Number(client.id)}` }, value);
  if (column.key === "health_status") return statusBadge(value);
  if (column.key === "health_trend" || column.key === "contract_tier") return humanize(value);
  if (column.key === "annual_recurring_revenue") return formatMoney(value);
  if (column.key === "next_renewal_date") return value ? `${formatDate(value)} (${client.days_to_renewal} d)` : "–";
  if (column.key === "churn_risk_score") return value === null ? "–" : `${value}%`;
  return typeof value === "number" ? formatNumber(value) : value ?? "–";
}

async function loadClients() {
  header();
  const query = new URLSearchParams({ sort: state.sort, order: state.order, page: state.page, limit: state.limit });
  for (const [key, value] of Object.entries(state.filters)) if (value) query.set(key, value);
  const body = document.querySelector("#client-table tbody");
  try {
    const page = await api(`${API}/clients?${query}`);
    body.replaceChildren(...page.data.map((client) =>
      el("tr", { dataset: { clientId: client.id } }, COLUMNS.map((column) => el("td", {}, cell(column, client))))));
    if (!page.data.length) body.replaceChildren(el("tr", {}, el("td", { colspan: COLUMNS.length, class: "muted" }, "No clients match.")));
    const { total, pages } = page.pagination;
    document.getElementById("page-info").textContent = `Page ${state.page} of ${Math.max(pages, 1)} · ${total} clients`;
    document.getElementById("previous-page").disabled = state.page <= 1;
    document.getElementById("next-page").disabled = state.page >= pages;
  } catch (problem) {
    body.replaceChildren(el("tr", {}, el("td", { colspan: COLUMNS.length, class: "error" }, problem.message)));
  }
}

let typing;
document.getElementById("client-filters").addEventListener("input", (event) => {
  const form = new FormData(event.currentTarget);
  state.filters = Object.fromEntries(form.entries());
  state.page = 1;
  clearTimeout(typing); // one request per pause in typing, not per keystroke
  typing = setTimeout(loadClients, event.target.type === "search" ? 250 : 0);
});
document.getElementById("client-filters").addEventListener("submit", (event) => event.preventDefault());
document.getElementById("previous-page").addEventListener("click", () => { state.page -= 1; loadClients(); });
document.getElementById("next-page").addEventListener("click", () => { state.page += 1; loadClients(); });
wireSignOut();
loadSummary().catch((problem) => showError(problem.message));
loadClients();
