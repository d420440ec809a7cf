"""Learning each person's email from Teams once, in the background, never on the reply path.

Facilitators may be configured by email, and Teams tells the email only when asked (a
member lookup: one more round trip). An email naming a facilitator is pinned to this person
in the same transaction it is stored in. The first turn answers without waiting for it; the
lookup runs beside the turn, and a later decision that hinges on the email (a facilitator
command refused) waits for a lookup still on its way. Pending lookups are cancelled on
shutdown.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from typing import Protocol

from dialogs.common import Services
from domain.core.identity import record_email

log = logging.getLogger(__name__)
# How long a decision that hinges on the email waits for a lookup already under way.
SETTLE_SECONDS = 3.0
# Recent results are kept a while: a turn may ask just after its lookup finished (bounded memory).
RECENT_RESULTS = 1024


class MemberDirectory(Protocol):
    """Where a channel (Teams, Slack) is asked for a person's email."""

    def looks_up(self, channel_id: str) -> bool:
        """Whether people on this channel can be looked up at all."""
        ...

    async def email(self, channel_id: str, service_url: str, conversation_id: str, user_id: str) -> str:
        """Lower-cased email, or '' when unknown."""
        ...


class EmailLookups:
    """One background lookup per person per process; its result is stored for the next turns."""

    def __init__(self, directory: MemberDirectory, services: Services) -> None:
        self._directory, self._services = directory, services
        self._tried: set[int] = set()
        self._pending: dict[int, asyncio.Task[str]] = {}
        self._recent: OrderedDict[int, str] = OrderedDict()

    def looks_up(self, channel_id: str) -> bool:
        """Whether the directory knows this channel's people."""
        return self._directory.looks_up(channel_id)

    def start(self, person_id: int, channel_id: str, service_url: str, conversation_id: str, user_id: str) -> None:
        """Look the person up in the background, unless that was already tried."""
        if person_id in self._tried:
            return
        self._tried.add(person_id)
        where = (channel_id, service_url, conversation_id, user_id)
        task = asyncio.get_running_loop().create_task(self._learn(person_id, *where))
        self._pending[person_id] = task
        task.add_done_callback(lambda _: self._pending.pop(person_id, None))

    async def settled(self, person_id: int) -> str:
        """The email a lookup under way (or just finished) finds, waiting a little for it; or ''."""
        task = self._pending.get(person_id)
        if task is None:
            return self._recent.get(person_id, "")
        done, _ = await asyncio.wait({task}, timeout=SETTLE_SECONDS)  # never cancels the lookup itself
        return task.result() if task in done and not task.cancelled() else ""

    @property
    def under_way(self) -> int:
        """How many lookups are running."""
        return len(self._pending)

    async def idle(self) -> None:
        """Wait until no lookup is under way."""
        while self._pending:
            await asyncio.gather(*self._pending.values(), return_exceptions=True)

    async def close(self) -> None:
        """Cancel lookups under way (shutdown)."""
        pending = list(self._pending.values())
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        if pending:
            log.info("%d Teams member lookups cancelled on shutdown", len(pending))

    async def _learn(
        self, person_id: int, channel_id: str, service_url: str, conversation_id: str, user_id: str
    ) -> str:
        try:
            found = await self._directory.email(channel_id, service_url, conversation_id, user_id)
            if found:
                services = self._services
                await record_email(services.store, person_id, found, services.facilitators, services.clock.now())
                self._remember(person_id, found)
            return found
        except Exception as exc:
            log.info("member lookup unavailable (%s)", type(exc).__name__)
            return ""

    def _remember(self, person_id: int, email: str) -> None:
        self._recent[person_id] = email
        if len(self._recent) > RECENT_RESULTS:
            self._recent.popitem(last=False)
