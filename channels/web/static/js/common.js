// Shared helpers for every page: DOM building without innerHTML, JSON calls with readable errors, formatting.

/** Build an element; text children become text nodes, so user and client text is never parsed as HTML. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** fetch + JSON; an error response becomes an ApiError carrying the API's one-line message. */
export async function api(path, { method = "GET", body, signal } = {}) {
  const options = { method, headers: { Accept: "application/json" }, credentials: "same-origin", signal };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, options);
  } catch (problem) {
    throw new ApiError(0, "The server cannot be reached. Is `csagent serve` still running?");
  }
  if (response.status === 401 && !path.startsWith("/session")) {
    window.location.assign(`/sign-in?next=${encodeURIComponent(window.location.pathname)}`);
    throw new ApiError(401, "Your session has ended; please sign in again.");
  }
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data?.error?.message || `request failed (${response.status})`);
  return data;
}

const money = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });

export function formatMoney(value) {
  if (value === null || value === undefined || value === "") return "–";
  const number = Number(value);
  if (Math.abs(number) >= 1_000_000) return `$${(number / 1_000_000).toFixed(1)}M`;
  if (Math.abs(number) >= 10_000) return `$${Math.round(number / 1000)}K`;
  return money.format(number);
}

export function formatNumber(value, digits = 1) {
  if (value === null || value === undefined || value === "") return "–";
  const number = Number(value);
  return Number.isInteger(number) ? String(number) : number.toFixed(digits);
}

export function formatDate(value) {
  if (!value) return "–";
  const day = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  return day.toLocaleDateString("en-US", { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
}

export function humanize(value) {
  if (value === null || value === undefined) return "–";
  const text = String(value).replaceAll("_", " ").toLowerCase();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function statusBadge(status) {
  return el("span", { class: `badge status-${String(status || "none").toLowerCase()}` }, humanize(status || "unscored"));
}

/** The header's sign-out button: revoke the session token, then go to the sign-in page. */
export function wireSignOut() {
  const button = document.getElementById("sign-out");
  if (!button) return;
  button.addEventListener("click", async () => {
    await api("/session", { method: "DELETE" }).catch(() => null);
    window.location.assign("/sign-in");
  });
}
