"""Broadcast repository (implements domain.broadcasts.ports.BroadcastRepo).

Delivery status is read from the outbox rows keyed `broadcast:<id>:<participant>:<attempt>`.
Broadcast text is free text: nothing here logs it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.broadcasts.model import Audience, AudienceKind, Broadcast, BroadcastStatus, Delivery, Draft
from domain.core.model import OutboxStatus
from storage.tables import OutboxRow
from storage.tables_broadcasts import BroadcastRow

SCHEDULED, SENDING = BroadcastStatus.SCHEDULED.value, BroadcastStatus.SENDING.value


def to_broadcast(row: BroadcastRow) -> Broadcast:
    """Map a table row to the domain dataclass."""
    draft = Draft(row.text, Audience(AudienceKind(row.audience), row.audience_value), row.link_title, row.link_url)
    return Broadcast(
        id=row.id,
        draft=draft,
        status=BroadcastStatus(row.status),
        send_at=row.send_at,
        created_at=row.created_at,
        created_by=row.created_by,
        recipients=row.recipients,
        sent_at=row.sent_at,
    )


def delivery_prefix(broadcast_id: int) -> str:
    """The outbox key prefix shared by every row of one broadcast."""
    return f"broadcast:{broadcast_id}:"


class SqlBroadcastRepo:
    """Broadcasts in `broadcasts`; their per-recipient rows in `outbox`."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def create(self, draft: Draft, created_by: int | None, send_at: datetime, now: datetime) -> Broadcast:
        """Store a scheduled broadcast (one due now is sent straight away by the caller)."""
        row = BroadcastRow(
            created_by=created_by,
            text=draft.text,
            link_title=draft.link_title,
            link_url=draft.link_url,
            audience=draft.audience.kind.value,
            audience_value=draft.audience.value,
            status=SCHEDULED,
            send_at=send_at,
            recipients=0,
            created_at=now,
        )
        self._session.add(row)
        await self._session.flush()
        return to_broadcast(row)

    async def get(self, broadcast_id: int) -> Broadcast | None:
        """One broadcast, read afresh."""
        statement = (
            select(BroadcastRow).where(BroadcastRow.id == broadcast_id).execution_options(populate_existing=True)
        )
        row = await self._session.scalar(statement)
        return to_broadcast(row) if row is not None else None

    async def recent(self, limit: int) -> list[Broadcast]:
        """The latest broadcasts, newest first."""
        statement = select(BroadcastRow).order_by(BroadcastRow.id.desc()).limit(limit)
        return [to_broadcast(row) for row in await self._session.scalars(statement)]

    async def scheduled(self) -> list[Broadcast]:
        """Broadcasts still waiting for their time, soonest first."""
        statement = (
            select(BroadcastRow).where(BroadcastRow.status == SCHEDULED).order_by(BroadcastRow.send_at, BroadcastRow.id)
        )
        return [to_broadcast(row) for row in await self._session.scalars(statement)]

    async def due(self, now: datetime, stale_before: datetime) -> list[int]:
        """Scheduled ones due at `now`, and ones left `sending` since before `stale_before` (a crash)."""
        statement = (
            select(BroadcastRow.id)
            .where(
                or_(
                    and_(BroadcastRow.status == SCHEDULED, BroadcastRow.send_at <= now),
                    and_(BroadcastRow.status == SENDING, BroadcastRow.send_at < stale_before),
                )
            )
            .order_by(BroadcastRow.send_at, BroadcastRow.id)
        )
        return list(await self._session.scalars(statement))

    async def start_sending(self, broadcast_id: int) -> bool:
        """Move scheduled -> sending; False when it was not scheduled (cancelled, or already taken)."""
        return await self._move(broadcast_id, SCHEDULED, status=SENDING)

    async def finish(self, broadcast_id: int, recipients: int, now: datetime) -> None:
        """Mark sent with the number of recipients."""
        await self._session.execute(
            update(BroadcastRow)
            .where(BroadcastRow.id == broadcast_id)
            .values(status=BroadcastStatus.SENT.value, recipients=recipients, sent_at=now)
        )

    async def cancel(self, broadcast_id: int) -> bool:
        """Cancel a scheduled broadcast; False when it was not scheduled."""
        return await self._move(broadcast_id, SCHEDULED, status=BroadcastStatus.CANCELLED.value)

    async def deliveries(self, broadcast_id: int) -> list[Delivery]:
        """Every outbox row of the broadcast (all attempts), in insertion order."""
        prefix = delivery_prefix(broadcast_id)
        # substr, not LIKE: the key's "_"-free today, but LIKE wildcards are a trap for prefixes.
        statement = (
            select(OutboxRow.idempotency_key, OutboxRow.participant_id, OutboxRow.status)
            .where(func.substr(OutboxRow.idempotency_key, 1, len(prefix)) == prefix)
            .order_by(OutboxRow.id)
        )
        return [
            Delivery(participant_id, int(key.rsplit(":", 1)[1]), OutboxStatus(status))
            for key, participant_id, status in await self._session.execute(statement)
        ]

    async def _move(self, broadcast_id: int, expected: str, **values: Any) -> bool:
        result: Any = await self._session.execute(
            update(BroadcastRow)
            .where(BroadcastRow.id == broadcast_id, BroadcastRow.status == expected)
            .values(**values)
        )
        return int(result.rowcount) == 1
