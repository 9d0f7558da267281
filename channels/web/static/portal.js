// The client portal: read-only, hydrated once from /portal/<token>/data. Text only (never innerHTML).
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const token = window.location.pathname.split("/").filter(Boolean)[1] || "";
  const money = new Intl.NumberFormat(undefined, { style: "currency", currency: "USD" });
  const day = (iso) => (iso ? new Date(iso + "T00:00:00Z").toLocaleDateString(undefined, { timeZone: "UTC", dateStyle: "medium" }) : "—");

  function row(cells, status) {
    const tr = document.createElement("tr");
    cells.forEach((text, index) => {
      const td = document.createElement("td");
      td.textContent = text;
      if (index === 1 && status) td.className = "status status-" + status;
      tr.appendChild(td);
    });
    return tr;
  }

  function render(data) {
    const status = data.status;
    $("company").textContent = data.client.company;
    $("purpose").textContent = data.proposal.purpose || "";
    $("overall").textContent = status.overall.replace("-", " ");
    $("overall").className = "badge status-" + status.overall;
    $("progress").textContent = `${status.completedDeliverables} of ${status.totalDeliverables} deliverables completed`;
    $("progress-bar").value = status.totalDeliverables ? status.completedDeliverables / status.totalDeliverables : 0;
    $("next-milestone").textContent = status.nextMilestone ? `Next milestone: ${status.nextMilestone}` : "No open milestones";
    $("contract").textContent = `Contract ${data.contract.status}` + (data.contract.signedDate ? `, signed ${day(data.contract.signedDate)}` : "");
    $("deliverables").replaceChildren(
      ...data.deliverables.map((d) => row([d.title, d.status.replace("-", " "), day(d.dueDate), day(d.completedAt)], d.status))
    );
    $("milestones").replaceChildren(
      ...data.proposal.milestones.map((m) => {
        const li = document.createElement("li");
        li.textContent = `${m.name || m.id}` + (m.due_date ? ` — ${day(m.due_date)}` : "");
        return li;
      })
    );
    const next = status.nextPayment;
    $("next-payment").textContent = next ? `Next payment: ${money.format(next.amount)} due ${day(next.dueDate)}` : "Nothing due";
    $("payments").replaceChildren(
      ...data.payments.map((p) => row([p.description, money.format(p.amount), day(p.dueDate), p.status], null))
    );
  }

  fetch(`/portal/${encodeURIComponent(token)}/data`, { headers: { Accept: "application/json" } })
    .then(async (response) => {
      const body = await response.json();
      if (!response.ok) throw new Error((body.error && body.error.message) || "This portal link is not valid.");
      render(body.portalData);
    })
    .catch((problem) => {
      $("problem").textContent = problem.message;
      $("problem").hidden = false;
    })
    .finally(() => $("portal").setAttribute("aria-busy", "false"));
})();
