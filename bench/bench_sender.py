"""Proactive send throughput: the real dispatcher and sender against a fake Bot Connector.

Queues one message for each of N people, starts the fake connector with a realistic
per-request latency, runs the dispatcher with default settings (outbox 46 msgs/s of the
tenant's 50) and prints messages per second. Usage (from the repository root):

    .venv/bin/python bench/bench_sender.py [--messages 1000] [--latency 0.15] [--rate 46]
                                           [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

from channels.render import render
from config import Settings
from domain.core.clock import SystemClock
from domain.core.reply import Reply
from scheduling.credentials import TokenProvider
from scheduling.dispatcher import Dispatcher
from scheduling.sender import BotConnectorSender
from storage.engine import create_engine
from storage.migration import migrate
from storage.outbox_store import OutboxStore
from storage.tables import ConversationRefRow, OutboxRow, ParticipantRow
from tests.fakes.connector import FakeConnector


async def seed(engine: AsyncEngine, service_url: str, count: int, now: datetime) -> None:
    """One participant, personal conversation reference and due outbox row per person."""
    payload = Reply(title="Meet your partner", text="You have been paired for the programme.").to_dict()
    async with engine.begin() as conn:
        await conn.execute(
            insert(ParticipantRow),
            [
                {"id": n, "channel_id": "msteams", "user_id": f"29:bench-{n}", "created_at": now}
                for n in range(1, count + 1)
            ],
        )
        await conn.execute(
            insert(ConversationRefRow),
            [
                {
                    "participant_id": n,
                    "channel_id": "msteams",
                    "service_url": service_url,
                    "conversation_id": f"a:bench-{n}",
                    "user_id": f"29:bench-{n}",
                    "bot_id": "28:bench-bot",
                    "updated_at": now,
                }
                for n in range(1, count + 1)
            ],
        )
        await conn.execute(
            insert(OutboxRow),
            [
                {
                    "idempotency_key": f"bench:{n}",
                    "kind": "bench",
                    "participant_id": n,
                    "payload": payload,
                    "due_at": now,
                    "created_at": now,
                }
                for n in range(1, count + 1)
            ],
        )


async def run(messages: int, latency: float, database_url: str, rate: float) -> float:
    """Send `messages` through the dispatcher; return messages per second."""
    settings = Settings(
        database_url=database_url,
        send_rate_per_second=rate,
        tenant_rate_per_second=max(rate, Settings().tenant_rate_per_second),
    )
    engine = create_engine(database_url)
    await migrate(engine)
    connector = FakeConnector(latency=latency)
    await connector.start()
    try:
        await seed(engine, connector.url, messages, datetime.now(UTC))
        async with aiohttp.ClientSession() as http:
            sender = BotConnectorSender(http, TokenProvider("", ""))
            dispatcher = Dispatcher(OutboxStore(engine), sender, render, SystemClock(), settings, "bench")
            started = time.perf_counter()
            stats = await dispatcher.run_once()
            elapsed = time.perf_counter() - started
        check(connector, await OutboxStore(engine).summary(), messages)
        print(f"dispatch: {stats.as_log()}")
    finally:
        await connector.stop()
        await engine.dispose()
    achieved = messages / elapsed
    print(
        f"{messages} messages in {elapsed:.2f} s with {latency * 1000:.0f} ms latency: {achieved:.1f} msgs/s "
        f"(outbox limit {settings.send_rate_per_second:g}/s of the tenant's "
        f"{settings.tenant_rate_per_second:g}/s, concurrency {settings.send_concurrency})"
    )
    return achieved


def check(connector: FakeConnector, summary: dict[str, int], messages: int) -> None:
    """Fail loudly unless every message was delivered exactly once."""
    per_conversation = Counter(r.conversation_id for r in connector.sent_activities())
    if summary != {"sent": messages} or len(per_conversation) != messages or max(per_conversation.values()) != 1:
        raise SystemExit(f"delivery check failed: outbox={summary}, conversations={len(per_conversation)}")


def main() -> None:
    """Parse arguments, run the benchmark in a temporary SQLite file unless a URL is given."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--latency", type=float, default=0.15, help="fake connector delay per request (s)")
    parser.add_argument("--database-url", default="", help="default: a fresh SQLite file in a temp dir")
    parser.add_argument(
        "--rate",
        type=float,
        default=Settings().send_rate_per_second,
        help="outbox send limit per second (default: the production default); the tenant budget grows to fit",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite+aiosqlite:///{tmp}/bench.db"
        asyncio.run(run(args.messages, args.latency, url, args.rate))


if __name__ == "__main__":
    main()
