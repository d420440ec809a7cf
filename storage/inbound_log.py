"""Inbound de-duplication: an activity is claimed when its turn starts and marked finished when
it ends, so a redelivered activity runs once, and one redelivered after a crash mid-turn runs again.

`claim` answers NEW (run the turn), DUPLICATE (it already ran) or BUSY (another turn is running
it now). A claim never finished belongs to a process that died: on SQLite, where one process
owns the file, start-up forgets such claims; on PostgreSQL a claim older than `stale_after`
is taken over by the next delivery, so a replica's crash delays a redelivery, never loses it.
"""

from __future__ import annotations

import enum
import hashlib
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.engine import writing
from storage.repo_common import upsert_insert
from storage.tables import ProcessedActivityRow

KEY_CHARS = 600  # processed_activities.activity_key
Row = ProcessedActivityRow


class Claim(enum.Enum):
    """What the caller should do with an inbound activity."""

    NEW = "new"
    DUPLICATE = "duplicate"
    BUSY = "busy"


class InboundLog:
    """The `processed_activities` table: one claim per key, even under races."""

    def __init__(self, engine: AsyncEngine, stale_after: timedelta = timedelta(minutes=2)) -> None:
        self._engine = engine
        self._stale_after = stale_after

    async def claim(self, key: str, now: datetime) -> Claim:
        """Claim `key` for a turn starting at `now` (see the module docstring)."""
        key = _fitted(key)
        insert = (
            upsert_insert(self._engine.dialect.name, Row)
            .values(activity_key=key, received_at=now, finished_at=None)
            # The unique key decides the race inside the database: losers insert nothing.
            .on_conflict_do_nothing(index_elements=[Row.activity_key])
            .returning(Row.activity_key)
        )
        async with writing(self._engine) as connection:
            if (await connection.execute(insert)).first() is not None:
                return Claim.NEW
            found = (
                await connection.execute(select(Row.received_at, Row.finished_at).where(Row.activity_key == key))
            ).first()
            if found is None or found.finished_at is not None:
                return Claim.DUPLICATE
            if found.received_at >= now - self._stale_after:
                return Claim.BUSY
            # A stale claim: take it over, unless someone else just did (the same received_at proves it).
            taken = await connection.execute(
                update(Row)
                .where(Row.activity_key == key, Row.finished_at.is_(None), Row.received_at == found.received_at)
                .values(received_at=now)
            )
        return Claim.NEW if taken.rowcount == 1 else Claim.BUSY

    async def finish(self, key: str, now: datetime) -> None:
        """The turn for `key` has ended: later deliveries are duplicates."""
        async with writing(self._engine) as connection:
            await connection.execute(update(Row).where(Row.activity_key == _fitted(key)).values(finished_at=now))

    async def release(self, key: str) -> None:
        """The turn for `key` failed before anyone was told: forget the claim, so a redelivery runs it."""
        statement = delete(Row).where(Row.activity_key == _fitted(key), Row.finished_at.is_(None))
        async with writing(self._engine) as connection:
            await connection.execute(statement)

    async def forget_unfinished(self) -> int:
        """Drop every claim never finished (at start-up on SQLite: their process is gone); return how many."""
        async with writing(self._engine) as connection:
            result = await connection.execute(delete(Row).where(Row.finished_at.is_(None)))
        return result.rowcount

    async def prune(self, before: datetime) -> int:
        """Forget keys received before `before`; return how many were removed."""
        statement = delete(Row).where(Row.received_at < before)
        async with writing(self._engine) as connection:
            result = await connection.execute(statement)
        return result.rowcount


def _fitted(key: str) -> str:
    """The key as is when it fits its column, else a stable digest of it."""
    if len(key) <= KEY_CHARS:
        return key
    return "sha256:" + hashlib.sha256(key.encode("utf-8")).hexdigest()
