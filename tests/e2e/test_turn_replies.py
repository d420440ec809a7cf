"""End to end over real HTTP: in-turn replies go out on the project's own path. A throttled
reply is retried within the turn and delivered once; one that cannot get through within the
turn's budget arrives later through the outbox while the dialog carries on; nobody is told
something failed when it did not; card invokes still get 200."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import web

from bot import STORE
from config import Settings
from domain.core.clock import FixedClock
from domain.core.model import OutboxMessage
from scheduling.ratelimit import RateLimiter
from scheduling.sender import USER_AGENT
from tests.e2e.harness import Harness, TeamsUser, card_text, running, settings_for
from tests.e2e.test_broadcast_delivery import _dispatch_until_settled, _limiter_on
from tests.e2e.test_poll_flow import _cohort_of_six
from tests.fakes.connector import Recorded

START = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
SORRY = "Sorry, something went wrong"


@dataclass
class Outage:
    """Answers activity POSTs to one conversation with `status` (`times` times, or until ended)."""

    conversation_id: str
    status: int
    times: int = 10_000
    headers: dict[str, str] = field(default_factory=dict)
    failed: list[Recorded] = field(default_factory=list)

    def __call__(self, recorded: Recorded) -> web.StreamResponse | None:
        if not recorded.is_activity or recorded.conversation_id != self.conversation_id or self.times <= 0:
            return None
        self.times -= 1
        self.failed.append(recorded)
        return web.json_response({"error": {"code": "Scripted"}}, status=self.status, headers=self.headers)

    def end(self) -> None:
        self.times = 0

    def delivered(self, person: TeamsUser) -> list[dict[str, Any]]:
        """What reached the person: their activities the fake did not fail."""
        return [r.body for r in person.all_messages() if not any(r is f for f in self.failed)]


def turn_clock(clock: FixedClock, settings: Settings) -> tuple[RateLimiter, Any]:
    """Limiter and reply waits on the FixedClock: a reply's Retry-After moves the clock, not the test."""

    async def advance(seconds: float) -> None:
        clock.current += timedelta(seconds=seconds)

    return _limiter_on(clock, settings), advance


async def fran_in_create_cohort(h: Harness) -> TeamsUser:
    """A facilitator who has started `create cohort` and been asked for its name."""
    fran = h.person("Fran", aad_object_id="aad-fran")
    asked = await fran.say("create cohort")
    assert "What's the cohort called?" in card_text(asked[-1])
    return fran


async def pending_replies(h: Harness, person: TeamsUser) -> list[OutboxMessage]:
    async with h.app[STORE].transaction() as uow:
        found = await uow.participants.find_by_user("msteams", person.user_id)
        assert found is not None
        return [m for m in await uow.outbox.list_for(found.id) if m.kind == "reply"]


async def test_a_throttled_reply_is_retried_in_the_turn_delivered_once_and_the_dialog_continues(
    database_url: str,
) -> None:
    clock = FixedClock(START)
    settings = settings_for(database_url, facilitators=frozenset({"aad-fran"}))
    async with running(settings, clock, *turn_clock(clock, settings)) as h:
        fran = await fran_in_create_cohort(h)
        outage = Outage(fran.conversation_id, 429, times=1, headers={"Retry-After": "1"})
        h.connector.respond_with(outage)
        fran.new_messages()
        await fran.say("Spring 2027")
        (asked,) = outage.delivered(fran)[-1:]
        assert len(outage.failed) == 1 and "When is the launch session?" in card_text(asked)
        assert sum("launch session" in card_text(m) for m in outage.delivered(fran)) == 1
        assert clock.now() == START + timedelta(seconds=1)  # it waited out the Retry-After
        assert "How long will partnerships last?" in card_text((await fran.say("2027-03-01"))[-1])
        assert await pending_replies(h, fran) == []


async def test_a_reply_past_the_budget_arrives_through_the_outbox_and_the_next_answer_is_understood(
    database_url: str,
) -> None:
    clock = FixedClock(START)
    settings = settings_for(database_url, facilitators=frozenset({"aad-fran"}))
    async with running(settings, clock, *turn_clock(clock, settings)) as h:
        fran = await fran_in_create_cohort(h)
        outage = Outage(fran.conversation_id, 503)
        h.connector.respond_with(outage)
        await fran.say("Spring 2027")
        assert len(outage.failed) >= 2 and clock.now() < START + timedelta(seconds=settings.reply_budget_seconds)
        (queued,) = await pending_replies(h, fran)
        assert "When is the launch session?" in queued.payload["text"]

        outage.end()
        await _dispatch_until_settled(h, clock)
        delivered = outage.delivered(fran)
        assert sum("When is the launch session?" in card_text(m) for m in delivered) == 1
        assert not any(SORRY in card_text(m) for m in delivered)
        assert "How long will partnerships last?" in card_text((await fran.say("2027-03-01"))[-1])


async def test_a_broadcast_confirmation_that_misses_the_turn_arrives_later_and_the_broadcast_goes_once(
    database_url: str,
) -> None:
    clock = FixedClock(START)
    settings = settings_for(database_url, facilitators=frozenset({"aad-fran"}))
    async with running(settings, clock, *turn_clock(clock, settings)) as h:
        people = await _cohort_of_six(h)
        fran = h.person("Fran", aad_object_id="aad-fran")
        for text in ("broadcast", "Launch is on Monday.", "No link", "Everyone", "Send now"):
            await fran.say(text)
        outage = Outage(fran.conversation_id, 503)
        h.connector.respond_with(outage)
        await fran.say("yes")
        assert outage.failed  # the confirmation could not get through within the turn
        outage.end()
        await _dispatch_until_settled(h, clock)

        told = [card_text(m) for m in outage.delivered(fran)]
        assert sum("On its way" in t for t in told) == 1 and not any(SORRY in t for t in told)
        for person in people:
            assert sum("Launch is on Monday." in card_text(m) for m in person.new_messages()) == 1


async def test_card_invokes_get_200_when_their_reply_is_throttled_or_queued(database_url: str) -> None:
    clock = FixedClock(START)
    settings = settings_for(database_url)
    async with running(settings, clock, *turn_clock(clock, settings)) as h:
        sam = h.person("Sam")
        outages = [Outage(sam.conversation_id, 429, 1, {"Retry-After": "2"}), Outage(sam.conversation_id, 503)]
        for outage in outages:  # a throttled reply retried in the turn, then one queued past the budget
            h.connector.respond_with(outage)
            invoke = sam._activity("teams_invoke_adaptive_card_action.json")
            invoke["value"]["action"]["data"] = {"command": "help"}
            status, body = await h.post(invoke)
            assert status == 200 and body["statusCode"] == 200
            outage.end()
        await _dispatch_until_settled(h, clock)
        posts = [m for m in sam.all_messages() if "Here's what I can do" in card_text(m.body)]
        failed = sum(len(outage.failed) for outage in outages)
        assert failed >= 2 and len(posts) - failed == 2  # each invoke's reply delivered exactly once


async def test_replies_are_posted_by_our_own_client(database_url: str) -> None:
    async with running(settings_for(database_url)) as h:
        sam = h.person("Sam")
        await sam.install()
        help_request = sam._activity("teams_message_personal.json", text="help")
        await h.post(help_request)
        posts = sam.all_messages()
        assert len(posts) == 2 and all(p.headers.get("User-Agent") == USER_AGENT for p in posts)
        assert posts[-1].path.endswith(f"/activities/{help_request['id']}")  # a reply to the inbound activity
