"""A periodic job that can also be woken at once: one run at a time in this process.

The broadcast materialiser runs on a short interval (so work left by a crash resumes within
seconds of a restart) and is woken right after a facilitator confirms a broadcast. A wake
during a run is coalesced into one more run; the timer and a wake never overlap.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from scheduling.jobs import JobSpec

log = logging.getLogger(__name__)
Stop = Callable[[], bool]


class WakeableJob:
    """`run_once` from the scheduler, `wake` when new work is known; `close` on shutdown.

    The work is given a `stop()` callable: true once the job is closing, so a long run can
    end at a safe point (a batch boundary) instead of holding up shutdown.
    """

    def __init__(self, job_id: str, work: Callable[[Stop], Awaitable[int]], seconds: float) -> None:
        self.job_id = job_id
        self._work = work
        self._seconds = seconds
        self._lock = asyncio.Lock()
        self._rerun = False
        self._closing = False
        self._waker: asyncio.Task[None] | None = None

    @property
    def spec(self) -> JobSpec:
        """The fixed-id interval job that runs it."""
        return JobSpec(self.job_id, self.run_once, self._seconds)

    async def run_once(self) -> int:
        """Run the work now (after any run in progress); return its count."""
        async with self._lock:
            return 0 if self._closing else await self._work(lambda: self._closing)

    def wake(self) -> None:
        """Ask for a prompt run (coalesced with any run already waiting or in progress)."""
        if self._closing:
            return
        self._rerun = True
        if self._waker is None or self._waker.done():
            self._waker = asyncio.get_running_loop().create_task(self._follow_wakes())

    async def settled(self) -> None:
        """Wait until no woken run is waiting or in progress (tests, and the end of `close`)."""
        while self._waker is not None and not self._waker.done():
            await asyncio.gather(self._waker, return_exceptions=True)

    async def close(self) -> None:
        """Take no more wakes and wait for the run in progress (it stops at a batch boundary)."""
        self._closing, self._rerun = True, False
        await self.settled()
        async with self._lock:
            pass

    async def _follow_wakes(self) -> None:
        while self._rerun:
            self._rerun = False
            try:
                await self.run_once()
            except Exception as exc:
                # Type only: database errors can quote statement parameters (message text).
                log.error("%s after wake failed (%s)", self.job_id, type(exc).__name__)
