"""Outbound rate limits: a global limit and per-conversation buckets, plus a 429 pause.

Teams throttles per bot (about 50 requests/s across all conversations) and per
conversation (7/s, and 60 per 30 s). A send *reserves* its slot up front: the earliest
instant at which its conversation's buckets have a token and the global schedule has a
free slot. Reservations make the waiting maths a pure function of the injected time
(no retry loops). The global limit is a schedule with holes rather than a single bucket,
so a busy conversation's future slots never hold up a quiet conversation that could
send now.
"""

from __future__ import annotations

import asyncio
import bisect
import time as _time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

TimeFn = Callable[[], float]
SleepFn = Callable[[float], Awaitable[None]]
# Idle per-conversation buckets are forgotten once this many are held (they refill fully anyway).
PRUNE_THRESHOLD = 10_000
EPSILON = 1e-9  # float slack when comparing slot spacing


@dataclass
class TokenBucket:
    """`rate` tokens per second, holding at most `capacity`; starts full (GCRA form)."""

    rate: float
    capacity: float = 1.0
    _tat: float = float("-inf")  # theoretical arrival time of the next conforming request

    def earliest(self, now: float) -> float:
        """The first instant >= now at which a token is available (any later instant works too)."""
        tolerance = (self.capacity - 1.0) / self.rate
        return max(now, self._tat - tolerance)

    def take(self, at: float) -> None:
        """Spend one token at instant `at` (which must be >= earliest(now))."""
        self._tat = max(self._tat, at) + 1.0 / self.rate

    def is_idle(self, now: float) -> bool:
        """True when the bucket is full again (indistinguishable from a fresh one)."""
        return self._tat <= now


class SlotSchedule:
    """Reserved send instants kept at least 1/rate apart; reservations may leave holes."""

    def __init__(self, rate: float) -> None:
        self._spacing = 1.0 / rate
        self._slots: list[float] = []  # sorted

    def first_free(self, at: float) -> float:
        """The earliest instant >= `at` at least one spacing away from every reserved slot."""
        candidate = at
        start = bisect.bisect_right(self._slots, candidate - self._spacing + EPSILON)
        for slot in self._slots[start:]:
            if slot - candidate >= self._spacing - EPSILON:
                break  # the gap before this slot fits
            candidate = max(candidate, slot + self._spacing)
        return candidate

    def reserve(self, at: float) -> None:
        """Hold instant `at` (found with `first_free`)."""
        bisect.insort(self._slots, at)

    def forget_before(self, now: float) -> None:
        """Drop slots too old to constrain anything at or after `now`."""
        del self._slots[: bisect.bisect_left(self._slots, now - self._spacing)]


class RateLimiter:
    """Global plus per-conversation limits and a global pause for 429 answers."""

    def __init__(
        self,
        global_rate: float = 50.0,
        conversation_rate: float = 7.0,
        window_limit: int = 60,
        window_seconds: float = 30.0,
        time: TimeFn | None = None,
        sleep: SleepFn = asyncio.sleep,
        prune_above: int = PRUNE_THRESHOLD,
    ) -> None:
        self._time = time or _time.monotonic
        self._sleep = sleep
        self._global = SlotSchedule(global_rate)
        self._conversation_rate = conversation_rate
        # "60 per 30 s" as a bucket: burst + rate * 30 s stays under 60 (a quarter as burst,
        # one token of margin because a closed 30 s window can catch one extra send).
        self._window_capacity = max(1.0, window_limit / 4.0)
        self._window_rate = (window_limit - self._window_capacity - 1) / window_seconds
        self._conversations: dict[str, tuple[TokenBucket, TokenBucket]] = {}
        self._prune_above = prune_above
        self._paused_until = float("-inf")

    def now(self) -> float:
        """The limiter's current time (monotonic seconds, or whatever was injected)."""
        return self._time()

    @property
    def conversation_count(self) -> int:
        """How many per-conversation bucket pairs are held (idle ones are pruned)."""
        return len(self._conversations)

    def pause_until(self, t: float) -> None:
        """Hold all sending until limiter time `t` (a 429 answer); never shortens a pause."""
        self._paused_until = max(self._paused_until, t)

    def pause_for(self, seconds: float) -> None:
        """Hold all sending for `seconds` from now."""
        self.pause_until(self.now() + seconds)

    def paused_for(self) -> float:
        """Seconds left in the current pause (0 when not paused)."""
        return max(0.0, self._paused_until - self.now())

    def reserve(self, conversation_id: str, now: float) -> float:
        """Reserve the next send slot for `conversation_id`; return how long to wait for it."""
        buckets = self._buckets_for(conversation_id, now)
        self._global.forget_before(now)
        # Bucket conformance is monotonic in time, so the first free global slot at or after
        # the buckets' earliest instant satisfies every limit at once.
        earliest = max([now, self._paused_until, *(b.earliest(now) for b in buckets)])
        start = self._global.first_free(earliest)
        self._global.reserve(start)
        for bucket in buckets:
            bucket.take(start)
        return start - now

    async def acquire(self, conversation_id: str) -> None:
        """Wait (without blocking the loop) until a send to `conversation_id` is allowed."""
        wait = self.reserve(conversation_id, self.now())
        if wait > 0:
            await self._sleep(wait)

    async def acquire_reply(self, conversation_id: str) -> None:
        """Wait until an in-turn reply to `conversation_id` may be sent.

        PLACEHOLDER for the merge: the shared per-tenant budget (replies first) replaces this
        with its own `acquire_reply`; until then a reply simply queues like any other send.
        """
        await self.acquire(conversation_id)

    def _buckets_for(self, conversation_id: str, now: float) -> tuple[TokenBucket, TokenBucket]:
        pair = self._conversations.get(conversation_id)
        if pair is None:
            if len(self._conversations) >= self._prune_above:
                self._prune(now)
            pair = (TokenBucket(self._conversation_rate, 1.0), TokenBucket(self._window_rate, self._window_capacity))
            self._conversations[conversation_id] = pair
        return pair

    def _prune(self, now: float) -> None:
        idle = [key for key, pair in self._conversations.items() if all(b.is_idle(now) for b in pair)]
        for key in idle:
            del self._conversations[key]
