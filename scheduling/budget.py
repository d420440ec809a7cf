"""Splitting the tenant's send budget between replicas through a heartbeat table.

Each dispatcher beats every `HEARTBEAT_SECONDS`; how many workers beat recently sets its
limiter's share (two replicas: half the tenant rate and half the outbox rate each). A
newcomer holds its outbox sends for one beat, so the others have made room before it
starts; a worker restarting under the same id was never missed and starts at once. Used
on PostgreSQL; on SQLite one process owns the file and has the whole budget.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from domain.core.clock import Clock
from scheduling.ratelimit import RateLimiter, SleepFn
from storage.dispatch_workers import WorkerRegistry

log = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 5.0
STALE_BEATS = 3  # a worker silent for this many beats no longer counts


class TenantShare:
    """Keeps one worker's heartbeat fresh and its limiter at its share of the tenant budget."""

    def __init__(
        self,
        registry: WorkerRegistry,
        limiter: RateLimiter,
        worker_id: str,
        clock: Clock,
        *,
        interval: float = HEARTBEAT_SECONDS,
        sleep: SleepFn = asyncio.sleep,
    ) -> None:
        self._registry, self._limiter, self._clock, self._sleep = registry, limiter, clock, sleep
        self.worker_id, self.interval = worker_id, interval

    async def join(self) -> float:
        """The first beat; a newcomer then waits one beat while the others make room. Returns that wait."""
        beat = await self._registry.beat(self.worker_id, self._clock.now(), self._stale_after)
        self._limiter.set_share(beat.live)
        log.info("dispatch worker=%s joined: %d live workers", self.worker_id, beat.live)
        hold = self.interval if beat.live > 1 and not beat.known else 0.0
        if hold:
            await self._sleep(hold)
        return hold

    async def beat(self) -> int:
        """Say this worker is alive, and take the share the live count gives it; return that count."""
        beat = await self._registry.beat(self.worker_id, self._clock.now(), self._stale_after)
        if beat.live != self._limiter.share:
            log.info("dispatch worker=%s: %d live workers share the send budget", self.worker_id, beat.live)
        self._limiter.set_share(beat.live)
        return beat.live

    async def keep_beating(self) -> None:
        """Beat every interval until cancelled; a failed beat keeps the last share."""
        while True:
            await self._sleep(self.interval)
            try:
                await self.beat()
            except Exception as exc:
                log.error("dispatch heartbeat failed (%s)", type(exc).__name__)

    async def leave(self) -> None:
        """Drop out of the count (graceful stop), so the others take the whole budget sooner."""
        await self._registry.leave(self.worker_id)

    @property
    def _stale_after(self) -> timedelta:
        return timedelta(seconds=self.interval * STALE_BEATS)
