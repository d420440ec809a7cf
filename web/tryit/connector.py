"""The Bot Connector side of the browser chat: where the bot's messages for Direct Line land.

A browser conversation's activities carry this server's own address as `serviceUrl`, so the
bot answers them, and sends them proactive messages from the outbox, with the same Bot
Connector calls it makes to Teams (`scheduling/sender.py`, `scheduling/replies.py`): there
is no channel-specific sending code. Each message is added to the conversation's transcript,
where Web Chat's next poll picks it up. Only calls from this machine are accepted.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from aiohttp import web

from web.tryit.conversations import Activity, Conversations
from web.tryit.seats import BOT_ID, BOT_NAME, SEAT_BY_CONVERSATION

PREFIX = "/try/connector"
# What of the bot's activity the page needs; the rest (tenant, service URL, ...) stays out.
_KEPT = (
    "type",
    "text",
    "textFormat",
    "summary",
    "attachments",
    "attachmentLayout",
    "suggestedActions",
    "inputHint",
    "replyToId",
    "locale",
    "speak",
)
_KEPT_TYPES = frozenset({"message", "typing"})


def connector_url(request: web.Request) -> str:
    """This server's connector address, as the bot itself can reach it (the address the page used)."""
    sockname = request.transport.get_extra_info("sockname") if request.transport is not None else None
    if not sockname:
        return f"{request.url.origin()}{PREFIX}/"
    host, port = str(sockname[0]), int(sockname[1])
    return f"http://{f'[{host}]' if ':' in host else host}:{port}{PREFIX}/"


class Connector:
    """`v3/conversations/{id}/activities[/{activityId}]`: post, reply and update."""

    def __init__(self, conversations: Conversations) -> None:
        self._conversations = conversations

    def routes(self) -> list[web.RouteDef]:
        activities = f"{PREFIX}/v3/conversations/{{conversation_id}}/activities"
        return [
            web.post(activities, self.send),
            web.post(f"{activities}/{{activity_id}}", self.send),
            web.put(f"{activities}/{{activity_id}}", self.update),
            web.route("*", f"{PREFIX}/{{tail:.*}}", _not_here),
        ]

    async def send(self, request: web.Request) -> web.Response:
        """A message (or typing indicator) from the bot to the person."""
        found = await self._read(request)
        if isinstance(found, web.Response):
            return found
        conversation_id, activity = found
        if activity.get("type") not in _KEPT_TYPES:
            return web.json_response({"id": ""})  # e.g. an invoke response: nothing to show
        stored = self._conversations.append(conversation_id, activity)
        return web.json_response({"id": stored["id"]})

    async def update(self, request: web.Request) -> web.Response:
        """The bot replaces a message it sent: Web Chat shows the new version under the same id."""
        found = await self._read(request)
        if isinstance(found, web.Response):
            return found
        conversation_id, activity = found
        activity_id = request.match_info["activity_id"]
        self._conversations.append(conversation_id, activity, activity_id=activity_id)
        return web.json_response({"id": activity_id})

    async def _read(self, request: web.Request) -> tuple[str, Activity] | web.Response:
        if not _from_this_machine(request):
            return _problem(403, "only this server's own bot may send here")
        conversation_id = request.match_info["conversation_id"]
        conversation = self._conversations.get(conversation_id)
        seat = SEAT_BY_CONVERSATION.get(conversation_id)
        if conversation is None:
            if seat is None:
                return _problem(404, "no such conversation")
            # A seat's conversation after a restart: kept until the page opens it again.
            conversation = self._conversations.ensure(conversation_id, seat.user_id, seat.name)
        try:
            body = await request.json()
        except (ValueError, UnicodeDecodeError):
            return _problem(400, "the body must be a JSON activity")
        if not isinstance(body, dict):
            return _problem(400, "the body must be one JSON object (an activity)")
        recipient = {"id": conversation.user_id, "name": conversation.user_name, "role": "user"}
        return conversation_id, _shown(body, recipient)


def _shown(body: dict[str, Any], recipient: dict[str, str]) -> Activity:
    """The bot's activity as the page receives it."""
    given = body.get("from")
    sender: dict[str, Any] = given if isinstance(given, dict) else {}
    activity = {name: body[name] for name in _KEPT if name in body}
    activity["from"] = {"id": str(sender.get("id") or BOT_ID), "name": str(sender.get("name") or BOT_NAME)}
    activity["from"]["role"] = "bot"
    activity["recipient"] = recipient
    return activity


def _from_this_machine(request: web.Request) -> bool:
    """The caller is this host: loopback, or the very address it reached us on (the bot calling itself)."""
    remote = request.remote or ""
    try:
        if ipaddress.ip_address(remote.split("%")[0]).is_loopback:
            return True
    except ValueError:
        return False
    sockname = request.transport.get_extra_info("sockname") if request.transport is not None else None
    return isinstance(sockname, tuple) and remote == str(sockname[0])


def _problem(status: int, message: str) -> web.Response:
    code = {400: "BadArgument", 403: "Forbidden"}.get(status, "NotFound")
    return web.json_response({"error": {"code": code, "message": message}}, status=status)


async def _not_here(_: web.Request) -> web.Response:
    """Anything else a Bot Connector offers (member lookups, new conversations) is not needed here."""
    return _problem(404, "not offered by the try-it connector")
