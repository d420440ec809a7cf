"""The dispatcher's drain loop over a real database and loopback HTTP, on a fixed clock.

The loop's idle sleeps move the fixed clock (`LimiterTime.pass_time`), so "until the next
row is due" happens at once; the limiter's grant instants show the pace. No scheduler runs
in these tests: whatever is sent, the loop sent by itself.
"""

from __future__ import annotations

import asyncio
import itertools
from datetime import timedelta

import aiohttp
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from channels.render import render
from config import Settings
from domain.core.clock import FixedClock
from domain.core.reply import Reply
from scheduling.budget import TenantShare
from scheduling.credentials import TokenProvider
from scheduling.ratelimit import RateLimiter, limiter_for
from scheduling.sender import BotConnectorSender
from storage.dispatch_workers import WorkerRegistry
from storage.outbox_store import OutboxStore
from tests.fakes.connector import FakeConnector, Recorded
from tests.scheduling.manual_time import ManualTime, eventually
from tests.scheduling.seed import (
    START,
    DispatcherFactory,
    LimiterTime,
    add_message,
    add_person,
    outbox_row,
    personal_conversation,
)
from tests.scheduling.test_budget import most_in_window

QUIET = {"dispatch_interval_seconds": 3600.0}  # no safety tick within any of these tests


async def people(engine: AsyncEngine, connector: FakeConnector, numbers: range, due_in: float = 0.0) -> list[int]:
    """One person and one message each; the message due `due_in` seconds after START."""
    due = START + timedelta(seconds=due_in)
    return [await add_message(engine, await add_person(engine, n, connector.url), f"m:{n}", due) for n in numbers]


def deliveries(connector: FakeConnector, numbers: range) -> list[int]:
    """How many times each person received something."""
    return [len(connector.activities_to(personal_conversation(n))) for n in numbers]


async def test_the_loop_drains_each_wave_back_to_back_after_one_wake(
    engine: AsyncEngine, connector: FakeConnector, limiter_time: LimiterTime, make_dispatcher: DispatcherFactory
) -> None:
    dispatcher = make_dispatcher(batch_size=20, send_concurrency=16, **QUIET)
    await dispatcher.start()
    try:
        for wave in range(3):
            await people(engine, connector, range(wave * 100, wave * 100 + 100))
            dispatcher.wake()  # what a turn or a job does after queueing
            await connector.wait_for(lambda requests, n=wave: len(requests) == (n + 1) * 100, within=30)
    finally:
        await dispatcher.close()
    assert deliveries(connector, range(300)) == [1] * 300
    grants = limiter_time.outbox_grants()
    # Fifteen claim batches, one pace: never more than one outbox slot between two sends.
    assert len(grants) == 300 and max(b - a for a, b in itertools.pairwise(grants)) <= 1 / 45 + 1e-6
    assert await OutboxStore(engine).summary() == {"sent": 300}


async def test_the_loop_wakes_itself_when_the_next_row_falls_due(
    engine: AsyncEngine, connector: FakeConnector, clock: FixedClock, make_dispatcher: DispatcherFactory
) -> None:
    now_ids = await people(engine, connector, range(2))
    later_ids = await people(engine, connector, range(2, 4), due_in=90)
    connector.fail(personal_conversation(0), 503)  # retried after its backoff, again without any wake
    dispatcher = make_dispatcher(**QUIET)
    await dispatcher.start()
    try:
        await connector.wait_for(lambda requests: len(requests) == 5, within=30)
        await eventually(lambda: clock.now() >= START + timedelta(seconds=90))
        await eventually(lambda: _all_sent(engine, now_ids + later_ids))
    finally:
        await dispatcher.close()
    assert deliveries(connector, range(4)) == [2, 1, 1, 1]
    assert (await outbox_row(engine, later_ids[0])).sent_at == START + timedelta(seconds=90)  # at its due time


async def _all_sent(engine: AsyncEngine, ids: list[int]) -> bool:
    statuses = [(await outbox_row(engine, row_id)).status for row_id in ids]
    return statuses == ["sent"] * len(ids)


async def test_a_ten_minute_outage_loses_nothing(
    engine: AsyncEngine, connector: FakeConnector, clock: FixedClock, make_dispatcher: DispatcherFactory
) -> None:
    ids = await people(engine, connector, range(20))
    outage_ends, delivered = START + timedelta(minutes=10), []

    def down(recorded: Recorded) -> web.Response | None:
        if clock.now() < outage_ends:
            return web.json_response({}, status=503)
        delivered.append(recorded.conversation_id)
        return None

    connector.respond_with(down)
    dispatcher = make_dispatcher(**QUIET)
    await dispatcher.start()
    try:
        await eventually(lambda: len(delivered) == 20, within=60)
        await eventually(lambda: _all_sent(engine, ids))
    finally:
        await dispatcher.close()
    rows = [await outbox_row(engine, row_id) for row_id in ids]
    assert min(r.sent_at for r in rows) >= outage_ends and min(r.attempts for r in rows) > 5
    assert await OutboxStore(engine).summary() == {"sent": 20}  # every one, once the connector was back


