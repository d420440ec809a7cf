"""A seat's side of try-it's Direct Line over real loopback HTTP, as Web Chat speaks it (async)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import aiohttp

Activity = dict[str, Any]


async def page_token(http: aiohttp.ClientSession, base_url: str, seat: str) -> str:
    """The token the seat's chat page hands Web Chat."""
    async with http.get(f"{base_url}/try/{seat}") as response:
        assert response.status == 200
        found = re.search(r'data-token="([^"]+)"', await response.text())
    assert found, "the chat page carries no token"
    return found[1]


@dataclass
class Seat:
    """One seat's conversation: start, say, press, read."""

    http: aiohttp.ClientSession
    base_url: str
    token: str
    conversation_id: str = ""
    watermark: int = 0
    seen: list[Activity] = field(default_factory=list)

    @classmethod
    async def open(cls, http: aiohttp.ClientSession, base_url: str, seat: str) -> Seat:
        opened = cls(http, base_url, await page_token(http, base_url, seat))
        status, body = await opened.call("POST", "/v3/directline/conversations")
        assert status == 201, body
        opened.conversation_id = body["conversationId"]
        return opened

    async def call(self, method: str, path: str, body: Any = None, token: str | None = None) -> tuple[int, Any]:
        """One request with this seat's token (or `token`); (status, JSON body or text)."""
        headers = {"Authorization": f"Bearer {self.token if token is None else token}"}
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        async with self.http.request(method, self.base_url + path, data=data, headers=headers) as response:
            text = await response.text()
            try:
                return response.status, json.loads(text) if text else None
            except ValueError:
                return response.status, text

    @property
    def activities_path(self) -> str:
        return f"/v3/directline/conversations/{self.conversation_id}/activities"

    async def say(self, text: str) -> list[Activity]:
        """Type `text`; the bot's answers (the turn is over when the post returns)."""
        return await self.post({"type": "message", "text": text})

    async def press(self, value: dict[str, Any]) -> list[Activity]:
        """Press a card button carrying `value`."""
        return await self.post({"type": "message", "value": value})

    async def post(self, activity: Activity) -> list[Activity]:
        status, body = await self.call("POST", self.activities_path, activity)
        assert status == 200, body
        return await self.bot_activities()

    async def read(self) -> list[Activity]:
        """Every activity since the last read (the person's echoes and the bot's)."""
        status, body = await self.call("GET", f"{self.activities_path}?watermark={self.watermark}")
        assert status == 200, body
        self.watermark = int(body["watermark"])
        self.seen.extend(body["activities"])
        return list(body["activities"])

    async def bot_activities(self) -> list[Activity]:
        return [a for a in await self.read() if a["from"].get("role") == "bot"]


def shown(activities: list[Activity]) -> str:
    """Every visible string of the activities (text and cards), for assertions."""
    parts = []
    for activity in activities:
        parts.append(activity.get("text") or "")
        parts.extend(json.dumps(a.get("content", {}), ensure_ascii=False) for a in activity.get("attachments") or [])
    return "\n".join(parts)
