"""APScheduler wiring: a few fixed-id interval jobs in an in-memory job store.

The scheduler holds no business state (what must happen later is an outbox row), so
the in-memory store is enough and a restart loses nothing. Fixed ids with
`replace_existing=True` make re-registration harmless; `coalesce` plus a generous
`misfire_grace_time` turn late or missed runs into one run instead of silently
dropping them (APScheduler's default grace is 1 s). To add a job, append a `JobSpec`.

The outbox is not sent by a scheduled job: the dispatcher runs its own drain loop. The
scheduler only wakes it, as a low-frequency safety tick and after each job that queued
something, so runs never overlap.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger

from config import Settings
from domain.core.clock import Clock
from scheduling.dispatcher import Dispatcher

DISPATCH_JOB_ID = "outbox-dispatch"
MISFIRE_GRACE_SECONDS = 300


@dataclass(frozen=True)
class JobSpec:
    """One periodic job: a fixed id, an async callable and its interval in seconds."""

    id: str
    func: Callable[[], Awaitable[Any]]
    seconds: float


@dataclass
class Liveness:
    """When the scheduler last ran its safety tick, for `/readyz` (a stalled scheduler sends nothing)."""

    clock: Clock
    interval_seconds: float
    last_tick: datetime | None = None
    started_at: datetime | None = None

    @property
    def running(self) -> bool:
        """True once the scheduler has started (never, in `run-jobs`)."""
        return self.started_at is not None

    def started(self) -> None:
        """The scheduler started now."""
        self.started_at = self.clock.now()

    def tick(self) -> None:
        """The safety tick ran now."""
        self.last_tick = self.clock.now()


def dispatch_job(dispatcher: Dispatcher, settings: Settings, liveness: Liveness | None = None) -> JobSpec:
    """The dispatcher's safety tick: wake its loop every `settings.dispatch_interval_seconds`."""

    async def tick() -> None:
        if liveness is not None:
            liveness.tick()
        dispatcher.wake()

    return JobSpec(DISPATCH_JOB_ID, tick, settings.dispatch_interval_seconds)


def waking(specs: Sequence[JobSpec], wake: Callable[[], None]) -> list[JobSpec]:
    """The same jobs, each waking the dispatcher when it finishes (what it queued goes out at once)."""

    def wrap(spec: JobSpec) -> JobSpec:
        async def run_then_wake() -> Any:
            try:
                return await spec.func()
            finally:
                wake()

        return JobSpec(spec.id, run_then_wake, spec.seconds)

    return [wrap(spec) for spec in specs]


def add_jobs(scheduler: AsyncIOScheduler, specs: Sequence[JobSpec]) -> None:
    """Register (or replace) each job with the settings every periodic job here shares."""
    for spec in specs:
        scheduler.add_job(
            spec.func,
            IntervalTrigger(seconds=spec.seconds, timezone=UTC),
            id=spec.id,
            name=spec.id,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=MISFIRE_GRACE_SECONDS,
        )


def build_scheduler(
    dispatcher: Dispatcher, settings: Settings, extra_jobs: Sequence[JobSpec] = (), liveness: Liveness | None = None
) -> AsyncIOScheduler:
    """An unstarted scheduler with the dispatch job and `extra_jobs`; call `start()` in a running loop."""
    # UTC: no dependency on the host's zone. One in-memory store: never share a persistent
    # store between schedulers (APScheduler 3 then runs jobs twice).
    scheduler = AsyncIOScheduler(jobstores={"default": MemoryJobStore()}, timezone=UTC)
    add_jobs(scheduler, [dispatch_job(dispatcher, settings, liveness), *extra_jobs])
    return scheduler


async def stop_scheduler(scheduler: AsyncIOScheduler) -> None:
    """Shut the scheduler down if it is running (safe to call twice, e.g. from cleanup)."""
    if scheduler.running:
        scheduler.shutdown(wait=False)
        # AsyncIOScheduler only queues the real shutdown on the loop; yield once so it has
        # happened (and `running` is False) when this returns.
        await asyncio.sleep(0)
