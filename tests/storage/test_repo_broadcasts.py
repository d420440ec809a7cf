"""Contract tests for SqlBroadcastRepo (SQLite, and PostgreSQL when TEST_DATABASE_URL is set).
Reads happen in a new transaction, so they prove persistence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.broadcasts.model import Audience, AudienceKind, BroadcastStatus, Delivery, Draft
from domain.core.model import NewOutboxMessage, OutboxStatus, outbox_key
from storage.store import SqlStore
from storage.tables import OutboxRow

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
DRAFT = Draft("Launch day is **Monday**.", Audience(AudienceKind.GROUP, "bme_colleague"), "Book", "https://e.org/b")


@pytest.fixture
def store(engine: AsyncEngine) -> SqlStore:
    return SqlStore(engine)


async def test_create_and_get_round_trip_every_field(store: SqlStore) -> None:
    async with store.transaction() as uow:
        made = await uow.broadcasts.create(DRAFT, None, NOW + timedelta(hours=2), NOW)
    async with store.transaction() as uow:
        found = await uow.broadcasts.get(made.id)
        assert await uow.broadcasts.get(made.id + 99) is None
    assert found is not None
    assert (found.draft, found.status, found.send_at, found.created_at, found.recipients, found.sent_at) == (
        DRAFT,
        BroadcastStatus.SCHEDULED,
        NOW + timedelta(hours=2),
        NOW,
        0,
        None,
    )


async def test_take_next_takes_unfinished_ones_then_scheduled_ones_at_their_time(store: SqlStore) -> None:
    async with store.transaction() as uow:
        later = await uow.broadcasts.create(DRAFT, None, NOW + timedelta(hours=1), NOW)
        now = await uow.broadcasts.create(DRAFT, None, NOW, NOW)
        stuck = await uow.broadcasts.create(DRAFT, None, NOW - timedelta(hours=1), NOW, BroadcastStatus.SENDING)
        cancelled = await uow.broadcasts.create(DRAFT, None, NOW - timedelta(hours=2), NOW)
        await uow.broadcasts.advance(cancelled.id, BroadcastStatus.CANCELLED, 0, 0, None)
    taken = []
    for _ in range(2):
        async with store.transaction() as uow:
            found = await uow.broadcasts.take_next(NOW)
            assert found is not None
            taken.append(found.id)
            await uow.broadcasts.advance(found.id, BroadcastStatus.SENT, 9, 2, NOW)
    assert taken == [stuck.id, now.id]  # soonest first; the cancelled one never
    async with store.transaction() as uow:
        assert await uow.broadcasts.take_next(NOW) is None  # nothing more is due
        assert [b.id for b in await uow.broadcasts.unfinished()] == [later.id]
        found = await uow.broadcasts.take_next(NOW + timedelta(hours=1))
        assert found is not None and found.id == later.id


async def test_advance_moves_the_cursor_adds_recipients_and_cancel_is_a_status(store: SqlStore) -> None:
    async with store.transaction() as uow:
        sent = await uow.broadcasts.create(DRAFT, None, NOW, NOW, BroadcastStatus.SENDING)
        waiting = await uow.broadcasts.create(DRAFT, None, NOW + timedelta(days=1), NOW)
        await uow.broadcasts.advance(sent.id, BroadcastStatus.SENDING, 40, 30, None)
        await uow.broadcasts.advance(sent.id, BroadcastStatus.SENT, 90, 12, NOW + timedelta(seconds=3))
        await uow.broadcasts.advance(waiting.id, BroadcastStatus.CANCELLED, 0, 0, None)
    async with store.transaction() as uow:
        done, gone = await uow.broadcasts.lock(sent.id), await uow.broadcasts.get(waiting.id)
        assert await uow.broadcasts.lock(waiting.id + 99) is None
        assert [b.id for b in await uow.broadcasts.recent(5)] == [waiting.id, sent.id]
        assert [b.id for b in await uow.broadcasts.recent(1)] == [waiting.id]
        assert await uow.broadcasts.unfinished() == []
    assert done is not None and gone is not None
    assert (done.status, done.recipients, done.sent_at, done.materialised_through) == (
        BroadcastStatus.SENT,
        42,
        NOW + timedelta(seconds=3),
        90,
    )
    assert gone.status is BroadcastStatus.CANCELLED


async def test_deliveries_read_this_broadcasts_outbox_rows_only(store: SqlStore, engine: AsyncEngine) -> None:
    async with store.transaction() as uow:
        people = [(await uow.participants.upsert_identity("msteams", f"29:{n}", f"P{n}", "", NOW)).id for n in range(2)]
        first = await uow.broadcasts.create(DRAFT, None, NOW, NOW)
        ids = [first.id] + [(await uow.broadcasts.create(DRAFT, None, NOW, NOW)).id for _ in range(10)]
        keys = [
            outbox_key("broadcast", ids[0], people[0], 1),
            outbox_key("broadcast", ids[0], people[1], 1),
            outbox_key("broadcast", ids[0], people[1], 2),
            outbox_key("broadcast", ids[10], people[0], 1),
            outbox_key("meeting", ids[0], people[0], 1),
        ]
        await uow.outbox.enqueue(
            [NewOutboxMessage(k, "x", people[0 if k.endswith(f":{people[0]}:1") else 1], {}, NOW) for k in keys], NOW
        )
    async with engine.begin() as conn:
        await conn.execute(update(OutboxRow).where(OutboxRow.idempotency_key == keys[1]).values(status="dead"))
    async with store.transaction() as uow:
        found = await uow.broadcasts.deliveries(ids[0])
    # Broadcast 11's rows ("broadcast:11:") and other kinds are not broadcast 1's.
    assert found == [
        Delivery(people[0], 1, OutboxStatus.PENDING),
        Delivery(people[1], 1, OutboxStatus.DEAD),
        Delivery(people[1], 2, OutboxStatus.PENDING),
    ]
