"""The store's two kinds of transaction: a read transaction holds no write lock, so a turn's write
goes ahead while scheduled work is reading (on SQLite, where writers otherwise queue)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from storage.store import SqlStore

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


async def test_a_write_goes_ahead_while_a_read_transaction_is_open(store: SqlStore) -> None:
    async with store.reading() as reader:
        assert await reader.cohorts.list_all() == []
        # A second writer while the read is open: with the read holding SQLite's write lock this would
        # wait out the busy timeout and fail with "database is locked".
        async with store.transaction() as writer:
            await writer.cohorts.create("Spring", "SPRING", date(2027, 3, 1), 12, ["a"], NOW)
    async with store.reading() as later:
        assert [c.name for c in await later.cohorts.list_all()] == ["Spring"]
