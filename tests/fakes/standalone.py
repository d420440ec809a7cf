"""Run the fake connector as its own process: `python -m tests.fakes.connector [options]`.

Prints its URL (the serviceUrl to give the bot) as the first line of stdout, then serves on
127.0.0.1 until SIGTERM or SIGINT. Full requests are not kept (a 45,000-message broadcast
would hold every card); the counters in `/_fake/stats` are.
"""

from __future__ import annotations

import argparse
import asyncio
import signal

from tests.fakes.connector import FakeConnector
from tests.fakes.teams_limits import PER_CONVERSATION, TeamsLimits, Window


def main(argv: list[str] | None = None) -> None:
    """Parse the options and serve until stopped."""
    parser = argparse.ArgumentParser(prog="python -m tests.fakes.connector", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="loopback port (0: any free one)")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every answer")
    parser.add_argument("--teams-limits", action="store_true", help="enforce the tenant cap and conversation windows")
    parser.add_argument("--tenant-rate", type=int, default=50, help="tenant cap, requests per second")
    parser.add_argument("--record", action="store_true", help="also keep every request (memory grows)")
    args = parser.parse_args(argv)
    limits = TeamsLimits(Window(args.tenant_rate, 1.0), PER_CONVERSATION) if args.teams_limits else None
    fake = FakeConnector(latency=args.latency, limits=limits, keep_requests=args.record)
    asyncio.run(_serve(fake, args.port))


async def _serve(fake: FakeConnector, port: int) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await fake.start(port)
    print(fake.url, flush=True)
    try:
        await stop.wait()
    finally:
        await fake.stop()
