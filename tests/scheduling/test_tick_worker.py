"""The serving bot's scheduled-work worker process (scheduling/tick_worker.py) on a seeded database, on a
fixed instant: a tick there queues the tick's messages at a lower CPU priority, the process is kept for the next
tick, one that died is started again, a failing tick is reported by its error type, and `close` stops it."""

from __future__ import annotations

import os
import signal
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.jobs_seed import FACILITATORS, NOW, Seeder, fix_sequences
from config import Settings
from domain.core.links import NoLinks
from scheduling.tick_worker import NICENESS, TickFailed, TickWorker, WorkerSetup
from storage.tables import OutboxRow


def _worker(database_url: str) -> TickWorker:
    settings = Settings(database_url=database_url, facilitators=frozenset(FACILITATORS))
    return TickWorker(WorkerSetup(settings, NoLinks()))


async def _queued_since(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return int(await conn.scalar(select(func.count()).where(OutboxRow.created_at >= NOW)) or 0)


async def test_a_tick_runs_in_the_worker_which_stays_for_the_next_and_restarts_after_dying(
    engine: AsyncEngine, database_url: str
) -> None:
    await Seeder(20).seed(engine)
    await fix_sequences(engine)
    worker = _worker(database_url)
    try:
        queued = await worker.run(NOW)
        rows = await _queued_since(engine)  # proposals count once, their two messages twice
        assert 0 < queued <= rows
        first = worker.pid
        assert first is not None and first != os.getpid()
        # Below the server's CPU priority, so a busy machine serves turns first.
        assert os.getpriority(os.PRIO_PROCESS, first) == min(19, os.getpriority(os.PRIO_PROCESS, 0) + NICENESS)
        assert await worker.run(NOW + timedelta(minutes=15)) == 0  # nothing new: the same process answers
        assert worker.pid == first
        os.kill(first, signal.SIGKILL)
        assert await worker.run(NOW + timedelta(minutes=30)) == 0  # a new worker, nothing queued twice
        assert worker.pid not in (None, first)
        assert await _queued_since(engine) == rows
    finally:
        await worker.close()
    assert worker.pid is None


async def test_a_failing_tick_is_reported_by_its_error_type(tmp_path: pytest.TempPathFactory) -> None:
    worker = _worker(f"sqlite+aiosqlite:///{tmp_path}/never-migrated.db")  # no tables: every step fails
    try:
        with pytest.raises(TickFailed, match=r"failed in the worker \(OperationalError\)"):
            await worker.run(NOW)
    finally:
        await worker.close()
