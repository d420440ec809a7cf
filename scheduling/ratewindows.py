"""The arithmetic of rate limits, in seconds of injected time: no clocks, no sleeping.

`TokenBucket` spaces sends evenly (GCRA form), `TenantWindow` applies the tenant's limit as
Teams counts it (so many sends in any one-second window, bunched or not), and
`ConversationLimits` applies Teams' per-conversation windows exactly with a sliding log of
send instants.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

EPSILON = 1e-9  # float slack when comparing instants

# Teams' per-conversation windows beyond "7 a second" (sends, seconds), each kept one send
# short: Teams counts arrivals, and latency jitter can bunch sends that left evenly spaced.
TEAMS_WINDOWS: tuple[tuple[int, float], ...] = ((8, 2.0), (60, 30.0), (1800, 3600.0))
WINDOW_MARGIN = 1
# Seconds more that a burst held back by a full tenant window waits. Teams counts arrivals: the
# sends that just left the bot's window may not have left Teams' yet (they can arrive late, by
# however long the network and a busy event loop delay them), and a burst sent the instant they
# leave would meet a 429, whose Retry-After pauses every send for a second or more.
EDGE_GUARD = 0.1


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


class TenantWindow:
    """At most `rate` sends in any sliding window of one second, as Teams counts a tenant.

    Sends may bunch within the window (twenty replies at once go out at once) but never overfill
    any window, including windows that end at sends booked ahead (a reply waiting for its
    conversation): booking a new instant checks every window it would fall in.
    """

    def __init__(self, rate: float, seconds: float = 1.0) -> None:
        self._seconds = seconds
        self._limit = 1
        self._times: list[float] = []  # booked instants, sorted; may include the future
        self.set_rate(rate)

    @property
    def limit(self) -> int:
        """Sends allowed in any window."""
        return self._limit

    def set_rate(self, rate: float) -> None:
        """Allow `rate` sends a second from now on (a replica's share changed)."""
        self._limit = max(1, int(rate * self._seconds + EPSILON))

    def first_free(self, at: float, spare: int = 0, guard: float = 0.0) -> float:
        """The earliest instant >= `at` at which one more send keeps every window within the limit, with
        `spare` sends of room still left in each; a send held back by a full window waits `guard`
        seconds more than the window needs (see EDGE_GUARD)."""
        candidate = at
        while (later := self._conflict(candidate, max(1, self._limit - spare), guard)) is not None:
            candidate = later
        return candidate

    def _conflict(self, t: float, limit: int, guard: float) -> float | None:
        """None when a send at `t` fits every window holding `t`; else an instant > t worth trying next."""
        times, span = self._times, self._seconds
        end = bisect.bisect_right(times, t + EPSILON)
        if end - bisect.bisect_right(times, t - span + EPSILON) >= limit:
            return times[end - limit] + span + guard  # full until its oldest send leaves (and then some)
        for index in range(end, bisect.bisect_left(times, t + span - EPSILON)):
            ahead = times[index]  # a booked send within one window after t: its window holds t too
            if index + 1 - bisect.bisect_right(times, ahead - span + EPSILON) >= limit:
                return ahead + 2 * EPSILON  # that window is full: only after `ahead` does t leave it
        return None

    def reserve(self, at: float) -> None:
        """Hold instant `at` (found with `first_free`)."""
        bisect.insort(self._times, at)

    def forget_before(self, now: float) -> None:
        """Drop sends too old to share a window with any instant at or after `now`."""
        del self._times[: bisect.bisect_right(self._times, now - self._seconds + EPSILON)]


class ConversationLimits:
    """One conversation: sends at least 1/rate apart, and at most n in any window of w seconds."""

    __slots__ = ("_long", "_short", "_spacing", "_times", "_windows")

    def __init__(self, rate: float, windows: tuple[tuple[int, float], ...] = TEAMS_WINDOWS) -> None:
        self._spacing = 1.0 / rate
        self._windows = tuple((max(1, n - WINDOW_MARGIN), w) for n, w in windows)
        spans = sorted(w for _, w in self._windows) or [self._spacing]
        self._long, self._short = spans[-1], max([self._spacing, *spans[:-1]])
        self._times: list[float] = []  # send instants within the longest window, ascending

    def earliest(self, now: float) -> float:
        """The first instant >= now at which one more send keeps every window within its limit."""
        times = self._times
        if not times:
            return now
        at = max(now, times[-1] + self._spacing)
        for limit, seconds in self._windows:
            if len(times) >= limit:
                at = max(at, times[-limit] + seconds)
        return at

    def take(self, at: float) -> None:
        """Record a send at `at` (never earlier than the last one: `earliest` guarantees it)."""
        self._times.append(at)
        del self._times[: bisect.bisect_right(self._times, at - self._long)]

    def forgettable(self, now: float) -> bool:
        """True when forgetting this history cannot break a limit: at most one send, older than every short window.

        Between two forgettings a conversation has then sent at most once per short window,
        far below every limit, so forgetting repeatedly is safe too.
        """
        times = self._times
        recent = len(times) - bisect.bisect_right(times, now - self._long)
        return recent == 0 or (recent <= WINDOW_MARGIN and times[-1] <= now - self._short)
