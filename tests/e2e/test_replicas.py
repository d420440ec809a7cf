"""End to end over real HTTP: two replicas of the bot on one PostgreSQL database, each with its own
PLP_WORKER_ID as `bot.py` runs them, share one tenant's send budget through the heartbeat table and
deliver a facilitator's broadcast together, every message exactly once.

Their limiters read a FixedClock and never sleep, so each grant's instant shows that replica's pace
and no real time is measured. The fake Teams answers after a real latency and each replica keeps
only a few sends in flight, so one replica alone would need longer than the newcomer's one-beat
hold: the second replica's safety tick brings it in while the first is still sending.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import UTC, datetime

from bot import ENGINE, LIMITER
from domain.core.clock import FixedClock
from scheduling.ratelimit import OUTBOX_BURST, limiter_for
from storage.engine import create_engine
from storage.outbox_store import OutboxStore
from storage.store import SqlStore
from tests.e2e.harness import Harness, card_text, enrol_people, enrolled_conversation, running, settings_for
from tests.fakes.connector import FakeConnector, Recorded

START = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
PEOPLE = 100
LATENCY = 0.25  # real seconds per answer; with 4 in flight one replica alone would need 6.25 s for
IN_FLIGHT = 4  # everyone, longer than the newcomer holds back (one heartbeat, 5 s)
TICK = 0.25  # each replica's dispatcher safety tick (PLP_DISPATCH_INTERVAL), real seconds
RECIPIENTS = frozenset(enrolled_conversation("rp", n) for n in range(PEOPLE))
HALF_OUTBOX_RATE = 46 / 2  # PLP_SEND_RATE's default split between two live workers
Grants = list[tuple[float, str]]  # (limiter instant, conversation) of every send and reply


class Heard(logging.Handler):
    """Sets `event` once a record whose message contains `text` is logged (no polling)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text, self.event, self._loop = text, asyncio.Event(), asyncio.get_running_loop()

    def emit(self, record: logging.LogRecord) -> None:
        if self.text in record.getMessage():
            self._loop.call_soon_threadsafe(self.event.set)


@asynccontextmanager
async def replica(
    name: str, url: str, clock: FixedClock, connector: FakeConnector, grants: Grants
) -> AsyncIterator[Harness]:
    """One serving replica (dispatcher loop and heartbeat running) under worker id `name`."""
    settings = settings_for(
        url,
        facilitators=frozenset({"aad-fran"}),
        worker_id=name,
        dispatch_interval_seconds=TICK,
        send_concurrency=IN_FLIGHT,
    )

    async def no_sleep(_: float) -> None:
        return None  # the limiter's own clock runs on past the waits it asked for

    limiter = limiter_for(
        settings,
        time=lambda: clock.now().timestamp(),
        sleep=no_sleep,
        on_grant=lambda at, conversation, _: grants.append((at, conversation)),
    )
    async with running(settings, clock, limiter=limiter, connector=connector) as harness:
        yield harness


def _everyone_has_one(requests: list[Recorded]) -> bool:
    return {r.conversation_id for r in requests if r.is_activity} >= RECIPIENTS


async def _heard(text: str, within: float) -> None:
    """Wait until the dispatch budget logs `text` (a replica's heartbeat)."""
    handler, budget = Heard(text), logging.getLogger("scheduling.budget")
    level = budget.level
    budget.addHandler(handler)
    budget.setLevel(logging.INFO)  # the heartbeat's news is INFO; tests run at WARNING
    try:
        async with asyncio.timeout(within):
            await handler.event.wait()
    finally:
        budget.removeHandler(handler)
        budget.setLevel(level)


async def _outbox_summary(url: str) -> dict[str, int]:
    """The outbox by status, read once both replicas have stopped (and recorded every outcome)."""
    engine = create_engine(url)
    try:
        return await OutboxStore(engine).summary()
    finally:
        await engine.dispose()


async def test_two_replicas_send_a_broadcast_together_exactly_once_each_at_half_the_budget(
    postgres_database_url: str,
) -> None:
    clock, grants = FixedClock(START), {"replica-1": [], "replica-2": []}
    connector = FakeConnector(latency=LATENCY)
    await connector.start()
    try:
        async with AsyncExitStack() as replicas:
            first = await replicas.enter_async_context(
                replica("replica-1", postgres_database_url, clock, connector, grants["replica-1"])
            )
            rebalanced = asyncio.create_task(_heard("worker=replica-1: 2 live workers share", within=30))
            second = await replicas.enter_async_context(
                replica("replica-2", postgres_database_url, clock, connector, grants["replica-2"])
            )
            await rebalanced  # the first replica's next beat saw the second: both now take half
            assert (first.app[LIMITER].share, second.app[LIMITER].share) == (2, 2)

            await enrol_people(SqlStore(first.app[ENGINE]), connector.url, "rp", PEOPLE, START)
            fran = first.person("Fran")
            for text in ("broadcast", "Launch is on **Monday**.", "No link", "Everyone", "Send now"):
                replies = await fran.say(text)
            assert f"Send it to {PEOPLE} people now?" in card_text(replies[-1])
            assert "On its way" in card_text((await fran.say("yes"))[-1])
            await connector.wait_for(_everyone_has_one, within=60)
        assert await _outbox_summary(postgres_database_url) == {"sent": PEOPLE}
    finally:
        await connector.stop()

    for n in range(PEOPLE):
        [post] = connector.activities_to(enrolled_conversation("rp", n))  # exactly once, whoever sent it
        assert "Launch is on **Monday**" in card_text(post.body)
    sends = {name: [at for at, to in own if to in RECIPIENTS] for name, own in grants.items()}  # not Fran's
    assert sum(len(own) for own in sends.values()) == PEOPLE
    assert all(sends.values()), {name: len(own) for name, own in sends.items()}  # both replicas sent
    for own in sends.values():  # each at half the outbox rate (after a burst of two), never the whole
        assert max(own) - START.timestamp() >= (len(own) - OUTBOX_BURST) / HALF_OUTBOX_RATE - 1e-3
