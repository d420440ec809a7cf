"""Liveness and readiness probes for the host (App Service, Kubernetes, a load balancer)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web


async def healthz(_request: web.Request) -> web.Response:
    """The process is up."""
    return web.json_response({"status": "ok"})


def readyz(database_ok: Callable[[], Awaitable[bool]]) -> Callable[[web.Request], Awaitable[web.Response]]:
    """Ready when the database answers."""

    async def handler(_request: web.Request) -> web.Response:
        if await database_ok():
            return web.json_response({"status": "ready", "database": "ok"})
        return web.json_response({"status": "not ready", "database": "unreachable"}, status=503)

    return handler
