"""Time that moves only when a test moves it: sleepers wake in deadline order.

For tests where something must be waiting at a known instant (a send held by a 429
pause). `run_until` advances to each next sleeper's deadline as soon as one is asleep,
until the given task is done; `eventually` waits (by yielding, never by sleeping) for
real I/O such as a loopback HTTP answer to have been handled.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Awaitable, Callable

SETTLE_YIELDS = 20  # event-loop turns for in-memory coroutines to react to a wake-up (no I/O involved)


class ManualTime:
    """`time()` and a virtual sleep (`wait_virtually`) for a RateLimiter, driven by the test."""

    def __init__(self, start: float = 0.0) -> None:
        self.now = start
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self._asleep = asyncio.Event()

    def time(self) -> float:
        """The current instant."""
        return self.now

    async def wait_virtually(self, seconds: float) -> None:
        """A virtual sleep: returns once the test has moved time `seconds` on (no real time passes)."""
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + seconds, next(self._order), future))
        self._asleep.set()
        await future

    async def run_until(self, task: Awaitable[object], steps: int = 100_000) -> None:
        """Move time to each next deadline whenever someone sleeps, until `task` is done."""
        done = asyncio.ensure_future(task)
        for _ in range(steps):
            for _ in range(SETTLE_YIELDS):  # let every runnable coroutine reach its next sleep first
                await asyncio.sleep(0)
            if done.done():
                return
            if not self._wake_next():
                self._asleep.clear()
                asleep = asyncio.ensure_future(self._asleep.wait())
                finished, _ = await asyncio.wait({done, asleep}, timeout=10, return_when=asyncio.FIRST_COMPLETED)
                asleep.cancel()
                if not finished:
                    raise AssertionError("nothing finished and nobody slept for 10 s")
        raise AssertionError("time ran out of steps")

    async def run_to(self, instant: float) -> None:
        """Wake every sleeper due by `instant`, in order, letting each react; then stand at `instant`."""
        while True:
            for _ in range(SETTLE_YIELDS):
                await asyncio.sleep(0)
            if not self._sleepers or self._sleepers[0][0] > instant or not self._wake_next():
                break
        self.now = max(self.now, instant)

    def _wake_next(self) -> bool:
        while self._sleepers:
            deadline, _, future = heapq.heappop(self._sleepers)
            if not future.done():  # a cancelled sleep (the limiter was kicked awake) is skipped
                self.now = max(self.now, deadline)
                future.set_result(None)
                return True
        return False


async def eventually(predicate: Callable[[], bool | Awaitable[bool]], within: float = 5.0) -> None:
    """Yield to the event loop until `predicate()` holds (TimeoutError after `within` seconds)."""
    async with asyncio.timeout(within):
        while True:
            result = predicate()
            if await result if isinstance(result, Awaitable) else result:
                return
            await asyncio.sleep(0)
