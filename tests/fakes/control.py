"""The fake connector's own endpoints, for a benchmark that runs it as a separate process.

    GET  /_fake/clock                                     {"now": connector clock}
    GET  /_fake/stats[?prefix=a:bench-[&times=1]]         counters; with prefix, for matching
                                                          conversations too (and their delivery times)
    GET  /_fake/latest?conversation=ID                    {"count", "summary"} of that conversation
    GET  /_fake/wait?conversation=ID&since=T[&timeout=S]  first delivery at or after T: {"at", "summary"}
                                                          (504 when none came within S seconds)
    POST /_fake/outage?seconds=S                          answer 503 for S seconds
    POST /_fake/clear                                     forget the counters (after a warm-up)

The clock is `time.monotonic` unless injected: on Linux it is the system-wide
CLOCK_MONOTONIC, so times a benchmark takes in its own process compare with these.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from tests.fakes.connector import FakeConnector

PREFIX = "/_fake"


def control_routes(fake: FakeConnector) -> list[web.RouteDef]:
    """Routes reading and steering `fake`; register them before its catch-all route."""

    async def clock(_: web.Request) -> web.Response:
        return web.json_response({"now": fake.clock()})

    async def stats(request: web.Request) -> web.Response:
        times = request.query.get("times") == "1"
        return web.json_response(fake.traffic.snapshot(request.query.get("prefix"), times))

    async def latest(request: web.Request) -> web.Response:
        conversation = request.query.get("conversation", "")
        count = len(fake.traffic.deliveries.get(conversation, []))
        return web.json_response({"count": count, "summary": fake.traffic.latest.get(conversation, "")})

    async def wait(request: web.Request) -> web.Response:
        conversation = request.query.get("conversation", "")
        try:
            since = float(request.query["since"])
            timeout = float(request.query.get("timeout", "10"))
            at = await fake.delivered_since(conversation, since, within=timeout)
        except (KeyError, ValueError):
            return web.json_response({"error": "since and timeout must be numbers"}, status=400)
        except TimeoutError:
            return web.json_response({"error": "nothing delivered in time"}, status=504)
        return web.json_response({"at": at, "summary": fake.traffic.latest.get(conversation, "")})

    async def outage(request: web.Request) -> web.Response:
        try:
            seconds = float(request.query.get("seconds", ""))
        except ValueError:
            return web.json_response({"error": "seconds must be a number"}, status=400)
        fake.outage(seconds)
        return web.json_response({"until": fake.clock() + seconds})

    async def clear(_: web.Request) -> web.Response:
        fake.traffic.clear()
        fake.requests.clear()
        return web.json_response({})

    return [
        web.get(f"{PREFIX}/clock", clock),
        web.get(f"{PREFIX}/stats", stats),
        web.get(f"{PREFIX}/latest", latest),
        web.get(f"{PREFIX}/wait", wait),
        web.post(f"{PREFIX}/outage", outage),
        web.post(f"{PREFIX}/clear", clear),
    ]
