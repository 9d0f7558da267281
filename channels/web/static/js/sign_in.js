// The sign-in page: password, pasted API token, or (demo mode) one click per demo user.

import { api, el, humanize } from "./common.js";

const errorBox = document.getElementById("sign-in-error");
const next = new URLSearchParams(window.location.search).get("next");

function goOn() {
  // Only same-site paths: an attacker's ?next=https://evil must not turn sign-in into a redirect.
  window.location.assign(next && next.startsWith("/") && !next.startsWith("//") ? next : "/");
}

function showError(message) {
  errorBox.textContent = message;
  errorBox.hidden = false;
}

async function signIn(path, body) {
  errorBox.hidden = true;
  try {
    await api(path, { method: "POST", body });
    goOn();
  } catch (problem) {
    showError(problem.message);
  }
}

document.getElementById("password-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const data = new FormData(event.target);
  signIn("/session", { email: data.get("email"), password: data.get("password") });
});

document.getElementById("token-form").addEventListener("submit", (event) => {
  event.preventDefault();
  signIn("/session", { token: new FormData(event.target).get("token") });
});

const demoList = document.getElementById("demo-users");
if (demoList) {
  api("/session/demo-users")
    .then((users) => demoList.replaceChildren(...users.map((user) => el("li", {},
      el("button", { type: "button", class: "demo-user", dataset: { email: user.email },
        onclick: () => signIn("/session/demo", { email: user.email }) },
      el("strong", {}, user.name), " ", el("span", { class: "muted" }, `${humanize(user.role)} · ${user.email}`))))))
    .catch((problem) => demoList.replaceChildren(el("li", { class: "error" }, problem.message)));
}
