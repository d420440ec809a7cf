"""Dispatcher heartbeats: who is sending from this database, so replicas can share the budget.

Each dispatcher upserts its row every few seconds; workers seen within `stale_after` are
live. A worker that stops gracefully deletes its row; one that dies drops out once stale.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.engine import writing
from storage.tables_dispatch import DispatchWorkerRow


@dataclass(frozen=True)
class Heartbeat:
    """After one beat: how many workers are live (this one included), and whether the others already knew it."""

    live: int
    known: bool


class WorkerRegistry:
    """Reads and writes table `dispatch_workers`."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert

    async def beat(self, worker_id: str, now: datetime, stale_after: timedelta) -> Heartbeat:
        """Record that `worker_id` is alive at `now`; count the live workers."""
        fresh_since = now - stale_after
        table = DispatchWorkerRow
        async with writing(self._engine) as conn:
            before = await conn.scalar(select(table.last_seen).where(table.worker_id == worker_id))
            upsert = self._insert(table).values(worker_id=worker_id, last_seen=now)
            await conn.execute(upsert.on_conflict_do_update(index_elements=["worker_id"], set_={"last_seen": now}))
            live = await conn.scalar(select(func.count()).select_from(table).where(table.last_seen >= fresh_since))
        return Heartbeat(max(1, int(live or 0)), before is not None and before >= fresh_since)

    async def leave(self, worker_id: str) -> None:
        """Forget `worker_id` (a graceful stop): the others take its share at their next beat."""
        async with writing(self._engine) as conn:
            await conn.execute(delete(DispatchWorkerRow).where(DispatchWorkerRow.worker_id == worker_id))
