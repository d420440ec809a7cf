"""What the dashboard's browser tests share: the seeded app, the sign-in link asked for in chat, and
reading a chart's numbers back from Chart.js (what it actually drew)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from playwright.sync_api import Locator, Page

from tests.browser.live import LiveApp, StartApp
from tests.browser.seat_client import SeatClient
from tests.domain.dashboard.seed import Seeded, seed_programme
from web.dashboard.http import CHARTJS

SIGN_IN = re.compile(r"/dashboard/sign-in/[A-Za-z0-9._-]+")


def require_local_chartjs() -> None:
    """Charts come from the bot's own copy of Chart.js: missing, these tests fail (never skip)."""
    if not CHARTJS.is_file():
        pytest.fail(
            f"the dashboard browser tests need the local copy of Chart.js at {CHARTJS}: "
            "run `python3.11 dev.py chartjs` (needs npm; .ci/run does this before the tests)",
            pytrace=False,
        )


def dashboard_app(start_app: StartApp) -> tuple[LiveApp, Seeded]:
    """The app with the seeded programme; its people are Teams users reached through the fake connector."""
    live = start_app()
    seeded = live.call(lambda: seed_programme(live.store, live.connector.url))
    return live, seeded


def sign_in_path(live: LiveApp) -> str:
    """The try-it Facilitator seat types `dashboard`; the path of the link in the answer."""
    answer = SeatClient(live.url, "facilitator").say("dashboard")
    found = SIGN_IN.findall(json.dumps(answer))  # the seat's transcript holds earlier links too
    assert found, f"no sign-in link in {answer}"
    return str(found[-1])


def open_sign_in_link(page: Page, live: LiveApp, press: bool = False) -> str:
    """Open a fresh link (and, with `press`, continue to the overview); returns the link's path."""
    path = sign_in_path(live)
    response = page.goto(live.url + path)
    assert response is not None and response.status == 200
    if press:
        page.get_by_role("button", name="Continue to the dashboard").click()
        page.wait_for_url(f"{live.url}/dashboard")
    return path


def chart_data(page: Page, canvas_id: str) -> list[Any]:
    """The numbers Chart.js drew on this canvas (None where the count is suppressed: no bar)."""
    page.wait_for_selector(f"canvas#{canvas_id}[data-drawn=true]", state="attached")
    return page.evaluate("id => window.Chart.getChart(document.getElementById(id)).data.datasets[0].data", canvas_id)


def row_text(scope: Locator, label: str) -> str:
    """The count shown in a data table's row named `label`."""
    return (
        scope.locator("table.data tr", has=scope.page.get_by_role("rowheader", name=label, exact=True))
        .locator("td")
        .first.inner_text()
    )
