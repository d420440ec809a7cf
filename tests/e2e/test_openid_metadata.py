"""A slow OpenID metadata endpoint must not freeze the bot.

botbuilder fetches the Bot Framework's signing keys (OpenID metadata) when it first checks an
inbound token. The bot runs as a real process with credentials; the network path to the
metadata endpoint is a loopback HTTPS proxy that accepts the request and then holds it. While
it holds, `/healthz` must answer: ordering, not timing, is asserted (the proxy still holds
the metadata request when the health answer arrives).
"""

from __future__ import annotations

import asyncio
import base64
import copy
import json
import shutil
from pathlib import Path

import aiohttp

from tests.e2e.harness import fixture
from tests.e2e.process import bot_environment, started

APP_ID = "00000000-0000-4000-8000-00000000b071"


def _part(data: dict[str, str]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def channel_token() -> str:
    """Shaped like a Bot Framework channel token (issuer, key id), so checking it needs the signing keys."""
    header = _part({"alg": "RS256", "kid": "key-1", "typ": "JWT"})
    claims = _part({"iss": "https://api.botframework.com", "aud": APP_ID, "serviceurl": "https://smba.example/"})
    return f"{header}.{claims}.c2lnbmF0dXJl"


class HoldingProxy:
    """An HTTPS proxy on loopback that takes every CONNECT and answers none until released."""

    def __init__(self) -> None:
        self.asked: list[str] = []
        self.arrived = asyncio.Event()
        self.released = asyncio.Event()
        self.holding = 0
        self.server: asyncio.Server | None = None

    async def start(self) -> str:
        self.server = await asyncio.start_server(self._hold, "127.0.0.1", 0)
        return f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}"

    async def _hold(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.asked.append((await reader.readline()).decode().strip())
        self.holding += 1
        self.arrived.set()
        try:
            await self.released.wait()
        finally:
            self.holding -= 1
            writer.close()

    async def stop(self) -> None:
        self.released.set()
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()


async def test_healthz_answers_while_the_metadata_endpoint_holds_the_request(
    sqlite_template: Path, tmp_path: Path
) -> None:
    database = tmp_path / "plp.db"
    shutil.copyfile(sqlite_template, database)
    proxy = HoldingProxy()
    proxy_url = await proxy.start()
    env = bot_environment(
        f"sqlite+aiosqlite:///{database}",
        MICROSOFT_APP_ID=APP_ID,
        MICROSOFT_APP_PASSWORD="not-a-real-secret",
        HTTPS_PROXY=proxy_url,
        https_proxy=proxy_url,
        NO_PROXY="127.0.0.1,localhost",
        no_proxy="127.0.0.1,localhost",
    )
    activity = copy.deepcopy(fixture("teams_message_personal.json"))
    try:
        async with started(env) as bot, aiohttp.ClientSession() as http:
            headers = {"Authorization": f"Bearer {channel_token()}"}
            turn = asyncio.create_task(http.post(f"{bot.url}/api/messages", json=activity, headers=headers))
            await proxy.arrived.wait()  # the bot is fetching the signing keys, and the proxy holds it
            assert any("botframework.com" in line or "microsoftonline.com" in line for line in proxy.asked)
            async with http.get(f"{bot.url}/healthz", timeout=aiohttp.ClientTimeout(total=8)) as health:
                assert health.status == 200
                assert proxy.holding == 1, "the health answer came only after the metadata request ended"
            proxy.released.set()
            async with await turn as response:
                assert response.status == 401  # no signing keys: the token cannot be trusted
    finally:
        await proxy.stop()
