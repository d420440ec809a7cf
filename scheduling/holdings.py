"""What one dispatcher holds between claiming rows and recording them: leases and outcomes.

Outcomes are buffered and written together (a few UPDATEs for many rows): once
`FLUSH_SIZE` wait, once the oldest has waited `FLUSH_DELAY`, and at the end of every drain,
so after a `kill -9` only about a tenth of a second's sends were posted but not recorded.
Leases are extended in one UPDATE when any would run out first (a long 429 pause).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from domain.core.clock import Clock
from scheduling.delivery import Attempted, DispatchStats
from scheduling.retry import Verdict
from storage.outbox_store import ClaimedMessage, OutboxStore

log = logging.getLogger(__name__)
FLUSH_SIZE = 50
FLUSH_DELAY = 0.1  # seconds (event-loop time) an outcome may wait for others


class Holdings:
    """The rows a worker has claimed: their leases, outcomes waiting to be written, rows to hand back."""

    def __init__(self, outbox: OutboxStore, worker_id: str, clock: Clock, lease: timedelta) -> None:
        self._outbox, self._worker_id, self._clock, self._lease = outbox, worker_id, clock, lease
        self._lease_until: dict[int, float] = {}  # row id -> lease end (clock timestamp)
        self._results: list[tuple[ClaimedMessage, Attempted]] = []
        self._released: list[int] = []
        self._flush_at = 0.0

    def hold(self, row_id: int) -> None:
        """A row was just claimed for one lease."""
        self._lease_until[row_id] = (self._clock.now() + self._lease).timestamp()

    def done(self, message: ClaimedMessage, attempted: Attempted) -> None:
        """Buffer an attempt's outcome for the next flush."""
        if not self._results and not self._released:
            self._flush_at = asyncio.get_running_loop().time() + FLUSH_DELAY
        self._results.append((message, attempted))

    def release(self, row_id: int) -> None:
        """A claimed row was never posted (shutdown during a pause): hand it back at the next flush."""
        self._released.append(row_id)

    def flush_timeout(self) -> float | None:
        """Seconds until buffered outcomes must be written (None: nothing buffered)."""
        if not self._results and not self._released:
            return None
        return max(0.0, self._flush_at - asyncio.get_running_loop().time())

    def flush_due(self) -> bool:
        """True once enough outcomes wait, or the oldest has waited long enough."""
        waiting = len(self._results) + len(self._released)
        return waiting >= FLUSH_SIZE or (waiting > 0 and self.flush_timeout() == 0.0)

    async def flush(self, stats: DispatchStats) -> None:
        """Write buffered outcomes and hand back released rows; on a database error keep them for next time."""
        results, released = self._results, self._released
        self._results, self._released = [], []
        now = self._clock.now()
        try:
            handed_back = await self._outbox.release_many(released, self._worker_id, now) if released else set()
            recorded = await self._outbox.finish(self._worker_id, now, [a.finish(m, now) for m, a in results])
        except Exception as exc:
            log.error("outbox: could not record %d outcomes (%s); will retry", len(results), type(exc).__name__)
            self._results[:0], self._released[:0] = results, released
            return
        stats.released += len(handed_back)
        for row_id in released:
            self._lease_until.pop(row_id, None)
        for message, attempted in results:
            self._lease_until.pop(message.id, None)
            self._count(message, attempted, message.id in recorded, stats)

    def _count(self, message: ClaimedMessage, attempted: Attempted, recorded: bool, stats: DispatchStats) -> None:
        verdict, error = attempted.outcome.verdict, attempted.outcome.error
        if not recorded:
            stats.lost_lease += 1
            log.warning("outbox %d: lease lost before recording %s", message.id, verdict.value)
            return
        stats.count(verdict)
        if verdict is not Verdict.SENT:
            log.info("outbox %d kind=%s %s (%s)", message.id, message.kind, verdict.value, error)

    async def renew(self, pause: float = 0.0) -> None:
        """Extend every held lease (one UPDATE) when one would run out within half a lease after `pause`."""
        if not self._lease_until:
            return
        now = self._clock.now()
        if min(self._lease_until.values()) > (now + timedelta(seconds=pause) + self._lease / 2).timestamp():
            return
        until, ids = now + timedelta(seconds=pause) + self._lease, list(self._lease_until)
        try:
            kept = await self._outbox.extend_leases(ids, self._worker_id, until)
        except Exception as exc:
            log.error("outbox: could not extend %d leases (%s)", len(ids), type(exc).__name__)
            return
        for row_id in kept:
            self._lease_until[row_id] = until.timestamp()
