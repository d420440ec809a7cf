"""End to end in Slack, on a fixed clock, with the jobs run as `bot.py run-jobs --now` runs them:
a meeting proposed and accepted by button with its signed .ics link and reminder, guide prompts
in working hours, and the same quiet-partnership nudge to both partners, all as Block Kit DMs."""

from __future__ import annotations

from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from icalendar import Calendar

from domain.core.clock import FixedClock
from domain.guide.wording import PROMPT_TITLES
from tests.e2e.harness import settings_for
from tests.e2e.slack_harness import Both, SlackUser, running_both, slack_text
from tests.e2e.test_guide_delivery import MONDAY_LAUNCH, _jobs_at, _through_the_day
from tests.e2e.test_slack_enrol_and_pair import pair_in_slack

SETTINGS = {"facilitators": frozenset({"fran@trust.nhs.uk"})}


async def _next(both: Both, person: SlackUser) -> dict:
    await both.slack.wait_for(lambda _: len(person.messages()) > person.seen)
    return person.new_messages()[-1]


def _titled(person: SlackUser, titles: set[str]) -> list[str]:
    return [slack_text(m) for m in person.new_messages() if m["text"] in titles]


def _url(message: dict, title: str) -> str:
    for block in message["blocks"]:
        for element in block.get("elements", []) if block["type"] == "actions" else []:
            if element["text"]["text"] == title:
                return str(element["url"])
    raise AssertionError(f"no {title!r} button")


async def test_a_meeting_proposed_and_accepted_in_slack_with_its_calendar_file(database_url: str) -> None:
    clock = FixedClock(MONDAY_LAUNCH)
    async with running_both(settings_for(database_url, **SETTINGS), clock) as both:
        _, asha, ben = await pair_in_slack(both)
        asha.new_messages(), ben.new_messages()
        for text in ("meet next Tuesday 2pm", "1 hour"):
            await asha.say(text)
        await asha.press("Teams call")
        for text in ("No agenda", "Just this once"):
            await asha.say(text)
        sent = await asha.say("yes")
        assert "Ben" in slack_text(sent[-1])

        proposal = await _next(both, ben)
        assert "14:00" in slack_text(proposal)
        accepted = await ben.press_where(lambda b: "meeting accept" in b.get("value", ""))
        assert "14:00" in slack_text(accepted[-1])
        confirmation = await _next(both, asha)
        path = urlsplit(_url(confirmation, "Add to calendar")).path
        async with both.teams.http.get(both.base + path) as response:
            assert response.status == 200 and response.content_type == "text/calendar"
            event = next(c for c in Calendar.from_ical(await response.text()).walk("VEVENT"))
        assert event.decoded("DTSTART") == datetime(2027, 3, 2, 14, 0, tzinfo=UTC)

        await _jobs_at(both.teams, clock, datetime(2027, 3, 1, 14, 0, tzinfo=UTC))
        assert _titled(asha, {"Meeting reminder"}) and _titled(ben, {"Meeting reminder"})
        listing = slack_text((await asha.say("meetings"))[-1])
        assert "Move" in listing and "Cancel" in listing


async def test_guide_prompts_and_a_nudge_reach_both_partners_in_slack(database_url: str) -> None:
    clock = FixedClock(MONDAY_LAUNCH)
    async with running_both(settings_for(database_url, **SETTINGS), clock) as both:
        _, asha, ben = await pair_in_slack(both)
        asha.new_messages(), ben.new_messages()
        await _through_the_day(both.teams, clock, date(2027, 3, 1))
        prompts = set(PROMPT_TITLES.values())
        asha_prompts, ben_prompts = _titled(asha, prompts), _titled(ben, prompts)
        assert asha_prompts and sorted(asha_prompts) == sorted(ben_prompts)
        assert all('"type": "header"' in prompt for prompt in asha_prompts)

        for day in (date(2027, 3, 15), date(2027, 3, 22), date(2027, 3, 29)):
            await _through_the_day(both.teams, clock, day)
        nudge = "A moment for your learning partnership"
        asha_nudges, ben_nudges = _titled(asha, {nudge}), _titled(ben, {nudge})
        assert len(asha_nudges) == 1 and asha_nudges == ben_nudges
        assert '"type": "header"' in asha_nudges[0]
