"""The dispatcher end to end: real database, real sender, fake Bot Connector over loopback HTTP."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.core.clock import FixedClock
from scheduling.ratelimit import RateLimiter
from storage.outbox_store import OutboxStore
from tests.fakes.connector import FakeConnector
from tests.scheduling.manual_time import ManualTime, eventually
from tests.scheduling.seed import (
    START,
    TENANT,
    DispatcherFactory,
    LimiterTime,
    add_message,
    add_person,
    outbox_row,
    participant_row,
    personal_conversation,
    ref_row,
    settle,
)


async def seed_people(engine: AsyncEngine, connector: FakeConnector, count: int) -> list[int]:
    """`count` people with personal conversations, one due message each; returns row ids."""
    rows = []
    for n in range(count):
        person = await add_person(engine, n, connector.url)
        rows.append(await add_message(engine, person, f"intro:{n}"))
    return rows


async def test_sends_each_due_row_once_and_records_it(
    engine: AsyncEngine, connector: FakeConnector, make_dispatcher: DispatcherFactory
) -> None:
    rows = await seed_people(engine, connector, 12)
    stats = await make_dispatcher().run_once()
    assert (stats.claimed, stats.sent) == (12, 12)
    for n, row_id in enumerate(rows):
        [activity] = connector.activities_to(personal_conversation(n))
        assert f"Hello (intro:{n})" in str(activity.body)  # rendered for Teams from the stored Reply
        row = await outbox_row(engine, row_id)
        assert (row.status, row.attempts, row.sent_at) == ("sent", 1, START)
        assert row.activity_id.startswith("activity-")


async def test_a_rerun_sends_nothing_twice(
    engine: AsyncEngine, connector: FakeConnector, make_dispatcher: DispatcherFactory
) -> None:
    await seed_people(engine, connector, 7)
    dispatcher = make_dispatcher()
    await dispatcher.run_once()
    assert (await dispatcher.run_once()).claimed == 0
    assert len(connector.sent_activities()) == 7


async def test_two_dispatchers_at_once_never_send_a_row_twice(
    engine: AsyncEngine, connector: FakeConnector, make_dispatcher: DispatcherFactory
) -> None:
    await seed_people(engine, connector, 30)
    first, second = make_dispatcher("replica-1"), make_dispatcher("replica-2")
    stats = await asyncio.gather(first.run_once(), second.run_once(), first.run_once())
    assert sum(s.sent for s in stats) == 30
    assert sorted(r.conversation_id for r in connector.sent_activities()) == sorted(
        personal_conversation(n) for n in range(30)
    )
    assert await OutboxStore(engine).summary() == {"sent": 30}


async def test_429_pauses_everything_until_retry_after(
    engine: AsyncEngine, connector: FakeConnector, clock: FixedClock, make_dispatcher: DispatcherFactory
) -> None:
    throttled = await add_message(engine, await add_person(engine, 1, connector.url), "throttled")
    connector.fail(personal_conversation(1), 429, headers={"Retry-After": "30"})
    dispatcher = make_dispatcher(send_concurrency=1)
    assert (await dispatcher.run_once()).retried == 1
    row = await outbox_row(engine, throttled)
    assert (row.status, row.due_at, row.last_error) == ("pending", START + timedelta(seconds=30), "http 429")

    waiting = await add_message(engine, await add_person(engine, 2, connector.url), "waiting")
    clock.current = START + timedelta(seconds=29)
    assert (await dispatcher.run_once()).claimed == 0  # paused: the other person waits too
    clock.current = START + timedelta(seconds=30)
    assert (await dispatcher.run_once()).sent == 2
    assert len(connector.activities_to(personal_conversation(1))) == 2  # the 429, then the delivery
    assert len(connector.activities_to(personal_conversation(2))) == 1
    assert (await outbox_row(engine, waiting)).status == "sent"


async def test_rows_claimed_in_a_batch_are_kept_through_a_429_pause(
    engine: AsyncEngine, connector: FakeConnector, clock: FixedClock, make_dispatcher: DispatcherFactory
) -> None:
    rows = await seed_people(engine, connector, 4)
    connector.fail(personal_conversation(0), 429, headers={"Retry-After": "600"})
    time, grants = ManualTime(), []
    limiter = RateLimiter(
        50.0, 45.0, time=time.time, sleep=time.wait_virtually, on_grant=lambda at, _, __: grants.append(at)
    )
    dispatcher = make_dispatcher(limiter=limiter, send_concurrency=4, batch_size=4)
    run = asyncio.create_task(dispatcher.run_once())
    await eventually(lambda: limiter.paused_for() > 0)  # the 429 is in; three claimed rows wait in the limiter
    assert [r.conversation_id for r in connector.sent_activities()] == [personal_conversation(0)]

    async def leases_outlast_the_pause() -> bool:
        held = [await outbox_row(engine, row_id) for row_id in rows[1:]]
        return all(r.status == "sending" and r.lease_until >= START + timedelta(seconds=600) for r in held)

    await eventually(leases_outlast_the_pause)  # one UPDATE extended them; none was handed back
    await time.run_until(run)
    stats = run.result()
    assert (stats.claimed, stats.retried, stats.released, stats.sent) == (4, 1, 0, 3)
    assert grants[0] == 0.0 and len(grants) == 4 and min(grants[1:]) >= 600.0  # nothing went out during the pause
    for row_id in rows[1:]:
        row = await outbox_row(engine, row_id)
        assert (row.status, row.attempts) == ("sent", 1)
    throttled = await outbox_row(engine, rows[0])
    assert (throttled.status, throttled.due_at) == ("pending", START + timedelta(seconds=600))
    clock.current = START + timedelta(seconds=600)
    await time.run_until(dispatcher.run_once())
    assert [len(connector.activities_to(personal_conversation(n))) for n in range(4)] == [2, 1, 1, 1]
    assert await OutboxStore(engine).summary() == {"sent": 4}


async def test_404_marks_the_row_and_the_person_unreachable(
    engine: AsyncEngine, connector: FakeConnector, make_dispatcher: DispatcherFactory
) -> None:
    person = await add_person(engine, 1, connector.url)
    row_id = await add_message(engine, person, "gone")
    connector.fail(personal_conversation(1), 404)
    assert (await make_dispatcher().run_once()).unreachable == 1
    row = await outbox_row(engine, row_id)
    assert (row.status, row.last_error) == ("unreachable", "http 404")
    assert (await participant_row(engine, person)).unreachable_at == START


async def test_a_person_without_a_conversation_reference_is_unreachable(
    engine: AsyncEngine, connector: FakeConnector, make_dispatcher: DispatcherFactory
) -> None:
    person = await add_person(engine, 1, None)
    row_id = await add_message(engine, person, "nowhere")
    assert (await make_dispatcher().run_once()).unreachable == 1
    assert (await outbox_row(engine, row_id)).last_error == "no conversation reference"
    assert (await participant_row(engine, person)).unreachable_at == START
    assert connector.requests == []


async def test_503_is_retried_with_backoff_then_sent(
    engine: AsyncEngine, connector: FakeConnector, clock: FixedClock, make_dispatcher: DispatcherFactory
) -> None:
    row_id = await add_message(engine, await add_person(engine, 1, connector.url), "flaky")
    connector.fail(personal_conversation(1), 503)
    dispatcher = make_dispatcher()
    assert (await dispatcher.run_once()).retried == 1
    row = await outbox_row(engine, row_id)
    assert row.status == "pending" and START < row.due_at <= START + timedelta(seconds=2)
    clock.current = row.due_at
    assert (await dispatcher.run_once()).sent == 1
    row = await outbox_row(engine, row_id)
    assert (row.status, row.attempts, len(connector.activities_to(personal_conversation(1)))) == ("sent", 2, 2)


async def test_gives_up_by_age_not_after_a_handful_of_attempts(
    engine: AsyncEngine, connector: FakeConnector, clock: FixedClock, make_dispatcher: DispatcherFactory
) -> None:
    row_id = await add_message(engine, await add_person(engine, 1, connector.url), "doomed")
    connector.fail(personal_conversation(1), 502, times=10_000)
    await settle(make_dispatcher(), engine, clock)
    row = await outbox_row(engine, row_id)
    assert row.status == "dead" and row.attempts > 100  # backoff grows to ten minutes, no further
    assert f"gave up after {row.attempts} attempts over 24." in row.last_error
    assert timedelta(hours=24) <= clock.now() - START <= timedelta(hours=24, minutes=10)
    assert len(connector.activities_to(personal_conversation(1))) == row.attempts


async def test_a_killed_dispatcher_loses_nothing(
    engine: AsyncEngine, connector: FakeConnector, clock: FixedClock, make_dispatcher: DispatcherFactory
) -> None:
    await seed_people(engine, connector, 6)
    lease = 120
    assert len(await OutboxStore(engine).claim(START, 100, "killed", lease)) == 6  # then it "dies"
    survivor = make_dispatcher("survivor")
    assert (await survivor.run_once()).claimed == 0  # the lease still holds
    clock.current = START + timedelta(seconds=lease + 1)
    assert (await survivor.run_once()).sent == 6
    assert [len(connector.activities_to(personal_conversation(n))) for n in range(6)] == [1] * 6
    assert not await OutboxStore(engine).mark_sent(1, "killed", clock.now(), "late")  # it cannot overwrite


async def test_a_channel_reference_gets_a_personal_conversation_once(
    engine: AsyncEngine, connector: FakeConnector, make_dispatcher: DispatcherFactory
) -> None:
    person = await add_person(engine, 1, connector.url, conversation_type="channel")
    await add_message(engine, person, "first")
    await make_dispatcher().run_once()
    [create] = connector.creates()
    assert create.body["tenantId"] == TENANT
    assert create.body["channelData"] == {"tenant": {"id": TENANT}}
    ref = await ref_row(engine, person)
    assert (ref.conversation_id, ref.conversation_type) == ("a:conv-29:user-1", "personal")
    await add_message(engine, person, "second")
    await make_dispatcher().run_once()
    assert len(connector.creates()) == 1
    assert len(connector.activities_to("a:conv-29:user-1")) == 2


async def test_an_unrenderable_payload_is_dead_not_retried(
    engine: AsyncEngine, connector: FakeConnector, make_dispatcher: DispatcherFactory
) -> None:
    person = await add_person(engine, 1, connector.url)
    row_id = await add_message(engine, person, "broken", payload={"facts": [{"unexpected": 1}]})
    assert (await make_dispatcher().run_once()).dead == 1
    assert (await outbox_row(engine, row_id)).last_error == "render: TypeError"
    assert connector.requests == []


async def test_wake_sends_a_fresh_row_without_waiting_for_the_interval(
    engine: AsyncEngine, connector: FakeConnector, make_dispatcher: DispatcherFactory
) -> None:
    dispatcher = make_dispatcher()
    await add_message(engine, await add_person(engine, 1, connector.url), "intro")
    dispatcher.wake()
    dispatcher.wake()  # coalesced with the first
    await connector.wait_for(lambda requests: len(requests) >= 1, within=5)
    await dispatcher.close()
    assert len(connector.sent_activities()) == 1
    assert await OutboxStore(engine).summary() == {"sent": 1}


async def test_close_lets_a_run_finish_what_it_claimed_and_stops_claiming(
    engine: AsyncEngine, connector: FakeConnector, make_dispatcher: DispatcherFactory
) -> None:
    await seed_people(engine, connector, 12)
    dispatcher = make_dispatcher()
    run = asyncio.create_task(dispatcher.run_once())
    await connector.wait_for(lambda requests: len(requests) >= 1, within=5)
    await dispatcher.close()
    assert run.done()
    stats = run.result()
    summary = await OutboxStore(engine).summary()
    assert "sending" not in summary  # nothing is left leased by a shut-down process
    assert summary.get("sent") == stats.sent == stats.claimed
    assert (await dispatcher.run_once()).claimed == 0


async def test_global_rate_limit_spaces_the_sends(
    engine: AsyncEngine, connector: FakeConnector, make_dispatcher: DispatcherFactory, limiter_time: LimiterTime
) -> None:
    await seed_people(engine, connector, 10)
    assert (await make_dispatcher(send_rate_per_second=5.0).run_once()).sent == 10
    # All ten were due at once: the first at once, then one every 0.2 s.
    assert limiter_time.outbox_grants() == pytest.approx([0.2 * n for n in range(10)])
