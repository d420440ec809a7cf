"""Broadcast repository (implements domain.broadcasts.ports.BroadcastRepo).

The broadcast rows live here; who an audience covers is read in `repo_broadcast_audience.py`
and the per-recipient outbox rows in `repo_broadcast_deliveries.py`. Broadcast text is free
text: nothing here logs it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.broadcasts.model import Audience, AudienceKind, Broadcast, BroadcastStatus, Draft
from storage.repo_broadcast_audience import BroadcastAudienceReads
from storage.repo_broadcast_deliveries import BroadcastDeliveries, delivery_prefix
from storage.tables_broadcasts import BroadcastRow

__all__ = ["SqlBroadcastRepo", "delivery_prefix", "to_broadcast"]
SCHEDULED, SENDING, RESENDING = (
    s.value for s in (BroadcastStatus.SCHEDULED, BroadcastStatus.SENDING, BroadcastStatus.RESENDING)
)


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
        materialised_through=row.materialised_through,
    )


class SqlBroadcastRepo(BroadcastAudienceReads, BroadcastDeliveries):
    """Broadcasts in `broadcasts`; their audiences in `participants`, their rows in `outbox`."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def create(
        self,
        draft: Draft,
        created_by: int | None,
        send_at: datetime,
        now: datetime,
        status: BroadcastStatus = BroadcastStatus.SCHEDULED,
    ) -> Broadcast:
        """Store a broadcast; its rows are inserted in the background once it is `sending`."""
        row = BroadcastRow(
            created_by=created_by,
            text=draft.text,
            link_title=draft.link_title,
            link_url=draft.link_url,
            audience=draft.audience.kind.value,
            audience_value=draft.audience.value,
            status=status.value,
            send_at=send_at,
            recipients=0,
            created_at=now,
            materialised_through=0,
        )
        self._session.add(row)
        await self._session.flush()
        return to_broadcast(row)

    async def get(self, broadcast_id: int) -> Broadcast | None:
        """One broadcast, read afresh."""
        return await self._one(select(BroadcastRow).where(BroadcastRow.id == broadcast_id))

    async def recent(self, limit: int) -> list[Broadcast]:
        """The latest broadcasts, newest first."""
        statement = select(BroadcastRow).order_by(BroadcastRow.id.desc()).limit(limit)
        return [to_broadcast(row) for row in await self._session.scalars(self._fresh(statement))]

    async def unfinished(self) -> list[Broadcast]:
        """Broadcasts scheduled, or having rows inserted, soonest first."""
        statement = (
            select(BroadcastRow)
            .where(BroadcastRow.status.in_((SCHEDULED, SENDING, RESENDING)))
            .order_by(BroadcastRow.send_at, BroadcastRow.id)
        )
        return [to_broadcast(row) for row in await self._session.scalars(self._fresh(statement))]

    async def take_next(self, now: datetime) -> Broadcast | None:
        """The next broadcast with rows to insert, locked; one another worker holds is skipped."""
        statement = (
            select(BroadcastRow)
            .where(
                or_(
                    BroadcastRow.status.in_((SENDING, RESENDING)),
                    and_(BroadcastRow.status == SCHEDULED, BroadcastRow.send_at <= now),
                )
            )
            .order_by(BroadcastRow.send_at, BroadcastRow.id)
            .limit(1)
            .with_for_update(skip_locked=True)  # PostgreSQL; SQLite has one writer at a time
        )
        return await self._one(statement)

    async def lock(self, broadcast_id: int) -> Broadcast | None:
        """The broadcast, locked until the transaction ends (waits for a batch being inserted)."""
        return await self._one(select(BroadcastRow).where(BroadcastRow.id == broadcast_id).with_for_update())

    async def advance(
        self, broadcast_id: int, status: BroadcastStatus, through: int, added: int, sent_at: datetime | None
    ) -> None:
        """Move the cursor to `through`, add `added` recipients, set the status (and `sent_at` when given)."""
        values: dict[str, Any] = {
            "status": status.value,
            "materialised_through": through,
            "recipients": BroadcastRow.recipients + added,
        }
        if sent_at is not None:
            values["sent_at"] = sent_at
        await self._session.execute(update(BroadcastRow).where(BroadcastRow.id == broadcast_id).values(**values))

    async def _one(self, statement: Any) -> Broadcast | None:
        row = await self._session.scalar(self._fresh(statement))
        return to_broadcast(row) if row is not None else None

    @staticmethod
    def _fresh(statement: Any) -> Any:
        # Rows already in this session (e.g. after an UPDATE) are read again, not served stale.
        return statement.execution_options(populate_existing=True)
