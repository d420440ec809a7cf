"""Broadcasts in the background, on a fixed clock and the real database (SQLite, and PostgreSQL
when TEST_DATABASE_URL is set): the confirm stores only the broadcast; rows go in batch by
batch, exactly once each, through a crash, a second worker, a cancel and a resend; the status
card shows progress from grouped counts."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.broadcasts import service as broadcasts
from domain.broadcasts.materialise import Hooks, Progress, drain, step
from domain.broadcasts.model import Audience, AudienceKind, Broadcast, BroadcastStatus, Draft
from domain.broadcasts.wording import status_reply
from domain.core.model import OutboxStatus
from domain.core.reply import Reply
from storage.engine import create_engine
from storage.store import SqlStore
from tests.domain.broadcasts.crowd import NOW, broadcast_rows, counting_statements, seed_crowd, set_status
from tests.reading import as_read

EVERYONE = Draft("Launch day", Audience(AudienceKind.EVERYONE))


async def _confirm(store: SqlStore) -> int:
    created = await broadcasts.create(store, EVERYONE, None, NOW, NOW)
    assert created.queued
    return created.broadcast.id


def _assert_each_once(rows: list[tuple[str, int, str]], broadcast_id: int, people: list[int]) -> None:
    assert sorted(pid for _, pid, _ in rows) == people  # everyone, nobody twice, nobody else
    assert {key for key, _, _ in rows} == {f"broadcast:{broadcast_id}:{pid}:1" for pid in people}


async def _broadcast(store: SqlStore, broadcast_id: int) -> Broadcast:
    async with store.transaction() as uow:
        found = await uow.broadcasts.get(broadcast_id)
    assert found is not None
    return found


async def test_the_confirm_stores_the_broadcast_and_no_rows_whatever_the_audience(engine: AsyncEngine) -> None:
    store = SqlStore(engine)
    statements = []
    for size in (3, 300):
        await seed_crowd(engine, size)
        with counting_statements(engine) as seen:
            broadcast_id = await _confirm(store)
        statements.append(len(seen))
        assert await broadcast_rows(engine, broadcast_id) == []
        made = await _broadcast(store, broadcast_id)
        assert (made.status, made.recipients, made.materialised_through) == (BroadcastStatus.SENDING, 0, 0)
    assert statements[0] == statements[1]  # nothing in the turn grows with the audience


async def test_rows_go_in_batch_by_batch_each_recipient_exactly_once(engine: AsyncEngine) -> None:
    people = await seed_crowd(engine, 250, others=60)
    store = SqlStore(engine)
    broadcast_id = await _confirm(store)
    woken: list[int] = []
    hooks = Hooks(on_batch=lambda: woken.append(1))
    assert await drain(store, NOW, batch=100, hooks=hooks) == 250
    assert woken == [1, 1, 1]  # the dispatcher hears after each batch, not only at the end
    _assert_each_once(await broadcast_rows(engine, broadcast_id), broadcast_id, people)
    done = await _broadcast(store, broadcast_id)
    assert (done.status, done.recipients, done.sent_at) == (BroadcastStatus.SENT, 250, NOW)
    assert await drain(store, NOW, batch=100) == 0  # nothing twice


async def test_an_audience_that_fills_the_last_batch_exactly_still_finishes(engine: AsyncEngine) -> None:
    await seed_crowd(engine, 200)
    store = SqlStore(engine)
    broadcast_id = await _confirm(store)
    steps = [await step(store, NOW, batch=100) for _ in range(4)]
    assert steps == [
        Progress(broadcast_id, 100, False),
        Progress(broadcast_id, 100, False),
        Progress(broadcast_id, 0, True),  # an empty window says the audience is exhausted
        None,
    ]


async def test_a_crash_after_one_batch_resumes_in_a_new_process_losing_and_repeating_nothing(
    engine: AsyncEngine, database_url: str
) -> None:
    people = await seed_crowd(engine, 250, others=30)
    broadcast_id = await _confirm(SqlStore(engine))
    assert await step(SqlStore(engine), NOW, batch=100) == Progress(broadcast_id, 100, False)
    await engine.dispose()  # the process dies here

    restarted = create_engine(database_url)
    try:
        assert await drain(SqlStore(restarted), NOW, batch=100) == 150
        _assert_each_once(await broadcast_rows(restarted, broadcast_id), broadcast_id, people)
        assert (await _broadcast(SqlStore(restarted), broadcast_id)).recipients == 250
    finally:
        await restarted.dispose()


async def test_a_crash_between_the_rows_and_the_cursor_rolls_the_whole_batch_back(
    engine: AsyncEngine, database_url: str
) -> None:
    people = await seed_crowd(engine, 150)
    store = SqlStore(engine)
    broadcast_id = await _confirm(store)
    assert await step(store, NOW, batch=100) == Progress(broadcast_id, 100, False)
    await _fail_cursor_updates(engine, database_url, on=True)
    with pytest.raises(Exception, match="simulated crash"):
        await step(store, NOW, batch=100)  # the second batch's rows were inserted, then the cursor failed
    await _fail_cursor_updates(engine, database_url, on=False)
    assert len(await broadcast_rows(engine, broadcast_id)) == 100  # the half-done batch left nothing
    assert await drain(store, NOW, batch=100) == 50
    _assert_each_once(await broadcast_rows(engine, broadcast_id), broadcast_id, people)
    assert (await _broadcast(store, broadcast_id)).recipients == 150


async def _fail_cursor_updates(engine: AsyncEngine, database_url: str, on: bool) -> None:
    """A database trigger that aborts any UPDATE of a broadcast: a crash at the worst moment."""
    postgres = database_url.startswith("postgresql")
    statements = (
        [
            "CREATE FUNCTION crash() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'simulated crash'; END $$"
            " LANGUAGE plpgsql",
            "CREATE TRIGGER crash BEFORE UPDATE ON broadcasts FOR EACH ROW EXECUTE FUNCTION crash()",
        ]
        if postgres
        else ["CREATE TRIGGER crash BEFORE UPDATE ON broadcasts BEGIN SELECT RAISE(ABORT, 'simulated crash'); END"]
    )
    if not on:
        statements = (
            ["DROP TRIGGER crash ON broadcasts", "DROP FUNCTION crash()"] if postgres else ["DROP TRIGGER crash"]
        )
    async with engine.begin() as conn:
        for statement in statements:
            await conn.execute(text(statement))


async def test_workers_running_at_once_insert_each_row_once_and_never_redo_a_batch(
    engine: AsyncEngine, database_url: str
) -> None:
    people = await seed_crowd(engine, 400, others=40)
    first, second = await _confirm(SqlStore(engine)), await _confirm(SqlStore(engine))
    replicas = [create_engine(database_url) for _ in range(3)]  # as if three more processes
    try:
        done = await asyncio.gather(*(_worker(SqlStore(e)) for e in [engine, *replicas]))
    finally:
        for replica in replicas:
            await replica.dispose()
    steps = [progress for worker in done for progress in worker]
    if database_url.startswith("postgresql"):  # SQLite's one writer may serve one worker throughout
        assert sum(1 for worker in done if worker) >= 2  # the work really was shared
    # 16 full windows of 25 per broadcast, then one empty window that finishes it: no batch twice.
    assert sorted((p.broadcast_id, p.inserted, p.done) for p in steps) == sorted(
        [(b, 25, False) for b in (first, second) for _ in range(16)] + [(first, 0, True), (second, 0, True)]
    )
    for broadcast_id in (first, second):
        _assert_each_once(await broadcast_rows(engine, broadcast_id), broadcast_id, people)
        made = await _broadcast(SqlStore(engine), broadcast_id)
        assert (made.status, made.recipients) == (BroadcastStatus.SENT, 400)


async def _worker(store: SqlStore) -> list[Progress]:
    """One process's background loop, step by step."""
    steps = []
    while (progress := await step(store, NOW, batch=25)) is not None:
        steps.append(progress)
    return steps


