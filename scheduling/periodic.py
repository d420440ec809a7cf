"""The periodic jobs besides outbox dispatch. One tick runs every capability's scheduled work
in turn (each decides from the database what is due at `clock.now()` and writes outbox rows
in bulk), then the daily budget pass; nothing holds business state between runs."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy.ext.asyncio import AsyncEngine

from config import Settings
from domain.aims import service as aims
from domain.broadcasts import service as broadcasts
from domain.broadcasts.materialise import Hooks
from domain.core import budget_pass
from domain.core.clock import Clock
from domain.core.jobs import JobContext, JobSettings
from domain.core.links import Links
from domain.core.ports import Store
from domain.core.timing import parse_working_hours
from domain.guide import service as guide_delivery
from domain.guide.model import Guide
from domain.health import service as health
from domain.meetings import service as meetings
from domain.polls import service as polls
from domain.privacy import service as privacy
from domain.sessions import service as sessions
from scheduling.dispatcher import Dispatcher, DispatchStats
from scheduling.jobs import JobSpec
from scheduling.wakeable import Stop, WakeableJob
from storage.engine import checkpoint
from storage.inbound_log import InboundLog

log = logging.getLogger(__name__)
INBOUND_ID_RETENTION = timedelta(days=7)
BROADCAST_JOB_ID = "broadcast-rows"
PLANNING_JOB_ID = "scheduled-work"
BUDGET_PASS = ("message-budget", "planned messages promoted")
CHECKPOINT_JOB_ID = "sqlite-checkpoint"
CHECKPOINT_SECONDS = 30.0
Rule = Callable[[datetime], Awaitable[int]]
RunDue = Callable[[JobContext, datetime], Awaitable[int]]
RunTick = Callable[[datetime], Awaitable[int]]

# Every capability with scheduled work, in the order a tick runs them: (name, what its count means, run_due).
# Unprompted messages take their day's budget as they are queued (domain/core/budget_queue.py), so the
# kinds that go first when a day is short of room are queued first: nudges and check-ins, poll
# reminders, guide prompts, then aims and poll invitations.
CAPABILITY_JOBS: tuple[tuple[str, str, RunDue], ...] = (
    ("partnership-health", "health messages queued", health.run_due),
    ("polls", "poll messages queued", partial(polls.run_due, invitations=False)),
    ("guide-prompts", "guide messages queued", guide_delivery.run_due),
    ("aims-invitations", "aims invitations queued", aims.run_due),
    ("poll-invitations", "poll invitations queued", partial(polls.run_due, invitations=True)),
    ("recurring-meetings", "meetings proposed", meetings.run_due),
    ("group-sessions", "session messages queued", sessions.run_due),
    ("retention", "records purged", privacy.run_due),
)


def job_context(settings: Settings, store: Store, clock: Clock, guide: Guide, links: Links) -> JobContext:
    """The one context every `run_due` receives, built from the settings once at start-up."""
    policy = JobSettings(
        parse_working_hours(settings.work_hours),
        settings.guide_max_per_week,
        settings.daily_message_budget,
        settings.reminder_offsets,
        settings.retention_months,
        settings.dialog_state_days,
    )
    return JobContext(store, clock, guide, policy, links, settings.facilitator_directory)


def _job(job_id: str, what: str, rule: Rule, clock: Clock, seconds: float) -> JobSpec:
    """A fixed-id job that applies `rule` at the clock's now and logs how many messages it queued."""

    async def tick() -> None:
        count = await rule(clock.now())
        if count:
            log.info("%s: %d %s", job_id, count, what)

    return JobSpec(job_id, tick, seconds)


def standard_jobs(
    ctx: JobContext, every: float, run: Callable[[datetime], Awaitable[int]] | None = None
) -> list[JobSpec]:
    """The one fixed-id job that runs a tick of scheduled work every `every` seconds, at the context clock's
    now: by `run` (the server's worker process, scheduling/tick_worker.py) or else right here."""

    async def tick() -> None:
        now = ctx.clock.now()
        await (run(now) if run is not None else run_tick(ctx, now))

    return [JobSpec(PLANNING_JOB_ID, tick, every)]


async def run_tick(ctx: JobContext, now: datetime) -> int:
    """The budget pass, then every capability's `run_due` in order; how many messages were queued.

    The pass goes first, so what an earlier day could not fit (or planned for today) takes today's
    room before today's new messages. A capability that fails is logged (its error type only) and
    the others still run: each is idempotent, so the next tick retries it. The first failure is
    raised at the end, so the scheduler and `run-jobs` still report it.
    """
    queued, failures, ctx = 0, [], ctx.for_tick()
    for name, what, run_due in ((*BUDGET_PASS, budget_pass.run_due), *CAPABILITY_JOBS):
        try:
            count = await run_due(ctx, now)
        except Exception as exc:
            log.error("%s failed (%s)", name, type(exc).__name__)
            failures.append(exc)
            continue
        if count:
            log.info("%s: %d %s", name, count, what)
        if name != BUDGET_PASS[0]:  # promoted, not queued
            queued += count
    if failures:
        raise failures[0]
    return queued


def broadcast_job(ctx: JobContext, wake_dispatcher: Callable[[], None], seconds: float) -> WakeableJob:
    """Insert broadcasts' outbox rows in the background, batch by batch: every `seconds` and when woken.

    The interval bounds how soon rows a crash left uninserted resume, and how late a scheduled
    broadcast starts; the dispatcher is woken after each batch, so sending starts with the first.
    """

    async def work(stop: Stop) -> int:
        count = await broadcasts.run_due(ctx, ctx.clock.now(), Hooks(on_batch=wake_dispatcher, stop=stop))
        if count:
            log.info("%s: %d broadcast messages queued", BROADCAST_JOB_ID, count)
        return count

    return WakeableJob(BROADCAST_JOB_ID, work, seconds)


def checkpoint_job(engine: AsyncEngine, seconds: float = CHECKPOINT_SECONDS) -> JobSpec:
    """SQLite: copy the write-ahead log back into the database every `seconds`, so no turn's commit does
    (storage/engine.py `background_checkpoints`); nothing to do on PostgreSQL."""

    async def tick() -> None:
        await checkpoint(engine)

    return JobSpec(CHECKPOINT_JOB_ID, tick, seconds)


def prune_job(inbound_log: InboundLog, clock: Clock) -> JobSpec:
    """Forget inbound activity ids after a week (Teams redelivers within minutes)."""
    return _job(
        "inbound-log-prune",
        "processed activity ids pruned",
        lambda now: inbound_log.prune(now - INBOUND_ID_RETENTION),
        clock,
        3600,
    )


async def run_all_once(jobs: list[JobSpec], dispatcher: Dispatcher) -> DispatchStats:
    """Every periodic job once, then one dispatch of what is due (cron, operators, tests)."""
    for job in jobs:
        await job.func()
    return await dispatcher.run_once()
