"""The outbox dispatcher: claim due rows, render, send within rate limits, record outcomes.

One `run_once` at a time per process (an asyncio.Lock); several processes share the
work through leased claims (see storage/outbox_store.py). Rows are claimed in batches
and sent concurrently, at most `settings.send_concurrency` in flight; the next batch is
claimed as soon as the previous one is under way, so the global rate limit, not batch
boundaries, sets the pace. Logs carry counts and row ids only, never payloads.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import timedelta
from typing import Any

from config import Settings
from domain.core.clock import Clock
from domain.core.reply import Reply
from scheduling.ratelimit import RateLimiter
from scheduling.retry import Outcome, Verdict, classify
from scheduling.sender import Sender, SendResult
from storage.outbox_store import ClaimedMessage, OutboxStore

log = logging.getLogger(__name__)
Render = Callable[[Reply, str], dict[str, Any]]
DEFAULT_BATCH_SIZE = 100
# Long enough for a batch to drain through the rate limiter; a crashed owner's rows wait this long.
DEFAULT_LEASE_SECONDS = 300.0
INTERNAL_RETRY_SECONDS = 60.0  # after a bug or database hiccup on one row


@dataclass
class DispatchStats:
    """Counts for one `run_once`."""

    claimed: int = 0
    sent: int = 0
    retried: int = 0
    unreachable: int = 0
    dead: int = 0
    released: int = 0
    lost_lease: int = 0

    def count(self, verdict: Verdict) -> None:
        """Add one row with this verdict."""
        name = "retried" if verdict is Verdict.RETRY else verdict.value
        setattr(self, name, getattr(self, name) + 1)

    def as_log(self) -> str:
        """`claimed=3 sent=3 ...` for the log line."""
        return " ".join(f"{f.name}={getattr(self, f.name)}" for f in fields(self))


def default_owner_id() -> str:
    """A lease owner id unique to this process (host, pid and a random suffix)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def limiter_for(settings: Settings) -> RateLimiter:
    """The production rate limiter for `settings` (monotonic time, real sleeping)."""
    return RateLimiter(settings.send_rate_per_second, settings.send_rate_per_conversation)


