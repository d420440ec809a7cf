"""Outbox repository (implements domain.core.ports.OutboxRepo): idempotent bulk enqueue, cancel by
key prefix, and the daily budget pass's reads and writes (storage/repo_budget.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.core.model import NewOutboxMessage, OutboxMessage, OutboxStatus
from storage.personal_people import OutboxPersonalSql
from storage.repo_budget import BudgetQueries
from storage.repo_common import one_of, session_insert
from storage.tables import OutboxRow

OUTBOX = cast(Table, OutboxRow.__table__)
# Keys per existence check and rows per executemany: under the bind-parameter limits (SQLite, asyncpg).
BATCH_SIZE = 1000
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
        inserted = 0
        for start in range(0, len(messages), BATCH_SIZE):
            inserted += await self._insert_new(messages[start : start + BATCH_SIZE], now)
        return inserted

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

    async def _insert_new(self, messages: Sequence[NewOutboxMessage], now: datetime) -> int:
        """One batch: skip keys already stored (a rerun reads instead of writing), insert the rest."""
        known = set(
            await self._session.scalars(
                select(OutboxRow.idempotency_key).where(
                    one_of(self._session, OutboxRow.idempotency_key, [m.idempotency_key for m in messages])
                )
            )
        )
        rows = [_row(message, now) for message in messages if message.idempotency_key not in known]
        if not rows:
            return 0
        # One statement for the batch (executemany); DO NOTHING still guards against a concurrent
        # replica inserting the same key in between, and RETURNING counts what was new.
        # The Core table, not the ORM entity: no per-row ORM bookkeeping for thousands of rows.
        statement = (
            session_insert(self._session, OUTBOX)
            .on_conflict_do_nothing(index_elements=[OUTBOX.c.idempotency_key])
            .returning(OUTBOX.c.id)
        )
        result = await self._session.execute(statement, rows)
        return len(result.all())


def _row(message: NewOutboxMessage, now: datetime) -> dict[str, Any]:
    """The columns of a new outbox row; budgeted kinds wait as planned."""
    status = OutboxStatus.PLANNED if message.budgeted else OutboxStatus.PENDING
    return {
        "idempotency_key": message.idempotency_key,
        "kind": message.kind,
        "participant_id": message.participant_id,
        "payload": message.payload,
        "due_at": message.due_at,
        "status": status.value,
        "created_at": now,
    }