async def test_a_restarted_worker_resumes_at_once_and_resends_only_what_was_in_flight(
    engine: AsyncEngine,
    connector: FakeConnector,
    clock: FixedClock,
    http: aiohttp.ClientSession,
    make_dispatcher: DispatcherFactory,
) -> None:
    await people(engine, connector, range(10))
    killed = await OutboxStore(engine).claim(START, 10, "worker-1", 300)  # then kill -9, with two sends posted
    sender = BotConnectorSender(http, TokenProvider("", ""))
    for message in killed[:2]:
        assert message.ref is not None
        await sender.send(message.ref, render(Reply.from_dict(message.payload), "msteams"))
    clock.current = START + timedelta(seconds=5)  # restarted five seconds later, under the same worker id
    restarted = make_dispatcher("worker-1", **QUIET)
    await restarted.start()
    try:
        await connector.wait_for(lambda requests: len(requests) == 12, within=30)
        await eventually(lambda: _summary_is(engine, {"sent": 10}))
    finally:
        await restarted.close()
    assert clock.now() < START + timedelta(seconds=300)  # nobody waited out the five-minute lease
    assert deliveries(connector, range(10)) == [2, 2] + [1] * 8  # 0 lost; duplicates: the two in flight


async def _summary_is(engine: AsyncEngine, expected: dict[str, int]) -> bool:
    return await OutboxStore(engine).summary() == expected


async def test_two_dispatchers_on_one_database_split_the_tenant_budget(
    engine: AsyncEngine, connector: FakeConnector, clock: FixedClock, make_dispatcher: DispatcherFactory
) -> None:
    await people(engine, connector, range(300))
    registry, grants = WorkerRegistry(engine), {"replica-1": [], "replica-2": []}

    async def frozen(_: float) -> None:
        return None

    def worker(name: str) -> tuple[RateLimiter, TenantShare]:
        limiter = limiter_for(
            Settings(),
            time=lambda: clock.now().timestamp(),
            sleep=frozen,
            on_grant=lambda at, _, __: grants[name].append(at),
        )
        return limiter, TenantShare(registry, limiter, name, clock, sleep=frozen)

    (first, share_1), (second, share_2) = worker("replica-1"), worker("replica-2")
    await share_1.join()
    await share_2.join()
    await share_1.beat()
    assert (first.share, second.share) == (2, 2)
    replicas = [make_dispatcher("replica-1", limiter=first), make_dispatcher("replica-2", limiter=second)]
    await asyncio.gather(*(replica.run_once() for replica in replicas))
    assert deliveries(connector, range(300)) == [1] * 300
    everyone = grants["replica-1"] + grants["replica-2"]
    assert len(everyone) == 300
    assert most_in_window(everyone, 1.0) <= 50  # together, never above Teams' 50 a second
    for own in grants.values():  # and each kept to its half (23 a second, evenly spaced), not the whole
        assert max(own) - START.timestamp() >= (len(own) - 1) / 23 - 1e-3


async def test_closing_during_a_pause_hands_the_waiting_rows_back_in_one_go(
    engine: AsyncEngine, connector: FakeConnector, make_dispatcher: DispatcherFactory
) -> None:
    ids = await people(engine, connector, range(3))
    connector.fail(personal_conversation(0), 429, headers={"Retry-After": "600"})
    time = ManualTime()
    limiter = RateLimiter(50.0, 45.0, time=time.time, sleep=time.wait_virtually)
    dispatcher = make_dispatcher(limiter=limiter, send_concurrency=3, batch_size=3)
    run = asyncio.create_task(dispatcher.run_once())
    await eventually(lambda: limiter.paused_for() > 0)
    await dispatcher.close()  # shutting down need not wait ten minutes
    stats = run.result()
    assert (stats.claimed, stats.retried, stats.released, stats.sent) == (3, 1, 2, 0)
    for row_id in ids[1:]:
        row = await outbox_row(engine, row_id)
        assert (row.status, row.attempts, row.lease_owner, row.due_at) == ("pending", 0, "", START)
    assert deliveries(connector, range(3)) == [1, 0, 0]
