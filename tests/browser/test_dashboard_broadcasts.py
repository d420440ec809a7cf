"""A broadcast composed on the dashboard in a real Chromium: the live card preview, the audience's
size, Send, delivery reaching the fake Bot Connector, per-recipient status, and Resend to failed;
a form posted without the page's CSRF token is refused and sends nothing."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from domain.broadcasts.model import Summary
from domain.broadcasts.service import status_report
from tests.browser.checks import assert_accessible, screenshot
from tests.browser.dashboard_pages import dashboard_app, open_sign_in_link, require_local_chartjs
from tests.browser.live import LiveApp, StartApp
from tests.domain.dashboard.seed import Seeded
from tests.fakes.recorded import Recorded
from tests.scheduling.manual_time import eventually

WORDS = "spring gathering"
SECONDS = 30


@pytest.fixture
def seeded_app(start_app: StartApp) -> tuple[LiveApp, Seeded]:
    require_local_chartjs()
    return dashboard_app(start_app)


def reached(live: LiveApp, conversations: set[str], times: int = 1) -> None:
    """Wait until each of these conversations was sent the broadcast (accepted or not) `times` times."""

    def done(requests: list[Recorded]) -> bool:
        sent = [r.conversation_id for r in requests if r.is_activity and WORDS in json.dumps(r.body)]
        return all(sent.count(c) >= times for c in conversations)

    live.call(lambda: live.connector.wait_for(done, within=SECONDS), timeout=SECONDS + 5)


def settled(live: LiveApp) -> Summary:
    """The newest broadcast's delivery once nothing waits any more (yielding to the app's loop, no sleep)."""
    found: list[Summary] = []

    async def nothing_pending() -> bool:
        rows = (await status_report(live.store, 1)).rows
        found[:] = [rows[0][1]] if rows else []
        return bool(found) and found[0].pending == 0 and found[0].sent > 0

    live.call(lambda: eventually(nothing_pending, within=SECONDS), timeout=SECONDS + 5)
    return found[0]


def test_a_broadcast_composed_on_the_page_reaches_everyone_and_the_failed_are_resent(
    page: Page, seeded_app: tuple[LiveApp, Seeded], console_errors: list[str]
) -> None:
    live, seeded = seeded_app
    spring = {seeded.conversations[p] for p in seeded.people}
    failing = [seeded.conversations[seeded.people[0]], seeded.conversations[seeded.people[1]]]
    for conversation in failing:
        live.connector.fail(conversation, 400)  # refused once: those deliveries fail
    open_sign_in_link(page, live, press=True)
    page.get_by_role("link", name="New broadcast").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New broadcast")

    page.get_by_label("Message").fill(f"Our **{WORDS}** is on 20 March.\n- Bring a question\n- Lunch provided")
    preview = page.get_by_test_id("card-preview")
    expect(preview.locator("strong")).to_have_text(WORDS)  # drawn as you type (static/dashboard/compose.js)
    expect(preview.locator("li")).to_have_count(2)
    expect(preview.locator(".card-title")).to_have_text("From the programme team")
    page.get_by_label("Button title").fill("Book your place")
    page.get_by_label("Link (starting with https://)").fill("https://example.org/book")
    expect(preview.locator(".card-button")).to_have_text("Book your place")
    options = page.get_by_label("Who should get it").locator("option").all_inner_texts()
    assert "Spring 2027 (24 people)" in options and "Autumn 2027 (3 people)" in options
    page.get_by_label("Who should get it").select_option(label="Spring 2027 (24 people)")
    expect(page.get_by_test_id("audience-size")).to_have_text("It goes to Spring 2027: 24 people.")
    assert_accessible(page, "dashboard-compose-preview")
    screenshot(page, "dashboard-compose-preview")

    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Broadcast #\d+"))
    expect(page.get_by_role("status")).to_contain_text("On its way")
    reached(live, spring)
    summary = settled(live)
    assert (summary.failed, summary.pending) == (2, 0) and summary.sent + summary.unreachable == 22
    page.reload()
    recipients = page.get_by_test_id("recipients")
    expect(recipients.locator("tbody tr")).to_have_count(24)
    expect(recipients.get_by_role("row", name="Ayesha Khan")).to_contain_text("Failed")
    expect(recipients.get_by_role("row", name="Carys Jones")).to_contain_text("Sent")
    expect(page.get_by_test_id("delivery-summary").get_by_role("row", name="Failed")).to_contain_text("2")
    assert_accessible(page, "dashboard-broadcast")
    screenshot(page, "dashboard-broadcast")

    page.get_by_role("button", name="Resend to failed").click()
    expect(page.get_by_role("status")).to_contain_text("Sending it again to 2 people whose delivery failed.")
    reached(live, set(failing), times=2)
    assert settled(live).failed == 0
    body = next(r.body for r in live.connector.activities_to(failing[0]) if WORDS in json.dumps(r.body))
    assert "Book your place" in json.dumps(body) and "https://example.org/book" in json.dumps(body)
    assert console_errors == []


def test_a_form_without_the_pages_csrf_token_is_refused_and_sends_nothing(
    page: Page, seeded_app: tuple[LiveApp, Seeded], console_errors: list[str]
) -> None:
    live, _ = seeded_app
    open_sign_in_link(page, live, press=True)
    page.goto(f"{live.url}/dashboard/compose")
    page.get_by_label("Message").fill(f"A forged {WORDS}")
    page.locator("#compose input[name=csrf]").evaluate("input => { input.value = 'forged'; }")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("That form has expired")
    assert_accessible(page, "dashboard-csrf-refused")
    assert live.call(lambda: status_report(live.store)).rows == ()
    page.goto(f"{live.url}/dashboard")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cohorts")  # still signed in
    forged = [e for e in console_errors if "403" not in e]
    assert forged == []
