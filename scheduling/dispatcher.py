"""The outbox dispatcher: one long-running drain loop per process.

While rows are due it claims them in batches (as send slots free up, at most
`settings.send_concurrency` in flight) and the rate limiter, not batch boundaries, sets
the pace; outcomes are written many rows per UPDATE. When nothing is due it sleeps until
the next due time or a `wake` (new work, the scheduler's low-frequency safety tick). A 429
pauses sending for Retry-After: claimed rows are kept (their leases extended if needed)
and go out after the pause. Leases carry a stable worker id, so a restarted process takes
its own rows back at once (`resume`). `run_once` drains what is due now (cron, tests).
Logs carry counts and row ids only, never payloads.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import socket
from datetime import timedelta

from config import Settings
from domain.core.clock import Clock
from scheduling.budget import TenantShare
from scheduling.delivery import Delivery, DispatchStats, Render
from scheduling.holdings import Holdings
from scheduling.ratelimit import RateLimiter, SleepFn, limiter_for
from scheduling.sender import Sender
from storage.engine import is_sqlite
from storage.outbox_store import ClaimedMessage, OutboxStore

log = logging.getLogger(__name__)
DEFAULT_BATCH_SIZE = 64
# A crashed worker's rows wait this long unless it restarts under the same id (then: at once).
DEFAULT_LEASE_SECONDS = 300.0
ERROR_BACKOFF_SECONDS = 5.0  # after the loop itself failed (database unreachable)
BUSY_RETRY_SECONDS = 1.0
__all__ = ["DispatchStats", "Dispatcher", "worker_id_for"]


def worker_id_for(settings: Settings) -> str:
    """PLP_WORKER_ID, else a fixed id on SQLite (one process owns the file), else the host name."""
    if settings.worker_id:
        return settings.worker_id
    return "local" if is_sqlite(settings.database_url) else socket.gethostname()[:64]


class Dispatcher:
    """Sends due outbox rows: `start` the loop (or call `run_once`), `wake` it after queueing, `close` it."""

    def __init__(
        self,
        outbox: OutboxStore,
        sender: Sender,
        render: Render,
        clock: Clock,
        settings: Settings,
        worker_id: str,
        *,
        limiter: RateLimiter | None = None,
        rng: random.Random | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        lease_seconds: float = DEFAULT_LEASE_SECONDS,
        sleep: SleepFn = asyncio.sleep,
        share: TenantShare | None = None,
    ) -> None:
        self._outbox, self._clock, self._settings, self.worker_id = outbox, clock, settings, worker_id
        self.limiter = limiter or limiter_for(settings)
        self._delivery = Delivery(
            sender, render, self.limiter, outbox, clock, settings, rng or random.Random(), self._throttled
        )
        self._batch_size, self._lease = batch_size, timedelta(seconds=lease_seconds)
        self._sleep, self._share = sleep, share
        self._lock = asyncio.Lock()  # one drain at a time: the loop's or run_once's
        self._woken, self._poked = asyncio.Event(), asyncio.Event()
        self._due_now, self._closing = True, False
        self._tasks: dict[int, asyncio.Task[None]] = {}  # row id -> its delivery
        self._waiting: set[int] = set()  # rows waiting for the rate limits (not yet posted)
        self._holdings = Holdings(outbox, worker_id, clock, self._lease)
        self._loop: asyncio.Task[None] | None = None
        self._beats: asyncio.Task[None] | None = None

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Start the drain loop (it first takes back this worker's rows from an earlier run)."""
        if self._loop is None and not self._closing:
            self._loop = asyncio.get_running_loop().create_task(self._run())

    def wake(self) -> None:
        """New work may be due: drain now (coalesced; starts the loop if it is not running)."""
        self._due_now = True
        self._woken.set()
        if self._loop is None and not self._closing:
            self._loop = asyncio.get_running_loop().create_task(self._run())

    async def resume(self) -> int:
        """Take back rows still leased to this worker id (a previous run died holding them)."""
        taken = await self._outbox.reclaim_own(self.worker_id)
        if taken:
            log.info("outbox worker=%s resumed %d rows it held before a restart", self.worker_id, taken)
        return taken

    async def close(self) -> None:
        """Stop claiming, finish the sends under way (during a 429 pause, hand waiting rows back)."""
        self._closing = True
        self._woken.set()
        if self.limiter.paused_for() > 0:
            for row_id in list(self._waiting):
                self._tasks[row_id].cancel()
        if self._loop is not None:
            await asyncio.gather(self._loop, return_exceptions=True)
        async with self._lock:  # a run_once in progress finishes first
            pass
        await self._leave()

    async def run_once(self) -> DispatchStats:
        """Send everything due now (keeping rows through a 429 pause) and return what happened."""
        async with self._lock:
            stats = DispatchStats()
            await self._drain(stats)
            return stats

    # -- the loop ----------------------------------------------------------------------------

    async def _run(self) -> None:
        """Resume, then drain whenever work is due and sleep in between, until closed."""
        try:
            await self._join()
        except Exception as exc:
            log.error("outbox worker=%s could not resume (%s)", self.worker_id, type(exc).__name__)
        while not self._closing:
            self._woken.clear()
            try:
                async with self._lock:
                    stats = DispatchStats()
                    await self._drain(stats)
                await self._idle(await self._seconds_to_next(stats.claimed > 0))
            except Exception as exc:
                # Type only: database errors can quote statement parameters (message payloads).
                log.error("outbox dispatch failed (%s)", type(exc).__name__)
                await self._idle(ERROR_BACKOFF_SECONDS)

    async def _join(self) -> None:
        await self.resume()
        if self._share is None:
            return
        await self._share.join()  # a newcomer waits one beat here, while the others make room
        self._beats = asyncio.get_running_loop().create_task(self._share.keep_beating())

    async def _seconds_to_next(self, claimed: bool) -> float | None:
        """How long to sleep: until the pause ends, or the next row is due (None: until woken)."""
        paused = self.limiter.paused_for()
        if paused > 0:
            return paused
        due = await self._outbox.next_due()
        if due is None:
            return None
        seconds = (due - self._clock.now()).total_seconds()
        if seconds <= 0:
            # Queued while the drain finished: go again. Due, yet nothing was claimable (another
            # replica is claiming it right now): look again shortly rather than spin.
            return 0.0 if claimed else BUSY_RETRY_SECONDS
        return min(seconds, self._settings.dispatch_interval_seconds)

    async def _idle(self, seconds: float | None) -> None:
        """Sleep `seconds` (None: indefinitely) unless woken first."""
        if self._woken.is_set() or self._closing or seconds == 0:
            return
        woken = asyncio.ensure_future(self._woken.wait())
        waits = {woken} if seconds is None else {woken, asyncio.ensure_future(self._sleep(seconds))}
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiting in waits:
                waiting.cancel()

    async def _leave(self) -> None:
        if self._beats is not None:
            self._beats.cancel()
            await asyncio.gather(self._beats, return_exceptions=True)
        if self._share is not None:
            with contextlib.suppress(Exception):  # the lease and staleness cover a failed goodbye
                await self._share.leave()

    # -- one drain: claim as slots free up, buffer outcomes, keep rows through 429 pauses ----------

    async def _drain(self, stats: DispatchStats) -> None:
        """Claim and send until nothing is due and nothing is in flight (or closing)."""
        self._due_now = True
        try:
            while not self._closing:
                if self._may_claim() and await self._claim(stats):
                    continue
                if not self._tasks:
                    break
                await self._wait_for_deliveries(stats)
        finally:
            await asyncio.gather(*self._tasks.values(), return_exceptions=True)
            await self._holdings.flush(stats)
        if stats.claimed:
            log.info("outbox dispatch worker=%s %s", self.worker_id, stats.as_log())

    def _may_claim(self) -> bool:
        """Claim only outside a pause, with room for a batch, and when something may be due."""
        free = self._settings.send_concurrency - len(self._tasks)
        enough = free >= max(1, min(self._batch_size, self._settings.send_concurrency // 2))
        return self.limiter.paused_for() <= 0 and (enough or not self._tasks) and (self._due_now or not self._tasks)

    async def _claim(self, stats: DispatchStats) -> bool:
        """Claim a batch and start one delivery per row; False when nothing was due."""
        room = min(self._batch_size, self._settings.send_concurrency - len(self._tasks))
        now = self._clock.now()
        batch = await self._outbox.claim(now, room, self.worker_id, self._lease.total_seconds())
        self._due_now = len(batch) == room  # a full batch: probably more behind it
        stats.claimed += len(batch)
        for message in batch:
            self._holdings.hold(message.id)
            self._tasks[message.id] = asyncio.get_running_loop().create_task(self._deliver(message))
        return bool(batch)

    async def _deliver(self, message: ClaimedMessage) -> None:
        """Attempt one row and buffer its outcome; errors are contained to this row."""
        try:
            attempted = await self._delivery.attempt(message, self._waiting)
        except asyncio.CancelledError:
            if message.id in self._waiting:
                self._holdings.release(message.id)  # never posted: handed back at the next flush
            raise
        except Exception as exc:
            log.error("outbox %d failed internally (%s)", message.id, type(exc).__name__)
            attempted = self._delivery.failed_internally(message, exc)
        finally:
            self._tasks.pop(message.id, None)
            self._waiting.discard(message.id)
            self._poked.set()
        self._holdings.done(message, attempted)

    async def _wait_for_deliveries(self, stats: DispatchStats) -> None:
        """Until a delivery finishes or work arrives; write outcomes once enough are waiting or time is up."""
        self._poked.clear()
        if self._woken.is_set():
            self._woken.clear()
            self._due_now = True
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._first_of(self._poked, self._woken), self._holdings.flush_timeout())
        if self._holdings.flush_due():
            await self._holdings.flush(stats)
        await self._holdings.renew()

    @staticmethod
    async def _first_of(*events: asyncio.Event) -> None:
        waits = [asyncio.ensure_future(event.wait()) for event in events]
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiting in waits:
                waiting.cancel()

    async def _throttled(self, seconds: float) -> None:
        """A 429: pause everything, and make sure the rows we hold outlast the pause."""
        self.limiter.pause_for(seconds)
        await self._holdings.renew(seconds)
