"""The one shape of scheduled work: every capability's `run_due(ctx, now)` takes this context.

`scheduling/` builds one JobContext at start-up and calls each capability's `run_due` on a
timer; each returns how many messages it queued. Nothing here holds state between runs.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import partial
from typing import TypeVar

from domain.core.budget_queue import DayBudgets, queue_within_budget
from domain.core.bulk_ports import ActiveChunk
from domain.core.clock import Clock
from domain.core.facilitators import FacilitatorDirectory
from domain.core.links import Links, NoLinks
from domain.core.model import NewOutboxMessage
from domain.core.ports import Store, UnitOfWork
from domain.core.timing import WorkingHours
from domain.guide.model import Guide

# Partnerships read per query: a few queries per chunk, never one per partnership.
CHUNK = 1000
# Messages (with what is recorded beside them) per write transaction: a few milliseconds of SQLite's
# one writer lock, so a turn that needs it meanwhile waits no longer than that.
WRITE_BATCH = 200
# Writes sharing one transaction while no turn is under way or waiting (`Store.give_way`): fewer commits
# (each writes the pages it changed to SQLite's log, shared pages once per group), and still a turn that
# arrives waits for one write, not the group.
GROUP = 5
Apply = Callable[[UnitOfWork], Awaitable[int]]  # one write transaction; returns how many messages were queued
ChunkPlan = Callable[[UnitOfWork, ActiveChunk], Awaitable[Sequence[Apply]]]
StillWanted = Callable[[UnitOfWork], Awaitable[bool]]
T = TypeVar("T")


@dataclass(frozen=True)
class JobSettings:
    """The settings scheduled work needs (read from config by the composition root)."""

    hours: WorkingHours = field(default_factory=WorkingHours)
    guide_max_per_week: int = 2
    daily_budget: int = 2  # unprompted messages per person per local day (domain/core/budget.py)
    meeting_reminders: tuple[timedelta, ...] = (timedelta(hours=24), timedelta(hours=1))
    retention_months: int = 12  # personal data is purged this long after a cohort ends
    dialog_state_days: int = 30  # abandoned conversations are forgotten after this


@dataclass(frozen=True)
class JobContext:
    """Everything a capability's `run_due(ctx, now)` may use."""

    store: Store
    clock: Clock
    guide: Guide
    settings: JobSettings = field(default_factory=JobSettings)
    links: Links = field(default_factory=NoLinks)
    facilitators: FacilitatorDirectory = field(default_factory=FacilitatorDirectory)
    # A tick's one read of the active partnerships, shared by the capabilities that go through them all,
    # and of what is already queued against the daily budget.
    active: ActivePartnerships | None = None
    budgets: DayBudgets | None = None

    def for_tick(self) -> JobContext:
        """This context for one tick: the active partnerships and the day's budgets read once, when first
        needed, for all its capabilities."""
        return replace(self, active=ActivePartnerships(), budgets=DayBudgets())

    async def queue(
        self,
        uow: UnitOfWork,
        messages: Sequence[NewOutboxMessage],
        now: datetime,
        zones: Mapping[int, str] | None = None,
    ) -> int:
        """Queue messages in `uow`, unprompted ones within their day's budget (core/budget_queue.py);
        `zones`: the recipients' time zones when the caller has them."""
        policy = self.settings
        return await queue_within_budget(uow, messages, now, policy.hours, policy.daily_budget, zones, self.budgets)


class ActivePartnerships:
    """Every active partnership, with its partners' time zones and the cohorts, read a chunk per query
    the first time a tick needs them and then shared by its capabilities (guide, aims, nudges): three
    reads of every pair become one. Read once, they are as of that moment: a pair paused or ended a
    few seconds later can still have that tick's messages planned, as it could between a chunk's read
    and its writes (the writes are idempotent; a pause or an end withdraws what waits)."""

    def __init__(self) -> None:
        self._chunks: list[ActiveChunk] | None = None

    async def chunks(self, store: Store, chunk: int = CHUNK) -> list[ActiveChunk]:
        """The chunks, read now if no capability of this tick has read them yet."""
        if self._chunks is None:
            self._chunks = [page async for page in read_active(store, chunk)]
        return self._chunks


