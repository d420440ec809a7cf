"""SqlStorage: botbuilder's `Storage` on the `bot_state` table, so dialog state survives
restarts and is shared by replicas.

The only storage module that imports botbuilder: BotState requires a `Storage`.
Documents are serialised with jsonpickle (dialog state holds Python objects). Decoding
instantiates the classes named in the document, so the table must only ever be written
by this class.

Concurrency follows MemoryStorage: read() returns each item with the stored `e_tag`;
a write carrying another e_tag (not "*") is a conflict, raises KeyError and changes
nothing. The check-and-set is a single conditional UPDATE, so it holds across replicas.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

import jsonpickle
from botbuilder.core import Storage
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from domain.core.clock import Clock, SystemClock
from storage.engine import read_only, writing
from storage.repo_common import upsert_insert
from storage.tables import BotStateRow

MAX_KEY_LENGTH = 600  # bot_state.key is VARCHAR(600); checked here so SQLite behaves like PostgreSQL
ANY_E_TAG = "*"


class SqlStorage(Storage):
    """botbuilder `Storage` (read/write/delete) with e_tag optimistic concurrency."""

    def __init__(self, engine: AsyncEngine, clock: Clock | None = None) -> None:
        self._engine = engine
        self._reader = read_only(engine)  # transactions that only read: no write lock on SQLite
        self._clock = clock or SystemClock()

    async def read(self, keys: Iterable[str]) -> dict[str, Any]:
        """The stored items for the keys that exist, each carrying its current e_tag."""
        wanted = list(dict.fromkeys(keys or ()))
        if not wanted:
            return {}
        statement = select(BotStateRow.key, BotStateRow.document, BotStateRow.e_tag).where(BotStateRow.key.in_(wanted))
        async with self._reader.connect() as connection:
            rows = (await connection.execute(statement)).all()
        return {key: _with_e_tag(jsonpickle.decode(document), e_tag) for key, document, e_tag in rows}

    async def write(self, changes: dict[str, Any]) -> None:
        """Store the items in one transaction; any e_tag conflict raises KeyError and stores none."""
        if changes is None:
            raise ValueError("SqlStorage.write(): changes are required")
        if not changes:
            return
        async with writing(self._engine) as connection:
            for key, item in changes.items():
                await self._write_one(connection, _checked_key(key), item)

    async def delete(self, keys: Iterable[str]) -> None:
        """Remove the items; keys that do not exist are ignored."""
        doomed = list(dict.fromkeys(keys or ()))
        if not doomed:
            return
        async with writing(self._engine) as connection:
            await connection.execute(delete(BotStateRow).where(BotStateRow.key.in_(doomed)))

    async def _write_one(self, connection: AsyncConnection, key: str, item: Any) -> None:
        expected = _e_tag_of(item)
        if expected == "":
            raise ValueError(f"SqlStorage.write(): empty e_tag for key {key!r}")
        values = {
            "document": jsonpickle.encode(_without_e_tag(item), make_refs=False),
            "e_tag": uuid.uuid4().hex,
            "updated_at": self._clock.now(),
        }
        if expected is None or expected == ANY_E_TAG:
            await self._overwrite(connection, key, values)
        elif not await self._replace_if_unchanged(connection, key, expected, values):
            raise KeyError(f"e_tag conflict for key {key!r}: it changed since it was read")

    async def _overwrite(self, connection: AsyncConnection, key: str, values: dict[str, Any]) -> None:
        statement = upsert_insert(connection.dialect.name, BotStateRow).values(key=key, **values)
        await connection.execute(statement.on_conflict_do_update(index_elements=[BotStateRow.key], set_=values))

    async def _replace_if_unchanged(
        self, connection: AsyncConnection, key: str, expected: str, values: dict[str, Any]
    ) -> bool:
        """Compare-and-set: update only the version that was read; insert a missing key."""
        updated = await connection.execute(
            update(BotStateRow).where(BotStateRow.key == key, BotStateRow.e_tag == expected).values(**values)
        )
        if updated.rowcount == 1:
            return True
        # No row with that e_tag: fine if the key is absent (like MemoryStorage), a conflict
        # if it exists, also when a concurrent writer inserts it first (DO NOTHING -> no row).
        inserted = await connection.execute(
            upsert_insert(connection.dialect.name, BotStateRow)
            .values(key=key, **values)
            .on_conflict_do_nothing(index_elements=[BotStateRow.key])
            .returning(BotStateRow.key)
        )
        return inserted.first() is not None


def _checked_key(key: str) -> str:
    if not isinstance(key, str) or not key or len(key) > MAX_KEY_LENGTH:
        raise ValueError(f"SqlStorage keys must be non-empty strings of at most {MAX_KEY_LENGTH} characters")
    return key


def _e_tag_of(item: Any) -> str | None:
    if isinstance(item, dict):
        return item.get("e_tag")
    return getattr(item, "e_tag", None)


def _without_e_tag(item: Any) -> Any:
    # The e_tag column is the truth; a copy in the document would only go stale.
    if isinstance(item, dict):
        return {name: value for name, value in item.items() if name != "e_tag"}
    return item


def _with_e_tag(item: Any, e_tag: str) -> Any:
    if isinstance(item, dict):
        item["e_tag"] = e_tag
    else:
        item.e_tag = e_tag
    return item
