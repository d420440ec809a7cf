"""SQLite through storage/sqlite_driver.py: one trip to the database thread per statement, with a
transaction's BEGIN sent along with its first statement, must still give whole transactions:
atomic writes, a steady snapshot for reads, and writers that wait their turn."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.engine import create_engine, writing
from storage.migration import migrate
from storage.store import SqlStore
from storage.tables import CohortRow

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
async def sqlite(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'plp.db'}")
    await migrate(engine)
    try:
        yield engine
    finally:
        await engine.dispose()


async def _cohorts(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return int(await conn.scalar(select(func.count()).select_from(CohortRow)) or 0)


async def test_a_failed_statement_undoes_the_whole_transaction(sqlite: AsyncEngine) -> None:
    store = SqlStore(sqlite)
    with pytest.raises(IntegrityError):
        async with store.transaction() as uow:
            await uow.cohorts.create("Spring", "SPRING", date(2027, 3, 1), 12, ["a"], NOW)
            await uow.cohorts.create("Again", "SPRING", date(2027, 3, 1), 12, ["a"], NOW)  # the code is taken
    assert await _cohorts(sqlite) == 0  # the first insert went with it: they were one transaction


async def test_a_read_transaction_sees_one_snapshot_while_a_writer_commits(sqlite: AsyncEngine) -> None:
    store = SqlStore(sqlite)
    async with store.reading() as reader:
        assert await reader.cohorts.list_all() == []
        async with store.transaction() as writer:
            await writer.cohorts.create("Spring", "SPRING", date(2027, 3, 1), 12, ["a"], NOW)
        assert await reader.cohorts.list_all() == []  # still the snapshot its first read began
    assert await _cohorts(sqlite) == 1


async def test_writers_take_turns_and_every_write_lands(sqlite: AsyncEngine) -> None:
    async def write(n: int) -> None:
        async with writing(sqlite) as conn:
            before = int(await conn.scalar(select(func.count()).select_from(CohortRow)) or 0)
            await asyncio.sleep(0)  # another writer would slip in here if writers did not take turns
            await conn.execute(
                text(
                    "INSERT INTO cohorts (name, join_code, start_date, length_months, profile_questions, created_at)"
                    " VALUES (:name, :code, '2027-03-01', 12, '[]', '2027-03-01 09:00:00')"
                ),
                {"name": f"c{n}-after-{before}", "code": f"C{n}"},
            )

    await asyncio.gather(*(write(n) for n in range(20)))
    async with sqlite.connect() as conn:
        names = list((await conn.execute(select(CohortRow.name))).scalars())
    assert sorted(int(name.rsplit("-", 1)[1]) for name in names) == list(range(20))  # each saw all before it
