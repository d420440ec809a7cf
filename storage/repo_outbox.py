"""Outbox repository (implements domain.core.ports.OutboxRepo): idempotent bulk enqueue, cancel by
key prefix, and the daily budget pass's reads and writes (storage/repo_budget.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.core.model import NewOutboxMessage, OutboxMessage, OutboxStatus
from storage.outbox_insert import insert_outbox
from storage.personal_people import OutboxPersonalSql
from storage.repo_budget import BudgetQueries
from storage.repo_common import id_chunks, one_of
from storage.tables import OutboxRow

# Rows not yet sent that a cancel withdraws: waiting for the budget, or due.
UNSENT = (OutboxStatus.PLANNED.value, OutboxStatus.PENDING.value)


def to_outbox_message(row: OutboxRow) -> OutboxMessage:
    """Map a table row to the domain dataclass (status -> OutboxStatus)."""
    return OutboxMessage(
        id=row.id,
        idempotency_key=row.idempotency_key,
        kind=row.kind,
        participant_id=row.participant_id,
        payload=dict(row.payload),
        due_at=row.due_at,
        status=OutboxStatus(row.status),
        attempts=row.attempts,
        last_error=row.last_error,
        sent_at=row.sent_at,
    )


class SqlOutboxRepo(BudgetQueries, OutboxPersonalSql):
    """Proactive messages in the `outbox` table."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def enqueue(self, messages: Sequence[NewOutboxMessage], now: datetime) -> int:
        """Insert messages whose idempotency key is new; return how many were inserted.

        Unprompted (budgeted) kinds go in as planned; the daily budget pass promotes them.
        """
        return await insert_outbox(self._session, messages, now)

    async def queued_keys(self, keys: Sequence[str]) -> set[str]:
        """Which of these idempotency keys are already in the outbox: one query per thousand keys."""
        found: set[str] = set()
        for chunk in id_chunks(keys):
            column = OutboxRow.idempotency_key
            found.update(await self._session.scalars(select(column).where(one_of(self._session, column, chunk))))
        return found

    async def list_for(self, participant_id: int) -> list[OutboxMessage]:
        """The participant's outbox messages in insertion (id) order."""
        statement = (
            select(OutboxRow)
            .where(OutboxRow.participant_id == participant_id)
            .order_by(OutboxRow.id)
            .execution_options(populate_existing=True)
        )
        return [to_outbox_message(row) for row in await self._session.scalars(statement)]

    async def cancel_pending(self, key_prefix: str) -> int:
        """Mark planned or pending rows whose idempotency key starts with `key_prefix` cancelled (their payload
        cleared); return how many."""
        if not key_prefix:
            raise ValueError("an empty prefix would cancel every pending message")
        # substr, not LIKE: "_" in keys such as "did_you_meet:" is a LIKE wildcard.
        starts = func.substr(OutboxRow.idempotency_key, 1, len(key_prefix)) == key_prefix
        result: Any = await self._session.execute(
            update(OutboxRow)
            .where(starts, OutboxRow.status.in_(UNSENT))
            .values(status=OutboxStatus.CANCELLED.value, payload={})  # never sent: nothing of it is kept
        )
        return int(result.rowcount)
