"""In-turn `help` probes while something else loads the bot: one every `interval` seconds,
spread over a few conversations so no conversation nears its own Teams windows."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from bench.teams import Fake, Person, Turn, percentile

REPLY_TIMEOUT = 10.0  # a reply later than this counts as failed


@dataclass
class Probes:
    """`help` from `people` in turn, each person sequential, together one every `interval` s."""

    fake: Fake
    people: list[Person]
    interval: float = 0.5
    turns: list[Turn] = field(default_factory=list)
    _stop: asyncio.Event = field(default_factory=asyncio.Event)

    async def warm_up(self) -> None:
        """A first turn each (registration, member lookup), not measured."""
        for person in self.people:
            await person.say(self.fake, "help", REPLY_TIMEOUT)

    async def run(self) -> None:
        """Probe until `stop()`."""
        async with asyncio.TaskGroup() as group:
            for slot, person in enumerate(self.people):
                group.create_task(self._probe(person, slot * self.interval))

    def stop(self) -> None:
        """Let each prober finish its current turn and end."""
        self._stop.set()

    async def _probe(self, person: Person, offset: float) -> None:
        period = self.interval * len(self.people)
        next_at = time.monotonic() + offset
        while not self._stop.is_set():
            if await self._wait_until(next_at):
                return
            self.turns.append(await person.say(self.fake, "help", REPLY_TIMEOUT))
            next_at = max(next_at + period, time.monotonic())

    async def _wait_until(self, at: float) -> bool:
        """Sleep until `at` (pacing, not a timing assertion); True if stopped meanwhile."""
        try:
            async with asyncio.timeout(max(0.0, at - time.monotonic())):
                await self._stop.wait()
            return True
        except TimeoutError:
            return False

    def summary(self) -> tuple[int, int, float]:
        """(probes sent, failed, p95 seconds to the reply over the answered ones)."""
        answered = [t.latency for t in self.turns if not t.failed and t.latency is not None]
        return len(self.turns), sum(t.failed for t in self.turns), percentile(answered, 95)
