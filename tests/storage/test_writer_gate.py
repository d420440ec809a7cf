"""SQLite's writer lock, server first (storage/writer_gate.py): while a write transaction of the server waits
for the lock the shared counter says so, the scheduled-work worker's engine holds back its next write while
it does, the server's engine sets the counter back to zero when it opens the database, and its commits
leave the log to the background checkpoint."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.engine import checkpoint, create_engine
from storage.writer_gate import WriterGate


def test_the_counter_is_shared_between_gates_and_reset_by_the_server(tmp_path: Path) -> None:
    database = tmp_path / "plp.db"
    worker = WriterGate.beside(database, reset=False)
    with WriterGate.beside(database, reset=True).counting():
        assert worker.waiting == 1
        assert worker.hold_back(limit=0.01) >= 0.01  # held back for as long as it may
    assert worker.waiting == 0
    left_high = WriterGate.beside(database, reset=False)
    with left_high.counting():  # as if the server died waiting
        WriterGate.beside(database, reset=True)  # ...and started again
        assert worker.waiting == 0


@contextmanager
def _began(engine: AsyncEngine) -> Iterator[asyncio.Event]:
    """Set when a transaction of `engine` begins, just before the engine's own begin handler runs (which, on
    the server's engine, counts the writer and then waits for the lock off the event loop). Listened for on
    the Engine class: SQLAlchemy calls class-level listeners before an engine's own."""
    began = asyncio.Event()

    def begin(conn: Connection) -> None:
        if conn.engine is engine.sync_engine:
            began.set()

    event.listen(Engine, "begin", begin)
    try:
        yield began
    finally:
        event.remove(Engine, "begin", begin)


@pytest.fixture
async def engines(tmp_path: Path) -> AsyncIterator[tuple[AsyncEngine, AsyncEngine]]:
    """The server's engine and the scheduled-work worker's on one file with a table `t`."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'plp.db'}"
    server, worker = create_engine(url), create_engine(url, bulk=True)
    try:
        async with server.begin() as conn:
            await conn.execute(text("CREATE TABLE t (n INTEGER)"))
        yield server, worker
    finally:
        await server.dispose()
        await worker.dispose()


async def test_a_server_write_waiting_for_the_lock_is_counted_and_takes_it_once_the_worker_lets_go(
    tmp_path: Path, engines: tuple[AsyncEngine, AsyncEngine]
) -> None:
    server, worker = engines
    gate = WriterGate.beside(tmp_path / "plp.db", reset=False)
    async with worker.begin() as held:  # the worker holds the lock
        await held.execute(text("INSERT INTO t VALUES (1)"))
        with _began(server) as began:
            waiting = asyncio.create_task(_server_write(server))
            await began.wait()  # then its begin handler ran on, up to the wait for the lock: no poll, no timing
        assert gate.waiting == 1  # counted the server's writer
        assert not waiting.done()  # asking again and again (begin_when_free), never past a lock that is held
    await waiting
    assert gate.waiting == 0
    async with server.connect() as conn:
        assert (await conn.execute(text("SELECT n FROM t ORDER BY n"))).scalars().all() == [1, 2]
        # Between asks SQLite's own wait is off; afterwards every statement has it back.
        assert await conn.scalar(text("PRAGMA busy_timeout")) == 30_000


async def _server_write(server: AsyncEngine) -> None:
    async with server.begin() as conn:
        await conn.execute(text("INSERT INTO t VALUES (2)"))


async def test_the_servers_commits_leave_the_log_to_the_background_checkpoint(tmp_path: Path) -> None:
    database = tmp_path / "plp.db"
    server = create_engine(f"sqlite+aiosqlite:///{database}", background_checkpoints=True)
    try:
        async with server.begin() as conn:
            await conn.execute(text("CREATE TABLE t (blob BLOB)"))
        async with server.begin() as conn:  # well past SQLite's automatic checkpoint (1000 pages)
            await conn.execute(text("INSERT INTO t VALUES (zeroblob(6000000))"))
        assert database.stat().st_size < 1_000_000  # still in the log: no commit copied it back
        await checkpoint(server)
        assert database.stat().st_size > 6_000_000
    finally:
        await server.dispose()


async def test_a_server_write_still_gives_up_on_a_lock_held_past_its_limit(
    engines: tuple[AsyncEngine, AsyncEngine],
) -> None:
    server, worker = engines
    async with server.connect() as conn:
        async with worker.begin() as held:
            await held.execute(text("INSERT INTO t VALUES (1)"))
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                await conn.run_sync(
                    lambda sync: sync.connection.dbapi_connection.begin_when_free("BEGIN IMMEDIATE", 0.05)
                )
        assert await conn.scalar(text("PRAGMA busy_timeout")) == 30_000  # the same connection, lock free
