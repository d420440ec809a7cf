"""Slack turns run after the acknowledgement, in the background, one at a time per person.

Slack wants an answer within 3 seconds and the companion's turn may take longer, so the HTTP
handler (or Socket Mode) acknowledges at once and hands the turn here. Each turn is a task
tracked until it ends (`idle` waits for all, `close` drains them on shutdown); a person's
turns run in the order they arrived, so a quick second message never races the first over
their dialog state. Before the turn: the person's name from users.info, and their DM opened
when the act came from the Home tab. The welcome on first opening the Messages tab runs once
per person. Each delivery is claimed in the inbound log before its turn and marked finished
after it, so Slack's retries of an event (same event_id) run once; a turn that raised is
released, so a retry runs it afresh.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import datetime
from typing import Any, Protocol

from botbuilder.core import TurnContext

from channels.slack.adapter import SlackAdapter
from channels.slack.api import SlackApi
from channels.slack.inbound import SlackTurn, to_activity
from channels.slack.users import SlackUsers
from domain.core.clock import Clock
from storage.inbound_log import Claim
from web.logsafe import error_summary

log = logging.getLogger(__name__)
DRAIN_SECONDS = 10.0
OnTurn = Callable[[TurnContext], Awaitable[None]]


class InboundLog(Protocol):
    """storage.inbound_log.InboundLog: one claim per delivery."""

    async def claim(self, key: str, now: datetime) -> Claim: ...
    async def finish(self, key: str, now: datetime) -> None: ...
    async def release(self, key: str) -> None: ...
    def under_way(self) -> AbstractContextManager[Any]: ...


class HomeTab(Protocol):
    async def publish(self, turn: SlackTurn) -> None: ...


class SlackTurns:
    """Accepts acknowledged turns and runs them beside the server."""

    def __init__(
        self,
        api: SlackApi,
        adapter: SlackAdapter,
        on_turn: OnTurn,
        users: SlackUsers,
        inbound_log: InboundLog,
        clock: Clock,
        api_url: str,
        home: HomeTab | None = None,
    ) -> None:
        self._api, self._adapter, self._on_turn, self._users = api, adapter, on_turn, users
        self._log, self._clock, self._api_url, self._home = inbound_log, clock, api_url, home
        self._tasks: set[asyncio.Task[None]] = set()
        self._last: dict[str, asyncio.Task[None]] = {}  # person -> their latest turn
        self._closing = False
        self.bot_user_id = ""

    def identify(self) -> None:
        """Learn the bot's own user id (auth.test) in the background; a refused token is logged loudly."""
        task = asyncio.get_running_loop().create_task(self._identify())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _identify(self) -> None:
        answer = await self._api.auth_test()
        if answer.ok:
            self.bot_user_id = str(answer.data.get("user_id") or "")
        else:
            log.error("Slack auth.test failed (%s): check SLACK_BOT_TOKEN", answer.error)

    def accept(self, turn: SlackTurn) -> bool:
        """Run `turn` in the background after any earlier turn of the same person; False when closing."""
        if self._closing:
            return False
        before = self._last.get(turn.person_key)
        task = asyncio.get_running_loop().create_task(self._after(before, turn))
        self._tasks.add(task)
        self._last[turn.person_key] = task
        task.add_done_callback(lambda done: self._forget(turn.person_key, done))
        return True

    @property
    def running(self) -> int:
        """Turns accepted and not yet finished."""
        return len(self._tasks)

    async def idle(self) -> None:
        """Wait until every accepted turn has finished (tests, and the drain on shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def close(self, seconds: float = DRAIN_SECONDS) -> None:
        """Take no more turns; let those under way finish for up to `seconds`, then cancel the rest."""
        self._closing = True
        pending = list(self._tasks)
        if not pending:
            return
        _, late = await asyncio.wait(pending, timeout=seconds)
        for task in late:
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)
        if late:
            log.warning("%d Slack turns cancelled on shutdown", len(late))

    def _forget(self, person: str, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if self._last.get(person) is task:
            del self._last[person]

    async def _after(self, before: asyncio.Task[None] | None, turn: SlackTurn) -> None:
        if before is not None:
            await asyncio.gather(before, return_exceptions=True)
        try:
            with self._log.under_way():  # scheduled work holds back its writes until the turn is answered
                await self._run(turn)
        except Exception as exc:
            log.error("Slack turn failed: %s", error_summary(exc))

    async def _run(self, turn: SlackTurn) -> None:
        if turn.kind == "home":
            if self._home is not None:
                await self._home.publish(turn)
            return
        # The Messages tab opened again is welcomed once per person; anything else once per delivery.
        key = f"slack|welcome|{turn.person_key}" if turn.kind == "install" else f"slack|{turn.delivery_id}"
        if await self._log.claim(key, self._now()) is not Claim.NEW:
            return
        try:
            await self._converse(turn)
        except BaseException:
            await self._log.release(key)
            raise
        await self._log.finish(key, self._now())

    async def _converse(self, turn: SlackTurn) -> None:
        channel = turn.channel or await self._open_dm(turn)
        if not channel:
            log.warning("Slack turn dropped: no direct-message channel could be opened")
            return
        profile = await self._users.profile(turn.slack_user_id)
        activity = to_activity(replace(turn, channel=channel), profile.name, self._api_url, self.bot_user_id)
        await self._adapter.run_pipeline(TurnContext(self._adapter, activity), self._on_turn)

    async def _open_dm(self, turn: SlackTurn) -> str:
        answer = await self._api.open_dm(turn.slack_user_id)
        channel = answer.data.get("channel") if answer.ok else None
        return str(channel.get("id") or "") if isinstance(channel, dict) else ""

    def _now(self) -> datetime:
        return self._clock.now()
