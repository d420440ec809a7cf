"""End to end over real HTTP, driven by the same job runner as `bot.py run-jobs --now`:
propose, accept, calendar file, reminders at the right times, "did you meet?" after the
meeting, both answers logged, and nothing sent twice."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

from icalendar import Calendar

from domain.core.clock import FixedClock
from domain.guide.wording import PROMPT_TITLES
from tests.e2e.harness import Harness, TeamsUser, card_text, running, settings_for
from tests.e2e.test_guide_delivery import MONDAY_LAUNCH, _jobs_at, _paired_couple

GUIDE_TITLES = set(PROMPT_TITLES.values()) | {"Something to try"}


def _button(message: dict, title: str) -> dict:
    """The data or url of the card action with this title."""
    content = message["attachments"][0]["content"]
    actions = content.get("actions", [])
    return next(a for a in actions if a["title"] == title)


async def _next_message(h: Harness, person: TeamsUser) -> dict:
    await h.connector.wait_for(lambda _: len(person.all_messages()) > person.seen)
    return person.new_messages()[-1]


def _meeting_messages(person: TeamsUser) -> list[dict]:
    """New messages about meetings (not guide prompts)."""
    return [
        m
        for m in person.new_messages()
        if "guide" not in str(m.get("summary", "")).lower() and m.get("summary") not in GUIDE_TITLES
    ]


def _kinds(person: TeamsUser) -> list[str]:
    return [str(m.get("summary")) for m in _meeting_messages(person)]


async def test_propose_accept_remind_and_log(database_url: str) -> None:
    clock = FixedClock(MONDAY_LAUNCH)
    async with running(settings_for(database_url, facilitators=frozenset({"aad-fran"})), clock) as h:
        _, asha, ben = await _paired_couple(h)
        for text in ("meet next Tuesday 2pm", "1 hour", "Teams call", "No agenda", "Just this once"):
            await asha.say(text)
        sent = await asha.say("yes")
        assert "Ben" in card_text(sent[-1])

        proposal = await _next_message(h, ben)
        assert "19:30" in card_text(proposal)  # 14:00 in London is 19:30 in Kolkata
        accepted = await ben.press(
            next(
                a["data"]
                for a in proposal["attachments"][0]["content"]["actions"]
                if a["data"].get("command", "").startswith("meeting accept")
            )
        )
        confirmation = await _next_message(h, asha)
        assert "14:00" in card_text(confirmation) and "19:30" in card_text(accepted[-1])

        # The calendar file behind the signed link parses as the booked meeting.
        path = urlsplit(_button(confirmation, "Add to calendar")["url"]).path
        async with h.http.get(h.bot_url.rsplit("/api/", 1)[0] + path) as response:
            assert response.status == 200 and response.content_type == "text/calendar"
            calendar = Calendar.from_ical(await response.text())
            event = next(c for c in calendar.walk("VEVENT"))
        assert event.decoded("DTSTART") == datetime(2027, 3, 2, 14, 0, tzinfo=UTC)  # "next Tuesday" from Monday 1 March
        # A file to download is a publication from the companion (RFC 5546), titled with the partner's name.
        assert str(calendar["METHOD"]) == "PUBLISH" and str(event["SUMMARY"]) == "PLP meeting with Ben"
        assert str(event["ORGANIZER"]) == "mailto:noreply@localhost" and "ATTENDEE" not in event
        async with h.http.get(
            h.bot_url.rsplit("/api/", 1)[0] + re.sub(r"\.(\d+)-(\d+)\.", r".\1-9\2.", path)
        ) as forged:
            assert forged.status == 404

        # Reminders: nothing early, 24 hours before, 1 hour before; then "did you meet?" at the end.
        # (Guide prompts arrive in between, in each person's working hours: filtered out here.)
        await _jobs_at(h, clock, datetime(2027, 3, 1, 13, 59, tzinfo=UTC))
        assert _kinds(asha) == _kinds(ben) == []
        await _jobs_at(h, clock, datetime(2027, 3, 1, 14, 0, tzinfo=UTC))
        assert _kinds(asha) == _kinds(ben) == ["Meeting reminder"]
        await _jobs_at(h, clock, datetime(2027, 3, 2, 13, 0, tzinfo=UTC))
        assert _kinds(asha) == _kinds(ben) == ["Meeting reminder"]
        await _jobs_at(h, clock, datetime(2027, 3, 2, 15, 0, tzinfo=UTC))
        asked_asha, asked_ben = _meeting_messages(asha), _meeting_messages(ben)
        assert len(asked_asha) == len(asked_ben) == 1 and "Did you meet" in card_text(asked_asha[0])
        await _jobs_at(h, clock, datetime(2027, 3, 2, 15, 30, tzinfo=UTC))
        assert _kinds(asha) == _kinds(ben) == []

        for person, asked in ((asha, asked_asha[0]), (ben, asked_ben[0])):
            await person.press(_button(asked, "Yes, we met")["data"])
        log = card_text((await asha.say("meetings"))[-1])
        assert "Met" in log


async def _book(h: Harness, proposer: TeamsUser, partner: TeamsUser, when: str) -> dict:
    """Propose one time and have the partner accept it; returns the proposer's confirmation."""
    for text in (f"meet {when}", "30 minutes", "Phone", "No agenda", "Just this once", "yes"):
        await proposer.say(text)
    proposal = await _next_message(h, partner)
    await partner.press(
        next(
            a["data"]
            for a in proposal["attachments"][0]["content"]["actions"]
            if a["data"].get("command", "").startswith("meeting accept")
        )
    )
    return await _next_message(h, proposer)


async def test_cancelled_meetings_and_ended_partnerships_send_no_reminders(database_url: str) -> None:
    clock = FixedClock(MONDAY_LAUNCH)
    async with running(settings_for(database_url, facilitators=frozenset({"aad-fran"})), clock) as h:
        fran, asha, ben = await _paired_couple(h)
        first = await _book(h, asha, ben, "Wednesday 2pm")
        await _book(h, asha, ben, "Thursday 2pm")
        cancel = next(a["data"] for a in first["attachments"][0]["content"]["actions"] if a["title"] == "Cancel")
        await asha.press(cancel)
        assert "cancel" in card_text((await asha.say("yes"))[-1]).lower()
        told = await _next_message(h, ben)
        assert "cancel" in card_text(told).lower()

        # The facilitator ends the partnership: Thursday's reminders are withdrawn too.
        await fran.say("end partnership")
        await fran.say("1")
        await fran.say("A partner left the trust")
        await fran.say("yes")
        await h.connector.wait_for(
            lambda _: len(asha.all_messages()) > asha.seen and len(ben.all_messages()) > ben.seen
        )
        asha.new_messages(), ben.new_messages()
        for day in (2, 3, 4, 5):
            await _jobs_at(h, clock, datetime(2027, 3, day, 15, 0, tzinfo=UTC))
        assert asha.new_messages() == [] and ben.new_messages() == []
