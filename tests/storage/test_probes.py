"""Probes: the write check keeps one row per probe; the backlog counts due, unsent messages only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.core.identity import Identity, register
from domain.core.model import NewOutboxMessage
from domain.core.reply import Reply
from storage.outbox_store import OutboxStore
from storage.probes import Probes
from storage.store import SqlStore
from storage.tables import HealthProbeRow

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


async def test_each_probe_keeps_one_row_rewritten_at_each_check(engine: AsyncEngine) -> None:
    probes = Probes(engine)
    for minutes in (0, 1, 2):
        await probes.write("readyz:local", NOW + timedelta(minutes=minutes))
    await probes.write("start-up", NOW)
    async with engine.connect() as conn:
        rows = dict((await conn.execute(select(HealthProbeRow.probe, HealthProbeRow.checked_at))).tuples().all())
    assert rows == {"readyz:local": NOW + timedelta(minutes=2), "start-up": NOW}


async def test_the_backlog_counts_pending_messages_already_due(engine: AsyncEngine) -> None:
    store = SqlStore(engine)
    person = await register(store, Identity("msteams", "29:pat", "Pat"), None, NOW)
    due = {"early": NOW - timedelta(minutes=10), "now": NOW, "later": NOW + timedelta(minutes=5), "sent": NOW}
    async with store.transaction() as uow:
        payload = Reply(text="hi").to_dict()
        await uow.outbox.enqueue([NewOutboxMessage(k, "test", person.id, payload, at) for k, at in due.items()], NOW)
    outbox = OutboxStore(engine)
    claimed = {c.idempotency_key: c for c in await outbox.claim(NOW, 10, "w", 60)}
    assert set(claimed) == {"early", "now", "sent"}
    assert await outbox.mark_sent(claimed["sent"].id, "w", NOW, "activity-1")
    for key in ("early", "now"):
        assert await outbox.release(claimed[key].id, "w", claimed[key].due_at)
    backlog = await Probes(engine).outbox_backlog(NOW)
    assert (backlog.due, backlog.oldest_due_at) == (2, NOW - timedelta(minutes=10))
    later = await Probes(engine).outbox_backlog(NOW + timedelta(minutes=5))
    assert later.due == 3
