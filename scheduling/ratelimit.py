"""One tenant's send budget, shared by in-turn replies and outbox sends (replies first).

Teams throttles a bot per tenant (50 requests in any second) and per conversation (7/1 s,
8/2 s, 60/30 s, 1800/h). Replies book the earliest instant the windows allow at once
(`reserve`), ahead of anything queued: twenty people answered at the same moment get their
replies at that moment, not spread over the second, as long as the tenant's window has room.
Outbox sends queue and are granted just in time, one at a time, by a single granter task,
evenly spaced at `outbox_rate` (below the tenant's), and never take the last REPLY_ROOM sends
of any window, so replies always have room. Nothing books far-future slots for the outbox, so a
reply arriving now never waits behind a backlog. With
several replicas each takes its share (`set_share`, see scheduling/budget.py). A 429 pauses
everything (`pause_for`).

The granter wakes late whenever the event loop is busy (a few milliseconds per send under
load). An outbox grant is therefore booked at the instant the budget allowed it, up to one
tenant slot in the past, rather than at the late wake-up: otherwise every late wake-up would
push each later slot back and the outbox would fall short of its rate (about 40 a second
instead of 46 on a loaded two-core machine). Booked instants keep every limit exactly; the
sends themselves may leave up to one slot late, as any send may.

Time is injected (`time`, `sleep`). The limiter's own clock never runs behind the waits it
has slept, so a test sleep that only records the wait still moves the limiter forward, and
grants are a pure function of the injected time.
"""

from __future__ import annotations

import asyncio
import time as _time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from config import Settings
from scheduling.ratewindows import EDGE_GUARD, EPSILON, TEAMS_WINDOWS, ConversationLimits, TenantWindow, TokenBucket

TimeFn = Callable[[], float]
SleepFn = Callable[[float], Awaitable[None]]
GrantFn = Callable[[float, str, bool], None]  # (instant, conversation, is_reply): for tests and metrics
# Conversation histories are pruned (forgettable ones only) once this many are held.
PRUNE_THRESHOLD = 10_000
INFINITY = float("inf")
# Room the outbox leaves free in every tenant window, so a reply asked for during a broadcast
# goes at once instead of waiting for the window to slide.
REPLY_ROOM = 2
OUTBOX_BURST = 1.0  # outbox sends that may go at once after a rest; then evenly spaced


@dataclass(eq=False)
class _Waiter:
    conversation: str
    future: asyncio.Future[float]
    since: float  # limiter time it asked: it is never booked earlier


