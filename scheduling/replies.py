"""In-turn replies and updates on our own async path, retried only within the turn's budget.

botbuilder's CloudAdapter posts replies through msrest + requests in a thread pool: outside
the rate budget and never retried on 429 (DESIGN.md pitfalls). `ReplyPoster` posts them with
the outbox's HTTP client and cached token, draws each attempt from the shared RateLimiter
(`acquire_reply`: replies first), and retries what `scheduling.retry.classify` calls
retryable (429 honouring Retry-After and pausing all sending, 412, 5xx, timeouts) while the
wait still fits before the turn's deadline: Teams gives a turn about 15 seconds. What does
not fit comes back as a transient `Delivery` for the caller to queue in the outbox.
"""

from __future__ import annotations

import asyncio
import random
import time as _time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from domain.core.clock import Clock
from scheduling.ratelimit import RateLimiter
from scheduling.retry import RETRYABLE, Verdict, classify
from scheduling.sender import BotConnectorSender, ConnectorAnswer

TimeFn = Callable[[], float]
SleepFn = Callable[[float], Awaitable[None]]
# A safety bound only: the turn's budget ends the retries long before this many attempts.
MAX_REPLY_ATTEMPTS = 10


@dataclass(frozen=True)
class Delivery:
    """How one reply or update ended: `sent`, or `transient` (worth queueing), or refused for good."""

    status: int
    activity_id: str = ""
    error: str = ""

    @property
    def sent(self) -> bool:
        """The connector took it."""
        return 200 <= self.status < 300

    @property
    def transient(self) -> bool:
        """Failed for a reason that passes (throttling, outage, timeout, budget spent)."""
        return not self.sent and self.status in RETRYABLE


def activities_path(conversation_id: str, activity_id: str = "") -> str:
    """`v3/conversations/{id}/activities[/{activityId}]`, ids percent-encoded (`a:` -> `a%3A`)."""
    path = f"v3/conversations/{quote(conversation_id, safe='')}/activities"
    return f"{path}/{quote(activity_id, safe='')}" if activity_id else path


class ReplyPoster:
    """Posts (or PUTs) one activity for the turn in progress, within its deadline."""

    def __init__(
        self,
        connector: BotConnectorSender,
        limiter: RateLimiter,
        clock: Clock,
        *,
        sleep: SleepFn = asyncio.sleep,
        time: TimeFn | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self._connector, self._limiter, self._clock = connector, limiter, clock
        self._sleep = sleep
        self._time = time or _time.monotonic
        self._rng = rng or random.Random()

    def deadline(self, budget_seconds: float) -> float:
        """The instant (on this poster's time) a turn starting now must be done replying by."""
        return self._time() + budget_seconds

    async def call(
        self, method: str, service_url: str, path: str, body: dict[str, Any], conversation_id: str, deadline: float
    ) -> Delivery:
        """Send, retrying while each wait fits before `deadline`; never raises."""
        for attempt in range(1, MAX_REPLY_ATTEMPTS + 1):
            remaining = await self._slot(conversation_id, deadline)
            if remaining <= 0:
                return Delivery(0, error="reply budget spent")
            answer = await self._connector.request(method, service_url, path, body, within=remaining)
            delay = self._retry_delay(answer, attempt)
            if delay is None or self._time() + delay >= deadline:
                return _delivery(answer)
            await self._sleep(delay)
        return Delivery(0, error=f"gave up after {MAX_REPLY_ATTEMPTS} attempts")

    async def _slot(self, conversation_id: str, deadline: float) -> float:
        """Wait for a send slot; the seconds of budget left once it comes (<= 0: none in time)."""
        remaining = deadline - self._time()
        if remaining <= 0 or self._limiter.paused_for() >= remaining:
            return 0.0  # a 429 pause outlasts the turn: do not even reserve a slot
        try:
            await asyncio.wait_for(self._limiter.acquire_reply(conversation_id), timeout=remaining)
        except TimeoutError:
            return 0.0
        return deadline - self._time()

    def _retry_delay(self, answer: ConnectorAnswer, attempt: int) -> float | None:
        """Seconds to wait before retrying, or None when this answer is final; a 429 pauses everyone."""
        if attempt >= MAX_REPLY_ATTEMPTS:
            return None  # the turn's own bound; the outbox takes over from here
        # Age 0 against a day: within a turn only the attempt count and the deadline limit retries.
        outcome = classify(
            answer.status,
            attempt,
            timedelta(0),
            timedelta(days=1),
            self._rng,
            self._clock.now(),
            answer.retry_after,
            answer.error,
        )
        if outcome.pause > 0:
            self._limiter.pause_for(outcome.pause)
        return outcome.delay if outcome.verdict is Verdict.RETRY else None


def _delivery(answer: ConnectorAnswer) -> Delivery:
    if 200 <= answer.status < 300:
        return Delivery(answer.status, str(answer.body.get("id", "")))
    return Delivery(answer.status, error=answer.error or f"http {answer.status}")
