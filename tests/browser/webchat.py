"""Using Web Chat as a person does: read the transcript, type in the send box, click card buttons.

Web Chat typesets straight apostrophes as curly ones, so patterns use `.` where the wording
has an apostrophe ("You.re enrolled"). Every wait is Playwright's own (expect / wait_for), never
a sleep: each call returns as soon as the page shows what it waits for.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from web.tryit.pages import WEBCHAT_LOCAL

TRANSCRIPT_ITEM = ".webchat__basic-transcript__activity"
GREETING = re.compile(r"Hello, I.m the PLP Companion")


def require_local_webchat() -> None:
    """Browser tests never reach the internet: the local copy of Web Chat must be there (else FAIL, never skip)."""
    if not WEBCHAT_LOCAL.is_file():
        pytest.fail(
            f"the try-it browser tests need the local copy of Web Chat at {WEBCHAT_LOCAL}: "
            "run `python3.11 dev.py webchat` (needs npm; .ci/run does this before the tests)",
            pytrace=False,
        )


def open_chat(page: Page, base_url: str, seat: str) -> None:
    """Open a seat's chat page and wait until Web Chat shows the conversation."""
    response = page.goto(f"{base_url}/try/{seat}")
    assert response is not None and response.status == 200
    expect(page.get_by_placeholder("Type your message")).to_be_visible()
    expect(messages(page, GREETING).first).to_be_visible()


def messages(page: Page, pattern: str | re.Pattern[str]) -> Locator:
    """Transcript items (messages and cards) showing `pattern`."""
    return page.locator(TRANSCRIPT_ITEM).filter(has_text=pattern)


def expect_message(page: Page, pattern: str | re.Pattern[str]) -> Locator:
    """Wait for the newest message showing `pattern`; returns it."""
    newest = messages(page, pattern).last
    expect(newest).to_be_visible()
    return newest


def send(page: Page, text: str) -> None:
    """Type into Web Chat's send box and press Enter."""
    box = page.get_by_placeholder("Type your message")
    box.fill(text)
    box.press("Enter")


def card_button(page: Page, title: str) -> Locator:
    """The newest Adaptive Card button with exactly this title."""
    exact = re.compile(rf"^\s*{re.escape(title)}\s*$")
    return page.locator("button.ac-pushButton").filter(has_text=exact).last


def click(page: Page, title: str) -> None:
    """Click the newest card button with this title (Action.Submit)."""
    button = card_button(page, title)
    expect(button).to_be_enabled()
    button.click()
