"""A fake Bot Connector / Teams service over real loopback HTTP, for tests and the benchmarks.

It answers the calls the bot makes (create conversation, send, reply, update, get
member), records each one, and lets a test script failures. Waiting is event-driven:
`wait_for` sleeps on a Condition notified on every request.

Opt-in, for benchmarks: Teams' limits (`limits=TeamsLimits()`: 429 + Retry-After, the work
not done), a fixed latency, an outage switch (503 for a while) and counters (`traffic`).
Limits and outages read `clock` (monotonic seconds; tests inject their own). Standalone:
`python -m tests.fakes.connector --port 0 --teams-limits --latency 0.1` prints its URL;
`tests/fakes/control.py` lists the `/_fake/...` endpoints a benchmark reads it through.
"""

from __future__ import annotations

import asyncio
import inspect
import itertools
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from aiohttp import web

from tests.fakes.control import control_routes
from tests.fakes.recorded import ACTIVITIES, MEMBER, Recorded, record
from tests.fakes.teams_limits import TeamsLimits
from tests.fakes.traffic import Traffic

Answer = web.StreamResponse | None
Responder = Callable[[Recorded], Answer | Awaitable[Answer]]


@dataclass
class _Failure:
    status: int
    times: int
    headers: dict[str, str] = field(default_factory=dict)


class FakeConnector:
    """The Bot Connector service on 127.0.0.1:<ephemeral port>; use `url` as serviceUrl."""

    def __init__(
        self,
        latency: float = 0.0,
        members: dict[str, dict[str, Any]] | None = None,
        *,
        limits: TeamsLimits | None = None,
        clock: Callable[[], float] = time.monotonic,
        keep_requests: bool = True,
    ) -> None:
        self.latency = latency
        self.members: dict[str, dict[str, Any]] = dict(members or {})
        self.requests: list[Recorded] = []
        self.limits = limits
        self.clock = clock
        self.keep_requests = keep_requests  # off for big benchmarks: `traffic` still counts everything
        self.traffic = Traffic()
        self._outage_until = -math.inf
        self._failures: dict[str, list[_Failure]] = {}
        self._responder: Responder | None = None
        self._ids = itertools.count(1)
        self._condition = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._url = ""

    async def start(self, port: int = 0) -> None:
        """Listen on a loopback port (ephemeral by default)."""
        app = web.Application()
        app.router.add_routes(control_routes(self))
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self._url = f"http://{host}:{port}/"

    async def stop(self) -> None:
        """Stop listening."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def url(self) -> str:
        """Base URL with a trailing slash, as Teams sends serviceUrl."""
        return self._url

    def fail(self, conversation_id: str, status: int, times: int = 1, headers: dict[str, str] | None = None) -> None:
        """Answer the next `times` activity POSTs to `conversation_id` with `status` (and headers)."""
        self._failures.setdefault(conversation_id, []).append(_Failure(status, times, dict(headers or {})))

    def outage(self, seconds: float) -> None:
        """Answer every request with 503 for the next `seconds` of `clock` (0 ends an outage)."""
        self._outage_until = self.clock() + seconds

    def respond_with(self, responder: Responder | None) -> None:
        """Hook consulted for every request; return a response to override the default answer."""
        self._responder = responder

    def activities_to(self, conversation_id: str) -> list[Recorded]:
        """Activities (sends and replies) posted to `conversation_id`, in order."""
        return [r for r in self.requests if r.is_activity and r.conversation_id == conversation_id]

    def sent_activities(self) -> list[Recorded]:
        """Every activity posted to any conversation, in order."""
        return [r for r in self.requests if r.is_activity]

    def creates(self) -> list[Recorded]:
        """Every create-conversation request, in order."""
        return [r for r in self.requests if r.is_create]

    async def wait_for(self, predicate: Callable[[list[Recorded]], bool], within: float = 10.0) -> None:
        """Return once `predicate(requests)` holds; TimeoutError after `within` seconds."""
        async with asyncio.timeout(within), self._condition:
            await self._condition.wait_for(lambda: predicate(self.requests))

    async def delivered_since(self, conversation_id: str, since: float, within: float = 10.0) -> float:
        """Arrival time of the first activity accepted for `conversation_id` at or after `since`."""
        found: list[float] = []

        def arrived() -> bool:
            at = self.traffic.delivered_since(conversation_id, since)
            found[:] = [] if at is None else [at]
            return bool(found)

        async with asyncio.timeout(within), self._condition:
            await self._condition.wait_for(arrived)
        return found[0]

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        arrived = self.clock()
        recorded = await record(request)
        if self.keep_requests:
            self.requests.append(recorded)
        await self._notify()
        refusal = self._refusal(recorded, arrived)  # decided on arrival, like the real service
        if self.latency > 0:
            await asyncio.sleep(self.latency)  # the fake service's own delay (benchmark only)
        answer = refusal or await self._answer(recorded)
        self.traffic.answered(answer.status)
        if recorded.is_activity and 200 <= answer.status < 300:
            self.traffic.delivered(recorded.conversation_id, arrived, recorded.body)
        await self._notify()
        return answer

    async def _notify(self) -> None:
        async with self._condition:
            self._condition.notify_all()

    def _refusal(self, recorded: Recorded, arrived: float) -> web.Response | None:
        """503 during an outage; 429 + Retry-After (whole seconds) when a Teams limit is reached."""
        if arrived < self._outage_until:
            return _error(503, "ServiceUnavailable")
        refused = self.limits.admit(recorded.conversation_id, arrived) if self.limits else None
        if refused is None:
            return None
        self.traffic.throttled[refused.scope] += 1
        retry_after = str(max(1, math.ceil(refused.retry_after)))
        return _error(429, "TooManyRequests", {"Retry-After": retry_after})

    async def _answer(self, recorded: Recorded) -> web.StreamResponse:
        if self._responder is not None:
            answer = self._responder(recorded)
            answer = await answer if inspect.isawaitable(answer) else answer
            if answer is not None:
                return answer
        return self._scripted_failure(recorded) or self._default(recorded)

    def _scripted_failure(self, recorded: Recorded) -> web.Response | None:
        queue = self._failures.get(recorded.conversation_id) if recorded.is_activity else None
        if not queue:
            return None
        failure = queue[0]
        failure.times -= 1
        if failure.times <= 0:
            queue.pop(0)
        return _error(failure.status, "Scripted", failure.headers)

    def _default(self, recorded: Recorded) -> web.Response:
        if recorded.is_create:
            members = recorded.body.get("members") or [{}]
            return web.json_response({"id": f"a:conv-{members[0].get('id', '')}"}, status=201)
        if recorded.is_activity:
            return web.json_response({"id": f"activity-{next(self._ids)}"}, status=201)
        if recorded.method == "PUT" and ACTIVITIES.match(recorded.path):
            return web.json_response({"id": recorded.reply_to_id})
        member = MEMBER.match(recorded.path)
        if recorded.method == "GET" and member:
            found = self.members.get(unquote(member["uid"]))
            if found is not None:
                return web.json_response(found)
        return _error(404, "NotFound")


def _error(status: int, code: str, headers: dict[str, str] | None = None) -> web.Response:
    """An error answer shaped like the Bot Connector's."""
    return web.json_response({"error": {"code": code, "message": code}}, status=status, headers=headers)


if __name__ == "__main__":
    from tests.fakes.standalone import main

    main()
