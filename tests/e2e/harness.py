"""End-to-end harness: the real app on 127.0.0.1:0, a fake Bot Connector on another
ephemeral port, and Teams-shaped people who install the app, type and press buttons."""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from bot import create_app, server_options
from channels.slack.pace import SlackPace
from config import Settings
from domain.core.clock import Clock
from domain.core.identity import Identity, register
from domain.core.model import ConversationRef, Group
from scheduling.ratelimit import RateLimiter
from storage.store import SqlStore
from tests.fakes.connector import FakeConnector, Recorded

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
_ids = itertools.count(1)


def fixture(name: str) -> dict[str, Any]:
    """A Teams payload from tests/fixtures (copied from shared/teams-payloads)."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@dataclass
class Harness:
    """A running bot plus the fake Teams service it talks to."""

    app: web.Application
    bot_url: str
    connector: FakeConnector
    http: aiohttp.ClientSession

    async def post(self, body: Any, headers: dict[str, str] | None = None, raw: bytes | None = None) -> tuple[int, Any]:
        """POST to /api/messages; returns (status, parsed JSON body or text)."""
        data = raw if raw is not None else json.dumps(body).encode()
        sent_headers = {"Content-Type": "application/json", **(headers or {})}
        async with self.http.post(self.bot_url, data=data, headers=sent_headers) as response:
            text = await response.text()
            try:
                return response.status, json.loads(text) if text else None
            except ValueError:
                return response.status, text

    def person(self, name: str, aad_object_id: str = "", email: str = "") -> TeamsUser:
        """A Teams user in a personal chat with the bot (email answered by the member lookup)."""
        key = name.lower().replace(" ", "-")
        user = TeamsUser(
            self,
            name=name,
            user_id=f"29:{key}",
            aad_object_id=aad_object_id or f"aad-{key}",
            conversation_id=f"a:personal-{key}",
        )
        if email:
            self.connector.members[user.user_id] = {
                "id": user.user_id,
                "name": name,
                "email": email,
                "userPrincipalName": email,
                "aadObjectId": user.aad_object_id,
            }
        return user


@dataclass
class TeamsUser:
    """One person's side of a personal chat with the bot."""

    harness: Harness
    name: str
    user_id: str
    aad_object_id: str
    conversation_id: str
    seen: int = field(default=0)

    def _activity(self, template: str, **changes: Any) -> dict[str, Any]:
        activity = copy.deepcopy(fixture(template))
        activity.update(
            id=f"act-{next(_ids)}", serviceUrl=self.harness.connector.url, timestamp="2027-03-01T09:00:00.000Z"
        )
        activity["from"] = {"id": self.user_id, "name": self.name, "aadObjectId": self.aad_object_id}
        activity["conversation"] = {
            **activity["conversation"],
            "id": self.conversation_id,
            "conversationType": "personal",
        }
        activity["conversation"].pop("isGroup", None)
        activity.update(changes)
        return activity

    async def install(self) -> int:
        """The bot is added to a personal chat (conversationUpdate with membersAdded)."""
        activity = self._activity("teams_conversation_update_bot_added_personal.json")
        activity["membersAdded"] = [{"id": activity["recipient"]["id"]}, {"id": self.user_id}]
        return (await self.harness.post(activity))[0]

    async def say(self, text: str) -> list[dict[str, Any]]:
        """Type a message; returns the bot's replies to it."""
        return await self._send(self._activity("teams_message_personal.json", text=text))

    async def press(self, value: dict[str, Any]) -> list[dict[str, Any]]:
        """Press a card button (Action.Submit arrives as a message with `value`)."""
        activity = self._activity("teams_card_action_submit.json", value=value)
        activity.pop("text", None)
        return await self._send(activity)

    async def _send(self, activity: dict[str, Any]) -> list[dict[str, Any]]:
        status, _ = await self.harness.post(activity)
        assert status in (200, 201), f"the bot answered {status}"
        return self.new_messages()

    def new_messages(self) -> list[dict[str, Any]]:
        """Activities the bot sent to this person since the last call."""
        mine = self.harness.connector.activities_to(self.conversation_id)
        fresh, self.seen = mine[self.seen :], len(mine)
        return [r.body for r in fresh]

    def all_messages(self) -> list[Recorded]:
        return self.harness.connector.activities_to(self.conversation_id)


