"""Slack's pace: about one message a second per channel (short bursts allowed), and a
workspace-wide hold after a 429 for as long as its Retry-After says.

A per-channel token bucket in "theoretical arrival time" form: each send books the earliest
instant its channel allows, so concurrent sends to one person queue in order, while sends to
different people do not wait for each other. Time and sleep are injected (tests pass a clock).
"""

from __future__ import annotations

import asyncio
import time as _time
from collections.abc import Awaitable, Callable

TimeFn = Callable[[], float]
SleepFn = Callable[[float], Awaitable[None]]
PER_CHANNEL_RATE = 1.0
BURST = 3.0  # Slack tolerates short bursts; a turn's two or three replies go out together
FORGET_ABOVE = 10_000


class SlackPace:
    """Per-channel spacing plus per-workspace 429 holds."""

    def __init__(
        self,
        per_channel: float = PER_CHANNEL_RATE,
        burst: float = BURST,
        *,
        time: TimeFn = _time.monotonic,
        sleep: SleepFn = asyncio.sleep,
    ) -> None:
        self._interval = 1.0 / per_channel
        self._window = max(burst - 1.0, 0.0) * self._interval
        self._time, self._sleep = time, sleep
        self._booked: dict[str, float] = {}  # channel -> theoretical arrival time of its next send
        self._held_until: dict[str, float] = {}  # workspace -> end of its 429 hold

    def book(self, channel: str, workspace: str) -> float:
        """Book this channel's next slot (after any hold); return how long to wait for it."""
        now = self._time()
        if len(self._booked) > FORGET_ABOVE:
            self._booked = {key: at for key, at in self._booked.items() if at > now}
        arrival = self._booked.get(channel, now)
        start = max(now, arrival - self._window, self._held_until.get(workspace, now))
        self._booked[channel] = max(arrival, start) + self._interval
        return start - now

    async def turn(self, channel: str, workspace: str) -> None:
        """Wait until this channel may take one more message."""
        wait = self.book(channel, workspace)
        if wait > 0:
            await self._sleep(wait)

    def hold(self, workspace: str, seconds: float) -> None:
        """Slack said 429: nothing more goes to this workspace for `seconds` (never shortens a hold)."""
        until = self._time() + max(seconds, 0.0)
        self._held_until[workspace] = max(self._held_until.get(workspace, until), until)

    def held_for(self, workspace: str) -> float:
        """Seconds left in the workspace's hold (0 when none)."""
        return max(0.0, self._held_until.get(workspace, 0.0) - self._time())
