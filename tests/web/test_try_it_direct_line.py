"""Try-it's Direct Line over real loopback HTTP, as Web Chat speaks it, on SQLite and PostgreSQL:
one greeting per conversation, echoes and answers in order by watermark, card values, proactive
messages through the connector, tokens, clear 4xx answers, and nothing at all in production."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from bot import SETTINGS, STORE, run_jobs_once
from domain.cohorts.service import list_cohorts
from domain.core.clock import FixedClock
from tests.e2e.harness import Harness, running, settings_for
from tests.web.tryit_client import Seat, shown

START = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)
GREETING = "Hello, I'm the PLP Companion"


def base(h: Harness) -> str:
    return h.bot_url.rsplit("/api/", 1)[0]


async def demo_code(h: Harness) -> str:
    cohorts = await list_cohorts(h.app[STORE])
    assert [c.name for c in cohorts] == ["Try-it demo cohort"]
    return cohorts[0].join_code


async def enrol(seat: Seat, code: str, group: str) -> None:
    await seat.say(f"join {code}")
    await seat.press({"choice": "agree"})
    await seat.press({"choice": group})
    for answer in ("Nurse, Leeds.", "Board insight; ward insight.", "Mornings."):
        await seat.say(answer)
    for choice in ("4w", "online", "Europe/London"):
        await seat.press({"choice": choice})
    assert "You're enrolled" in shown(await seat.press({"choice": "save"}))


async def test_starting_a_conversation_greets_once_however_often_the_page_opens(database_url: str) -> None:
    async with running(settings_for(database_url), FixedClock(START)) as h:
        first = await Seat.open(h.http, base(h), "partner-a")
        assert first.conversation_id == "try-it-partner-a"
        again = await Seat.open(h.http, base(h), "partner-a")  # a reload, or a second tab
        greetings = [a for a in await again.read() if GREETING in shown([a])]
        assert len(greetings) == 1
        card = greetings[0]
        assert card["from"] == {"id": "plp-companion", "name": "PLP Companion", "role": "bot"}
        assert card["attachments"][0]["contentType"] == "application/vnd.microsoft.card.adaptive"
        assert card["recipient"]["id"] == "try-it-partner-a"


async def test_what_the_person_types_is_echoed_then_answered_in_order(database_url: str) -> None:
    async with running(settings_for(database_url), FixedClock(START)) as h:
        seat = await Seat.open(h.http, base(h), "partner-b")
        await seat.read()
        status, posted = await seat.call(
            "POST", seat.activities_path, {"type": "message", "text": "help", "channelData": {"clientActivityID": "c1"}}
        )
        assert status == 200
        echo, *answers = await seat.read()
        assert (echo["id"], echo["text"], echo["from"]["role"]) == (posted["id"], "help", "user")
        assert echo["channelData"] == {"clientActivityID": "c1"}  # Web Chat matches its echo by this
        assert [a["from"]["role"] for a in answers] == ["bot"] and "Here's what I can do" in shown(answers)
        assert await seat.read() == []  # the watermark moved past everything
        status, everything = await seat.call("GET", f"{seat.activities_path}?watermark=0")
        assert [a["id"] for a in everything["activities"]] == [a["id"] for a in seat.seen]


async def test_card_buttons_carry_their_values_into_the_dialog(database_url: str) -> None:
    async with running(settings_for(database_url), FixedClock(START)) as h:
        seat = await Seat.open(h.http, base(h), "partner-a")
        code = await demo_code(h)
        assert "a short privacy note" in shown(await seat.say(f"join {code.lower()}"))
        assert "Which group are you joining as?" in shown(await seat.press({"choice": "agree"}))


async def test_the_facilitator_seat_facilitates_and_the_partner_seats_do_not(database_url: str) -> None:
    async with running(settings_for(database_url), FixedClock(START)) as h:
        partner = await Seat.open(h.http, base(h), "partner-a")
        facilitator = await Seat.open(h.http, base(h), "facilitator")
        assert "Participants" in shown(await facilitator.say("participants"))
        refused = shown(await partner.say("participants"))
        assert "Participants" not in refused and "facilitator" in refused.lower()


async def test_introductions_from_the_outbox_reach_both_conversations_through_the_connector(
    database_url: str,
) -> None:
    async with running(settings_for(database_url), FixedClock(START)) as h:
        a, b = (await Seat.open(h.http, base(h), "partner-a"), await Seat.open(h.http, base(h), "partner-b"))
        facilitator = await Seat.open(h.http, base(h), "facilitator")
        code = await demo_code(h)
        await enrol(a, code, "senior_leader")
        await enrol(b, code, "bme_colleague")
        listing = shown(await facilitator.say("participants"))
        ids = [int(n) for n in re.findall(r"#(\d+) Partner [AB]", listing)]
        await facilitator.say(f"pair {ids[0]} {ids[1]}")
        assert "Paired" in shown(await facilitator.press({"choice": "yes"}))
        await run_jobs_once(h.app)  # whatever the woken dispatcher has not sent yet goes now
        for seat, other in ((a, "Partner B"), (b, "Partner A")):
            introduction = shown(await seat.bot_activities())
            assert f"Meet your learning partner: {other}" in introduction
        assert h.connector.sent_activities() == []  # nothing went to Teams' connector


async def test_tokens_open_only_their_own_conversation(database_url: str) -> None:
    async with running(settings_for(database_url), FixedClock(START)) as h:
        a = await Seat.open(h.http, base(h), "partner-a")
        b = await Seat.open(h.http, base(h), "partner-b")
        forged = a.token[:-2] + ("AA" if not a.token.endswith("AA") else "BB")
        assert (await a.call("GET", a.activities_path, token=""))[0] == 403
        assert (await a.call("GET", a.activities_path, token=forged))[0] == 403
        assert (await a.call("POST", "/v3/directline/conversations", token="not-a-token"))[0] == 403
        assert (await b.call("GET", a.activities_path))[0] == 403  # B's token on A's conversation
        assert (await b.call("POST", a.activities_path, {"type": "message", "text": "hi"}))[0] == 403
        status, refreshed = await a.call("POST", "/v3/directline/tokens/refresh")
        assert status == 200 and refreshed["conversationId"] == "try-it-partner-a"
        assert (await a.call("GET", a.activities_path, token=refreshed["token"]))[0] == 200
        status, resumed = await a.call("GET", f"/v3/directline/conversations/{a.conversation_id}")
        assert status == 200 and resumed["conversationId"] == a.conversation_id


async def test_malformed_requests_get_a_clear_4xx_never_a_500(database_url: str) -> None:
    async with running(settings_for(database_url), FixedClock(START)) as h:
        seat = await Seat.open(h.http, base(h), "partner-a")
        await seat.read()  # the greeting
        path = seat.activities_path
        cases = [
            ("POST", path, b"{not json"),
            ("POST", path, [1, 2]),
            ("POST", path, {"type": "event", "name": "webchat/join"}),
            ("POST", path, {"type": "message", "text": 42}),
            ("POST", path, {"type": "message", "text": "x" * 10_001}),
            ("POST", path, {"type": "message", "value": ["a"]}),
            ("GET", f"{path}?watermark=-1", None),
            ("GET", f"{path}?watermark=abc", None),
        ]
        statuses = [(await seat.call(method, target, body))[0] for method, target, body in cases]
        assert statuses == [400] * len(cases)
        status, body = await seat.call("POST", path, b"x" * (h.app[SETTINGS].max_request_bytes + 2048))
        assert status == 413, body
        assert await seat.read() == []  # nothing refused reached the transcript (or the bot)


async def test_the_connector_takes_messages_for_seat_conversations_only(database_url: str) -> None:
    async with running(settings_for(database_url), FixedClock(START)) as h:
        seat = await Seat.open(h.http, base(h), "partner-a")
        await seat.read()
        connector = f"{base(h)}/try/connector/v3/conversations"
        message = {"type": "message", "text": "From the bot", "from": {"id": "plp-companion"}, "serviceUrl": "x"}
        async with h.http.post(f"{connector}/try-it-partner-a/activities", json=message) as response:
            assert response.status == 200
        shown_now = await seat.read()
        assert [(a["text"], a["from"]["role"]) for a in shown_now] == [("From the bot", "bot")]
        assert "serviceUrl" not in shown_now[0]
        async with h.http.post(f"{connector}/someone-else/activities", json=message) as response:
            assert response.status == 404
        async with h.http.post(f"{connector}/try-it-partner-a/activities", data=b"{") as response:
            assert response.status == 400
        async with h.http.get(f"{connector}/try-it-partner-a/members/try-it-partner-a") as response:
            assert response.status == 404


async def test_production_serves_no_try_it_route(database_url: str) -> None:
    settings = settings_for(database_url, environment="production", app_id="app-id", app_password="secret")
    async with running(settings, FixedClock(START)) as h:
        for method, path in (
            ("GET", "/"),
            ("GET", "/try/facilitator"),
            ("POST", "/try/clock"),
            ("POST", "/v3/directline/conversations"),
            ("POST", "/v3/directline/tokens/refresh"),
            ("POST", "/try/connector/v3/conversations/try-it-facilitator/activities"),
        ):
            async with h.http.request(method, base(h) + path) as response:
                assert response.status == 404, path
        assert "try-it-facilitator" not in h.app[SETTINGS].facilitators
