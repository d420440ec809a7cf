"""The measuring side of `bench_jobs.py`: one tick, idle ticks, and probes of the serving side beside them.

This process plays the serving bot: the real app (`create_app`, turns only: no scheduler, no
dispatcher) answering Teams-shaped `help` turns from seeded partners, with a fake Bot Connector for
the replies (tests/fakes), and a `TickWorker` that runs each tick in a worker process exactly as the
serving bot's planning job does (scheduling/tick_worker.py). Two probes alternate, one every
PROBE_EVERY seconds, at rest, during the tick and during three idle ticks (15, 30 and 45 minutes later;
`idle` is their median wall time, `idle_cpu` the last one's CPU):

- `turn`: a real `help` turn, from POST /api/messages to its reply at the fake connector
  (deduplication claim, identity, dialog state, the reply, all on this process's event loop);
- `db`: a turn-like transaction alone (read the person, upsert where to reach them): the database
  part of a turn, the strictest view of SQLite's single writer lock.

The tick's peak RSS is the worker's (`RUSAGE_CHILDREN` once it has stopped). On code from before the
worker existed, the tick runs on this loop instead, each capability's `run_due` in turn when there is
no `run_tick` either (the README's "before" rows).
"""

from __future__ import annotations

import asyncio
import contextlib
import resource
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from bench.jobs_seed import FACILITATORS, NOW
from bot import ENGINE, STORE
from config import Settings
from domain.core.clock import FixedClock
from domain.core.links import NoLinks
from domain.core.model import ConversationRef
from domain.core.ports import Store
from domain.guide.content import load_guide
from scheduling import periodic
from storage.engine import checkpoint, create_engine
from storage.tables import OutboxRow
from tests.e2e.harness import TeamsUser, running, settings_for

PROBE_EVERY = 0.02  # seconds between probes
PROBE_REST_SAMPLES = 60  # of each probe before the tick
PROBE_PEOPLE = 4  # seeded partners taking turns to say `help`

Tick = Callable[[datetime], Awaitable[int]]


@dataclass
class Ticker:
    """How ticks run here: `start()`, `run(now)`, `close()`, and the CPU seconds the last tick took where it ran."""

    start: Callable[[], Awaitable[None]]
    run: Tick
    close: Callable[[], Awaitable[None]]
    last_cpu: Callable[[], float]


def ticker(url: str) -> Ticker:
    """The serving bot's way (its worker process); on code from before the worker, on this loop."""
    settings = Settings(database_url=url, facilitators=frozenset(FACILITATORS))
    try:
        from scheduling.tick_worker import TickWorker, WorkerSetup
    except ImportError:  # before the worker: the tick ran on the serving loop
        return _in_process(url, settings)
    worker = TickWorker(WorkerSetup(settings, NoLinks()))
    return Ticker(worker.start, worker.run, worker.close, lambda: worker.last_tick_cpu)


def _in_process(url: str, settings: Settings) -> Ticker:
    from storage.store import SqlStore

    engine = create_engine(url)
    ctx = periodic.job_context(settings, SqlStore(engine), FixedClock(NOW), load_guide(), NoLinks())
    cpu = [0.0]

    async def tick(now: datetime) -> int:
        started = time.process_time()
        run_tick = getattr(periodic, "run_tick", None)
        try:
            if run_tick is not None:
                return int(await run_tick(ctx, now))
            return sum([await run_due(ctx, now) for _, _, run_due in periodic.CAPABILITY_JOBS])
        finally:
            cpu[0] = time.process_time() - started

    async def start() -> None:
        pass

    return Ticker(start, tick, engine.dispose, lambda: cpu[0])


@dataclass
class Probes:
    """The two probes' samples (seconds), collected in turn."""

    store: Store
    people: list[TeamsUser]
    turn: list[float] = field(default_factory=list)
    db: list[float] = field(default_factory=list)
    _n: int = 0

    async def once(self) -> None:
        """One `help` turn, then one turn-like transaction."""
        person = self.people[self._n % len(self.people)]
        started = time.perf_counter()
        replies = await person.say("help")
        self.turn.append(time.perf_counter() - started)
        if not replies:
            raise RuntimeError("a probe turn got no reply")
        started = time.perf_counter()
        await _db_probe(self.store, self._n)
        self.db.append(time.perf_counter() - started)
        self._n += 1

    async def run(self, stop: asyncio.Event) -> None:
        """Probe every PROBE_EVERY seconds until `stop` is set."""
        while not stop.is_set():
            await self.once()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), PROBE_EVERY)

    def taken(self) -> tuple[list[float], list[float]]:
        """The samples so far, and start afresh."""
        samples = (self.turn, self.db)
        self.turn, self.db = [], []
        return samples


