"""Try-it's calendar buttons over real HTTP, on SQLite and PostgreSQL: "jump a week" moves the app's
clock a day at a time through the jobs, survives a restart, is capped; "run now" leaves the date."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from bot import CLOCK
from domain.core.clock import FixedClock, ShiftedClock
from tests.e2e.harness import running, settings_for
from tests.web.test_try_it_direct_line import base, demo_code, enrol
from tests.web.tryit_client import Seat, shown
from web.tryit.programme_clock import MAX_AHEAD

START = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)  # a Monday


async def test_a_week_jump_moves_the_clock_and_survives_a_restart(database_url: str) -> None:
    settings = settings_for(database_url)
    async with running(settings, FixedClock(START)) as h:
        a = await Seat.open(h.http, base(h), "partner-a")
        status, body = await a.call("POST", "/try/clock", {"action": "week"})
        assert status == 200, body
        assert (body["today"], body["ahead"]) == ("Monday 8 March 2027", "(1 week ahead of today)")
        assert h.app[CLOCK].now() == START + timedelta(weeks=1)

    async with running(settings, FixedClock(START)) as h:  # a restart on the same database
        assert h.app[CLOCK].now() == START + timedelta(weeks=1)
        seat = await Seat.open(h.http, base(h), "partner-a")
        status, body = await seat.call("POST", "/try/clock", {"action": "run"})
        assert status == 200 and body["today"] == "Monday 8 March 2027"
        assert h.app[CLOCK].now() == START + timedelta(weeks=1)


async def test_the_guide_arrives_in_a_paired_conversation_within_a_jumped_week(database_url: str) -> None:
    async with running(settings_for(database_url), FixedClock(START)) as h:
        a, b = await Seat.open(h.http, base(h), "partner-a"), await Seat.open(h.http, base(h), "partner-b")
        facilitator = await Seat.open(h.http, base(h), "facilitator")
        code = await demo_code(h)
        await enrol(a, code, "senior_leader")
        await enrol(b, code, "bme_colleague")
        listing = shown(await facilitator.say("participants"))
        ids = [int(n) for n in re.findall(r"#(\d+) Partner [AB]", listing)]
        await facilitator.say(f"pair {ids[0]} {ids[1]}")
        await facilitator.press({"choice": "yes"})
        status, _ = await a.call("POST", "/try/clock", {"action": "run"})  # sends the introductions
        assert status == 200
        before = shown(await a.bot_activities())
        assert "Meet your learning partner" in before and "Something to" not in before

        status, body = await a.call("POST", "/try/clock", {"action": "week"})
        assert status == 200, body
        # Not body["sent"]: the background dispatcher may send the prompts queued on the first "run"
        # as soon as a jumped day makes them due, before that day's own dispatch pass. Either way the
        # pass waits for a running drain (one lock), so they have arrived by the time the jump answers.
        assert "Something to" in shown(await a.bot_activities())


async def test_the_calendar_refuses_strangers_odd_requests_and_going_too_far(database_url: str) -> None:
    async with running(settings_for(database_url), FixedClock(START)) as h:
        seat = await Seat.open(h.http, base(h), "facilitator")
        assert (await seat.call("POST", "/try/clock", {"action": "week"}, token=""))[0] == 403
        assert (await seat.call("POST", "/try/clock", {"action": "week"}, token="x.1.y"))[0] == 403
        assert (await seat.call("POST", "/try/clock", b"{"))[0] == 400
        assert (await seat.call("POST", "/try/clock", {"action": "back"}))[0] == 400
        assert (await seat.call("POST", "/try/clock", ["week"]))[0] == 400
        assert h.app[CLOCK].now() == START

        clock = h.app[CLOCK]
        assert isinstance(clock, ShiftedClock)
        clock.advance(MAX_AHEAD - timedelta(days=6))
        status, body = await seat.call("POST", "/try/clock", {"action": "week"})
        assert status == 409 and "two years ahead" in body["error"]
        assert h.app[CLOCK].now() == START + MAX_AHEAD - timedelta(days=6)
