"""A poll's scheduled invitations and reminders for a cohort larger than one write batch, on the real
store and a fixed clock: everyone is invited once, a batch per transaction, and the step is recorded
as done last, so a crash part-way leaves it to the next tick, which adds only what is missing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.core.jobs import WRITE_BATCH
from domain.polls import service as polls
from domain.polls.outbox import INVITE, REMINDER, TEAM_OPENED
from storage.store import SqlStore
from storage.tables import OutboxRow
from storage.tables_polls import PollRow
from tests.domain.poll_fixtures import NOW, jobs, make_cohort, make_poll, messages

SIZE = WRITE_BATCH + 30  # more than one batch


async def _count(engine: AsyncEngine, kind: str) -> int:
    async with engine.connect() as conn:
        return int(await conn.scalar(select(func.count()).where(OutboxRow.kind == kind)) or 0)


async def test_a_cohort_larger_than_a_batch_is_invited_once_and_a_crash_part_way_resumes(
    store: SqlStore, engine: AsyncEngine
) -> None:
    cohort = await make_cohort(store, SIZE)
    poll = await make_poll(store, cohort)
    assert await polls.run_due(jobs(store), NOW) == SIZE + 1  # everyone, and the creator hears it opened
    assert await _count(engine, INVITE) == SIZE
    [opened] = await messages(store, cohort.facilitator, TEAM_OPENED)
    assert f"invitations to {SIZE} people go out" in str(opened.payload)
    assert await polls.run_due(jobs(store), NOW + timedelta(minutes=15)) == 0  # recorded as done

    day7 = NOW + timedelta(days=7, hours=1)
    assert await polls.run_due(jobs(store), day7) == SIZE
    # As if that tick had crashed after its first batch: the later batches' rows gone, the step not recorded.
    async with engine.begin() as conn:
        first_batch = select(OutboxRow.id).where(OutboxRow.kind == REMINDER).order_by(OutboxRow.id).limit(WRITE_BATCH)
        await conn.execute(delete(OutboxRow).where(OutboxRow.kind == REMINDER, OutboxRow.id.not_in(first_batch)))
        await conn.execute(update(PollRow).where(PollRow.id == poll.id).values(reminded=[]))
    assert await _count(engine, REMINDER) == WRITE_BATCH
    assert await polls.run_due(jobs(store), day7 + timedelta(minutes=15)) == SIZE - WRITE_BATCH  # the rest only
    assert await _count(engine, REMINDER) == SIZE
    assert await polls.run_due(jobs(store), day7 + timedelta(minutes=30)) == 0  # and now recorded as done
