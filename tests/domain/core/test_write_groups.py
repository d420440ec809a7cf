"""Scheduled work's writes share transactions (domain/core/jobs.py `write_each`): up to GROUP writes in one
transaction on the worker's engine while nobody else wants SQLite's lock, one each on the server's own
SQLite engine, and a group commits early the moment one of the server's writers waits for the lock."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.core.jobs import GROUP, WRITE_BATCH, Apply, enqueue_in_chunks, write_each
from domain.core.model import NewOutboxMessage
from domain.core.ports import UnitOfWork
from storage.engine import create_engine, is_sqlite
from storage.store import SqlStore
from storage.tables import OutboxRow
from storage.writer_gate import WriterGate

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
async def worker_engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """The scheduled-work worker's engine on the test database (SQLite: beside a server's, as when serving)."""
    engine = create_engine(database_url, bulk=True)
    try:
        yield engine
    finally:
        await engine.dispose()


async def _note(seen: list[int], uow: UnitOfWork) -> int:
    seen.append(id(uow))  # one unit of work per transaction: equal ids, one transaction
    await uow.participants.get(1)  # a real statement in it
    return 1


def _groups(seen: list[int]) -> list[int]:
    """How many writes each transaction ran, in order."""
    sizes: list[int] = []
    for index, uow in enumerate(seen):
        if index and uow == seen[index - 1]:
            sizes[-1] += 1
        else:
            sizes.append(1)
    return sizes


async def test_the_workers_writes_share_transactions_up_to_a_group(worker_engine: AsyncEngine) -> None:
    seen: list[int] = []
    writes = [partial(_note, seen) for _ in range(2 * GROUP + 1)]
    assert await write_each(SqlStore(worker_engine), writes) == 2 * GROUP + 1
    assert _groups(seen) == [GROUP, GROUP, 1]


async def test_on_the_servers_own_sqlite_engine_each_write_is_its_own_transaction(engine: AsyncEngine) -> None:
    seen: list[int] = []
    await write_each(SqlStore(engine), [partial(_note, seen) for _ in range(3)])
    expected = [1, 1, 1] if is_sqlite(str(engine.url)) else [3]  # PostgreSQL: no writer lock to give way for
    assert _groups(seen) == expected


async def test_a_group_commits_as_soon_as_a_server_writer_waits(sqlite_template: Path, tmp_path: Path) -> None:
    # SQLite's alone: PostgreSQL writers lock only the rows they touch, so nobody waits for a group there.
    path = tmp_path / "plp.db"
    shutil.copyfile(sqlite_template, path)
    worker_engine = create_engine(f"sqlite+aiosqlite:///{path}", bulk=True)
    turn = WriterGate.beside(path.resolve(), reset=False).counting()  # the server's BEGIN counts itself
    seen: list[int] = []

    async def a_turn_starts_waiting(uow: UnitOfWork) -> int:
        turn.__enter__()
        return await _note(seen, uow)

    async def the_turn_has_had_the_lock(uow: UnitOfWork) -> int:
        turn.__exit__(None, None, None)
        return await _note(seen, uow)

    writes: list[Apply] = [partial(_note, seen), a_turn_starts_waiting, the_turn_has_had_the_lock, partial(_note, seen)]
    try:
        assert await write_each(SqlStore(worker_engine), writes) == 4
    finally:
        await worker_engine.dispose()
    # Committed after the second write, as the turn was waiting; then grouped again.
    assert _groups(seen) == [2, 2]


async def test_queuing_in_chunks_stops_once_the_rest_is_no_longer_wanted(worker_engine: AsyncEngine) -> None:
    store, asked = SqlStore(worker_engine), 0
    async with store.transaction() as uow:
        person = await uow.participants.upsert_identity("msteams", "29:a", "A", "", NOW)

    async def wanted_twice(uow: UnitOfWork) -> bool:
        nonlocal asked
        asked += 1
        return asked <= 2

    messages = [
        NewOutboxMessage(f"session_reminder:1:{person.id}:{n}", "session_reminder", person.id, {"text": "x"}, NOW)
        for n in range(5 * WRITE_BATCH)
    ]
    assert await enqueue_in_chunks(store, messages, NOW, wanted_twice) == 2 * WRITE_BATCH
    async with worker_engine.connect() as conn:
        assert await conn.scalar(select(func.count()).select_from(OutboxRow)) == 2 * WRITE_BATCH
    assert asked == 3  # asked before each write until the answer was no