async def read_active(store: Store, chunk: int = CHUNK) -> AsyncIterator[ActiveChunk]:
    """Every active partnership, `chunk` at a time (keyset pages, one read-only query each), with the
    cohorts attached to every chunk."""
    after = 0
    async with store.reading() as uow:
        cohorts = {cohort.id: cohort for cohort in await uow.cohorts.list_all()}
    while True:
        async with store.reading() as uow:
            page = await uow.partnerships.active_page(after, chunk)
        if not page.partnerships:
            return
        yield replace(page, cohorts=cohorts)
        after = page.partnerships[-1].id


async def each_active_chunk(ctx: JobContext, plan: ChunkPlan, chunk: int = CHUNK) -> int:
    """Apply `plan` to every active partnership, `chunk` at a time (the tick's shared read, `ctx.active`,
    when there is one).

    `plan` reads what it needs in a read-only transaction and returns the chunk's writes (none when
    nothing is due), each of which then runs in a short transaction of its own (`slices`); the event
    loop gets a turn between them. So a tick over tens of thousands of pairs holds SQLite's one writer
    only a few milliseconds at a time, and a tick with nothing to do never takes it. Returns how many
    messages the writes queued.
    """
    store, total = ctx.store, 0
    pages = await ctx.active.chunks(store, chunk) if ctx.active is not None else read_active(store, chunk)
    async for page in _each(pages):
        async with store.reading() as uow:
            writes = await plan(uow, page)
        total += await write_each(store, writes)
        await asyncio.sleep(0)
    return total


async def _each(pages: list[ActiveChunk] | AsyncIterator[ActiveChunk]) -> AsyncIterator[ActiveChunk]:
    if isinstance(pages, list):
        for page in pages:
            yield page
    else:
        async for page in pages:
            yield page


async def write_each(store: Store, writes: Sequence[Apply]) -> int:
    """Run `writes` in order, up to GROUP of them in one transaction but committing early whenever another
    writer waits for the lock (`store.give_way()`, asked between two writes), the event loop getting a
    turn between transactions; how many messages they queued."""
    total, left = 0, list(writes)
    while left:
        async with store.transaction() as uow:
            total += await left.pop(0)(uow)
            for _ in range(GROUP - 1):
                if not left or store.give_way():
                    break
                total += await left.pop(0)(uow)
        await asyncio.sleep(0)
    return total


def slices(items: Sequence[T], size: int = WRITE_BATCH) -> list[Sequence[T]]:
    """`items` in consecutive slices of at most `size` (one write transaction each)."""
    return [items[start : start + size] for start in range(0, len(items), size)]


async def queue(
    ctx: JobContext, messages: Sequence[NewOutboxMessage], zones: Mapping[int, str], now: datetime, uow: UnitOfWork
) -> int:
    """Writes that only queue messages, unprompted ones within their day's budget (for `each_active_chunk` plans)."""
    return await ctx.queue(uow, messages, now, zones)


async def enqueue_in_chunks(
    store: Store, messages: Sequence[NewOutboxMessage], now: datetime, still_wanted: StillWanted | None = None
) -> int:
    """Queue `messages` WRITE_BATCH per write (`write_each`); stop as soon as `still_wanted` (asked before
    each write, in its transaction) says the rest are no longer wanted. Returns how many were new."""
    wanted = True

    async def enqueue(batch: Sequence[NewOutboxMessage], uow: UnitOfWork) -> int:
        nonlocal wanted
        wanted = wanted and (still_wanted is None or await still_wanted(uow))
        return await uow.outbox.enqueue(batch, now) if wanted else 0

    return await write_each(store, [partial(enqueue, batch) for batch in slices(messages)])
