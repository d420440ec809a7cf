"""Scheduler wiring: fixed-id interval jobs with safe settings, in memory, on the running loop."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.ext.asyncio import AsyncEngine

from config import Settings
from scheduling.jobs import DISPATCH_JOB_ID, JobSpec, add_jobs, build_scheduler, stop_scheduler
from storage.outbox_store import OutboxStore
from tests.fakes.connector import FakeConnector
from tests.scheduling.seed import DispatcherFactory, add_message, add_person


async def nothing() -> None:
    """A job body for wiring tests."""


async def test_dispatch_job_has_a_fixed_id_and_safe_settings(make_dispatcher: DispatcherFactory) -> None:
    dispatcher = make_dispatcher()
    scheduler = build_scheduler(
        dispatcher, Settings(dispatch_interval_seconds=3.0), extra_jobs=[JobSpec("daily-nudges", nothing, 3600)]
    )
    job = scheduler.get_job(DISPATCH_JOB_ID)  # a safety tick that wakes the dispatcher's own loop
    assert isinstance(job.trigger, IntervalTrigger) and job.trigger.interval == timedelta(seconds=3)
    assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, 300)
    assert scheduler.get_job("daily-nudges").trigger.interval == timedelta(hours=1)
    assert isinstance(scheduler._lookup_jobstore("default"), MemoryJobStore)


async def test_adding_a_job_again_replaces_it(make_dispatcher: DispatcherFactory) -> None:
    scheduler = build_scheduler(make_dispatcher(), Settings())
    add_jobs(scheduler, [JobSpec(DISPATCH_JOB_ID, nothing, 10)])
    scheduler.start()
    try:
        add_jobs(scheduler, [JobSpec(DISPATCH_JOB_ID, nothing, 20)])
        [job] = scheduler.get_jobs()
        assert job.func is nothing and job.trigger.interval == timedelta(seconds=20)
    finally:
        await stop_scheduler(scheduler)
        await stop_scheduler(scheduler)  # a second stop (e.g. from cleanup) is harmless
    assert not scheduler.running


async def test_the_scheduled_job_sends_the_outbox(
    engine: AsyncEngine, connector: FakeConnector, make_dispatcher: DispatcherFactory
) -> None:
    await add_message(engine, await add_person(engine, 1, connector.url), "intro")
    dispatcher = make_dispatcher()
    scheduler = build_scheduler(dispatcher, Settings(dispatch_interval_seconds=60))
    scheduler.start()
    try:
        scheduler.get_job(DISPATCH_JOB_ID).modify(next_run_time=datetime.now(UTC))  # now, not in 60 s
        await connector.wait_for(lambda requests: len(requests) == 1, within=5)
    finally:
        await stop_scheduler(scheduler)
    # run_once takes the dispatcher's lock, so this waits for the scheduled run to finish.
    assert (await dispatcher.run_once()).claimed == 0
    assert await OutboxStore(engine).summary() == {"sent": 1}
    assert len(connector.sent_activities()) == 1
    await dispatcher.close()
