"""The measuring side of `bench_jobs.py`: one tick, an idle tick, and a turn-like probe beside them.

Runs in its own process so `ru_maxrss` is the tick's peak, not the seeding's.
"""

from __future__ import annotations

import asyncio
import contextlib
import resource
import statistics
import time
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from bench.jobs_seed import FACILITATORS, NOW
from config import Settings
from domain.core.clock import FixedClock
from domain.core.jobs import JobContext
from domain.core.links import NoLinks
from domain.core.model import ConversationRef
from domain.core.ports import Store
from domain.guide.content import load_guide
from scheduling import periodic
from storage.engine import create_engine
from storage.store import SqlStore
from storage.tables import OutboxRow

PROBE_EVERY = 0.02  # seconds between turn-like probes
PROBE_IDLE_SAMPLES = 100


async def tick(ctx: JobContext, now: Any) -> int:
    """Every capability's scheduled work once, as the scheduler runs it (before `run_tick` existed,
    commit dd3aef1, each capability's `run_due` in turn: the README's "before" rows)."""
    run_tick = getattr(periodic, "run_tick", None)
    if run_tick is not None:
        return int(await run_tick(ctx, now))
    return sum([await run_due(ctx, now) for _, _, run_due in periodic.CAPABILITY_JOBS])


async def probe_once(store: Store, n: int) -> float:
    """What a turn does to the database: read the person, upsert where to reach them."""
    started = time.perf_counter()
    ref = ConversationRef(1, "msteams", "https://smba.example/uk/", "a:p-1", "29:p-1", "28:bench-bot")
    async with store.transaction() as uow:
        await uow.participants.get(1 + n % 7)
        await uow.conversations.upsert(ref, NOW)
    return time.perf_counter() - started


async def probe(store: Store, stop: asyncio.Event, samples: list[float]) -> None:
    """Probe every PROBE_EVERY seconds until `stop` is set."""
    n = 0
    while not stop.is_set():
        samples.append(await probe_once(store, n))
        n += 1
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), PROBE_EVERY)


def p95(samples: list[float]) -> float:
    """The 95th percentile (the largest sample when there are too few for quantiles)."""
    return statistics.quantiles(samples, n=20)[-1] if len(samples) >= 20 else max(samples, default=0.0)


async def timed_tick(ctx: JobContext, store: Store, now: Any) -> tuple[float, int, list[float]]:
    """Run a tick with the probe beside it; (seconds, messages queued, probe samples)."""
    stop, samples = asyncio.Event(), []
    prober = asyncio.create_task(probe(store, stop, samples))
    started = time.perf_counter()
    queued = await tick(ctx, now)
    seconds = time.perf_counter() - started
    stop.set()
    await prober
    return seconds, queued, samples


async def measure(url: str) -> dict[str, Any]:
    """Idle probe, tick, idle tick; the figures as a JSON-ready dict."""
    engine = create_engine(url)
    store = SqlStore(engine)
    settings = Settings(database_url=url, facilitators=frozenset(FACILITATORS))
    ctx = periodic.job_context(settings, store, FixedClock(NOW), load_guide(), NoLinks())
    try:
        idle_samples = [await probe_once(store, n) for n in range(PROBE_IDLE_SAMPLES)]
        seconds, queued, during = await timed_tick(ctx, store, NOW)
        idle_seconds, idle_queued, during_idle = await timed_tick(ctx, store, NOW + timedelta(minutes=15))
        async with engine.connect() as conn:
            rows = await conn.execute(
                select(OutboxRow.kind, OutboxRow.status, func.count())
                .where(OutboxRow.created_at >= NOW)
                .group_by(OutboxRow.kind, OutboxRow.status)
            )
            kinds = {f"{kind}/{status}": count for kind, status, count in rows}
    finally:
        await engine.dispose()
    return {
        "tick": seconds,
        "queued": queued,
        "idle": idle_seconds,
        "idle_queued": idle_queued,
        "probe_idle_p95": p95(idle_samples),
        "probe_tick_p95": p95(during),
        "probe_tick_max": max(during, default=0.0),
        "probe_idle_tick_p95": p95(during_idle),
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "kinds": kinds,
    }