async def _checkpoints(engine: Any) -> None:
    """The serving bot's checkpoint job (scheduling/periodic.py `checkpoint_job`), on its interval (30 s on
    code from before the setting was named)."""
    while True:
        await asyncio.sleep(getattr(periodic, "CHECKPOINT_SECONDS", 30.0))
        await checkpoint(engine)


async def _db_probe(store: Store, n: int) -> None:
    """What a turn does to the database: read the person, upsert where to reach them."""
    ref = ConversationRef(1, "msteams", "https://smba.example/uk/", "a:p-1", "29:p-1", "28:bench-bot")
    async with store.transaction() as uow:
        await uow.participants.get(1 + n % 7)
        await uow.conversations.upsert(ref, NOW)


def p95(samples: list[float]) -> float:
    """The 95th percentile (the largest sample when there are too few for quantiles)."""
    return statistics.quantiles(samples, n=20)[-1] if len(samples) >= 20 else max(samples, default=0.0)


async def timed_tick(ticks: Ticker, probes: Probes, now: datetime) -> tuple[float, int]:
    """Run a tick with the probes beside it; (wall seconds, messages queued)."""
    stop = asyncio.Event()
    prober = asyncio.create_task(probes.run(stop))
    started = time.perf_counter()
    try:
        queued = await ticks.run(now)
    finally:
        seconds = time.perf_counter() - started
        stop.set()
        await prober
    return seconds, queued


async def measure(url: str) -> dict[str, Any]:
    """Probes at rest, tick, idle ticks; the figures as a JSON-ready dict."""
    settings = settings_for(url, facilitators=frozenset(FACILITATORS))
    ticks = ticker(url)
    async with running(settings, FixedClock(NOW), start_scheduler=False) as harness:
        people = [
            TeamsUser(harness, f"Person {pid}", f"29:p-{pid}", "", f"a:p-{pid}") for pid in range(1, PROBE_PEOPLE + 1)
        ]
        for person in people:  # a first turn each (member lookup, dialog state), not measured
            await person.say("help")
        probes = Probes(harness.app[STORE], people)
        # As the serving bot does (its scheduler is off here): copy SQLite's log back every CHECKPOINT_SECONDS;
        # the turns measured beside a tick meet that work too.
        checkpoints = asyncio.create_task(_checkpoints(harness.app[ENGINE]))
        await ticks.start()  # a warm worker, as after the bot's first tick: its start-up is not planning
        for _ in range(PROBE_REST_SAMPLES):
            await probes.once()
            await asyncio.sleep(PROBE_EVERY)
        rest_turn, rest_db = probes.taken()
        try:
            seconds, queued = await timed_tick(ticks, probes, NOW)
            cpu = ticks.last_cpu()
            tick_turn, tick_db = probes.taken()
            # Idle ticks are short: several (15, 30 and 45 minutes on), for enough probes beside them.
            idle = [await timed_tick(ticks, probes, NOW + timedelta(minutes=15 * n)) for n in (1, 2, 3)]
            idle_seconds, idle_queued = statistics.median(t for t, _ in idle), sum(q for _, q in idle)
            idle_cpu = ticks.last_cpu()
            idle_turn, idle_db = probes.taken()
        finally:
            await ticks.close()
            checkpoints.cancel()
        kinds = await _queued_kinds(url)
    serving_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "tick": seconds,
        "tick_cpu": cpu,
        "queued": queued,
        "idle": idle_seconds,
        "idle_cpu": idle_cpu,
        "idle_queued": idle_queued,
        "turn_rest_p95": p95(rest_turn),
        "turn_tick_p95": p95(tick_turn),
        "turn_idle_tick_p95": p95(idle_turn),
        "db_rest_p95": p95(rest_db),
        "db_tick_p95": p95(tick_db),
        "db_idle_tick_p95": p95(idle_db),
        "probes_in_tick": len(tick_turn),
        "rss_mb": worker_rss or serving_rss,
        "serving_rss_mb": serving_rss,
        "kinds": kinds,
    }


async def _queued_kinds(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(
                select(OutboxRow.kind, OutboxRow.status, func.count())
                .where(OutboxRow.created_at >= NOW)
                .group_by(OutboxRow.kind, OutboxRow.status)
            )
            return {f"{kind}/{status}": count for kind, status, count in rows}
    finally:
        await engine.dispose()
