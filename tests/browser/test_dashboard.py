"""The facilitator dashboard in a real Chromium: signing in with the `dashboard` link, every page and
chart with the seeded programme's suppressed numbers, axe-core on each page, no console errors.

The app runs on loopback on a FixedClock (Monday 1 March 2027, 10:00); the try-it Facilitator seat
asks for the link over Direct Line. Chart.js is the local copy (no internet). Screenshots:
test-artifacts/screenshots/dashboard-*.png.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from domain.core.suppress import FEWER
from tests.browser.checks import SCREENSHOTS, assert_accessible, screenshot
from tests.browser.dashboard_pages import chart_data, dashboard_app, open_sign_in_link, require_local_chartjs, row_text
from tests.browser.live import LiveApp, StartApp
from tests.domain.dashboard.seed import Seeded

PAGES = (
    ("Partnerships", "Partnerships", "partnerships"),
    ("Meetings", "Meetings", "meetings"),
    ("Guide progress", "Guide progress", "guide"),
    ("Polls and surveys", "Polls and surveys", "polls"),
    ("Broadcasts", "Broadcasts", "broadcasts"),
    ("New broadcast", "New broadcast", "compose"),
    ("Unreachable", "Unreachable people", "unreachable"),
    ("Audit trail", "Audit trail", "audit"),
)


@pytest.fixture
def seeded_app(start_app: StartApp) -> tuple[LiveApp, Seeded]:
    require_local_chartjs()
    return dashboard_app(start_app)


def test_a_facilitator_signs_in_with_the_link_and_every_page_passes_axe(
    page: Page, seeded_app: tuple[LiveApp, Seeded], console_errors: list[str]
) -> None:
    live, _ = seeded_app
    open_sign_in_link(page, live)
    assert_accessible(page, "dashboard-sign-in")
    page.get_by_role("button", name="Continue to the dashboard").click()
    expect(page).to_have_url(f"{live.url}/dashboard")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cohorts")
    expect(page.locator("header")).to_contain_text("Signed in as Facilitator")
    assert_accessible(page, "dashboard-cohorts")
    screenshot(page, "dashboard-cohorts")
    page.screenshot(path=str(SCREENSHOTS / "dashboard-readme.png"))  # the first screen: docs/dashboard.png
    for link, heading, name in PAGES:
        page.get_by_role("navigation", name="Dashboard pages").get_by_role("link", name=link).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(page.get_by_role("link", name=link)).to_have_attribute("aria-current", "page")
        assert_accessible(page, f"dashboard-{name}")
        screenshot(page, f"dashboard-{name}")
    assert console_errors == []


def test_the_cohort_overview_shows_join_codes_and_suppressed_counts_in_tables_and_charts(
    page: Page, seeded_app: tuple[LiveApp, Seeded], console_errors: list[str]
) -> None:
    live, seeded = seeded_app
    open_sign_in_link(page, live, press=True)
    spring = page.locator("section.cohort", has=page.get_by_role("heading", name="Spring 2027"))
    expect(spring).to_contain_text("SPRING27")
    expect(spring.get_by_test_id(f"enrolled-{seeded.spring}")).to_have_text("24")
    assert row_text(spring, "Paired") == "20" and row_text(spring, "Paused") == FEWER
    assert row_text(spring, "Waiting for a partner") == FEWER and row_text(spring, "Paused pairs") == FEWER
    assert chart_data(page, f"people-{seeded.spring}") == [20, None, None]
    assert chart_data(page, f"pairs-{seeded.spring}") == [10, None, None]
    autumn = page.locator("section.cohort", has=page.get_by_role("heading", name="Autumn 2027"))
    expect(autumn.get_by_test_id(f"enrolled-{seeded.autumn}")).to_have_text(FEWER)
    assert chart_data(page, f"people-{seeded.autumn}") == [0, 0, None]
    assert console_errors == []


def test_partnerships_meetings_guide_and_polls_show_the_right_numbers(
    page: Page, seeded_app: tuple[LiveApp, Seeded], console_errors: list[str]
) -> None:
    live, seeded = seeded_app
    open_sign_in_link(page, live, press=True)
    page.goto(f"{live.url}/dashboard/partnerships")
    assert chart_data(page, "health") == [None, None, 6, None, None]
    table = page.get_by_test_id("partnerships")
    first = table.get_by_role("row", name="Ayesha Khan and Ben Okafor")
    expect(first).to_contain_text("Active")
    expect(first).to_contain_text("16 Feb 2027")
    expect(first).to_contain_text("2 of")
    expect(first).to_contain_text("(Agreeing mutual aims)")
    page.get_by_label("Health", exact=True).select_option("quiet")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(f"{live.url}/dashboard/partnerships?cohort=&health=quiet&q=")
    expect(page.get_by_test_id("partnerships").locator("tbody tr")).to_have_count(2)
    page.locator("figure.chart").get_by_role("link", name="Inactive").click()  # the health table's labels filter too
    expect(page).to_have_url(f"{live.url}/dashboard/partnerships?health=inactive")
    expect(page.get_by_test_id("partnerships").locator("tbody tr")).to_have_count(2)
    assert "mentor" not in page.locator("main").inner_text().lower()

    page.goto(f"{live.url}/dashboard/meetings")
    assert chart_data(page, "meetings") == [5, None, 8, 11, None]
    expect(page.locator("figure.chart tfoot")).to_contain_text("27")
    page.goto(f"{live.url}/dashboard/guide")
    labels = page.locator("figure.chart tbody th").all_inner_texts()
    assert labels[:4] == ["No prompt sent yet", "Preparing", "Getting to know each other", "Agreeing mutual aims"]
    assert chart_data(page, "guide") == [0, 0, 5, 6, 0, 0, 0, 0, 0]
    page.goto(f"{live.url}/dashboard/polls")
    poll = page.locator("section.poll").first
    expect(poll).to_contain_text("8 of")
    assert chart_data(page, f"poll-{seeded.poll}-1") == [0, None, 5, None, 0]
    expect(poll.locator("table").first).to_contain_text("5 (62%)")
    # as in chat: questions fewer than 5 answered are left out, counted once under the rest
    expect(poll.locator("p.suppressed")).to_have_text("7 questions hidden: fewer than 5 answers each.")
    expect(poll).not_to_contain_text("Do you have shared aims?")
    with page.expect_download() as download:
        poll.get_by_role("link", name="Download the results (CSV)").click()
    assert "fewer than 5" in download.value.path().read_text(encoding="utf-8")
    assert console_errors == []


def refused_pages_only(errors: list[str]) -> list[str]:
    """Console errors other than Chromium's note that the page itself came with a 4xx status."""
    return [e for e in errors if not re.fullmatch(r"Failed to load resource: .* status of 4(03|10) .*", e)]


