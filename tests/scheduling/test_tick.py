"""One tick of scheduled work over a seeded year of programme history (bench/jobs_seed.py) on a
fixed clock: the number of SQL statements grows by a few per batch of writes, never per partnership, every
unprompted message lands inside its person's working window with at most the daily budget per
person and local day, and a rerun queues nothing twice."""

from __future__ import annotations

import argparse
import math
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bench import tick_profile
from bench.jobs_floor import floor
from bench.jobs_seed import FACILITATORS, NOW, Seeder, fix_sequences
from config import Settings
from domain.core.budget import BUDGETED_KINDS, PRIORITY
from domain.core.clock import FixedClock
from domain.core.jobs import WRITE_BATCH, JobContext
from domain.core.links import NoLinks
from domain.core.model import OutboxStatus
from domain.core.spread import working_window
from domain.core.timing import local_date
from domain.guide.content import load_guide
from scheduling.periodic import CAPABILITY_JOBS, job_context, run_tick
from storage.engine import create_engine
from storage.migration import migrate
from storage.store import SqlStore
from storage.tables import GuideProgressRow, OutboxRow, ParticipantRow
from tests.conftest import BACKENDS, _fresh_postgres_database

BUDGET = 2


def _context(engine: AsyncEngine, url: str) -> JobContext:
    settings = Settings(database_url=url, facilitators=frozenset(FACILITATORS), daily_message_budget=BUDGET)
    return job_context(settings, SqlStore(engine), FixedClock(NOW), load_guide(), NoLinks())


@asynccontextmanager
async def _seeded(backend: str, tmp_path: Path, size: int) -> AsyncIterator[tuple[AsyncEngine, str]]:
    """A fresh database holding a year of history for `size` active partnerships."""
    if backend == "sqlite":
        urls: AsyncIterator[str] = _one(f"sqlite+aiosqlite:///{tmp_path / f'tick_{size}.db'}")
    else:
        urls = _fresh_postgres_database()
    async for url in urls:
        engine = create_engine(url)
        try:
            await migrate(engine)
            await Seeder(size).seed(engine)
            await fix_sequences(engine)
            yield engine, url
        finally:
            await engine.dispose()


async def _one(url: str) -> AsyncIterator[str]:
    yield url


async def _statements_in_a_tick(backend: str, tmp_path: Path, size: int) -> tuple[int, int, int]:
    """(SQL statements the tick ran, of them pages of active partnerships read, messages it queued)."""
    async with _seeded(backend, tmp_path, size) as (engine, url):
        seen = Counter[str]()

        @event.listens_for(engine.sync_engine, "before_cursor_execute")
        def count(_conn: object, _cursor: object, statement: str, *_: object) -> None:
            seen["statements"] += 1
            seen["pages"] += (
                statement.startswith("SELECT partnerships.id, partnerships.cohort_id") and "LIMIT" in statement
            )

        queued = await run_tick(_context(engine, url), NOW)
        return seen["statements"], seen["pages"], queued


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_tick_runs_a_few_statements_more_per_write_batch_not_per_partnership(
    backend: str, tmp_path: Path
) -> None:
    # Both sizes fit one read chunk (1000 partnerships, 1000 ids per list); writes go a batch of at most
    # WRITE_BATCH messages per short transaction (a few statements each), never a statement per message.
    small, pages, queued_small = await _statements_in_a_tick(backend, tmp_path, 40)
    large, _, queued_large = await _statements_in_a_tick(backend, tmp_path, 200)
    # The active partnerships are read once for the tick (a page, then the empty page that ends them),
    # not once per capability that goes through them all (guide, aims, nudges).
    assert pages == 2
    assert queued_large > 4 * queued_small > 0  # five times the work...
    extra_batches = math.ceil((queued_large - queued_small) / WRITE_BATCH) + len(CAPABILITY_JOBS)
    assert small < large <= small + 6 * extra_batches  # ...in a few more statements per batch
    assert large - small < (queued_large - queued_small) / 20


async def test_a_tick_spreads_budgets_and_queues_nothing_twice(engine: AsyncEngine, database_url: str) -> None:
    await Seeder(60).seed(engine)
    await fix_sequences(engine)
    ctx = _context(engine, database_url)
    assert await run_tick(ctx, NOW) > 0
    rows = await _new_rows(engine)
    assert {status for *_, status in rows} <= {OutboxStatus.PENDING.value, OutboxStatus.PLANNED.value}
    per_day = Counter[tuple[int, str]]()
    for person, kind, due_at, zone, status in rows:
        if kind not in BUDGETED_KINDS:
            continue
        day = local_date(due_at, zone)
        window = working_window(day, zone, ctx.settings.hours)
        assert window is not None and window[0] <= due_at < window[1], (kind, due_at, zone)
        if status == OutboxStatus.PENDING.value:
            per_day[person, day.isoformat()] += 1
        else:  # what did not fit waits for a later working day
            assert day > local_date(NOW, zone)
    assert per_day and max(per_day.values()) <= BUDGET
    # Every message was planned for today: what went in within today's budget outranks what had to wait.
    ranks: dict[int, dict[str, list[int]]] = {}
    for person, kind, _, _, status in rows:
        if kind in BUDGETED_KINDS:
            ranks.setdefault(person, {}).setdefault(status, []).append(PRIORITY[kind])
    crowded = [r for r in ranks.values() if len(r) == 2]
    assert crowded and all(max(r[OutboxStatus.PENDING.value]) <= min(r[OutboxStatus.PLANNED.value]) for r in crowded)
    assert any(max(r[OutboxStatus.PENDING.value]) < min(r[OutboxStatus.PLANNED.value]) for r in crowded)
    assert len({due_at for _, kind, due_at, *_ in rows if kind == "guide_prompt"}) > len(rows) // 4  # no stampede
    assert await run_tick(ctx, NOW) == 0
    assert await run_tick(ctx, NOW + timedelta(minutes=15)) == 0
    assert len(await _new_rows(engine)) == len(rows)