class Dispatcher:
    """Sends due outbox rows; `run_once` from the scheduler, `wake` after queueing something urgent."""

    def __init__(
        self,
        outbox: OutboxStore,
        sender: Sender,
        render: Render,
        clock: Clock,
        settings: Settings,
        owner_id: str,
        *,
        limiter: RateLimiter | None = None,
        rng: random.Random | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        lease_seconds: float = DEFAULT_LEASE_SECONDS,
    ) -> None:
        self._outbox, self._sender, self._render = outbox, sender, render
        self._clock, self._settings, self.owner_id = clock, settings, owner_id
        self._limiter = limiter or limiter_for(settings)
        self._rng = rng or random.Random()
        self._batch_size, self._lease_seconds = batch_size, lease_seconds
        self._lock = asyncio.Lock()
        self._rerun = False
        self._closing = False
        self._waker: asyncio.Task[None] | None = None

    async def run_once(self) -> DispatchStats:
        """Send everything due now (looping over batches) and return what happened."""
        async with self._lock:
            stats = DispatchStats()
            tasks: set[asyncio.Task[None]] = set()
            try:
                await self._claim_and_launch(stats, tasks)
            finally:
                # Even if a claim fails (database gone), wait for the sends already under way.
                await asyncio.gather(*tasks, return_exceptions=True)
            if stats.claimed:
                log.info("outbox dispatch owner=%s %s", self.owner_id, stats.as_log())
            return stats

    async def _claim_and_launch(self, stats: DispatchStats, tasks: set[asyncio.Task[None]]) -> None:
        """Claim batches until none is due (or a 429 pause starts), one task per row."""
        slots = asyncio.Semaphore(max(1, self._settings.send_concurrency))
        while self._limiter.paused_for() <= 0 and not self._closing:
            batch = await self._outbox.claim(self._clock.now(), self._batch_size, self.owner_id, self._lease_seconds)
            if not batch:
                return
            stats.claimed += len(batch)
            for message in batch:
                await slots.acquire()  # back-pressure: claim more only as sends finish
                task = asyncio.create_task(self._deliver(message, stats, slots))
                tasks.add(task)
                task.add_done_callback(tasks.discard)

    def wake(self) -> None:
        """Ask for a prompt run (coalesced with any run already waiting or in progress)."""
        self._rerun = True
        if self._waker is None or self._waker.done():
            self._waker = asyncio.get_running_loop().create_task(self._drain_wakes())

    async def close(self) -> None:
        """Stop claiming and wait for sends under way (call on shutdown, before closing the HTTP session)."""
        self._closing, self._rerun = True, False
        if self._waker is not None:
            await asyncio.gather(self._waker, return_exceptions=True)
        async with self._lock:  # a scheduled run in progress finishes its claimed rows first
            pass

    async def _drain_wakes(self) -> None:
        while self._rerun:
            self._rerun = False
            try:
                await self.run_once()
            except Exception as exc:
                # Type only: database errors can quote statement parameters (message payloads).
                log.error("outbox dispatch after wake failed (%s)", type(exc).__name__)

    async def _deliver(self, message: ClaimedMessage, stats: DispatchStats, slots: asyncio.Semaphore) -> None:
        """Attempt one row and record its outcome; errors are contained to this row."""
        try:
            await self._attempt(message, stats)
        except Exception as exc:
            log.error("outbox %d failed internally (%s)", message.id, type(exc).__name__)
            await self._record_failure(message, f"internal: {type(exc).__name__}", stats)
        finally:
            slots.release()

    async def _record_failure(self, message: ClaimedMessage, error: str, stats: DispatchStats) -> None:
        """Retry later (dead once attempts are used up); if even that fails, the lease expiry retries it."""
        if message.attempts >= self._settings.max_send_attempts:
            outcome = Outcome(Verdict.DEAD, error=f"{error}; gave up after {message.attempts} attempts")
        else:
            outcome = Outcome(Verdict.RETRY, delay=INTERNAL_RETRY_SECONDS, error=error)
        try:
            await self._record(message, outcome, stats)
        except Exception as exc:
            log.error("outbox %d: could not record failure (%s)", message.id, type(exc).__name__)

    async def _attempt(self, message: ClaimedMessage, stats: DispatchStats) -> None:
        ref = message.ref
        if ref is None:
            await self._record(message, Outcome(Verdict.UNREACHABLE, error="no conversation reference"), stats)
            return
        try:
            activity = self._render(Reply.from_dict(message.payload), message.channel_id)
        except (KeyError, TypeError, ValueError) as exc:
            await self._record(message, Outcome(Verdict.DEAD, error=f"render: {type(exc).__name__}"), stats)
            return
        if await self._released_for_pause(message, stats):
            return
        await self._limiter.acquire(
            ref.conversation_id if ref.conversation_type == "personal" else f"user:{ref.user_id}"
        )
        if await self._released_for_pause(message, stats):  # a 429 arrived while this one waited
            return
        result = await self._sender.send(ref, activity)
        if result.created:
            await self._outbox.update_conversation(message.participant_id, result.conversation_id, self._clock.now())
        await self._record(message, self._classify(message, result), stats, result.activity_id)

    async def _released_for_pause(self, message: ClaimedMessage, stats: DispatchStats) -> bool:
        """During a 429 pause, hand the row back (attempt not counted) for after the pause."""
        pause = self._limiter.paused_for()
        if pause <= 0:
            return False
        due = self._clock.now() + timedelta(seconds=pause)
        if await self._outbox.release(message.id, self.owner_id, due):
            stats.released += 1
        return True

    def _classify(self, message: ClaimedMessage, result: SendResult) -> Outcome:
        outcome = classify(
            result.status,
            message.attempts,
            self._settings.max_send_attempts,
            self._rng,
            self._clock.now(),
            result.retry_after,
            result.error,
        )
        if outcome.pause > 0:
            self._limiter.pause_for(outcome.pause)
        return outcome

    async def _record(
        self, message: ClaimedMessage, outcome: Outcome, stats: DispatchStats, activity_id: str = ""
    ) -> None:
        """Write the outcome, only if this dispatcher still holds the row's lease."""
        now, owner, store = self._clock.now(), self.owner_id, self._outbox
        if outcome.verdict is Verdict.SENT:
            done = await store.mark_sent(message.id, owner, now, activity_id)
        elif outcome.verdict is Verdict.RETRY:
            done = await store.reschedule(message.id, owner, now + timedelta(seconds=outcome.delay), outcome.error)
        elif outcome.verdict is Verdict.UNREACHABLE:
            done = await store.mark_unreachable(message.id, owner, now, outcome.error)
        else:
            done = await store.mark_dead(message.id, owner, outcome.error)
        if not done:
            stats.lost_lease += 1
            log.warning("outbox %d: lease lost before recording %s", message.id, outcome.verdict.value)
            return
        stats.count(outcome.verdict)
        if outcome.verdict is not Verdict.SENT:
            log.info("outbox %d kind=%s %s (%s)", message.id, message.kind, outcome.verdict.value, outcome.error)
