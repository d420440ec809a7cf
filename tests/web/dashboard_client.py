"""A browser's side of the dashboard over real HTTP, for route tests: it keeps the session cookie
itself (aiohttp's jar ignores cookies from 127.0.0.1) and reads the page's CSRF token."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from multidict import CIMultiDictProxy

from tests.e2e.harness import Harness, TeamsUser

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class Answer:
    """A response; `text` with HTML entities decoded (so \"doesn't\" reads as written)."""

    status: int
    text: str
    headers: CIMultiDictProxy[str]

    @property
    def csrf(self) -> str:
        found = CSRF.search(self.text)
        assert found, "the page carries no CSRF token"
        return found[1]


@dataclass
class DashboardClient:
    """One browser: its cookies, and requests to the app's base URL."""

    base: str
    http: aiohttp.ClientSession
    cookies: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, harness: Harness) -> DashboardClient:
        return cls(harness.bot_url.removesuffix("/api/messages"), harness.http)

    async def get(self, path: str) -> Answer:
        return await self._send("GET", path)

    async def post(self, path: str, data: dict[str, str] | None = None, **headers: str) -> Answer:
        return await self._send("POST", path, data=data or {}, headers=headers)

    async def _send(self, method: str, path: str, **options: Any) -> Answer:
        headers = dict(options.pop("headers", {}) or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        async with self.http.request(
            method, self.base + path, headers=headers, allow_redirects=False, **options
        ) as response:
            for raw in response.headers.getall("Set-Cookie", []):
                for name, morsel in SimpleCookie(raw).items():
                    if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                        self.cookies.pop(name, None)
                    else:
                        self.cookies[name] = morsel.value
            return Answer(response.status, html.unescape(await response.text()), response.headers)


def link_in(activity: dict[str, Any]) -> str:
    """The open-url button's address in a card."""
    card = activity["attachments"][0]["content"]
    return next(a["url"] for a in card.get("actions", []) if a.get("type") == "Action.OpenUrl")


async def sign_in_link(facilitator: TeamsUser) -> str:
    """The path of a fresh sign-in link, asked for in chat with `dashboard`."""
    replies = await facilitator.say("dashboard")
    return urlsplit(link_in(replies[-1])).path


async def signed_in(client: DashboardClient, facilitator: TeamsUser) -> Answer:
    """Ask for a link in chat, open it, press Continue: the overview page."""
    path = await sign_in_link(facilitator)
    assert (await client.get(path)).status == 200
    pressed = await client.post(path)
    assert pressed.status == 303 and pressed.headers["Location"] == "/dashboard", pressed.text
    return await client.get("/dashboard")