async def _new_rows(engine: AsyncEngine) -> list[tuple[int, str, object, str, str]]:
    """(person, kind, due, their zone, status) of every outbox row the ticks created."""
    async with engine.connect() as conn:
        result = await conn.execute(
            select(
                OutboxRow.participant_id, OutboxRow.kind, OutboxRow.due_at, ParticipantRow.time_zone, OutboxRow.status
            )
            .join(ParticipantRow, ParticipantRow.id == OutboxRow.participant_id)
            .where(OutboxRow.created_at >= NOW)
        )
        return [(person, kind, due_at, zone, status) for person, kind, due_at, zone, status in result]


async def test_the_benchmarks_floor_writes_the_ticks_own_rows_again(engine: AsyncEngine, database_url: str) -> None:
    # bench/jobs_floor.py: what the bare driver takes to write a tick's rows. It must write exactly those
    # rows (the same keys, kinds, people, times and payloads), neither losing nor adding any.
    await Seeder(20).seed(engine)
    await fix_sequences(engine)
    assert await run_tick(_context(engine, database_url), NOW) > 0
    before = await _tick_rows(engine)
    await engine.dispose()  # the floor opens the file or server with the bare driver
    seconds, rows = await floor(database_url)
    assert seconds > 0
    assert rows == len(before["outbox"]) + len(before["guide_progress"]) and before["guide_progress"]
    assert await _tick_rows(engine) == before


async def _tick_rows(engine: AsyncEngine) -> dict[str, list[tuple[object, ...]]]:
    """The outbox and guide-progress rows written at NOW or later, in a stable order."""
    async with engine.connect() as conn:
        outbox = await conn.execute(
            select(
                OutboxRow.idempotency_key,
                OutboxRow.kind,
                OutboxRow.participant_id,
                OutboxRow.payload,
                OutboxRow.due_at,
                OutboxRow.status,
                OutboxRow.created_at,
            )
            .where(OutboxRow.created_at >= NOW)
            .order_by(OutboxRow.idempotency_key)
        )
        progress = await conn.execute(
            select(GuideProgressRow.partnership_id, GuideProgressRow.prompt_id, GuideProgressRow.queued_at)
            .where(GuideProgressRow.queued_at >= NOW)
            .order_by(GuideProgressRow.partnership_id, GuideProgressRow.prompt_id)
        )
        return {"outbox": [tuple(r) for r in outbox], "guide_progress": [tuple(r) for r in progress]}


async def test_the_tick_profile_shows_each_capability_and_the_costliest_statements(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # bench/tick_profile.py, the look inside a tick for whoever works on planning (SQLite: the seeded file
    # is made once and copied for every run).
    args = argparse.Namespace(size=20, idle=True, statements=3, seeded=str(tmp_path / "seeded.db"), database_url="")
    await tick_profile.run(args, tmp_path)
    first = capsys.readouterr().out
    await tick_profile.run(args, tmp_path)  # from the kept seeded file: the same first tick again
    again = capsys.readouterr().out
    assert "seeding 20" in first and "seeding" not in again
    ticks = [_queued_by_capability(part) for part in again.split("\ntick at ")[1:]]
    assert len(ticks) == 3 and list(ticks[0]) == ["message-budget", *(name for name, *_ in CAPABILITY_JOBS)]
    assert ticks[0]["guide-prompts"] > 0 and ticks[0] == _queued_by_capability(first.split("\ntick at ")[1])
    assert all(queued == 0 for idle in ticks[1:] for queued in idle.values())  # nothing new 15 and 30 minutes on
    costliest = again.split("statement\n", 1)[1].strip().splitlines()
    assert len(costliest) == 3 and any("INSERT INTO outbox" in line for line in costliest)


def _queued_by_capability(printed: str) -> dict[str, int]:
    """capability -> messages queued, from one printed tick (its rows: name, wall, CPU, queued)."""
    rows = [line.split() for line in printed.split("\n\n", 1)[0].splitlines()[2:-1]]  # up to "the whole tick"
    return {name: int(queued) for name, _, _, queued in rows}
