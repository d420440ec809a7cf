"""A fake Slack Web API over real loopback HTTP, and requests signed exactly as Slack signs them.

It answers the methods the companion calls (chat.postMessage, chat.update, conversations.open,
users.info, views.publish, auth.test) the way Slack does: HTTP 200 with `{"ok": true, ...}`, or
`{"ok": false, "error": "<code>"}`, and 429 with Retry-After when rate limited. It checks the
bot token, records every call (method, arguments, whether JSON or form-encoded), keeps each posted
message by its ts (`shown`: as it looks now, after any chat.update), and lets a test script failures
(`fail`) or mark a person gone (`deactivate`). Waiting is event-driven.

`sign` builds Slack's v0 signature from scratch (HMAC-SHA256 of "v0:<timestamp>:<body>" with
the signing secret), independent of the SDK the bot verifies with.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

from tests.fakes.block_kit import problems

TOKEN = "xoxb-test-token"
APP_TOKEN = "xapp-1-test-app-token"
SECRET = "test-signing-secret"


@dataclass(frozen=True)
class Call:
    """One Web API call the bot made."""

    method: str
    args: dict[str, Any]
    json_body: bool
    token: str


@dataclass
class _Failure:
    error: str
    status: int
    times: int
    headers: dict[str, str] = field(default_factory=dict)
    channel: str = ""  # only calls to this channel ("" = any)


def sign(body: bytes, timestamp: int, secret: str = SECRET) -> dict[str, str]:
    """The two headers Slack puts on every request it sends to an app."""
    base = b"v0:" + str(timestamp).encode() + b":" + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": str(timestamp), "X-Slack-Signature": f"v0={digest}"}


class FakeSlack:
    """Slack's Web API on 127.0.0.1:<ephemeral port>; `url` is the SLACK_API_URL to use."""

    def __init__(self, token: str = TOKEN, team_id: str = "T0TEST") -> None:
        self.token, self.team_id = token, team_id
        self.calls: list[Call] = []
        self.users: dict[str, dict[str, Any]] = {}
        self.gone: set[str] = set()
        self._failures: dict[str, list[_Failure]] = {}
        self._gates: dict[str, asyncio.Event] = {}
        self.refused: list[str] = []  # Block Kit problems found in what the bot posted or published
        self.sockets: list[web.WebSocketResponse] = []  # Socket Mode connections the app opened
        self.acks: list[dict[str, Any]] = []  # Socket Mode acknowledgements received
        self._ts = itertools.count(1)
        self.shown: dict[tuple[str, str], dict[str, Any]] = {}  # (channel, ts) -> the message as it looks now
        self._condition = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._handle)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}/api/"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # -- scripting ------------------------------------------------------------------------

    def add_user(self, user_id: str, name: str, email: str = "") -> None:
        """A person users.info knows."""
        profile = {"real_name": name, "display_name": name.split()[0]}
        if email:
            profile["email"] = email
        self.users[user_id] = {"id": user_id, "team_id": self.team_id, "name": name.lower(), "profile": profile}

    def deactivate(self, user_id: str) -> None:
        """The person's account is deactivated: DMs to them fail with account_inactive."""
        self.gone.add(user_id)

    def fail(
        self,
        method: str,
        error: str,
        status: int = 200,
        times: int = 1,
        headers: dict[str, str] | None = None,
        channel: str = "",
    ) -> None:
        """Answer the next `times` calls of `method` (to `channel`, if given) with this error (429 + Retry-After...)."""
        failure = _Failure(error, status, times, dict(headers or {}), channel)
        self._failures.setdefault(method, []).append(failure)

    def hold(self, method: str) -> asyncio.Event:
        """Calls of `method` wait until the returned event is set (a slow Slack, without sleeps)."""
        self._gates[method] = asyncio.Event()
        return self._gates[method]

    async def push(self, kind: str, payload: dict[str, Any]) -> str:
        """Send one Socket Mode envelope ("events_api" or "interactive") down the app's connection."""
        envelope_id = f"env-{next(self._ts)}"
        body = {"envelope_id": envelope_id, "type": kind, "payload": payload, "accepts_response_payload": False}
        await self.sockets[-1].send_json(body)
        return envelope_id

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self.sockets.append(socket)
        await socket.send_json({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0PLP"}})
        async with self._condition:
            self._condition.notify_all()
        async for message in socket:
            if message.type == web.WSMsgType.TEXT:
                self.acks.append(json.loads(message.data))
                async with self._condition:
                    self._condition.notify_all()
        return socket

    # -- reading --------------------------------------------------------------------------

    def of(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    def posts_to(self, channel: str) -> list[Call]:
        """chat.postMessage calls to one channel that Slack accepted, in order (each with its "_ts")."""
        return [c for c in self.of("chat.postMessage") if c.args.get("channel") == channel and c.args.get("_ok")]

    def updates_to(self, channel: str) -> list[Call]:
        """chat.update calls to one channel that Slack accepted, in order."""
        return [c for c in self.of("chat.update") if c.args.get("channel") == channel and c.args.get("_ok")]

    async def wait_for(self, predicate: Callable[[list[Call]], bool], within: float = 10.0) -> None:
        async with asyncio.timeout(within), self._condition:
            await self._condition.wait_for(lambda: predicate(self.calls))

    # -- answering ------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args, is_json = await _arguments(request)
        token = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        call = Call(method, args, is_json, token)
        self.calls.append(call)
        async with self._condition:
            self._condition.notify_all()
        if method in self._gates:
            await self._gates[method].wait()
        answer = self._answer(call)
        if answer.status == 200 and json.loads(answer.text or "{}").get("ok"):
            args["_ok"] = True
        async with self._condition:
            self._condition.notify_all()
        return answer

    def _answer(self, call: Call) -> web.Response:
        if call.method == "apps.connections.open":
            if call.token != APP_TOKEN:
                return _error("invalid_auth")
            return _ok({"url": self.url.replace("http://", "ws://").replace("/api/", "/socket")})
        if call.token != self.token:
            return _error("invalid_auth")
        queue = self._failures.get(call.method, [])
        failure = next((f for f in queue if not f.channel or f.channel == call.args.get("channel")), None)
        if failure is not None:
            failure.times -= 1
            if failure.times <= 0:
                queue.remove(failure)
            return _error(failure.error, failure.status, failure.headers)
        handler = {
            "chat.postMessage": self._post,
            "chat.update": self._update,
            "conversations.open": self._open,
            "users.info": self._user,
            "views.publish": self._publish,
            "auth.test": lambda _: _ok({"team_id": self.team_id, "user_id": "UBOT", "bot_id": "BBOT"}),
        }.get(call.method)
        return handler(call.args) if handler else _error("unknown_method")

    def _post(self, args: dict[str, Any]) -> web.Response:
        channel = str(args.get("channel") or "")
        if not channel.startswith("D"):
            return _error("channel_not_found")
        if channel[1:] in self.gone:
            return _error("account_inactive")
        if not args.get("text") and not args.get("blocks"):
            return _error("no_text")
        blocks = args.get("blocks")
        if isinstance(blocks, str):
            blocks = json.loads(blocks)
        if blocks is not None and (found := problems(blocks)):
            self.refused.extend(found)
            return _error("invalid_blocks")
        if len(str(args.get("text") or "")) > 40_000:
            self.refused.append("text over 40,000 characters")
            return _error("msg_too_long")
        ts = f"1700000000.{next(self._ts):06d}"
        args["_ts"] = ts
        self.shown[(channel, ts)] = {"text": args.get("text"), "blocks": blocks}
        return _ok({"channel": channel, "ts": ts})

    def _update(self, args: dict[str, Any]) -> web.Response:
        """chat.update: only a message the app posted, in its own channel; the blocks checked as for a post."""
        channel, ts = str(args.get("channel") or ""), str(args.get("ts") or "")
        if not channel.startswith("D"):
            return _error("channel_not_found")
        if (channel, ts) not in self.shown:
            return _error("message_not_found")
        if not args.get("text") and not args.get("blocks"):
            return _error("no_text")
        blocks = args.get("blocks")
        if isinstance(blocks, str):
            blocks = json.loads(blocks)
        if blocks and (found := problems(blocks)):
            self.refused.extend(found)
            return _error("invalid_blocks")
        before = self.shown[(channel, ts)]
        self.shown[(channel, ts)] = {"text": args.get("text"), "blocks": before["blocks"] if blocks is None else blocks}
        return _ok({"channel": channel, "ts": ts, "text": args.get("text")})

    def _open(self, args: dict[str, Any]) -> web.Response:
        user = str(args.get("users") or "")
        if not user or "," in user:
            return _error("users_not_found")
        if user in self.gone:
            return _error("user_disabled")
        return _ok({"channel": {"id": f"D{user}"}})

    def _user(self, args: dict[str, Any]) -> web.Response:
        found = self.users.get(str(args.get("user") or ""))
        return _ok({"user": found}) if found else _error("user_not_found")

    def _publish(self, args: dict[str, Any]) -> web.Response:
        view = args.get("view")
        if isinstance(view, str):
            view = json.loads(view)
        if not isinstance(view, dict) or view.get("type") != "home":
            return _error("invalid_arguments")
        if found := problems(view.get("blocks"), max_blocks=100):
            self.refused.extend(found)
            return _error("invalid_blocks")
        return _ok({"view": {"id": "V1", **view}})


async def _arguments(request: web.Request) -> tuple[dict[str, Any], bool]:
    """Arguments from the query string, a form body or a JSON body, as Slack accepts them."""
    args: dict[str, Any] = dict(request.query)
    raw = await request.read()
    if request.content_type == "application/json" and raw:
        body = json.loads(raw)
        args.update(body if isinstance(body, dict) else {})
        return args, True
    args.update(dict(parse_qsl(raw.decode())))
    return args, False


def _ok(data: dict[str, Any]) -> web.Response:
    return web.json_response({"ok": True, **data})


def _error(error: str, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.json_response({"ok": False, "error": error}, status=status, headers=headers)
