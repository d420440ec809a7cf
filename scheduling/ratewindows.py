"""The arithmetic of rate limits, in seconds of injected time: no clocks, no sleeping.

`TokenBucket` spaces sends evenly (GCRA form), `SlotSchedule` keeps booked instants apart
while leaving holes a later booking may fill, and `ConversationLimits` applies Teams'
per-conversation windows exactly with a sliding log of send instants.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

EPSILON = 1e-9  # float slack when comparing instants

# Teams' per-conversation windows beyond "7 a second" (sends, seconds), each kept one send
# short: Teams counts arrivals, and latency jitter can bunch sends that left evenly spaced.
TEAMS_WINDOWS: tuple[tuple[int, float], ...] = ((8, 2.0), (60, 30.0), (1800, 3600.0))
WINDOW_MARGIN = 1


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


class SlotSchedule:
    """Booked send instants kept at least 1/rate apart; bookings may leave holes."""

    def __init__(self, rate: float) -> None:
        self._spacing = 1.0 / rate
        self._slots: list[float] = []  # sorted

    def set_rate(self, rate: float) -> None:
        """Change the spacing for bookings from now on (a replica's share changed)."""
        self._spacing = 1.0 / rate

    @property
    def spacing(self) -> float:
        """Seconds between two booked slots."""
        return self._spacing

    def first_free(self, at: float) -> float:
        """The earliest instant >= `at` at least one spacing away from every booked slot."""
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
        """Drop slots too old to constrain a booking at or after one spacing before `now` (a late grant)."""
        del self._slots[: bisect.bisect_left(self._slots, now - 2 * self._spacing)]


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
