"""The dispatcher's side of the outbox: claim due rows under a lease, then record outcomes.

A claim moves rows to `sending` with a lease owned by one dispatcher (its stable worker
id). On PostgreSQL the claim selects with FOR UPDATE SKIP LOCKED so replicas take disjoint
rows; on SQLite the engine opens every transaction with BEGIN IMMEDIATE, so claims are
serialised. Every outcome update is conditional on the caller still holding the lease, so
a dispatcher whose lease expired (and whose rows someone else took over) cannot overwrite
them. Outcomes and lease upkeep are written many rows at a time (storage/outbox_outcomes.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from domain.core.model import ConversationRef, OutboxStatus
from storage.engine import writing
from storage.outbox_outcomes import OutboxOutcomes
from storage.repo_conversations import to_conversation_ref
from storage.tables import ConversationRefRow, OutboxRow, ParticipantRow

SENDING = OutboxStatus.SENDING.value
PENDING = OutboxStatus.PENDING.value


@dataclass(frozen=True)
class ClaimedMessage:
    """A leased outbox row with where to send it (`ref` is None when the person has none)."""

    id: int
    idempotency_key: str
    kind: str
    participant_id: int
    payload: dict[str, Any]
    due_at: datetime
    attempts: int
    channel_id: str
    ref: ConversationRef | None
    first_due_at: datetime | None = None  # set by the first claim; retries give up by age from here


class OutboxStore(OutboxOutcomes):
    """Claims, outcome updates and counts for table `outbox` (enqueueing lives in the repositories)."""

    def __init__(self, engine: AsyncEngine) -> None:
        super().__init__(engine)
        self._skip_locked = engine.dialect.name == "postgresql"

    async def claim(self, now: datetime, limit: int, owner: str, lease_seconds: float) -> list[ClaimedMessage]:
        """Lease up to `limit` due rows (pending, or sending with an expired lease) to `owner`."""
        async with writing(self._engine) as conn:
            ids = await self._lock_due_ids(conn, now, limit)
            if not ids:
                return []
            await conn.execute(
                update(OutboxRow)
                .where(OutboxRow.id.in_(ids))
                .values(
                    status=SENDING,
                    lease_owner=owner,
                    lease_until=now + timedelta(seconds=lease_seconds),
                    attempts=OutboxRow.attempts + 1,
                    first_due_at=func.coalesce(OutboxRow.first_due_at, OutboxRow.due_at),
                )
            )
            return await self._load(conn, ids)

    async def _lock_due_ids(self, conn: AsyncConnection, now: datetime, limit: int) -> list[int]:
        due = or_(
            and_(OutboxRow.status == PENDING, OutboxRow.due_at <= now),
            and_(OutboxRow.status == SENDING, OutboxRow.lease_until < now),
        )
        query = select(OutboxRow.id).where(due).order_by(OutboxRow.due_at, OutboxRow.id).limit(limit)
        if self._skip_locked:
            query = query.with_for_update(skip_locked=True)
        return list((await conn.execute(query)).scalars())

    async def _load(self, conn: AsyncConnection, ids: list[int]) -> list[ClaimedMessage]:
        query = (
            select(OutboxRow, ParticipantRow.channel_id, ConversationRefRow)
            .join(ParticipantRow, ParticipantRow.id == OutboxRow.participant_id)
            .outerjoin(ConversationRefRow, ConversationRefRow.participant_id == OutboxRow.participant_id)
            .where(OutboxRow.id.in_(ids))
            .order_by(OutboxRow.due_at, OutboxRow.id)
        )
        # An ORM session on this connection (same transaction) so the rows come back as objects.
        session = AsyncSession(bind=conn)
        try:
            rows = (await session.execute(query)).all()
            return [_claimed(row) for row in rows]
        finally:
            await session.close()

    async def next_due(self) -> datetime | None:
        """The earliest instant at which some row becomes claimable (a due time or a lease expiry)."""
        async with self._reader.connect() as conn:
            due = await conn.scalar(select(func.min(OutboxRow.due_at)).where(OutboxRow.status == PENDING))
            lease = await conn.scalar(select(func.min(OutboxRow.lease_until)).where(OutboxRow.status == SENDING))
        found = [t for t in (due, lease) if t is not None]
        return min(found) if found else None

    async def update_conversation(self, participant_id: int, conversation_id: str, now: datetime) -> None:
        """Store the 1:1 conversation the sender created, so later sends go straight to it."""
        async with writing(self._engine) as conn:
            await conn.execute(
                update(ConversationRefRow)
                .where(ConversationRefRow.participant_id == participant_id)
                .values(conversation_id=conversation_id, conversation_type="personal", updated_at=now)
            )

    async def summary(self) -> dict[str, int]:
        """Row counts per status (for /readyz and the dashboard)."""
        async with self._reader.connect() as conn:
            rows = await conn.execute(select(OutboxRow.status, func.count()).group_by(OutboxRow.status))
            return {status: count for status, count in rows.all()}

    async def cancel(self, keys: Iterable[str]) -> int:
        """Cancel pending rows by idempotency key; rows already being sent are left alone."""
        wanted = list(keys)
        if not wanted:
            return 0
        async with writing(self._engine) as conn:
            result = await conn.execute(
                update(OutboxRow)
                .where(OutboxRow.idempotency_key.in_(wanted), OutboxRow.status == PENDING)
                .values(status=OutboxStatus.CANCELLED.value, payload={})  # never sent: no copy of the words is kept
            )
            return result.rowcount or 0


def _claimed(row: Any) -> ClaimedMessage:
    outbox: OutboxRow = row[0]
    ref_row: ConversationRefRow | None = row[2]
    return ClaimedMessage(
        id=outbox.id,
        idempotency_key=outbox.idempotency_key,
        kind=outbox.kind,
        participant_id=outbox.participant_id,
        payload=dict(outbox.payload),
        due_at=outbox.due_at,
        attempts=outbox.attempts,
        channel_id=row[1],
        ref=to_conversation_ref(ref_row) if ref_row is not None else None,
        first_due_at=outbox.first_due_at,
    )
