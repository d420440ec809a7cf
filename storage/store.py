"""SqlStore: the database-backed domain.core.ports.Store (one unit of work per transaction)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from storage.engine import READ_ONLY
from storage.repositories import SqlUnitOfWork


class SqlStore:
    """Opens transactions on `engine`; each yields repositories sharing one session."""

    def __init__(self, engine: AsyncEngine) -> None:
        # expire_on_commit=False: mapped values stay readable after the transaction closes.
        self._sessions = async_sessionmaker(engine, expire_on_commit=False)
        self._readers = async_sessionmaker(engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqlUnitOfWork]:
        """One transaction: committed on normal exit, rolled back if the block raises."""
        async with self._sessions() as session, session.begin():
            yield SqlUnitOfWork(session)

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[SqlUnitOfWork]:
        """A transaction for reads only: on SQLite a plain (deferred) BEGIN, so it takes no write lock
        and, in WAL mode, never waits for or holds up a writer."""
        async with self._readers() as session, session.begin():
            yield SqlUnitOfWork(session)
