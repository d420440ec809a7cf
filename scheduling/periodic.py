"""The periodic jobs besides outbox dispatch. Each decides from the database what is due
at `clock.now()` and writes outbox rows; none holds business state between runs."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from config import Settings
from domain.broadcasts.service import run_broadcast_jobs
from domain.core.clock import Clock
from domain.core.ports import Store
from domain.core.timing import parse_working_hours
from domain.guide.content import Guide
from domain.guide.service import GuidePolicy, queue_guide_prompts
from domain.health.nudging import run_health_checks
from domain.meetings.service import Links, follow_up_due
from domain.polls.service import run_poll_jobs
from domain.sessions.service import run_sessions_jobs
from scheduling.dispatcher import Dispatcher, DispatchStats
from scheduling.jobs import JobSpec
from storage.inbound_log import InboundLog

log = logging.getLogger(__name__)
INBOUND_ID_RETENTION = timedelta(days=7)
Rule = Callable[[datetime], Awaitable[int]]


def _job(job_id: str, what: str, rule: Rule, clock: Clock, seconds: float) -> JobSpec:
    """A fixed-id job that applies `rule` at the clock's now and logs how many messages it queued."""

    async def tick() -> None:
        count = await rule(clock.now())
        if count:
            log.info("%s: %d %s", job_id, count, what)

    return JobSpec(job_id, tick, seconds)


def standard_jobs(store: Store, guide: Guide, clock: Clock, links: Links, settings: Settings) -> list[JobSpec]:
    """Guide prompts and aims invitations, recurring meetings, partnership health and nudges,
    group sessions, scheduled broadcasts and polls: every rule that turns `now` into messages."""
    hours, every = parse_working_hours(settings.work_hours), settings.jobs_interval_seconds
    policy = GuidePolicy(hours, settings.guide_max_per_week)
    facilitators = settings.facilitators
    rules: list[tuple[str, str, Rule]] = [
        ("guide-prompts", "guide messages queued", lambda now: queue_guide_prompts(store, guide, policy, now)),
        ("recurring-meetings", "meetings proposed", lambda now: follow_up_due(store, now, links)),
        (
            "partnership-health",
            "health messages queued",
            lambda now: run_health_checks(store, hours, facilitators, now),
        ),
        ("group-sessions", "session messages queued", lambda now: run_sessions_jobs(store, now, facilitators, hours)),
        ("broadcasts", "broadcast messages queued", lambda now: run_broadcast_jobs(store, now, facilitators, hours)),
        ("polls", "poll messages queued", lambda now: run_poll_jobs(store, now, facilitators, hours)),
    ]
    return [_job(job_id, what, rule, clock, every) for job_id, what, rule in rules]


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
