"""WakeableJob: the broadcast background runs on its timer and when woken, never twice at once,
coalescing wakes, stopping at a safe point on shutdown. Event-driven: no sleeps."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import pytest

from config import Settings
from scheduling.jobs import build_scheduler
from scheduling.wakeable import Stop, WakeableJob
from tests.scheduling.seed import DispatcherFactory


class Work:
    """A job body that records its runs and waits for the test to let each one finish."""

    def __init__(self) -> None:
        self.runs = 0
        self.running = 0
        self.most_at_once = 0
        self.started = asyncio.Event()
        self.release = asyncio.Event()
        self.stop_seen: list[bool] = []
        self.fail = False

    async def __call__(self, stop: Stop) -> int:
        self.runs += 1
        self.running += 1
        self.most_at_once = max(self.most_at_once, self.running)
        self.started.set()
        try:
            await self.release.wait()
            self.stop_seen.append(stop())
            if self.fail:
                raise RuntimeError("database gone")
            return 7
        finally:
            self.running -= 1


async def test_wakes_during_a_run_become_one_more_run_never_an_overlap() -> None:
    work = Work()
    job = WakeableJob("broadcast-rows", work, 5)
    job.wake()
    await work.started.wait()
    timer = asyncio.create_task(job.run_once())  # the interval job fires meanwhile
    job.wake()
    job.wake()
    work.release.set()
    assert await timer == 7
    await job.close()
    assert work.runs == 3  # the first wake, the timer, one run for the two later wakes
    assert work.most_at_once == 1


async def test_close_tells_the_run_in_progress_to_stop_and_refuses_new_work() -> None:
    work = Work()
    job = WakeableJob("broadcast-rows", work, 5)
    job.wake()
    await work.started.wait()
    closing = asyncio.create_task(job.close())
    await asyncio.sleep(0)  # let close() begin: it flags the job before waiting for the run
    work.release.set()
    await closing
    assert work.stop_seen == [True]
    job.wake()
    assert await job.run_once() == 0 and work.runs == 1


async def test_a_failed_run_after_a_wake_is_logged_by_type_and_the_next_wake_runs(
    caplog: pytest.LogCaptureFixture,
) -> None:
    work = Work()
    work.fail = True
    work.release.set()
    job = WakeableJob("broadcast-rows", work, 5)
    with caplog.at_level(logging.ERROR):
        job.wake()
        await job.settled()
    assert "broadcast-rows after wake failed (RuntimeError)" in caplog.text
    work.fail = False
    job.wake()
    await job.settled()
    assert work.runs == 2
    await job.close()


async def test_its_spec_is_a_fixed_id_interval_job(make_dispatcher: DispatcherFactory) -> None:
    job = WakeableJob("broadcast-rows", Work(), 5)
    scheduler = build_scheduler(make_dispatcher(), Settings(), [job.spec])
    registered = scheduler.get_job("broadcast-rows")
    assert registered.func == job.run_once and registered.trigger.interval == timedelta(seconds=5)
