"""Queuing thousands of outbox rows at once: the bulk write of scheduled work.

One statement per dialect, written once and run over plain values: no ORM and no per-row
parameter processing by SQLAlchemy. A payload shared by many messages (a guide prompt's card,
a poll's reminder) is serialised once. On SQLite, `INSERT … ON CONFLICT DO NOTHING` run over the
rows (executemany; its row count is what was new); on PostgreSQL, one `INSERT … SELECT FROM
unnest(…)` per batch of arrays, counting what was new. A key already stored is skipped, so a rerun
or a second replica queues nothing twice.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from domain.core.model import NewOutboxMessage, OutboxStatus

PLANNED, PENDING = OutboxStatus.PLANNED.value, OutboxStatus.PENDING.value
COLUMNS = (
    "idempotency_key, kind, participant_id, payload, due_at, status, attempts, lease_owner, last_error, activity_id, "
    "created_at"
)
SQLITE_INSERT = (
    f"INSERT INTO outbox ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, 0, '', '', '', ?) "
    "ON CONFLICT (idempotency_key) DO NOTHING"
)
POSTGRES_INSERT = (
    f"WITH new AS (INSERT INTO outbox ({COLUMNS}) "
    "SELECT k, kind, pid, payload::json, due, status, 0, '', '', '', $7 "
    "FROM unnest($1::varchar[], $2::varchar[], $3::int[], $4::text[], $5::timestamptz[], $6::varchar[]) "
    "AS t(k, kind, pid, payload, due, status) "
    "ON CONFLICT (idempotency_key) DO NOTHING RETURNING 1) SELECT count(*) FROM new"
)
SQLITE_BATCH = 1000  # rows per executemany
POSTGRES_BATCH = 5000  # rows per statement (six arrays of this length)


def sqlite_time(value: datetime) -> str:
    """An aware datetime as SQLAlchemy stores it on SQLite (UTC, naive text with microseconds), so
    rows written here compare with every other row and parameter."""
    if value.tzinfo is None:
        raise ValueError("naive datetime given to the database; pass timezone-aware UTC")
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.replace(tzinfo=None).isoformat(" ", "microseconds")


def status_of(message: NewOutboxMessage) -> str:
    """Budgeted kinds not yet within a day's budget wait as planned; everything else is pending."""
    return PLANNED if message.budgeted else PENDING


async def insert_outbox(session: AsyncSession, messages: Sequence[NewOutboxMessage], now: datetime) -> int:
    """Insert the messages whose idempotency key is new, in the session's transaction; how many were new."""
    if not messages:
        return 0
    payloads = _Payloads()
    await session.flush()  # rows the session still holds (a participant added in this transaction) go first
    connection = await session.connection()
    inserted = 0
    if connection.dialect.name == "postgresql":
        for start in range(0, len(messages), POSTGRES_BATCH):
            batch = messages[start : start + POSTGRES_BATCH]
            arrays = (
                [m.idempotency_key for m in batch],
                [m.kind for m in batch],
                [m.participant_id for m in batch],
                [payloads.text(m.payload) for m in batch],
                [m.due_at for m in batch],
                [status_of(m) for m in batch],
                now,
            )
            inserted += int((await connection.exec_driver_sql(POSTGRES_INSERT, arrays)).scalar_one())
        return inserted
    created = sqlite_time(now)
    for start in range(0, len(messages), SQLITE_BATCH):
        rows = [
            (
                m.idempotency_key,
                m.kind,
                m.participant_id,
                payloads.text(m.payload),
                sqlite_time(m.due_at),
                status_of(m),
                created,
            )
            for m in messages[start : start + SQLITE_BATCH]
        ]
        result: Any = await connection.exec_driver_sql(SQLITE_INSERT, rows)
        inserted += int(result.rowcount)
    return inserted


class _Payloads:
    """JSON text of each payload, serialised once per payload object (many messages share one)."""

    def __init__(self) -> None:
        self._texts: dict[int, tuple[dict[str, Any], str]] = {}

    def text(self, payload: dict[str, Any]) -> str:
        found = self._texts.get(id(payload))
        if found is None:
            # The object is kept with its text, so its id cannot be reused by another payload meanwhile.
            found = self._texts[id(payload)] = (payload, json.dumps(payload))
        return found[1]
