"""`POST /api/messages`: the guarded entry point for Bot Framework activities.

The guard answers malformed or hostile requests with a clear 4xx before botbuilder sees
them (stock CloudAdapter turns several of them into 500s; see DESIGN.md pitfalls), then
authenticates, runs the turn and serialises any invoke response exactly once.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from aiohttp import web
from botbuilder.core import Bot, CloudAdapterBase
from botbuilder.schema import Activity

from web.activity_guard import ActivityProblem, checked_activity
from web.logsafe import error_summary

log = logging.getLogger(__name__)


def problem(status: int, message: str) -> web.Response:
    """A small JSON error body; never a stack trace."""
    return web.json_response({"error": message}, status=status)


class MessagesEndpoint:
    """Validates, authenticates and hands one activity to the bot."""

    def __init__(self, adapter: CloudAdapterBase, bot: Bot, auth_enabled: bool, max_bytes: int) -> None:
        self.adapter = adapter
        self.bot = bot
        self.auth_enabled = auth_enabled
        self.max_bytes = max_bytes

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

    async def _run(self, activity: Activity, auth_header: str) -> web.Response:
        try:
            authenticated = await self.adapter.bot_framework_authentication.authenticate_request(activity, auth_header)
        except Exception as exc:
            log.warning("inbound request refused: %s", type(exc).__name__)
            return problem(401, "the Authorization token is missing or invalid")
        try:
            invoke_response = await self.adapter.process_activity(authenticated, activity, self.bot.on_turn)
        except Exception as exc:
            log.error("turn failed: %s", error_summary(exc))
            return problem(500, "the bot could not handle this activity")
        if invoke_response is None:
            return web.Response(status=201)
        body = invoke_response.body
        if hasattr(body, "serialize"):
            body = body.serialize()
        return web.json_response(body, status=invoke_response.status or 200)
