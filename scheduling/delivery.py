"""One attempt at one claimed outbox row: render, wait for its turn, post, classify.

Pure of bookkeeping: the dispatcher decides when rows are claimed and when outcomes are
written; this module turns one row into one `Outcome` (never raising for HTTP failures).
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Any

from config import Settings
from domain.core.clock import Clock
from domain.core.model import ConversationRef, OutboxStatus
from domain.core.reply import Reply
from scheduling.ratelimit import RateLimiter
from scheduling.retry import Outcome, Verdict, classify, give_up
from scheduling.sender import Sender
from storage.outbox_outcomes import Finish
from storage.outbox_store import ClaimedMessage, OutboxStore

Render = Callable[[Reply, str], dict[str, Any]]
INTERNAL_RETRY_SECONDS = 60.0  # after a bug or database hiccup on one row
STATUS = {
    Verdict.SENT: OutboxStatus.SENT,
    Verdict.RETRY: OutboxStatus.PENDING,
    Verdict.UNREACHABLE: OutboxStatus.UNREACHABLE,
    Verdict.DEAD: OutboxStatus.DEAD,
}


@dataclass
class DispatchStats:
    """Counts for one drain (`run_once`, or one pass of the loop)."""

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


@dataclass(frozen=True)
class Attempted:
    """What one attempt came to, and the activity id Teams gave a delivered message."""

    outcome: Outcome
    activity_id: str = ""

    def finish(self, message: ClaimedMessage, now: datetime) -> Finish:
        """The row update recording this attempt."""
        outcome = self.outcome
        due = now + timedelta(seconds=outcome.delay) if outcome.verdict is Verdict.RETRY else None
        return Finish(message.id, STATUS[outcome.verdict], outcome.error, self.activity_id, due)


def conversation_key(ref: ConversationRef) -> str:
    """The conversation Teams counts a send against (a 1:1 chat is created for non-personal refs)."""
    return ref.conversation_id if ref.conversation_type == "personal" else f"user:{ref.user_id}"


class Delivery:
    """Attempts claimed rows; `throttled(seconds)` is told of every 429 pause."""

    def __init__(
        self,
        sender: Sender,
        render: Render,
        limiter: RateLimiter,
        outbox: OutboxStore,
        clock: Clock,
        settings: Settings,
        rng: random.Random,
        throttled: Callable[[float], Awaitable[None]],
    ) -> None:
        self._sender, self._render, self._limiter, self._outbox = sender, render, limiter, outbox
        self._clock, self._give_up, self._rng, self._throttled = clock, settings.send_give_up, rng, throttled

    async def attempt(self, message: ClaimedMessage, waiting: set[int]) -> Attempted:
        """Send `message` once; its id is in `waiting` while it waits for the rate limits."""
        ref = message.ref
        if ref is None:
            return Attempted(Outcome(Verdict.UNREACHABLE, error="no conversation reference"))
        try:
            activity = self._render(Reply.from_dict(message.payload), message.channel_id)
        except (KeyError, TypeError, ValueError) as exc:
            return Attempted(Outcome(Verdict.DEAD, error=f"render: {type(exc).__name__}"))
        waiting.add(message.id)  # left in place if cancelled meanwhile: the row was never posted
        await self._limiter.acquire(conversation_key(ref))
        waiting.discard(message.id)
        result = await self._sender.send(ref, activity)
        if result.created:
            await self._outbox.update_conversation(message.participant_id, result.conversation_id, self._clock.now())
        now = self._clock.now()
        outcome = classify(
            result.status, message.attempts, self._age(message, now), self._give_up, self._rng, now,
            result.retry_after, result.error,
        )  # fmt: skip
        if outcome.pause > 0:
            await self._throttled(outcome.pause)
        return Attempted(outcome, result.activity_id)

    def failed_internally(self, message: ClaimedMessage, exc: Exception) -> Attempted:
        """A bug or a database hiccup on this row: retry in a minute, unless it is too old."""
        error, age = f"internal: {type(exc).__name__}", self._age(message, self._clock.now())
        if age >= self._give_up:
            return Attempted(give_up(error, message.attempts, age))
        return Attempted(Outcome(Verdict.RETRY, delay=INTERNAL_RETRY_SECONDS, error=error))

    def _age(self, message: ClaimedMessage, now: datetime) -> timedelta:
        """How long since the message was first due (retries give up by this, not by a count)."""
        return now - (message.first_due_at or message.due_at)
