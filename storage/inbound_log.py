"""Inbound de-duplication: remember activity keys so a redelivered activity runs once."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.repo_common import upsert_insert
from storage.tables import ProcessedActivityRow


class InboundLog:
    """The `processed_activities` table: first_time() is True once per key, even under races."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def first_time(self, key: str, now: datetime) -> bool:
        """Record `key`; True only for the first caller (the one whose insert took effect)."""
        statement = (
            upsert_insert(self._engine.dialect.name, ProcessedActivityRow)
            .values(activity_key=_fitted(key), received_at=now)
            # The unique key decides the race inside the database: losers insert nothing.
            .on_conflict_do_nothing(index_elements=[ProcessedActivityRow.activity_key])
            .returning(ProcessedActivityRow.activity_key)
        )
        async with self._engine.begin() as connection:
            inserted = (await connection.execute(statement)).first()
        return inserted is not None

    async def prune(self, before: datetime) -> int:
        """Forget keys received before `before`; return how many were removed."""
        statement = delete(ProcessedActivityRow).where(ProcessedActivityRow.received_at < before)
        async with self._engine.begin() as connection:
            result = await connection.execute(statement)
        return result.rowcount


KEY_CHARS = 600  # processed_activities.activity_key


def _fitted(key: str) -> str:
    """The key as is when it fits its column, else a stable digest of it."""
    if len(key) <= KEY_CHARS:
        return key
    return "sha256:" + hashlib.sha256(key.encode("utf-8")).hexdigest()
