"""SqlStore: the database-backed domain.core.ports.Store (one unit of work per transaction)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from storage.engine import others_waiting, read_only, write_gate
from storage.repositories import SqlUnitOfWork


class SqlStore:
    """Opens transactions on `engine`; each yields repositories sharing one session."""

    def __init__(self, engine: AsyncEngine) -> None:
        # expire_on_commit=False: mapped values stay readable after the transaction closes.
        self._engine = engine
        self._sessions = async_sessionmaker(engine, expire_on_commit=False)
        self._readers = async_sessionmaker(read_only(engine), expire_on_commit=False)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqlUnitOfWork]:
        """One transaction: committed on normal exit, rolled back if the block raises; on SQLite taken in
        turn with this process's other writers (storage/engine.py)."""
        async with write_gate(self._engine), self._sessions() as session, session.begin():
            yield SqlUnitOfWork(session)

    def give_way(self) -> bool:
        """True when a run of writes sharing one transaction should commit now: another writer waits
        (storage/engine.py `others_waiting`)."""
        return others_waiting(self._engine)

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[SqlUnitOfWork]:
        """A transaction for reads only: on SQLite a plain (deferred) BEGIN, so it takes no write lock
        and, in WAL mode, never waits for or holds up a writer."""
        async with self._readers() as session, session.begin():
            yield SqlUnitOfWork(session)
