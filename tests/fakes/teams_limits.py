"""Teams' documented send limits as sliding windows: pure, driven by the caller's `now`.

Per bot per tenant: 50 requests a second across all conversations. Per bot per
conversation: 7 a second, 8 in 2 s, 60 in 30 s, 1800 an hour. Only admitted requests use
up a window (a refused one does no work), so a bot that honours Retry-After is never
punished twice for one burst.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True)
class Window:
    """At most `limit` requests in any `seconds`-long sliding window."""

    limit: int
    seconds: float


TENANT = Window(50, 1.0)
PER_CONVERSATION = (Window(7, 1.0), Window(8, 2.0), Window(60, 30.0), Window(1800, 3600.0))


@dataclass(frozen=True)
class Refusal:
    """Why a request was refused and how long until it would fit."""

    scope: str  # "tenant" or "conversation"
    retry_after: float


class _Log:
    """Admission times of one key (tenant or conversation), oldest first, kept for the longest window."""

    def __init__(self, windows: tuple[Window, ...]) -> None:
        self.windows = windows
        self.horizon = max(w.seconds for w in windows)
        self.times: deque[float] = deque()

    def wait(self, now: float) -> float:
        """Seconds until one more request fits every window (0 when it fits now)."""
        while self.times and self.times[0] <= now - self.horizon:
            self.times.popleft()
        longest = 0.0
        for window in self.windows:
            start = bisect_right(self.times, now - window.seconds)  # entries at or before this have left
            if len(self.times) - start >= window.limit:
                freed = self.times[len(self.times) - window.limit] + window.seconds
                longest = max(longest, freed - now)
        return longest


class TeamsLimits:
    """Admission control for one bot in one tenant: `admit` says yes (None) or why not."""

    def __init__(self, tenant: Window | None = TENANT, per_conversation: tuple[Window, ...] = PER_CONVERSATION) -> None:
        self._tenant = _Log((tenant,)) if tenant else None
        self._per_conversation = per_conversation
        self._conversations: dict[str, _Log] = {}

    def admit(self, conversation_id: str, now: float) -> Refusal | None:
        """Count the request and return None, or refuse it (uncounted) with the wait until it fits.

        `now` must not go backwards; `conversation_id` "" means a request about no conversation
        (e.g. create conversation), which only the tenant cap applies to.
        """
        conversation = self._conversation(conversation_id)
        if conversation is not None and (wait := conversation.wait(now)) > 0:
            return Refusal("conversation", wait)
        if self._tenant is not None and (wait := self._tenant.wait(now)) > 0:
            return Refusal("tenant", wait)
        for log in (conversation, self._tenant):
            if log is not None:
                log.times.append(now)
        return None

    def _conversation(self, conversation_id: str) -> _Log | None:
        if not conversation_id or not self._per_conversation:
            return None
        log = self._conversations.get(conversation_id)
        if log is None:
            log = self._conversations[conversation_id] = _Log(self._per_conversation)
        return log
