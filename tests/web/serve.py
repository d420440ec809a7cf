"""Serve one GET route on an ephemeral loopback port (real HTTP for route tests)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
from aiohttp import web


@asynccontextmanager
async def serving(path: str, handler: Any) -> AsyncIterator[tuple[str, aiohttp.ClientSession]]:
    """Yield (base url, client session) while only this route is served."""
    app = web.Application()
    app.router.add_get(path, handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    try:
        async with aiohttp.ClientSession() as http:
            yield f"http://{host}:{port}", http
    finally:
        await runner.cleanup()
