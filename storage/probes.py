"""What the health probes ask the database: does it take a write, and how much outbox work waits.

`SELECT 1` answers on a full disk and on a read-only file; a committed write does not. So the
probe rewrites one small row of `health_probes` (one row per probe name, never more) and
commits: the commit is what meets a full disk (SQLite appends to its WAL, PostgreSQL to its).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.core.model import OutboxStatus
from storage.engine import read_only, writing
from storage.repo_common import upsert_insert
from storage.tables import HealthProbeRow, OutboxRow

PROBE_CHARS = 64  # health_probes.probe


@dataclass(frozen=True)
class Backlog:
    """Outbox messages due by now and not sent yet, and the due time of the oldest."""

    due: int
    oldest_due_at: datetime | None


class Probes:
    """Reads and writes for `/readyz` and the start-up check."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._reader = read_only(engine)  # transactions that only read: no write lock on SQLite

    async def write(self, probe: str, now: datetime) -> None:
        """Rewrite this probe's row and commit; raises whatever the database raises."""
        statement = upsert_insert(self._engine.dialect.name, HealthProbeRow).values(
            probe=probe[:PROBE_CHARS], checked_at=now
        )
        statement = statement.on_conflict_do_update(index_elements=[HealthProbeRow.probe], set_={"checked_at": now})
        async with writing(self._engine) as connection:
            await connection.execute(statement)

    async def outbox_backlog(self, now: datetime) -> Backlog:
        """Pending messages due at or before `now` (an index range, not a table scan)."""
        due = and_(OutboxRow.status == OutboxStatus.PENDING.value, OutboxRow.due_at <= now)
        query = select(func.count(), func.min(OutboxRow.due_at)).select_from(OutboxRow).where(due)
        async with self._reader.connect() as connection:
            count, oldest = (await connection.execute(query)).one()
        return Backlog(int(count or 0), oldest)
