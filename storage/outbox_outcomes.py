"""Recording what happened to leased outbox rows, and keeping leases: many rows per UPDATE, only while leased.

The dispatcher buffers outcomes and writes them together: one UPDATE per outcome kind
(sent, retried, unreachable, dead), with per-row values (activity id, next due time,
error) chosen by a CASE on the row id. Every UPDATE is conditional on the caller still
holding the lease, and returns the ids it changed, so a lost lease is noticed per row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, case, literal, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain.core.model import OutboxStatus
from storage.engine import read_only, writing
from storage.tables import OutboxRow, ParticipantRow

SENDING = OutboxStatus.SENDING.value
PENDING = OutboxStatus.PENDING.value
ERROR_LENGTH = 200  # outbox.last_error column size
FINAL = (OutboxStatus.SENT, OutboxStatus.DEAD, OutboxStatus.UNREACHABLE)


@dataclass(frozen=True)
class Finish:
    """One leased row's outcome: its new status, and the values that go with that status."""

    id: int
    status: OutboxStatus
    error: str = ""
    activity_id: str = ""
    due_at: datetime | None = None  # when a retried row is due again


class OutboxOutcomes:
    """Outcome and lease writes on rows a dispatcher holds; every one checks the lease first."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._reader = read_only(engine)  # transactions that only read: no write lock on SQLite

    async def finish(self, owner: str, now: datetime | None, finishes: Sequence[Finish]) -> set[int]:
        """Record many outcomes in one transaction; return the ids `owner` still held (the rest lost their lease)."""
        if not finishes:
            return set()
        async with writing(self._engine) as conn:
            return await finish_leased(conn, owner, now, finishes)

    async def mark_sent(self, id: int, owner: str, now: datetime, activity_id: str) -> bool:
        """Record a delivery; False when `owner` no longer holds the lease."""
        return await self._finish_one(owner, now, Finish(id, OutboxStatus.SENT, activity_id=activity_id))

    async def reschedule(self, id: int, owner: str, due_at: datetime, error: str) -> bool:
        """Put the row back to pending, due again at `due_at`."""
        return await self._finish_one(owner, None, Finish(id, OutboxStatus.PENDING, error, due_at=due_at))

    async def mark_dead(self, id: int, owner: str, error: str) -> bool:
        """Give up on the row for good."""
        return await self._finish_one(owner, None, Finish(id, OutboxStatus.DEAD, error))

    async def mark_unreachable(self, id: int, owner: str, now: datetime, error: str) -> bool:
        """Give up on the row and flag its recipient as unreachable (facilitators are told)."""
        return await self._finish_one(owner, now, Finish(id, OutboxStatus.UNREACHABLE, error))

    async def _finish_one(self, owner: str, now: datetime | None, finish: Finish) -> bool:
        """One outcome; `now` matters only for sent and unreachable rows."""
        return finish.id in await self.finish(owner, now, [finish])

    async def release(self, id: int, owner: str, due_at: datetime) -> bool:
        """Return a row that was claimed but never attempted; the attempt is not counted."""
        return id in await self.release_many([id], owner, due_at)

    async def release_many(self, ids: Sequence[int], owner: str, due_at: datetime) -> set[int]:
        """Return claimed, never attempted rows (e.g. at shutdown during a 429 pause) in one UPDATE."""
        if not ids:
            return set()
        values = {"status": PENDING, "due_at": due_at, "attempts": OutboxRow.attempts - 1}
        return await self._leased_update(ids, owner, lease_owner="", lease_until=None, **values)

    async def extend_leases(self, ids: Sequence[int], owner: str, until: datetime) -> set[int]:
        """Keep rows `owner` holds (waiting out a long 429 pause) from being taken over."""
        return await self._leased_update(ids, owner, lease_until=until) if ids else set()

    async def reclaim_own(self, owner: str) -> int:
        """Hand back, as pending, rows still leased to `owner` by an earlier run of this worker (crash, kill -9).

        Their attempt stays counted: the send may have gone out before the process died.
        """
        async with writing(self._engine) as conn:
            result = await conn.execute(
                update(OutboxRow)
                .where(OutboxRow.status == SENDING, OutboxRow.lease_owner == owner)
                .values(status=PENDING, lease_owner="", lease_until=None)
            )
            return result.rowcount or 0

    async def _leased_update(self, ids: Sequence[int], owner: str, **values: Any) -> set[int]:
        async with writing(self._engine) as conn:
            result = await conn.execute(
                update(OutboxRow)
                .where(OutboxRow.id.in_(list(ids)), OutboxRow.status == SENDING, OutboxRow.lease_owner == owner)
                .values(**values)
                .returning(OutboxRow.id)
            )
            return set(result.scalars())


async def finish_leased(
    conn: AsyncConnection, owner: str, now: datetime | None, finishes: Sequence[Finish]
) -> set[int]:
    """Write every outcome (a few UPDATEs in all) and return the ids `owner` still held.

    `now` stamps sent and unreachable rows, so it is required when there are any.
    """
    done: set[int] = set()
    for status in OutboxStatus:
        group = [f for f in finishes if f.status is status]
        if group:
            done |= await _finish_group(conn, owner, now, status, group)
    return done


async def _finish_group(
    conn: AsyncConnection, owner: str, now: datetime | None, status: OutboxStatus, group: list[Finish]
) -> set[int]:
    """One UPDATE for rows ending in the same status; unreachable people are flagged too."""
    values: dict[str, Any] = {
        "status": status.value,
        "lease_owner": "",
        "lease_until": None,
        "last_error": _per_row(group, lambda f: f.error[:ERROR_LENGTH], OutboxRow.last_error),
    }
    if status in (OutboxStatus.SENT, OutboxStatus.UNREACHABLE) and now is None:
        raise ValueError(f"recording {status.value} rows needs the time")
    if status is OutboxStatus.SENT:
        values.update(sent_at=now, activity_id=_per_row(group, lambda f: f.activity_id[:255], OutboxRow.activity_id))
    if status in FINAL:
        values["payload"] = {}  # the words went out (or never will): no copy of them is kept
    if status is OutboxStatus.PENDING:
        values["due_at"] = _per_row(group, lambda f: f.due_at, OutboxRow.due_at)
    result = await conn.execute(
        update(OutboxRow)
        .where(OutboxRow.id.in_([f.id for f in group]), OutboxRow.status == SENDING, OutboxRow.lease_owner == owner)
        .values(**values)
        .returning(OutboxRow.id, OutboxRow.participant_id)
    )
    rows = result.all()
    if status is OutboxStatus.UNREACHABLE and rows:
        people = sorted({participant for _, participant in rows})
        await conn.execute(update(ParticipantRow).where(ParticipantRow.id.in_(people)).values(unreachable_at=now))
    return {row_id for row_id, _ in rows}


def _per_row(group: list[Finish], value: Callable[[Finish], Any], column: Any) -> Any:
    """The value itself when every row shares it, else a CASE on the row id (typed like `column`)."""
    wanted = {f.id: value(f) for f in group}
    distinct = set(wanted.values())
    if len(distinct) == 1:
        return distinct.pop()
    whens: dict[Any, ColumnElement[Any]] = {row_id: literal(v, column.type) for row_id, v in wanted.items()}
    return case(whens, value=OutboxRow.id, else_=column)
