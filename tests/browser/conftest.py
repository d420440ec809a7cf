"""Browser-test fixtures: Debian's Chromium driven by Playwright, and the real app on loopback.

- `browser`: one headless Chromium for the whole `tests/browser` package (no browser download:
  Playwright uses /usr/bin/chromium, or PLP_CHROMIUM). Missing, the tests FAIL and say how to
  install it; they never skip.
- `page`: a fresh browser context and page per test (en-GB, London time, 1280x900).
- `console_errors`: everything the page logged as an error (assert it stays empty).
- `live_app` / `start_app`: the real app on 127.0.0.1:<ephemeral port> on a fresh SQLite copy of
  the migrated template, with a FixedClock (`tests/browser/live.py`).
Accessibility and screenshots: `tests/browser/checks.py`.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from config import Settings
from domain.core.clock import Clock, FixedClock
from tests.browser.live import LiveApp, StartApp
from tests.e2e.harness import settings_for

CHROMIUM = Path(os.environ.get("PLP_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# A Monday morning in London, in working hours: proactive messages go out at once.
START = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)
EXPECT_SECONDS = 15


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """One headless Chromium for every browser test."""
    if not CHROMIUM.is_file():
        pytest.fail(
            f"the browser tests need Chromium at {CHROMIUM}: install Debian's package "
            "(`apt-get install chromium`, as .ci/run does) or set PLP_CHROMIUM to a Chromium binary",
            pytrace=False,
        )
    expect.set_options(timeout=EXPECT_SECONDS * 1000)  # a loaded CI machine may take a while to answer
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A new context and page: no cookies or storage from other tests."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(EXPECT_SECONDS * 1000)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def console_errors(page: Page) -> list[str]:
    """Console errors and uncaught exceptions on `page` (and pages opened later in its context)."""
    errors: list[str] = []

    def watch(watched: Page) -> None:
        watched.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        watched.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))

    watch(page)
    page.context.on("page", watch)
    return errors


@pytest.fixture
def browser_database_url(sqlite_template: Path, tmp_path: Path) -> str:
    """A fresh SQLite database at the newest schema (a copy of the session's migrated template)."""
    copy = tmp_path / "browser.db"
    shutil.copyfile(sqlite_template, copy)
    return f"sqlite+aiosqlite:///{copy}"


@pytest.fixture
def start_app(browser_database_url: str) -> Iterator[StartApp]:
    """Start the real app (settings overrides and a clock may be given); every one is stopped afterwards."""
    started: list[LiveApp] = []

    def start(clock: Clock | None = None, settings: Settings | None = None, **overrides: Any) -> LiveApp:
        chosen = settings or settings_for(browser_database_url, **overrides)
        live = LiveApp(chosen, clock or FixedClock(START))
        started.append(live)
        return live.start()

    try:
        yield start
    finally:
        for live in reversed(started):
            live.stop()


@pytest.fixture
def live_app(start_app: StartApp) -> LiveApp:
    """The real app in local development mode (try-it on), at START on a FixedClock."""
    return start_app()
