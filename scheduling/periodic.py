"""The periodic jobs besides outbox dispatch. Each decides from the database what is due
at `clock.now()` and writes outbox rows; none holds business state between runs."""

from __future__ import annotations

import logging
from datetime import timedelta

from config import Settings
from domain.clock import Clock
from domain.broadcasts import run_broadcast_jobs
from domain.guide import Guide
from domain.guide_delivery import GuidePolicy, queue_guide_prompts
from domain.meetings import Links, follow_up_due
from domain.nudging import run_health_checks
from domain.polls import run_poll_jobs
from domain.sessions import run_sessions_jobs
from domain.ports import Store
from domain.timing import parse_working_hours
from scheduling.dispatcher import Dispatcher, DispatchStats
from scheduling.jobs import JobSpec
from storage.inbound_log import InboundLog

log = logging.getLogger(__name__)
INBOUND_ID_RETENTION = timedelta(days=7)


def guide_job(store: Store, guide: Guide, clock: Clock, settings: Settings) -> JobSpec:
    """Queue due guide prompts and aims invitations (the dispatch job sends them)."""
    policy = GuidePolicy(parse_working_hours(settings.work_hours), settings.guide_max_per_week)

    async def guide_prompts() -> None:
        queued = await queue_guide_prompts(store, guide, policy, clock.now())
        if queued:
            log.info("queued %d guide messages", queued)

    return JobSpec("guide-prompts", guide_prompts, settings.jobs_interval_seconds)


def meetings_job(store: Store, clock: Clock, links: Links, settings: Settings) -> JobSpec:
    """Propose the next meeting for pairs with a recurring rhythm whose last meeting has ended."""

    async def next_meetings() -> None:
        proposed = await follow_up_due(store, clock.now(), links)
        if proposed:
            log.info("proposed %d recurring meetings", proposed)

    return JobSpec("recurring-meetings", next_meetings, settings.jobs_interval_seconds)


def health_job(store: Store, clock: Clock, settings: Settings) -> JobSpec:
    """Nudge quiet pairs step by step, resume ended pauses, flag people who cannot be reached."""
    hours = parse_working_hours(settings.work_hours)

    async def partnership_health() -> None:
        queued = await run_health_checks(store, hours, settings.facilitators, clock.now())
        if queued:
            log.info("queued %d partnership health messages", queued)

    return JobSpec("partnership-health", partnership_health, settings.jobs_interval_seconds)


def sessions_job(store: Store, clock: Clock, settings: Settings) -> JobSpec:
    """Invite late joiners to upcoming group sessions and queue due session reminders."""
    hours = parse_working_hours(settings.work_hours)

    async def group_sessions() -> None:
        queued = await run_sessions_jobs(store, clock.now(), settings.facilitators, hours)
        if queued:
            log.info("queued %d group session messages", queued)

    return JobSpec("group-sessions", group_sessions, settings.jobs_interval_seconds)


def broadcasts_job(store: Store, clock: Clock, settings: Settings) -> JobSpec:
    """Enqueue scheduled broadcasts that are due."""
    hours = parse_working_hours(settings.work_hours)

    async def due_broadcasts() -> None:
        queued = await run_broadcast_jobs(store, clock.now(), settings.facilitators, hours)
        if queued:
            log.info("queued %d broadcast messages", queued)

    return JobSpec("broadcasts", due_broadcasts, settings.jobs_interval_seconds)


def polls_job(store: Store, clock: Clock, settings: Settings) -> JobSpec:
    """Poll invitations at opening, reminders to non-responders, closing messages."""
    hours = parse_working_hours(settings.work_hours)

    async def poll_jobs() -> None:
        queued = await run_poll_jobs(store, clock.now(), settings.facilitators, hours)
        if queued:
            log.info("queued %d poll messages", queued)

    return JobSpec("polls", poll_jobs, settings.jobs_interval_seconds)


def prune_job(inbound_log: InboundLog, clock: Clock) -> JobSpec:
    """Forget inbound activity ids after a week (Teams redelivers within minutes)."""

    async def prune() -> None:
        removed = await inbound_log.prune(clock.now() - INBOUND_ID_RETENTION)
        log.info("pruned %d processed activity ids", removed)

    return JobSpec("inbound-log-prune", prune, 3600)


async def run_all_once(jobs: list[JobSpec], dispatcher: Dispatcher) -> DispatchStats:
    """Every periodic job once, then one dispatch of what is due (cron, operators, tests)."""
    for job in jobs:
        await job.func()
    return await dispatcher.run_once()