def test_no_link_a_used_link_and_an_expired_link_are_refused_clearly(
    page: Page, seeded_app: tuple[LiveApp, Seeded], console_errors: list[str]
) -> None:
    live, _ = seeded_app
    response = page.goto(f"{live.url}/dashboard")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Please sign in to see the dashboard")
    assert_accessible(page, "dashboard-refused")
    screenshot(page, "dashboard-refused")

    path = open_sign_in_link(page, live, press=True)
    other = page.context.browser.new_context() if page.context.browser else None
    assert other is not None
    try:
        second = other.new_page()
        answer = second.goto(f"{live.url}{path}")
        assert answer is not None and answer.status == 410
        expect(second.get_by_role("heading", level=1)).to_have_text("This sign-in link has already been used")
        assert second.locator("form button").count() == 0
    finally:
        other.close()

    late = open_sign_in_link(page, live)
    assert live.clock is not None and hasattr(live.clock, "current")
    clock: Any = live.clock
    clock.current += timedelta(minutes=11)
    page.get_by_role("button", name="Continue to the dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("This sign-in link has expired")
    assert late.startswith("/dashboard/sign-in/")
    assert refused_pages_only(console_errors) == []


def test_sign_out_ends_the_session(page: Page, seeded_app: tuple[LiveApp, Seeded], console_errors: list[str]) -> None:
    live, _ = seeded_app
    open_sign_in_link(page, live, press=True)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You've signed out")
    response = page.goto(f"{live.url}/dashboard/audit")
    assert response is not None and response.status == 403
    assert page.context.cookies() == []
    assert refused_pages_only(console_errors) == []
