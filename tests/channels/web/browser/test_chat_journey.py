"""A demo CSM in a real browser: sign in, at-risk table, why-dropping chart, log a call, find it on the page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect, sync_playwright
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from domain.clients.models import Client
from tests.channels.web.browser.conftest import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium (`make setup` installs it)"
)


@pytest.fixture
def page(server_url: str) -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 950}, base_url=server_url)
        page = context.new_page()
        # Generous: under `pytest -n 2` on two shared cores a first agent turn can take many seconds.
        page.set_default_timeout(60_000)
        expect.set_options(timeout=60_000)
        problems: list[str] = []
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on("dialog", lambda dialog: problems.append(f"dialog: {dialog.message}"))
        yield page
        browser.close()
        assert not problems, problems  # no script errors, and no injected alert() ever ran


def _ask(page: Page, text: str) -> Locator:
    """Send a message and return the finished assistant turn it produced."""
    turns = page.locator(".message.assistant")
    count = turns.count()
    page.get_by_label("Message").fill(text)
    page.get_by_label("Message").press("Enter")
    turn = turns.nth(count)
    turn.locator(".answer:not(.streaming)").wait_for()
    return turn


def test_csm_journey(page: Page, artifacts: Path) -> None:
    page.goto("/")
    page.wait_for_url("**/sign-in?next=%2F")
    page.get_by_role("button", name="Jane Doe").click()
    page.wait_for_url("**/")
    expect(page.locator(".banner")).to_contain_text("Running without an LLM")

    at_risk = _ask(page, "which of my clients are at risk?")
    table = at_risk.locator("table.data-table")
    expect(table.locator("th").first).to_have_text("Client")
    expect(table.locator("tbody tr").first.locator("td").first).to_have_text("Acme Corp")
    expect(at_risk.locator(".step.done")).to_contain_text("List at risk clients")
    page.screenshot(path=artifacts / "1-at-risk-table.png", full_page=True)

    why = _ask(page, "why is the first one dropping?")
    chart = why.locator(".attachment.chart svg.health-chart")
    expect(chart).to_be_visible()
    assert chart.locator("circle.chart-dot").count() >= 30
    expect(why.locator(".answer")).to_contain_text("What moved it")
    page.screenshot(path=artifacts / "2-why-dropping-chart.png", full_page=True)

    proposal = _ask(page, "log a call with Acme Corp: walked through the renewal plan")
    card = proposal.locator(".confirm-card")
    expect(card).to_contain_text("Log call with Acme Corp")
    page.screenshot(path=artifacts / "3-confirmation-card.png", full_page=True)
    card.get_by_role("button", name="Confirm").click()
    done = page.locator(".message.assistant").last
    expect(done.locator(".answer:not(.streaming)")).to_contain_text("Logged")
    expect(card).to_contain_text("Confirmed")

    with page.expect_navigation():
        why.locator(".attachment.chart figcaption a").click()
    expect(page.locator(".client-page[data-loaded]")).to_be_attached()
    expect(page.locator("#client-head h1")).to_have_text("Acme Corp")
    expect(page.locator("#activity-list li").first).to_contain_text("walked through the renewal plan")
    expect(page.locator("#panel-trend svg.health-chart")).to_be_visible()
    expect(page.locator("#panel-components")).to_contain_text("Usage")
    page.screenshot(path=artifacts / "4-client-page.png", full_page=True)

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in")


def test_dashboard_filters_sorts_and_escapes_names(page: Page, browser_engine: Engine, artifacts: Path) -> None:
    with Session(browser_engine) as session:
        client = session.scalar(select(Client).where(Client.name == "Beta Industries"))
        assert client is not None
        client.name = '<img src=x onerror="alert(1)">Beta'
        session.commit()
    page.goto("/sign-in")
    page.get_by_role("button", name="Victoria Park").click()
    page.wait_for_url("**/")
    page.goto("/dashboard")
    expect(page.locator("#card-clients .value")).to_have_text("60")
    page.get_by_label("Status").select_option("CRITICAL")
    rows = page.locator("#client-table tbody tr[data-client-id]")
    expect(page.locator("#page-info")).to_contain_text("5 clients")
    for index in range(rows.count()):
        expect(rows.nth(index).locator(".badge")).to_have_text("Critical")
    page.get_by_role("button", name="ARR").click()
    expect(page.locator("th[aria-sort=ascending]")).to_contain_text("ARR")
    page.get_by_label("Status").select_option("")
    page.get_by_label("Name").fill("onerror")
    expect(page.locator("#client-table tbody")).to_contain_text('<img src=x onerror="alert(1)">Beta')
    page.screenshot(path=artifacts / "5-dashboard.png", full_page=True)
