"""One request the fake connector received, with the ids decoded from its path."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from aiohttp import web

ACTIVITIES = re.compile(r"^/v3/conversations/(?P<cid>[^/]+)/activities(?:/(?P<reply>[^/]+))?$")
MEMBER = re.compile(r"^/v3/conversations/(?P<cid>[^/]+)/members/(?P<uid>[^/]+)$")
CREATE = "/v3/conversations"


@dataclass(frozen=True)
class Recorded:
    """One request the bot made: method, raw path, decoded conversation id, JSON body, headers."""

    method: str
    path: str
    conversation_id: str
    body: dict[str, Any]
    headers: dict[str, str]
    reply_to_id: str = ""

    @property
    def is_create(self) -> bool:
        """True for POST /v3/conversations."""
        return self.method == "POST" and self.path == CREATE

    @property
    def is_activity(self) -> bool:
        """True for a sent activity or reply (POST .../activities[/{id}])."""
        return self.method == "POST" and ACTIVITIES.match(self.path) is not None


async def record(request: web.Request) -> Recorded:
    """Capture a request; ids are decoded from the raw (percent-encoded) path."""
    path = request.raw_path.split("?", 1)[0]
    match = ACTIVITIES.match(path) or MEMBER.match(path)
    raw = await request.read()
    try:
        body = json.loads(raw) if raw else {}
    except ValueError:
        body = {"_unparsed": raw.decode("utf-8", "replace")}
    reply_to = match.groupdict().get("reply") if match else None
    return Recorded(
        method=request.method,
        path=path,
        conversation_id=unquote(match["cid"]) if match else "",
        body=body if isinstance(body, dict) else {"_json": body},
        headers=dict(request.headers),
        reply_to_id=unquote(reply_to or ""),
    )
