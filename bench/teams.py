"""The Teams side of a benchmark: people who type to a bot over HTTP, and the fake connector
that receives the bot's replies (read through its `/_fake` endpoints).

A turn's latency runs from just before the inbound POST to the moment the fake connector
received the bot's reply in that conversation: both are CLOCK_MONOTONIC readings (Linux
shares that clock between processes), so the bench and the fake compare directly.
"""

from __future__ import annotations

import copy
import itertools
import json
import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

FIXTURE = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "teams_message_personal.json"
TENANT = "00000000-0000-4000-8000-0000000000a1"
NO_ANSWER = 599
_ids = itertools.count(1)


@dataclass(frozen=True)
class Turn:
    """One turn as the person saw it: HTTP status, seconds to the reply (None: none came), its text."""

    status: int
    latency: float | None
    http_seconds: float
    reply: str

    @property
    def failed(self) -> bool:
        """No reply, an error status, or the bot's apology for a failed turn."""
        return self.status >= 300 or self.latency is None or "something went wrong" in self.reply.lower()


class Fake:
    """Client for the fake connector's control endpoints."""

    def __init__(self, http: aiohttp.ClientSession, url: str) -> None:
        self.http, self.url = http, url

    async def stats(self, prefix: str | None = None, times: bool = False) -> dict[str, Any]:
        """Counters; with `prefix`, also for matching conversations (and their delivery times)."""
        query = {"prefix": prefix, "times": "1" if times else "0"} if prefix is not None else {}
        async with self.http.get(f"{self.url}_fake/stats", params=query) as response:
            stats: dict[str, Any] = await response.json()
        return stats

    async def reply_since(self, conversation_id: str, since: float, within: float) -> tuple[float | None, str]:
        """Arrival time and text of the first reply in the conversation at or after `since` (None: none
        came within `within` seconds)."""
        query = {"conversation": conversation_id, "since": repr(since), "timeout": str(within)}
        client_timeout = aiohttp.ClientTimeout(total=within + 30)
        async with self.http.get(f"{self.url}_fake/wait", params=query, timeout=client_timeout) as response:
            if response.status != 200:
                return None, ""
            found = await response.json()
        return float(found["at"]), str(found["summary"])


class Person:
    """Someone in a personal chat with a bot at `bot_url`, its replies going to `service_url`."""

    def __init__(self, http: aiohttp.ClientSession, bot_url: str, service_url: str, key: str, aad: str = "") -> None:
        self.http, self.bot_url, self.service_url = http, bot_url, service_url
        self.user_id, self.aad = f"29:{key}", aad or f"aad-{key}"
        self.name = key.replace("-", " ").title()
        self.conversation_id = f"a:{key}"

    def in_conversation(self, conversation_id: str) -> Person:
        """The same person in another conversation (each has its own Teams windows)."""
        other = copy.copy(self)
        other.conversation_id = conversation_id
        return other

    def activity(self, text: str) -> dict[str, Any]:
        """A Teams personal-chat message from this person."""
        activity: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
        activity.update(id=f"bench-{next(_ids)}", serviceUrl=self.service_url, text=text)
        activity["from"] = {"id": self.user_id, "name": self.name, "aadObjectId": self.aad}
        activity["conversation"] = {"conversationType": "personal", "tenantId": TENANT, "id": self.conversation_id}
        return activity

    async def say(self, fake: Fake, text: str, within: float = 30.0) -> Turn:
        """Type `text`; wait for the turn, then up to `within` s for its reply at the fake connector."""
        body, limit = self.activity(text), aiohttp.ClientTimeout(total=within + 120)
        sent = time.monotonic()
        try:
            async with self.http.post(self.bot_url, json=body, timeout=limit) as response:
                await response.read()
                status = response.status
        except (aiohttp.ClientError, TimeoutError):
            status = NO_ANSWER  # the bot dropped or never answered the request: a failed turn
        http_seconds = time.monotonic() - sent
        at, reply = await fake.reply_since(self.conversation_id, sent, within)
        return Turn(status, None if at is None else at - sent, http_seconds, reply)


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0-100); NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]