async def test_cancel_mid_way_withdraws_what_waits_and_stops_the_batches(engine: AsyncEngine) -> None:
    people = await seed_crowd(engine, 250)
    store = SqlStore(engine)
    broadcast_id = await _confirm(store)
    await step(store, NOW, batch=100)
    await set_status(engine, people[:10], OutboxStatus.SENT)  # the dispatcher got through ten
    cancelled = await broadcasts.cancel(store, broadcast_id)
    assert (cancelled.stopped, cancelled.underway) == (True, True)
    assert await drain(store, NOW, batch=100) == 0
    statuses = Counter(status for _, _, status in await broadcast_rows(engine, broadcast_id))
    assert statuses == {"sent": 10, "cancelled": 90}
    assert (await _broadcast(store, broadcast_id)).status is BroadcastStatus.CANCELLED
    assert not (await broadcasts.cancel(store, broadcast_id)).stopped  # once is enough
    assert await broadcasts.list_cancellable(store) == []


async def test_a_sent_broadcast_with_rows_waiting_can_still_be_stopped(engine: AsyncEngine) -> None:
    people = await seed_crowd(engine, 30)
    store = SqlStore(engine)
    broadcast_id = await _confirm(store)
    await drain(store, NOW)
    assert [b.id for b in await broadcasts.list_cancellable(store)] == [broadcast_id]
    await set_status(engine, people[:20], OutboxStatus.SENT)
    assert (await broadcasts.cancel(store, broadcast_id)).stopped
    statuses = Counter(status for _, _, status in await broadcast_rows(engine, broadcast_id))
    assert statuses == {"sent": 20, "cancelled": 10}


