"""ReplyOutbox on a real database: an undelivered reply becomes one outbox row, due now."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from domain.core.clock import FixedClock
from domain.core.identity import Identity, register
from domain.core.model import OutboxStatus
from domain.core.reply import Action, Reply
from scheduling.reply_outbox import QueuedReply, ReplyOutbox
from storage.store import SqlStore
from tests.scheduling.seed import START

REPLY = Reply(text="When is the launch session?", title="New cohort", actions=(Action("Cancel", data={"x": 1}),))


async def test_a_reply_is_queued_once_as_the_same_reply_due_now(engine: AsyncEngine) -> None:
    store, wakes = SqlStore(engine), []
    person = await register(store, Identity("msteams", "29:fran", "Fran", "aad-fran"), None, START)
    outbox = ReplyOutbox(store, FixedClock(START), lambda: wakes.append(1))
    queued = QueuedReply("msteams", "29:fran", "1699999999999", 2, REPLY)
    assert await outbox.queue(queued) and await outbox.queue(queued)  # the second adds nothing
    async with store.transaction() as uow:
        (row,) = await uow.outbox.list_for(person.id)
    assert row.idempotency_key == f"reply:1699999999999:{person.id}:2"
    assert (row.kind, row.status, row.due_at, Reply.from_dict(row.payload)) == (
        "reply",
        OutboxStatus.PENDING,
        START,
        REPLY,
    )
    assert wakes == [1, 1]


async def test_each_reply_of_a_turn_and_each_turn_gets_its_own_row(engine: AsyncEngine) -> None:
    store = SqlStore(engine)
    person = await register(store, Identity("msteams", "29:fran", "Fran", "aad-fran"), None, START)
    outbox = ReplyOutbox(store, FixedClock(START), lambda: None)
    long_id = "x" * 400  # hashed into the key, which must fit its 255-character column
    for activity_id, index in (("a-1", 0), ("a-1", 1), ("a-2", 0), (long_id, 0), (long_id, 1)):
        await outbox.queue(QueuedReply("msteams", "29:fran", activity_id, index, REPLY))
    async with store.transaction() as uow:
        rows = await uow.outbox.list_for(person.id)
    assert len({row.idempotency_key for row in rows}) == 5
    assert all(len(row.idempotency_key) <= 255 for row in rows)


async def test_nothing_is_queued_for_someone_unknown(engine: AsyncEngine) -> None:
    wakes: list[int] = []
    outbox = ReplyOutbox(SqlStore(engine), FixedClock(START), lambda: wakes.append(1))
    assert not await outbox.queue(QueuedReply("msteams", "29:nobody", "a-1", 0, REPLY))
    assert wakes == []
