"""A small Direct Line 3.0 endpoint for Microsoft's Web Chat: the browser's side of try-it.

The page holds a seat token (`seats.py`). Web Chat starts its conversation, posts what the
person types or clicks, and polls for new activities with a watermark (no WebSocket: the
start answer has no `streamUrl`). Each posted activity is kept in the transcript, as Direct
Line echoes it, and handed to the bot in-process, addressed like any channel's activity:
its `serviceUrl` is this server's connector (`connector.py`), so the bot's replies and its
proactive messages (the outbox) reach the page over the same Bot Connector calls that reach
Teams. Nothing here is logged: activities hold what people typed.
"""

from __future__ import annotations

import asyncio
import time as _time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from web.tryit.connector import connector_url
from web.tryit.conversations import Activity, Conversations
from web.tryit.seats import BOT_ID, BOT_NAME, TOKEN_SECONDS, Seat, SeatTokens

PREFIX = "/v3/directline"
CHANNEL_ID = "directline"
MAX_TEXT_CHARS = 10_000
Deliver = Callable[[Activity], Awaitable[int]]  # an activity to the bot -> HTTP-like status


def error(status: int, code: str, message: str) -> web.Response:
    """Direct Line's error shape."""
    return web.json_response({"error": {"code": code, "message": message}}, status=status)


class DirectLine:
    """The client side of Direct Line 3.0: start, refresh, reconnect, post and poll."""

    def __init__(
        self, conversations: Conversations, tokens: SeatTokens, deliver: Deliver, time: Callable[[], float] = _time.time
    ) -> None:
        self._conversations, self._tokens, self._deliver, self._time = conversations, tokens, deliver, time
        self._turns: dict[str, asyncio.Lock] = {}  # one turn at a time per conversation, as a person types

    def routes(self) -> list[web.RouteDef]:
        return [
            web.post(f"{PREFIX}/conversations", self.start),
            web.post(f"{PREFIX}/tokens/refresh", self.refresh),
            web.get(f"{PREFIX}/conversations/{{conversation_id}}", self.reconnect),
            web.get(f"{PREFIX}/conversations/{{conversation_id}}/activities", self.activities),
            web.post(f"{PREFIX}/conversations/{{conversation_id}}/activities", self.post),
        ]

    async def start(self, request: web.Request) -> web.Response:
        """POST /conversations: the seat's conversation; the first time, the bot hears the person joined."""
        seat = self._seat(request)
        if seat is None:
            return _no_token()
        if self._conversations.open(seat.conversation_id, seat.user_id, seat.name):
            joined = {
                "type": "conversationUpdate",
                "membersAdded": [{"id": BOT_ID, "name": BOT_NAME}, {"id": seat.user_id, "name": seat.name}],
            }
            await self._to_bot(request, seat, uuid.uuid4().hex, joined)
        return web.json_response(self._session(seat), status=201)

    async def refresh(self, request: web.Request) -> web.Response:
        """POST /tokens/refresh: a fresh token for the same seat."""
        seat = self._seat(request)
        return _no_token() if seat is None else web.json_response(self._session(seat))

    async def reconnect(self, request: web.Request) -> web.Response:
        """GET /conversations/{id}: resume a conversation this token may use."""
        seat = self._own(request)
        if isinstance(seat, web.Response):
            return seat
        return web.json_response(self._session(seat))

    async def activities(self, request: web.Request) -> web.Response:
        """GET /conversations/{id}/activities?watermark=N: what the page has not seen yet."""
        seat = self._own(request)
        if isinstance(seat, web.Response):
            return seat
        raw = request.query.get("watermark", "") or "0"
        if not raw.isdigit() or len(raw) > 12:
            return error(400, "BadArgument", "the watermark must be a whole number")
        found, watermark = self._conversations.since(seat.conversation_id, int(raw))
        return web.json_response({"activities": found, "watermark": str(watermark)})

    async def post(self, request: web.Request) -> web.Response:
        """POST /conversations/{id}/activities: keep the person's message, then run the bot's turn."""
        seat = self._own(request)
        if isinstance(seat, web.Response):
            return seat
        fields = await _message_fields(request)
        if isinstance(fields, web.Response):
            return fields
        async with self._turns.setdefault(seat.conversation_id, asyncio.Lock()):
            sender = {"id": seat.user_id, "name": seat.name, "role": "user"}
            stored = self._conversations.append(seat.conversation_id, {**fields, "from": sender})
            status = await self._to_bot(request, seat, stored["id"], fields)
        if status >= 400:
            return error(502, "BotError", "the companion could not handle that message")
        return web.json_response({"id": stored["id"]})

    async def _to_bot(self, request: web.Request, seat: Seat, activity_id: str, fields: Activity) -> int:
        activity = {
            **fields,
            "id": activity_id,
            "channelId": CHANNEL_ID,
            "serviceUrl": connector_url(request),
            "from": {"id": seat.user_id, "name": seat.name, "role": "user"},
            "recipient": {"id": BOT_ID, "name": BOT_NAME, "role": "bot"},
            "conversation": {"id": seat.conversation_id, "conversationType": "personal"},
        }
        return await self._deliver(activity)

    def _session(self, seat: Seat) -> dict[str, Any]:
        token = self._tokens.issue(seat, self._time())
        return {"conversationId": seat.conversation_id, "token": token, "expires_in": TOKEN_SECONDS}

    def _seat(self, request: web.Request) -> Seat | None:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        return self._tokens.check(token.strip(), self._time()) if scheme.lower() == "bearer" else None

    def _own(self, request: web.Request) -> Seat | web.Response:
        """The seat, when its token names the conversation in the path and the page has started it."""
        seat = self._seat(request)
        if seat is None:
            return _no_token()
        if request.match_info["conversation_id"] != seat.conversation_id:
            return error(403, "Forbidden", "this token is for another conversation")
        if self._conversations.get(seat.conversation_id) is None:
            return error(404, "NotFound", "start the conversation first (POST /conversations)")
        return seat


def _no_token() -> web.Response:
    return error(403, "TokenInvalid", "a valid Bearer token from the try-it page is needed")


async def _message_fields(request: web.Request) -> Activity | web.Response:
    """The parts of a posted message the bot may see: text, a card's value, channel data, locale."""
    try:
        body = await request.json()
    except (ValueError, UnicodeDecodeError):
        return error(400, "BadArgument", "the body must be a JSON activity")
    except web.HTTPRequestEntityTooLarge:
        return error(413, "BadArgument", "that message is too large")
    if not isinstance(body, dict):
        return error(400, "BadArgument", "the body must be one JSON object (an activity)")
    if body.get("type") != "message":
        return error(400, "BadArgument", "only message activities are accepted")
    text, value = body.get("text", ""), body.get("value")
    if not isinstance(text, str) or len(text) > MAX_TEXT_CHARS:
        return error(400, "BadArgument", f"text must be a string of at most {MAX_TEXT_CHARS} characters")
    if value is not None and not isinstance(value, dict):
        return error(400, "BadArgument", "value must be a JSON object")
    fields: Activity = {"type": "message", "text": text}
    if value is not None:
        fields["value"] = value
    if isinstance(body.get("channelData"), dict):
        fields["channelData"] = body["channelData"]  # Web Chat matches its echo by channelData.clientActivityID
    for name in ("locale", "textFormat"):
        if isinstance(body.get(name), str):
            fields[name] = body[name]
    return fields