async def test_the_status_card_shows_progress_from_grouped_counts(engine: AsyncEngine) -> None:
    people = await seed_crowd(engine, 250)
    store = SqlStore(engine)
    await _confirm(store)
    await step(store, NOW, batch=100)
    await set_status(engine, people[:60], OutboxStatus.SENT)
    await set_status(engine, people[60:65], OutboxStatus.DEAD)
    await set_status(engine, people[65:67], OutboxStatus.UNREACHABLE)
    assert _facts(await _card(store)) == {
        "Status": "preparing, Monday 1 March 2027, 09:00",
        "Pending": "33",
        "Sent": "60",
        "Failed": "5",
        "Unreachable": "2",
    }
    await drain(store, NOW)
    card = await _card(store)
    assert _facts(card)["Status"].startswith("sending,") and _facts(card)["Pending"] == "183"
    assert "Could not be reached: In 65, In 66" in as_read(card).text
    await set_status(engine, people[67:], OutboxStatus.SENT)
    assert _facts(await _card(store))["Status"].startswith("sent,")


async def _card(store: SqlStore) -> Reply:
    [(broadcast, summary)] = (await broadcasts.status_report(store)).rows
    return status_reply(broadcast, summary, [], "Europe/London")


def _facts(card: Reply) -> dict[str, str]:
    return {fact.title: fact.value for fact in card.facts if fact.title != "To"}


async def test_the_status_report_does_not_grow_with_the_audience(engine: AsyncEngine) -> None:
    store = SqlStore(engine)
    statements = []
    for size in (5, 400):
        people = await seed_crowd(engine, size)
        await _confirm(store)
        await drain(store, NOW)
        await set_status(engine, people[:3], OutboxStatus.UNREACHABLE)
        with counting_statements(engine) as seen:
            await broadcasts.status_report(store, limit=1)  # the newest: 5, then 405 recipients
        statements.append(len(seen))
    assert statements[0] == statements[1]


async def test_resend_to_failed_goes_in_batches_in_the_background(engine: AsyncEngine) -> None:
    people = await seed_crowd(engine, 250)
    store = SqlStore(engine)
    broadcast_id = await _confirm(store)
    await drain(store, NOW)
    await set_status(engine, people[:100], OutboxStatus.SENT)
    await set_status(engine, people[100:], OutboxStatus.DEAD)
    resent = await broadcasts.resend_failed(store, broadcast_id)
    assert (resent.count, resent.queued) == (150, True)
    assert len(await broadcast_rows(engine, broadcast_id)) == 250  # the turn inserted nothing
    with pytest.raises(broadcasts.BroadcastError, match="already being prepared"):
        await broadcasts.resend_failed(store, broadcast_id)
    assert await drain(store, NOW, batch=100) == 150
    rows = await broadcast_rows(engine, broadcast_id)
    assert sorted(pid for key, pid, _ in rows if key.endswith(":2")) == people[100:]
    done = await _broadcast(store, broadcast_id)
    assert (done.status, done.recipients) == (BroadcastStatus.SENT, 250)  # first attempts, counted once
    summary = (await broadcasts.status_report(store)).rows[0][1]
    assert (summary.sent, summary.pending, summary.failed) == (100, 150, 0)


async def test_a_scheduled_broadcast_waits_and_takes_its_audience_as_at_its_time(engine: AsyncEngine) -> None:
    await seed_crowd(engine, 20, others=10)  # five of the others enrol a minute after NOW
    store = SqlStore(engine)
    later = NOW.replace(hour=14)
    made = (await broadcasts.create(store, EVERYONE, None, later, NOW)).broadcast
    assert await drain(store, later.replace(hour=13)) == 0
    assert (await _broadcast(store, made.id)).status is BroadcastStatus.SCHEDULED
    assert await drain(store, later) == 25
    assert (await _broadcast(store, made.id)).status is BroadcastStatus.SENT
