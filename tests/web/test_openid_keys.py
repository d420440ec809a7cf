"""OpenIdKeys against a loopback metadata server: one shared fetch, cached keys, a background
refresh when stale, and a bounded wait on a server that never answers."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
import requests
from aiohttp import web
from botframework.connector.auth import JwtTokenExtractor
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from web.openid_keys import REFRESH_AFTER_SECONDS, UNKNOWN_KEY_REFETCH_SECONDS, OpenIdKeys, install


def _jwk(kid: str) -> dict[str, object]:
    public = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    return {**json.loads(RSAAlgorithm.to_jwk(public)), "kid": kid, "endorsements": ["msteams"]}


@dataclass
class MetadataServer:
    """Serves /metadata (pointing at /keys) and /keys; counts requests; can hold them."""

    keys: list[dict[str, object]]
    url: str = ""
    hits: list[str] = field(default_factory=list)
    gate: asyncio.Event = field(default_factory=asyncio.Event)
    seen: asyncio.Event = field(default_factory=asyncio.Event)

    async def handle(self, request: web.Request) -> web.Response:
        self.hits.append(request.path)
        self.seen.set()
        await self.gate.wait()
        if request.path == "/metadata":
            return web.json_response({"jwks_uri": f"{self.url}/keys"})
        return web.json_response({"keys": self.keys})


@pytest.fixture
async def server() -> AsyncIterator[MetadataServer]:
    found = MetadataServer([_jwk("key-1")])
    found.gate.set()
    app = web.Application()
    app.router.add_get("/{tail:.*}", found.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    found.url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
    try:
        yield found
    finally:
        found.gate.set()
        await runner.cleanup()


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_concurrent_first_checks_share_one_fetch_and_then_use_the_cache(server: MetadataServer) -> None:
    keys = OpenIdKeys(f"{server.url}/metadata", timeout=10)
    found = await asyncio.gather(*(keys.get("key-1") for _ in range(5)))
    assert all(k is not None and k.endorsements == ["msteams"] for k in found)
    assert server.hits == ["/metadata", "/keys"]
    assert await keys.get("key-1") is not None and len(server.hits) == 2


async def test_an_unknown_key_refetches_at_most_once_an_hour(server: MetadataServer) -> None:
    clock = Clock()
    keys = OpenIdKeys(f"{server.url}/metadata", timeout=10, clock=clock)
    assert await keys.get("key-2") is None and len(server.hits) == 2  # just fetched: no second try
    server.keys.append(_jwk("key-2"))  # Microsoft rotates a new key in
    clock.now += UNKNOWN_KEY_REFETCH_SECONDS + 1
    assert await keys.get("key-2") is not None and len(server.hits) == 4


async def test_stale_keys_are_served_while_a_fresh_copy_is_fetched(server: MetadataServer) -> None:
    clock = Clock()
    keys = OpenIdKeys(f"{server.url}/metadata", timeout=10, clock=clock)
    await keys.get("key-1")
    clock.now += REFRESH_AFTER_SECONDS + 1
    server.gate.clear()  # the refresh will hang until the gate opens
    server.seen.clear()
    assert await keys.get("key-1") is not None  # answered from the cache...
    await server.seen.wait()
    assert server.hits[-1] == "/metadata" and not server.gate.is_set()  # ...while the refresh is held
    server.gate.set()
    await asyncio.wrap_future(keys._fetch())
    assert server.hits[-2:] == ["/metadata", "/keys"]


async def test_a_server_that_never_answers_fails_the_check_after_the_timeout(server: MetadataServer) -> None:
    server.gate.clear()
    keys = OpenIdKeys(f"{server.url}/metadata", timeout=0.2)
    with pytest.raises(requests.Timeout):
        await keys.get("key-1")


def test_install_puts_the_cache_in_botbuilder_and_is_idempotent() -> None:
    install()
    cache = JwtTokenExtractor.metadataCache
    install()
    assert JwtTokenExtractor.metadataCache is cache
    assert isinstance(JwtTokenExtractor.get_open_id_metadata("https://example.invalid/m"), OpenIdKeys)
