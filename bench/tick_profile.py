"""Where one tick of scheduled work spends its time, capability by capability, in this process.

Not a benchmark with a target (that is `bench_jobs.py`): a look inside one tick, for whoever works on
planning. A database seeded like `bench_jobs.py`'s (`jobs_seed.py`, a year of history) is copied
afresh for every run (SQLite: from a seeded file kept at `--seeded`, by default in the temp directory's
`plp_tick_profile/`, made the first time; PostgreSQL:
`CREATE DATABASE … TEMPLATE` from a seeded database kept on the server), then the budget pass and every
capability's `run_due` run in turn at Monday 06:00 UTC on the worker's engine (`bulk`), and each prints
its wall and CPU seconds and how many messages it queued. `--idle` then runs the tick again 15 and 30
minutes later (nothing new is due). `--statements N` adds the N costliest SQL statements (time spent
executing, count, parameter sets). Usage (from the repository root):

    .venv/bin/python bench/tick_profile.py [--size 10000] [--idle] [--statements 20]
                                           [--seeded /tmp/plp_tick_10000.db]
                                           [--database-url postgresql+asyncpg://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

from bench.bench_jobs import seed
from bench.jobs_seed import FACILITATORS, NOW
from config import Settings
from domain.core import budget_pass
from domain.core.clock import FixedClock
from domain.core.links import NoLinks
from domain.guide.content import load_guide
from scheduling import periodic
from storage.engine import create_engine
from storage.store import SqlStore

SEEDED_DATABASE = "plp_tick_profile_seeded_{size}"
WORK_DATABASE = "plp_tick_profile_work"


@dataclass
class Statements:
    """Seconds, executions and parameter sets (an `executemany`'s rows) per SQL statement (whitespace folded)."""

    seen: dict[str, list[float]] = field(default_factory=lambda: defaultdict(lambda: [0.0, 0.0, 0.0]))

    def watch(self, engine: AsyncEngine) -> None:
        """Time every statement `engine` executes from now on."""
        started: dict[int, float] = {}

        @event.listens_for(engine.sync_engine, "before_cursor_execute")
        def before(conn: Any, _cursor: Any, _statement: str, *_: Any) -> None:
            started[id(conn)] = time.perf_counter()

        @event.listens_for(engine.sync_engine, "after_cursor_execute")
        def after(conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, many: bool) -> None:
            figures = self.seen[" ".join(statement.split())]
            figures[0] += time.perf_counter() - started.pop(id(conn), time.perf_counter())
            figures[1] += 1
            figures[2] += len(parameters) if many else 1

    def report(self, top: int) -> None:
        """The `top` statements by time spent executing them."""
        print(f"\n{'seconds':>8} {'count':>6} {'params':>7}  statement")
        for statement, (seconds, count, sets) in sorted(self.seen.items(), key=lambda kv: -kv[1][0])[:top]:
            print(f"{seconds:>8.3f} {int(count):>6} {int(sets):>7}  {statement[:160]}")


async def tick(engine: AsyncEngine, url: str, now: datetime) -> float:
    """One tick at `now`, printed capability by capability; its wall seconds."""
    settings = Settings(database_url=url, facilitators=frozenset(FACILITATORS))
    ctx = periodic.job_context(settings, SqlStore(engine), FixedClock(now), load_guide(), NoLinks()).for_tick()
    print(f"\ntick at {now.isoformat()}\n{'capability':<22} {'wall s':>7} {'cpu s':>7} {'queued':>7}")
    started, cpu = time.perf_counter(), time.process_time()
    for name, _, run_due in ((*periodic.BUDGET_PASS, budget_pass.run_due), *periodic.CAPABILITY_JOBS):
        at, at_cpu = time.perf_counter(), time.process_time()
        queued = await run_due(ctx, now)
        print(f"{name:<22} {time.perf_counter() - at:>7.3f} {time.process_time() - at_cpu:>7.3f} {queued:>7}")
    wall = time.perf_counter() - started
    print(f"{'the whole tick':<22} {wall:>7.3f} {time.process_time() - cpu:>7.3f}")
    return wall


async def fresh_sqlite(size: int, seeded: Path, workdir: Path) -> str:
    """A copy of the seeded file (seeded first if it is not there yet)."""
    if not await asyncio.to_thread(seeded.exists):
        print(f"seeding {size} partnerships into {seeded} (once)...", flush=True)
        print(f"seeded in {await seed(f'sqlite+aiosqlite:///{seeded}', size):.1f} s")
    return _work_copy(seeded, workdir)


def _work_copy(seeded: Path, workdir: Path) -> str:
    """A fresh copy of the seeded file to tick on (the last run's copy, log and lock files gone)."""
    work = workdir / "tick.db"
    for leftover in workdir.glob("tick.db*"):
        leftover.unlink()
    shutil.copy(seeded, work)
    return f"sqlite+aiosqlite:///{work}"


async def fresh_postgres(size: int, server: str) -> str:
    """A new database copied from the seeded one kept on `server` (seeded first if it is not there yet)."""
    base = make_url(server).set(drivername="postgresql+asyncpg")
    seeded = SEEDED_DATABASE.format(size=size)
    admin = create_async_engine(base, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            found = await conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": seeded})
            if not found:
                await conn.execute(text(f'CREATE DATABASE "{seeded}"'))
        if not found:
            print(f"seeding {size} partnerships into database {seeded} (once)...", flush=True)
            url = base.set(database=seeded).render_as_string(hide_password=False)
            print(f"seeded in {await seed(url, size):.1f} s")
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{WORK_DATABASE}" WITH (FORCE)'))
            await conn.execute(text(f'CREATE DATABASE "{WORK_DATABASE}" TEMPLATE "{seeded}"'))
    finally:
        await admin.dispose()
    return base.set(database=WORK_DATABASE).render_as_string(hide_password=False)


async def run(args: argparse.Namespace, workdir: Path) -> None:
    """Copy the seeded database, run the tick (and the idle ticks), print what each part took."""
    if args.database_url:
        url = await fresh_postgres(args.size, args.database_url)
    else:
        url = await fresh_sqlite(args.size, Path(args.seeded or workdir / f"seeded_{args.size}.db"), workdir)
    engine = create_engine(url, bulk=True)
    statements = Statements()
    if args.statements:
        statements.watch(engine)
    try:
        await tick(engine, url, NOW)
        for minutes in (15, 30) if args.idle else ():
            await tick(engine, url, NOW + timedelta(minutes=minutes))
    finally:
        await engine.dispose()
    if args.statements:
        statements.report(args.statements)


def main() -> None:
    """Parse arguments and profile."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000, help="active partnerships")
    parser.add_argument("--idle", action="store_true", help="also the idle ticks 15 and 30 minutes later")
    parser.add_argument("--statements", type=int, default=0, help="show the N costliest SQL statements")
    parser.add_argument("--seeded", default="", help="SQLite: the seeded file to keep and copy (made if missing)")
    parser.add_argument("--database-url", default="", help="PostgreSQL server URL; default: SQLite")
    args = parser.parse_args()
    workdir = Path(tempfile.gettempdir()) / "plp_tick_profile"  # kept: the seeded file is made once
    workdir.mkdir(exist_ok=True)
    asyncio.run(run(args, workdir))


if __name__ == "__main__":
    main()