def card_text(activity: dict[str, Any]) -> str:
    """Every visible string in an activity (text and card), for assertions."""
    parts: list[str] = [activity.get("text") or ""]
    for attachment in activity.get("attachments") or []:
        parts.append(json.dumps(attachment.get("content", {}), ensure_ascii=False))
    return "\n".join(parts)


def enrolled_conversation(tag: str, n: int) -> str:
    """The personal conversation of person `n` from `enrol_people(..., tag, ...)`."""
    return f"a:personal-{tag}-{n}"


async def enrol_people(store: SqlStore, connector_url: str, tag: str, count: int, at: datetime) -> list[int]:
    """`count` people (29:<tag>-<n>, "Person <n>") enrolled in one new cohort, their personal chats at the
    fake connector; their participant ids in order."""
    async with store.transaction() as uow:
        cohort = await uow.cohorts.create("Spring 2027", "SPRING", date(2027, 3, 1), 12, ["a"], at)
    ids = []
    for n in range(count):
        user_id = f"29:{tag}-{n}"
        conversation = enrolled_conversation(tag, n)
        ref = ConversationRef(0, "msteams", connector_url, conversation, user_id, "28:bot", "PLP", "tenant-1")
        person = await register(store, Identity("msteams", user_id, f"Person {n}", f"aad-{tag}-{n}"), ref, at)
        async with store.transaction() as uow:
            await uow.participants.save_enrolment(
                person.id, cohort.id, Group.SENIOR_LEADER, [], "monthly", "online", "Europe/London", at
            )
        ids.append(person.id)
    return ids


def settings_for(database_url: str, **overrides: Any) -> Settings:
    """Settings for a test bot: ephemeral port, the given database, no credentials; ticks of scheduled work
    run in the test's process, as `run-jobs` runs them (tests/scheduling/test_tick_worker.py covers the
    serving worker process)."""
    base = Settings(
        port=0, host="127.0.0.1", database_url=database_url, dispatch_interval_seconds=3600, jobs_process=False
    )
    return replace(base, **overrides)


def unthrottled() -> RateLimiter:
    """A budget the conversations of a test never meet: the fake connector enforces no Teams limits,
    and Teams' pacing (tested in tests/scheduling) would only make each scripted conversation slow."""
    return RateLimiter(10_000, 10_000, conversation_rate=10_000, windows=())


@asynccontextmanager
async def running(
    settings: Settings,
    clock: Clock | None = None,
    limiter: RateLimiter | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    connector: FakeConnector | None = None,
    slack_pace: SlackPace | None = None,
    start_scheduler: bool = True,
) -> AsyncIterator[Harness]:
    """Start the fake connector and the real app on loopback; stop both afterwards.

    A `connector` passed in is already running and outlives this app (a restart test's);
    `start_scheduler=False` serves turns only (no scheduler, no dispatcher loop: bench/jobs_tick.py).
    """
    owned = connector is None
    if connector is None:
        connector = FakeConnector()
        await connector.start()
    app = create_app(
        settings,
        clock,
        start_scheduler=start_scheduler,
        limiter=limiter or unthrottled(),
        sleep=sleep,
        slack_pace=slack_pace,
    )
    runner = web.AppRunner(app, **server_options())  # as `python bot.py` serves it (redacted access log)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]
    try:
        async with aiohttp.ClientSession() as http:
            yield Harness(app, f"http://127.0.0.1:{port}/api/messages", connector, http)
    finally:
        await runner.cleanup()
        if owned:
            await connector.stop()
