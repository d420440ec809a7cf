"""Try-it's "run the scheduled jobs now" and "jump a week" (local development only).

The app's clock is a `ShiftedClock`: a jump moves it on one day at a time for seven days,
running the scheduled jobs and sending what is due after each day, as the real scheduler
would through that week. The offset only grows, is capped, and is kept in the bot's state
table so a restart does not send the companion back in time. One run at a time.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from aiohttp import web
from botbuilder.core import Storage

from domain.core.clock import ShiftedClock
from domain.core.timing import zone
from web.tryit.seats import SeatTokens

log = logging.getLogger(__name__)
PATH = "/try/clock"
DAY = timedelta(days=1)
DAYS_IN_A_JUMP = 7
MAX_AHEAD = timedelta(weeks=104)  # two programme years is plenty to see one through
STATE_KEY = "plp-try-it/clock"
RunJobs = Callable[[], Awaitable[dict[str, int]]]


@dataclass(frozen=True)
class ClockView:
    """What the page shows about the companion's calendar."""

    today: str
    ahead: str

    def to_dict(self) -> dict[str, str]:
        return {"today": self.today, "ahead": self.ahead}


class ProgrammeClock:
    """Runs the jobs now, or jumps the companion's calendar a week on."""

    def __init__(
        self,
        clock: ShiftedClock,
        run_jobs: RunJobs,
        state: Callable[[], Storage],
        tokens: SeatTokens,
        time_zone: str,
        time: Callable[[], float],
    ) -> None:
        self.clock, self._run_jobs, self._state = clock, run_jobs, state
        self._tokens, self._zone, self._time = tokens, time_zone, time
        self._lock = asyncio.Lock()

    def view(self) -> ClockView:
        """Today's date for the companion, and how far ahead of the real calendar that is."""
        today = self.clock.now().astimezone(zone(self._zone))
        return ClockView(f"{today:%A} {today.day} {today:%B %Y}", _ahead(self.clock.offset))

    async def load(self) -> None:
        """Take up the offset a previous run left (start-up, before the scheduler starts)."""
        stored = (await self._state().read([STATE_KEY])).get(STATE_KEY) or {}
        seconds = stored.get("offset_seconds") if isinstance(stored, dict) else None
        if isinstance(seconds, int | float) and 0 < seconds <= MAX_AHEAD.total_seconds():
            self.clock.advance(max(timedelta(seconds=seconds) - self.clock.offset, timedelta(0)))

    async def handle(self, request: web.Request) -> web.Response:
        """POST /try/clock {"action": "run" | "week"} with the page's Bearer token."""
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or self._tokens.check(token.strip(), self._time()) is None:
            return _problem(403, "a valid Bearer token from the try-it page is needed")
        try:
            body = await request.json()
        except (ValueError, UnicodeDecodeError):
            return _problem(400, 'send {"action": "run"} or {"action": "week"}')
        action = body.get("action") if isinstance(body, dict) else None
        if action not in ("run", "week"):
            return _problem(400, 'send {"action": "run"} or {"action": "week"}')
        async with self._lock:
            if action == "week" and self.clock.offset + DAY * DAYS_IN_A_JUMP > MAX_AHEAD:
                return _problem(409, "The companion's calendar is already two years ahead: that is as far as it goes.")
            try:
                sent = await (self._week() if action == "week" else self._jobs())
            except Exception as exc:
                log.error("try-it: scheduled jobs failed (%s)", type(exc).__name__)
                return _problem(500, "Some scheduled work failed; the bot's log says which part.")
        return web.json_response({**self.view().to_dict(), "sent": sent})

    async def _jobs(self) -> int:
        return (await self._run_jobs())["sent"]

    async def _week(self) -> int:
        sent = 0
        try:
            for _ in range(DAYS_IN_A_JUMP):
                self.clock.advance(DAY)
                sent += await self._jobs()
        finally:
            await self._state().write({STATE_KEY: {"offset_seconds": self.clock.offset.total_seconds(), "e_tag": "*"}})
        return sent


def _ahead(offset: timedelta) -> str:
    weeks, days = divmod(offset.days, 7)
    if not offset.days:
        return "(today's date)"
    parts = [f"{weeks} week{'s' * (weeks != 1)}" if weeks else "", f"{days} day{'s' * (days != 1)}" if days else ""]
    return f"({' and '.join(p for p in parts if p)} ahead of today)"


def _problem(status: int, message: str) -> web.Response:
    body: dict[str, Any] = {"error": message}
    return web.json_response(body, status=status)
