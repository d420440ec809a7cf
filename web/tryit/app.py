"""Try it in your browser: the start page, the chat pages, Direct Line and the calendar controls.

Local development only: `bot.create_app` installs this when `Settings.try_it` holds (no
credentials, not production); otherwise none of these routes exist and they answer 404.
The three seats share one demo cohort, found or created on first use; the Facilitator seat
is a facilitator (the composition root adds it to FACILITATORS).
"""

from __future__ import annotations

import asyncio
import logging
import random
import time as _time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from aiohttp import web
from botbuilder.core import Storage

from domain.cohorts.model import CohortDraft
from domain.cohorts.service import cohort_named
from domain.core.clock import ShiftedClock
from domain.core.ports import Store
from domain.core.timing import local_date
from web.tryit import pages
from web.tryit.connector import Connector
from web.tryit.conversations import Conversations
from web.tryit.directline import PREFIX as DIRECT_LINE_PREFIX
from web.tryit.directline import Deliver, DirectLine
from web.tryit.programme_clock import PATH as CLOCK_PATH
from web.tryit.programme_clock import ProgrammeClock, RunJobs
from web.tryit.seats import SEAT_BY_KEY, SeatTokens

DEMO_COHORT = "Try-it demo cohort"
DEMO_MONTHS = 12
_RNG = random.SystemRandom()


@dataclass(frozen=True)
class TryItBackend:
    """What try-it needs from the running bot (reached when a request comes, not before)."""

    store: Callable[[], Store]
    deliver: Deliver
    run_jobs: RunJobs
    state: Callable[[], Storage]
    profile_questions: tuple[str, ...]


class TryIt:
    """The routes and the in-memory conversations behind them."""

    def __init__(
        self,
        backend: TryItBackend,
        clock: ShiftedClock,
        key: bytes,
        time_zone: str,
        time: Callable[[], float] = _time.time,
    ) -> None:
        self._backend, self._clock, self._zone, self._time = backend, clock, time_zone, time
        self.conversations = Conversations()
        self.tokens = SeatTokens(key)
        self.direct_line = DirectLine(self.conversations, self.tokens, backend.deliver, time)
        self.calendar = ProgrammeClock(clock, backend.run_jobs, backend.state, self.tokens, time_zone, time)
        self._cohort_lock = asyncio.Lock()

    def install(self, app: web.Application) -> None:
        """Add the routes (call only in local development)."""
        app.router.add_get("/", self.start_page)
        app.router.add_get("/try/{seat}", self.chat_page)
        app.router.add_post(CLOCK_PATH, self.calendar.handle)
        app.router.add_static(pages.STATIC_PATH, pages.STATIC_ROOT)
        app.router.add_routes(self.direct_line.routes() + Connector(self.conversations).routes())

    async def context(self, _: web.Application) -> AsyncIterator[None]:
        """Start-up (after the database, before the scheduler): the calendar carries on where it was."""
        await self.calendar.load()
        yield

    async def start_page(self, _: web.Request) -> web.Response:
        """GET /"""
        return pages.start_page(await self.demo_cohort())

    async def chat_page(self, request: web.Request) -> web.Response:
        """GET /try/{seat}"""
        seat = SEAT_BY_KEY.get(request.match_info["seat"])
        if seat is None:
            return pages.not_found_page()
        view = self.calendar.view()
        token = self.tokens.issue(seat, self._time())
        return pages.chat_page(seat, await self.demo_cohort(), token, view.today, view.ahead)

    async def demo_cohort(self) -> pages.DemoCohort:
        """The cohort every seat joins: found by name, or created starting today."""
        async with self._cohort_lock:
            now = self._clock.now()
            draft = CohortDraft(DEMO_COHORT, local_date(now, self._zone), DEMO_MONTHS, self._backend.profile_questions)
            cohort = await cohort_named(self._backend.store(), draft, now, _RNG)
        return pages.DemoCohort(cohort.name, cohort.join_code)


class QuietPolls(logging.Filter):
    """Keeps Web Chat's polls (twice a second per open page) out of the access log; all else stays."""

    def filter(self, record: logging.LogRecord) -> bool:
        return f"GET {DIRECT_LINE_PREFIX}/conversations/" not in record.getMessage()