class RateLimiter:
    """The tenant budget (replies first, outbox capped), per-conversation limits and the 429 pause."""

    def __init__(
        self,
        tenant_rate: float = 50.0,
        outbox_rate: float | None = None,
        *,
        conversation_rate: float = 7.0,
        windows: tuple[tuple[int, float], ...] = TEAMS_WINDOWS,
        time: TimeFn | None = None,
        sleep: SleepFn = asyncio.sleep,
        prune_above: int = PRUNE_THRESHOLD,
        on_grant: GrantFn | None = None,
    ) -> None:
        self._time, self._sleep, self._on_grant = time or _time.monotonic, sleep, on_grant
        self._rates = (tenant_rate, min(outbox_rate or tenant_rate, tenant_rate))
        self._tenant, self._outbox = TenantWindow(tenant_rate), TokenBucket(self._rates[1], OUTBOX_BURST)
        self._conversation = (conversation_rate, windows)
        self._conversations: dict[str, ConversationLimits] = {}
        self._prune_above, self._share = prune_above, 1
        self._paused_until = self._virtual = float("-inf")
        self._queue: list[_Waiter] = []
        self._granter: asyncio.Task[None] | None = None
        self._kick = asyncio.Event()

    def now(self) -> float:
        """The limiter's time: the injected time, or later if sleeps have carried it further."""
        return max(self._time(), self._virtual)

    @property
    def conversation_count(self) -> int:
        """How many conversation histories are held (forgettable ones are pruned)."""
        return len(self._conversations)

    def tracks(self, conversation_id: str) -> bool:
        """True while the limiter remembers sends to `conversation_id`."""
        return conversation_id in self._conversations

    @property
    def share(self) -> int:
        """How many replicas this budget is split between (1 on SQLite)."""
        return self._share

    def set_share(self, workers: int) -> None:
        """Use 1/`workers` of the tenant and outbox rates (several replicas on one tenant)."""
        self._share = max(1, workers)
        self._tenant.set_rate(self._rates[0] / self._share)
        self._outbox.rate = self._rates[1] / self._share
        self._kick.set()

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
        """Book a reply at the earliest allowed instant, ahead of every queued outbox send; return the wait."""
        limits = self._limits_for(conversation_id, now)
        self._forget_old(now)
        start = self._tenant.first_free(max(now, self._paused_until, limits.earliest(now)), guard=EDGE_GUARD)
        self._take(start, conversation_id, limits, reply=True)
        return start - now

    async def acquire_reply(self, conversation_id: str) -> None:
        """Wait for an in-turn reply's turn (booked ahead of the outbox); waits again if a pause began meanwhile."""
        while True:
            now = self.now()
            wait = self.reserve(conversation_id, now)
            if wait > 0:
                await self._sleep(wait)
                self._virtual = max(self._virtual, now + wait)
            if self.paused_for() <= 0:
                return

    async def acquire(self, conversation_id: str) -> float:
        """Wait for an outbox send's turn (after any reply); return the limiter instant it was granted."""
        waiter = _Waiter(conversation_id, asyncio.get_running_loop().create_future(), self.now())
        self._queue.append(waiter)
        self._grant_one(self.now())  # often granted at once, without a task switch
        if not waiter.future.done():
            self._ensure_granter()
        return await waiter.future

    @property
    def queued(self) -> int:
        """Outbox sends waiting for their turn."""
        return sum(1 for waiter in self._queue if not waiter.future.done())

    def _ensure_granter(self) -> None:
        if self._granter is None or self._granter.done():
            self._granter = asyncio.get_running_loop().create_task(self._grant_loop())
        else:
            self._kick.set()  # a new waiter may be ready sooner than the granter's current nap

    async def _grant_loop(self) -> None:
        """Grant queued outbox sends one by one, sleeping until the next one can go."""
        while self._queue:
            now = self.now()
            wait = self._grant_one(now)
            if wait > 0 and self._queue:
                await self._nap(now, wait)

    def _grant_one(self, now: float) -> float:
        """Grant the first queued send whose conversation allows it now; else seconds until one might."""
        self._queue = [waiter for waiter in self._queue if not waiter.future.done()]  # cancelled waits
        if not self._queue:
            return INFINITY
        self._forget_old(now)
        budget_at = self._budget_from(now, self._queue[0])  # the oldest waiter's: no one's is earlier
        if budget_at > now + EPSILON:
            return budget_at - now
        soonest = INFINITY
        for index, waiter in enumerate(self._queue):
            limits = self._limits_for(waiter.conversation, now)
            ready_at = limits.earliest(now)
            if ready_at <= now + EPSILON:
                budget_at = self._budget_from(now, waiter)
                if budget_at > now + EPSILON:  # the waiters after it asked later still
                    return budget_at - now
                del self._queue[index]
                self._take(budget_at, waiter.conversation, limits, reply=False, sent_at=now)
                waiter.future.set_result(budget_at)
                return 0.0
            soonest = min(soonest, ready_at)
        return soonest - now

    def _budget_from(self, now: float, waiter: _Waiter) -> float:
        """The first instant the tenant and outbox budgets allow `waiter`: up to one tenant slot before
        `now` if the granter woke late, never before it asked nor before a pause ended."""
        floor = max(now - self._late_slack(), waiter.since, self._paused_until)
        return max(self._outbox.earliest(floor), self._tenant.first_free(floor, REPLY_ROOM))

    def _late_slack(self) -> float:
        """How far before now a late outbox grant may be booked: one outbox slot."""
        return 1.0 / self._outbox.rate

    def _forget_old(self, now: float) -> None:
        """Drop tenant sends too old to matter, keeping those a late grant (booked before now) still meets."""
        self._tenant.forget_before(now - self._late_slack())

    async def _nap(self, now: float, wait: float) -> None:
        """Sleep `wait` seconds unless kicked first; a completed sleep carries the limiter's time forward."""
        self._kick.clear()
        sleeper = asyncio.ensure_future(self._sleep(wait))
        kicked = asyncio.ensure_future(self._kick.wait())
        try:
            done, _ = await asyncio.wait((sleeper, kicked), return_when=asyncio.FIRST_COMPLETED)
        finally:
            sleeper.cancel()
            kicked.cancel()
        if sleeper in done and not sleeper.cancelled():
            self._virtual = max(self._virtual, now + wait)

    def _take(
        self, at: float, conversation_id: str, limits: ConversationLimits, *, reply: bool, sent_at: float | None = None
    ) -> None:
        """Book `at` in the tenant (and outbox) budget; the conversation's windows count the send at `sent_at`."""
        self._tenant.reserve(at)
        limits.take(at if sent_at is None else sent_at)
        if not reply:
            self._outbox.take(at)
        if self._on_grant is not None:
            self._on_grant(at, conversation_id, reply)

    def _limits_for(self, conversation_id: str, now: float) -> ConversationLimits:
        limits = self._conversations.get(conversation_id)
        if limits is None:
            if len(self._conversations) >= self._prune_above:
                self._prune(now)
            limits = ConversationLimits(*self._conversation)
            self._conversations[conversation_id] = limits
        return limits

    def _prune(self, now: float) -> None:
        for key in [key for key, limits in self._conversations.items() if limits.forgettable(now)]:
            del self._conversations[key]


def limiter_for(
    settings: Settings, *, time: TimeFn | None = None, sleep: SleepFn = asyncio.sleep, on_grant: GrantFn | None = None
) -> RateLimiter:
    """The limiter for `settings`: the tenant budget, the outbox's part of it, Teams' conversation limits."""
    return RateLimiter(
        settings.tenant_rate_per_second,
        settings.send_rate_per_second,
        conversation_rate=settings.send_rate_per_conversation,
        time=time,
        sleep=sleep,
        on_grant=on_grant,
    )
