"""Try it in your browser, in a real Chromium: the start page, enrolment typed and clicked in Web Chat,
a proactive introduction arriving in an open page, the calendar buttons, and axe-core on every page.

The app runs on loopback on a FixedClock (Monday 1 March 2027, 10:00 London); Web Chat is the
local copy (no internet). Screenshots: test-artifacts/screenshots/.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from domain.cohorts.service import list_cohorts
from domain.core.model import Cohort, Group, Participant
from tests.browser.checks import assert_accessible, screenshot
from tests.browser.live import LiveApp, StartApp
from tests.browser.seat_client import SeatClient, shown_text
from tests.browser.webchat import GREETING, click, expect_message, messages, open_chat, require_local_webchat, send

ANSWERS = ("I trained as a nurse in Leeds.", "To understand board decisions.", "Early mornings suit me.")


@pytest.fixture
def local_webchat() -> None:
    """Chat pages load Web Chat from the local copy: missing, these tests fail (never skip)."""
    require_local_webchat()


def demo_cohort(live: LiveApp) -> Cohort:
    cohorts = live.call(lambda: list_cohorts(live.store))
    assert [c.name for c in cohorts] == ["Try-it demo cohort"]
    return cohorts[0]


def person(live: LiveApp, user_id: str) -> Participant:
    async def find() -> Participant | None:
        async with live.store.reading() as uow:
            return await uow.participants.find_by_user("directline", user_id)

    found = live.call(find)
    assert found is not None, user_id
    return found


def enrol_over_direct_line(live: LiveApp, seat: str, code: str, group: str) -> None:
    """Set the scene: a partner enrols without the browser (the same Direct Line calls Web Chat makes)."""
    client = SeatClient(live.url, seat)
    client.say(f"join {code}")
    client.press({"choice": "agree"})
    client.press({"choice": group})
    for answer in ANSWERS:
        client.say(answer)
    client.press({"choice": "4w"})
    client.press({"choice": "online"})
    client.press({"choice": "Europe/London"})
    assert "You're enrolled" in shown_text(client.press({"choice": "save"}))


@pytest.mark.usefixtures("local_webchat")
def test_the_start_page_explains_the_companion_and_offers_three_seats(
    page: Page, live_app: LiveApp, console_errors: list[str]
) -> None:
    response = page.goto(live_app.url + "/")
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Try the PLP Companion")
    main = page.locator("main")
    expect(main).to_contain_text("as equal partners")
    code = demo_cohort(live_app).join_code
    expect(main).to_contain_text(f"join {code}")
    seats = page.locator("a.seat")
    expect(seats).to_have_text(
        [re.compile("Chat as Partner A"), re.compile("Chat as Partner B"), re.compile("Chat as Facilitator")]
    )
    assert not re.search(r"\bmentee?s?\b", main.inner_text(), re.IGNORECASE)
    assert_accessible(page, "start-page")
    screenshot(page, "start-page")

    seats.nth(2).click()
    expect(page).to_have_url(f"{live_app.url}/try/facilitator")
    expect(page.get_by_role("heading", level=1)).to_have_text("Chatting as Facilitator")
    expect(messages(page, GREETING)).to_have_count(1)
    assert console_errors == []


@pytest.mark.usefixtures("local_webchat")
def test_a_partner_enrols_in_the_page_by_typing_and_clicking_card_buttons(
    page: Page, live_app: LiveApp, console_errors: list[str]
) -> None:
    open_chat(page, live_app.url, "partner-a")
    expect(messages(page, GREETING)).to_have_count(1)
    code = demo_cohort(live_app).join_code
    expect(page.locator(".chat-intro")).to_contain_text(f"join {code}")

    click(page, "Join a cohort")  # a card button on the greeting
    expect_message(page, "join code")
    send(page, code.lower())
    expect_message(page, "a short privacy note")
    click(page, "I agree")
    expect_message(page, "Which group are you joining as?")
    click(page, "Senior leader")
    for number, answer in enumerate(ANSWERS, start=1):
        expect_message(page, f"Profile question {number} of 3")
        send(page, answer)
    expect_message(page, "How often would you like to meet")
    click(page, "Every 4 weeks")
    expect_message(page, "How would you prefer to meet?")
    send(page, "online")  # typed instead of clicked: matched to the button's title
    expect_message(page, "Which time zone are you in?")
    click(page, "Keep Europe/London")
    summary = expect_message(page, re.compile(r"Here.s what you told me"))
    expect(summary).to_contain_text(ANSWERS[0])
    assert_accessible(page, "chat-partner-summary")
    click(page, "Confirm")
    expect_message(page, re.compile(r"You.re enrolled"))
    screenshot(page, "chat-partner-enrolled")

    stored = person(live_app, "try-it-partner-a")
    assert (stored.name, stored.is_enrolled, stored.group) == ("Partner A", True, Group.SENIOR_LEADER)
    assert stored.cohort_id == demo_cohort(live_app).id
    assert (stored.meeting_rhythm, stored.meeting_format) == ("4w", "online")

    page.reload()  # the transcript comes back, and the companion does not greet again
    expect_message(page, re.compile(r"You.re enrolled"))
    send(page, "help")
    expect_message(page, re.compile(r"Here.s what I can do"))
    expect(messages(page, GREETING)).to_have_count(1)
    assert console_errors == []


@pytest.mark.usefixtures("local_webchat")
def test_an_introduction_reaches_an_open_page_and_a_week_jump_brings_the_guide(
    page: Page, live_app: LiveApp, console_errors: list[str]
) -> None:
    open_chat(page, live_app.url, "partner-a")
    code = demo_cohort(live_app).join_code
    enrol_over_direct_line(live_app, "partner-a", code, "senior_leader")
    enrol_over_direct_line(live_app, "partner-b", code, "bme_colleague")
    a, b = person(live_app, "try-it-partner-a"), person(live_app, "try-it-partner-b")

    facilitator = page.context.new_page()
    open_chat(facilitator, live_app.url, "facilitator")
    send(facilitator, "participants")
    expect_message(facilitator, f"{b.label} Partner B")
    send(facilitator, f"pair {a.number} {b.number}")
    expect_message(
        facilitator,
        re.compile(r"Pair Partner A \(Senior leader\) and Partner B \(Black and minority ethnic colleague\)\?"),
    )
    click(facilitator, "Yes")
    expect_message(facilitator, "Paired.")
    assert_accessible(facilitator, "chat-facilitator")
    screenshot(facilitator, "chat-facilitator-paired")

    # Partner A's page has been open all along: the introduction arrives without a reload.
    introduction = expect_message(page, "Meet your learning partner: Partner B")
    expect(introduction).to_contain_text(ANSWERS[1])
    expect(page.locator("#clock-today")).to_have_text("Monday 1 March 2027")
    guide_cards = messages(page, re.compile("Something to talk about|Something to try together|A moment to reflect"))
    expect(guide_cards).to_have_count(0)

    page.get_by_role("button", name="Jump a week").click()
    expect(page.locator("#clock-today")).to_have_text("Monday 8 March 2027")
    expect(page.locator("#clock-ahead")).to_have_text("(1 week ahead of today)")
    # The jump's own count may be 0: the background dispatcher can send the due prompts first.
    expect(page.get_by_role("status")).to_contain_text(re.compile(r"Done: the companion sent \d+ message"))
    expect(guide_cards.first).to_be_visible()  # a guide prompt from the scheduled jobs, in the open page
    assert_accessible(page, "chat-partner-after-a-week")
    screenshot(page, "chat-partner-after-a-week")

    page.get_by_role("button", name="Run the scheduled jobs now").click()
    expect(page.get_by_role("status")).to_contain_text(re.compile(r"Done: the companion sent \d+ message"))
    expect(page.locator("#clock-today")).to_have_text("Monday 8 March 2027")
    assert console_errors == []


def test_the_accessibility_check_fails_on_a_page_with_serious_problems(page: Page) -> None:
    page.set_content('<html><body><img src="data:,"><button></button><input type="text"></body></html>')
    with pytest.raises(AssertionError, match="image-alt") as failure:
        assert_accessible(page, "known-bad-page")
    assert "button-name" in str(failure.value) and "html-has-lang" in str(failure.value)


def test_an_unknown_seat_gets_a_kind_not_found_page(page: Page, live_app: LiveApp) -> None:
    response = page.goto(live_app.url + "/try/mentor")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    expect(page.get_by_role("link", name="Choose who to chat as")).to_have_attribute("href", "/")
    assert_accessible(page, "not-found-page")


TRY_IT_ROUTES = (
    ("GET", "/"),
    ("GET", "/try/partner-a"),
    ("GET", "/try/static/tryit/tryit.js"),
    ("POST", "/try/clock"),
    ("POST", "/v3/directline/conversations"),
    ("GET", "/v3/directline/conversations/try-it-partner-a/activities"),
    ("POST", "/try/connector/v3/conversations/try-it-partner-a/activities"),
)


def test_production_serves_none_of_it(page: Page, start_app: StartApp) -> None:
    live = start_app(environment="production", app_id="app-id", app_password="secret")
    statuses = {}
    for method, path in TRY_IT_ROUTES:
        if method == "GET":
            response = page.goto(live.url + path)
            assert response is not None
            statuses[path] = response.status
        else:
            statuses[path] = page.request.post(live.url + path, data={}).status
    assert statuses == {path: 404 for _, path in TRY_IT_ROUTES}
    assert page.request.get(live.url + "/healthz").status == 200  # the same app, serving what production needs
