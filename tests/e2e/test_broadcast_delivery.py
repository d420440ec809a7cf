"""End to end over real HTTP: a facilitator broadcasts to 200 participants while the fake
Teams service throttles some sends (429 + Retry-After) and answers a few with 404. Dispatch
is driven by the same job runner as `bot.py run-jobs --now` on a FixedClock: everyone
reachable gets exactly one message, the 404s are reported unreachable, and the counts match."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot import ENGINE, run_jobs_once
from config import Settings
from domain.core.clock import FixedClock
from scheduling.ratelimit import RateLimiter, limiter_for
from storage.outbox_store import OutboxStore
from storage.store import SqlStore
from tests.e2e.harness import Harness, card_text, enrol_people, enrolled_conversation, running, settings_for

START = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
PEOPLE = 200
THROTTLED = {n for n in range(PEOPLE) if n % 20 == 3}  # 10 people: 429 + Retry-After: 1, once
GONE = {7, 77, 150}  # removed the app: 404


def conversation(n: int) -> str:
    return enrolled_conversation("bc", n)


def _limiter_on(clock: FixedClock, settings: Settings) -> RateLimiter:
    """The real RateLimiter reading the FixedClock, so a 429 pause ends when the test moves the clock.

    Waits are not slept: the limiter's own clock runs on past the waits it asked for.
    """

    async def no_sleep(_: float) -> None:
        return None

    return limiter_for(settings, time=lambda: clock.now().timestamp(), sleep=no_sleep)


async def _dispatch_until_settled(h: Harness, clock: FixedClock) -> int:
    """Run the jobs, moving the clock past each Retry-After, until no row is pending; return the rounds."""
    outbox = OutboxStore(h.app[ENGINE])
    for rounds in range(1, 30):
        await run_jobs_once(h.app)
        counts = await outbox.summary()
        if not counts.get("pending") and not counts.get("sending"):
            return rounds
        clock.current += timedelta(seconds=2)
    raise AssertionError(f"still pending after 30 rounds: {await outbox.summary()}")


async def test_a_broadcast_to_200_reaches_everyone_reachable_exactly_once(database_url: str) -> None:
    clock = FixedClock(START)
    settings = settings_for(database_url, facilitators=frozenset({"aad-fran"}))
    async with running(settings, clock, limiter=_limiter_on(clock, settings)) as h:
        ids = dict(enumerate(await enrol_people(SqlStore(h.app[ENGINE]), h.connector.url, "bc", PEOPLE, START)))
        for n in THROTTLED:
            h.connector.fail(conversation(n), 429, times=1, headers={"Retry-After": "1"})
        for n in GONE:
            h.connector.fail(conversation(n), 404, times=1)

        fran = h.person("Fran")
        await fran.say("broadcast")
        for text in (
            "Welcome to the programme! Launch is on **Monday**.",
            "Add a link",
            "Programme page https://example.org/plp",
            "Everyone",
        ):
            replies = await fran.say(text)
        assert "200 people" in card_text(replies[-1])
        await fran.say("Send now")
        assert "On its way" in card_text((await fran.say("yes"))[-1])

        rounds = await _dispatch_until_settled(h, clock)
        assert rounds >= 2  # the throttled sends went out on a later round, after their Retry-After

        for n in range(PEOPLE):
            posts = h.connector.activities_to(conversation(n))
            expected = 2 if n in THROTTLED else 1  # a throttled send, then the delivery; 404s are not retried
            assert len(posts) == expected, (n, len(posts))
            assert "Launch is on **Monday**" in card_text(posts[-1].body)
            assert "https://example.org/plp" in card_text(posts[-1].body)
        delivered = sum(1 for n in range(PEOPLE) if n not in GONE)
        assert delivered == 197

        store = SqlStore(h.app[ENGINE])
        async with store.transaction() as uow:
            [broadcast] = await uow.broadcasts.recent(5)
            rows = await uow.broadcasts.deliveries(broadcast.id)
            unreachable = {p.id for p in await uow.participants.list_all() if p.unreachable_at is not None}
        assert broadcast.recipients == PEOPLE and len(rows) == PEOPLE
        assert unreachable == {ids[n] for n in GONE}

        status = (await fran.say("broadcasts"))[-1]
        facts = {f["title"]: f["value"] for f in _facts(status)}
        assert (facts["Sent"], facts["Unreachable"], facts["Failed"], facts["Pending"]) == ("197", "3", "0", "0")
        assert "Could not be reached: Person 7, Person 77, Person 150" in card_text(status)
        assert "Resend to failed" not in card_text(status)  # nothing failed: unreachable people are not resent


def _facts(activity: dict) -> list[dict]:
    """The FactSet rows of a Teams card."""
    body = activity["attachments"][0]["content"]["body"]
    return next(item["facts"] for item in body if item.get("type") == "FactSet")
