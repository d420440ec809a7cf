"""`POST /api/messages`: the guarded entry point for Bot Framework activities.

The guard answers malformed or hostile requests with a clear 4xx before botbuilder sees
them (stock CloudAdapter turns several of them into 500s; see DESIGN.md pitfalls), then
authenticates, refuses (403) an activity from a tenant outside ALLOWED_TENANT_IDS before
anything of it is stored, runs the turn and serialises any invoke response exactly once.

Each activity is claimed before its turn and marked finished after it (storage/inbound_log.py):
a redelivery of a finished turn is acknowledged and ignored, one arriving while the turn still
runs gets a 503 (Teams tries again later), and a turn that failed without telling the person
is released and answered 500, so Teams' redelivery runs it afresh.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any, Protocol

from aiohttp import web
from botbuilder.core import Bot, CloudAdapterBase, TurnContext
from botbuilder.schema import Activity, ActivityTypes
from botframework.connector.auth import AuthenticateRequestResult

from channels.inbound import tenant_of
from channels.outgoing import INVOKE_OK
from storage.inbound_log import Claim
from web.activity_guard import ActivityProblem, checked_activity
from web.logsafe import error_summary

log = logging.getLogger(__name__)
BUSY_RETRY_SECONDS = 5


class InboundClaims(Protocol):
    """Claims each inbound activity for one turn (storage.inbound_log.InboundLog)."""

    async def claim(self, key: str, now: datetime) -> Claim: ...

    async def finish(self, key: str, now: datetime) -> None: ...

    async def release(self, key: str) -> None: ...

    def under_way(self) -> AbstractContextManager[Any]: ...


def problem(status: int, message: str) -> web.Response:
    """A small JSON error body; never a stack trace."""
    return web.json_response({"error": message}, status=status)


class MessagesEndpoint:
    """Validates, authenticates and hands one activity to the bot."""

    def __init__(
        self,
        adapter: CloudAdapterBase,
        bot: Bot,
        auth_enabled: bool,
        max_bytes: int,
        claims: InboundClaims,
        now: Callable[[], datetime],
        tenant_allowed: Callable[[str], bool] = lambda _tenant: True,
    ) -> None:
        self.adapter = adapter
        self.bot = bot
        self.auth_enabled = auth_enabled
        self.max_bytes = max_bytes
        self.claims = claims
        self.now = now
        self.tenant_allowed = tenant_allowed

    async def handle(self, request: web.Request) -> web.Response:
        """aiohttp handler."""
        body_or_error = await self._read_activity(request)
        if isinstance(body_or_error, web.Response):
            return body_or_error
        auth_header = request.headers.get("Authorization", "")
        if not self.auth_enabled and auth_header:
            return problem(401, "this bot runs without credentials and accepts no Authorization header")
        if self.auth_enabled and not auth_header:
            return problem(401, "missing Authorization header")
        try:
            activity = Activity().deserialize(body_or_error)
        except Exception:
            return problem(400, "the body is not a Bot Framework activity")
        return await self._run(activity, auth_header)

    async def deliver(self, body: dict[str, Any]) -> int:
        """An activity from a channel served in this process (try-it's Direct Line): its HTTP status."""
        try:
            activity = Activity().deserialize(body)
        except Exception:
            return 400
        return (await self._run(activity, "", own_channel=True)).status

    async def _read_activity(self, request: web.Request) -> dict[str, Any] | web.Response:
        if request.content_length is not None and request.content_length > self.max_bytes:
            return problem(413, f"request bodies are limited to {self.max_bytes} bytes")
        if request.content_type != "application/json":
            return problem(415, "send the activity as application/json")
        try:
            raw = await request.content.read(self.max_bytes + 1)
        except Exception:
            return problem(400, "could not read the request body")
        if len(raw) > self.max_bytes:
            return problem(413, f"request bodies are limited to {self.max_bytes} bytes")
        try:
            body = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError):
            return problem(400, "the body is not valid JSON")
        except RecursionError:
            return problem(400, "the activity is nested too deeply")
        if not isinstance(body, dict):
            return problem(400, "the body must be one JSON object (an activity)")
        if not isinstance(body.get("type"), str) or not body["type"]:
            return problem(400, "the activity has no type")
        try:
            return checked_activity(body)
        except ActivityProblem as refused:
            return problem(400, str(refused))

    async def _run(self, activity: Activity, auth_header: str, own_channel: bool = False) -> web.Response:
        """Authenticate, check the tenant (not for `own_channel`: in-process, tenantless), claim, run."""
        try:
            authenticated = await self.adapter.bot_framework_authentication.authenticate_request(activity, auth_header)
        except Exception as exc:
            log.warning("inbound request refused: %s", type(exc).__name__)
            return problem(401, "the Authorization token is missing or invalid")
        if not own_channel and not self.tenant_allowed(tenant := tenant_of(activity)):
            # Why before the turn: nothing of another organisation's activity is stored (not even its id).
            log.warning("activity from a tenant not in ALLOWED_TENANT_IDS refused: %r", tenant[:64])
            return problem(403, "this bot serves only its own organisation's Microsoft 365 tenant")
        with self.claims.under_way():  # scheduled work holds back its writes until the turn is answered
            return await self._claimed_turn(activity, authenticated)

    async def _claimed_turn(self, activity: Activity, authenticated: AuthenticateRequestResult) -> web.Response:
        """Claim the activity, run its turn once, settle the claim."""
        key = activity_key(activity)
        claim, unrecorded = await self._claim(key)
        if claim is Claim.DUPLICATE:
            log.info("duplicate activity ignored")
            return _acknowledged(activity)
        if claim is Claim.BUSY:
            response = problem(503, "this activity is already being handled; try again shortly")
            response.headers["Retry-After"] = str(BUSY_RETRY_SECONDS)
            return response
        turn = self.bot.on_turn if unrecorded is None else _failing(unrecorded)
        try:
            invoke_response = await self.adapter.process_activity(authenticated, activity, turn)
        except Exception as exc:
            log.error("turn failed: %s", error_summary(exc))
            await self._settle(key if claim is Claim.NEW else None, finished=False)
            return problem(500, "the bot could not handle this activity")
        await self._settle(key if claim is Claim.NEW else None, finished=True)
        if invoke_response is None:
            return web.Response(status=201)
        body = invoke_response.body
        if hasattr(body, "serialize"):
            body = body.serialize()
        return web.json_response(body, status=invoke_response.status or 200)

    async def _claim(self, key: str | None) -> tuple[Claim | None, Exception | None]:
        """NEW, DUPLICATE or BUSY; None when there is no id to claim, or (with the error) when the claim
        could not be written.

        Why not drop an activity whose claim failed: the person would hear nothing. Its turn fails at
        once instead (`_failing`), so they hear the apology (scheduling/turn_errors.py) and nothing else:
        a turn that ran on would answer from a database that cannot keep what it answered (a full
        disk refuses every write), and the next message would meet a dialog that never moved on.
        """
        if key is None:
            return None, None
        try:
            return await self.claims.claim(key, self.now()), None
        except Exception as exc:
            log.error("could not claim the activity: %s", error_summary(exc))
            return None, exc

    async def _settle(self, key: str | None, finished: bool) -> None:
        """Mark the claimed turn finished, or release it for a redelivery; a failure here is only logged."""
        if key is None:
            return
        try:
            await (self.claims.finish(key, self.now()) if finished else self.claims.release(key))
        except Exception as exc:
            log.error("could not record the end of the turn: %s", error_summary(exc))


class TurnNotRecorded(RuntimeError):
    """The activity's claim could not be written, so its turn was not run."""


def _failing(cause: Exception) -> Callable[[TurnContext], Awaitable[None]]:
    """A turn that fails at once (the adapter's error handler apologises)."""

    async def turn(_: TurnContext) -> None:
        raise TurnNotRecorded("the activity could not be recorded") from cause

    return turn


def activity_key(activity: Activity) -> str | None:
    """What identifies one delivery of an activity: channel, conversation and activity id."""
    if not activity.id:
        return None
    conversation = activity.conversation.id if activity.conversation is not None else ""
    return f"{activity.channel_id or ''}|{conversation or ''}|{activity.id}"


def _acknowledged(activity: Activity) -> web.Response:
    """What Teams gets for a duplicate: the answer it got the first time, minus the work."""
    if activity.type == ActivityTypes.invoke:
        return web.json_response(INVOKE_OK, status=200)
    return web.Response(status=201)
