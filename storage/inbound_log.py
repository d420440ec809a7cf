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
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import case, delete, literal, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.batches import Batches
from storage.engine import turn_under_way, writing
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
        self._claims: Batches[tuple[str, datetime], Claim] = Batches(self._claim_all)
        self._finishes: Batches[tuple[str, datetime], None] = Batches(self._finish_all)

    async def claim(self, key: str, now: datetime) -> Claim:
        """Claim `key` for a turn starting at `now` (see the module docstring); claims made at the same
        time are written together (storage/batches.py)."""
        return await self._claims.submit((_fitted(key), now))

    def under_way(self) -> AbstractContextManager[Any]:
        """Hold this while a turn is answered: scheduled work gives it SQLite's lock first (storage/engine.py
        `turn_under_way`)."""
        return turn_under_way(self._engine)

    async def finish(self, key: str, now: datetime) -> None:
        """The turn for `key` has ended: later deliveries are duplicates."""
        await self._finishes.submit((_fitted(key), now))

    async def _claim_all(self, wanted: list[tuple[str, datetime]]) -> list[Claim]:
        """Claim every key in one transaction: one INSERT for all, then a look at the keys it skipped."""
        first: dict[str, datetime] = {}
        for key, now in wanted:
            first.setdefault(key, now)
        insert = (
            upsert_insert(self._engine.dialect.name, Row)
            .values([{"activity_key": key, "received_at": now, "finished_at": None} for key, now in first.items()])
            # The unique key decides the race inside the database: losers insert nothing.
            .on_conflict_do_nothing(index_elements=[Row.activity_key])
            .returning(Row.activity_key)
        )
        async with writing(self._engine) as connection:
            inserted = set((await connection.execute(insert)).scalars())
            answers = {key: Claim.NEW for key in inserted}
            others = [key for key in first if key not in inserted]
            if others:
                statement = select(Row.activity_key, Row.received_at, Row.finished_at).where(
                    Row.activity_key.in_(others)
                )
                found = {row.activity_key: row for row in await connection.execute(statement)}
                for key in others:
                    answers[key] = await self._claim_existing(connection, key, found.get(key), first[key])
        return _in_order(wanted, answers)

    async def _claim_existing(self, connection: AsyncConnection, key: str, found: Any, now: datetime) -> Claim:
        """The answer for a key already claimed: a duplicate, busy, or (a stale claim) taken over."""
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

    async def _finish_all(self, finished: list[tuple[str, datetime]]) -> list[None]:
        """Mark every key finished in one UPDATE, each with its own time."""
        when = dict(finished)
        stamp: Any = case(
            {key: literal(now, Row.finished_at.type) for key, now in when.items()}, value=Row.activity_key
        )
        async with writing(self._engine) as connection:
            await connection.execute(update(Row).where(Row.activity_key.in_(list(when))).values(finished_at=stamp))
        return [None] * len(finished)

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


def _in_order(wanted: list[tuple[str, datetime]], first_answers: dict[str, Claim]) -> list[Claim]:
    """Each caller's answer; a key asked for twice in one batch is answered as if asked in turn: after
    NEW or BUSY the turn is running (BUSY), after DUPLICATE it is still done."""
    answered: set[str] = set()
    answers: list[Claim] = []
    for key, _ in wanted:
        answer = first_answers[key]
        if key in answered:
            answer = Claim.DUPLICATE if answer is Claim.DUPLICATE else Claim.BUSY
        answered.add(key)
        answers.append(answer)
    return answers


def _fitted(key: str) -> str:
    """The key as is when it fits its column, else a stable digest of it."""
    if len(key) <= KEY_CHARS:
        return key
    return "sha256:" + hashlib.sha256(key.encode("utf-8")).hexdigest()
