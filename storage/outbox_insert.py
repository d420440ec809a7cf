"""Queuing thousands of outbox rows at once (storage/bulk_insert.py): a key already stored is skipped, so
a rerun or a second replica queues nothing twice, and a payload shared by many messages (a guide
prompt's card, a poll's reminder) is serialised once."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from domain.core.model import NewOutboxMessage, OutboxStatus
from storage.bulk_insert import BulkInsert, Column

PLANNED, PENDING = OutboxStatus.PLANNED.value, OutboxStatus.PENDING.value
OUTBOX_ROWS = BulkInsert(
    "outbox",
    (
        Column("idempotency_key", "varchar"),
        Column("kind", "varchar"),
        Column("participant_id", "int"),
        Column("payload", "text", "payload::json"),
        Column("due_at", "timestamptz", is_time=True),
        Column("status", "varchar"),
        Column("created_at", "timestamptz", is_time=True),
    ),
    "idempotency_key",
    (("attempts", "0"), ("lease_owner", "''"), ("last_error", "''"), ("activity_id", "''")),
)


def status_of(message: NewOutboxMessage) -> str:
    """Budgeted kinds not yet within a day's budget wait as planned; everything else is pending."""
    return PLANNED if message.budgeted else PENDING


async def insert_outbox(session: AsyncSession, messages: Sequence[NewOutboxMessage], now: datetime) -> int:
    """Insert the messages whose idempotency key is new, in the session's transaction; how many were new."""
    payloads = _Payloads()
    rows = [
        (m.idempotency_key, m.kind, m.participant_id, payloads.text(m.payload), m.due_at, status_of(m), now)
        for m in messages
    ]
    return await OUTBOX_ROWS.run(session, rows)


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
