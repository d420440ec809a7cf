"""Scheduled-work benchmark: one tick of every capability's job over N active partnerships.

For each size (and a baseline of 10 partnerships) a fresh database is migrated and seeded with
a year of history (`jobs_seed.py`); a child process playing the serving bot (`jobs_tick.py`) then
has its tick worker run one tick at a Monday 06:00 UTC (every pair starts a new guide week) and an
idle tick 15 minutes later (nothing new is due), while it answers `help` turns every 20 ms, whose
p95 is compared with the same turns while no tick runs. Then the rows that tick queued are written
again by the bare database driver (`jobs_floor.py`): the least planning can cost on this machine.
Usage (from the repository root):

    .venv/bin/python bench/bench_jobs.py [--sizes 1000,10000,50000]
                                         [--database-url postgresql+asyncpg://postgres@127.0.0.1:5432/postgres]

With a PostgreSQL URL, a database `plp_bench_jobs_<size>` is created, used and dropped per
size on that server; without one, SQLite files in a temporary directory are used.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import create_async_engine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

from bench.jobs_floor import FLOOR_BATCH, floor
from bench.jobs_seed import Seeder, fix_sequences
from bench.jobs_tick import measure
from storage.engine import create_engine
from storage.migration import migrate

BASELINE = 10
BASELINE_RUNS = 3
TARGET_PLANNING, TARGET_IDLE, TARGET_RSS_MB, TARGET_STALL, TARGET_AT = 2.0, 0.5, 200.0, 1.5, 10_000


async def fresh_database(base: str, tmp: str, size: int) -> str:
    """A new, empty database URL for one size."""
    if not base:
        path = Path(tmp) / f"jobs_{size}.db"
        for leftover in path.parent.glob(path.name + "*"):  # a previous run's file, its log, lock and gate
            leftover.unlink(missing_ok=True)
        return f"sqlite+aiosqlite:///{path}"
    url = _server(base)
    await _admin(url, f'DROP DATABASE IF EXISTS "{_name(size)}" WITH (FORCE)', f'CREATE DATABASE "{_name(size)}"')
    return url.set(database=_name(size)).render_as_string(hide_password=False)


async def drop_database(base: str, size: int) -> None:
    """Remove one size's PostgreSQL database (SQLite files go with the temp dir)."""
    if base:
        await _admin(_server(base), f'DROP DATABASE IF EXISTS "{_name(size)}" WITH (FORCE)')


def _server(base: str) -> URL:
    url = make_url(base)
    return url.set(drivername="postgresql+asyncpg") if url.drivername == "postgresql" else url


def _name(size: int) -> str:
    return f"plp_bench_jobs_{size}"


async def _admin(url: URL, *statements: str) -> None:
    admin = create_async_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            for statement in statements:
                await conn.execute(text(statement))
    finally:
        await admin.dispose()


async def seed(url: str, size: int) -> float:
    """Migrate and seed; return the seconds it took."""
    started = time.perf_counter()
    engine = create_engine(url)
    try:
        await migrate(engine)
        await Seeder(size).seed(engine)
        await fix_sequences(engine)
    finally:
        await engine.dispose()
    return time.perf_counter() - started


def run_child(url: str) -> dict[str, Any]:
    """One tick in a fresh process, so its peak RSS is the tick's own."""
    done = subprocess.run(
        [sys.executable, __file__, "--child", url], capture_output=True, text=True, check=False, timeout=7200
    )
    if done.returncode != 0:
        raise SystemExit(f"tick failed:\n{done.stderr[-4000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def report(results: dict[int, dict[str, Any]], backend: str) -> None:
    """Print one line per size with the figures the targets name."""
    base = results[BASELINE]["tick"]
    print(f"\n{backend}: baseline tick over {BASELINE} partnerships {base:.3f} s")
    print(
        "size     tick_s  planning_s  floor_s  cpu_s  idle_s  idle_cpu  growth  "
        "turn_p95_ms rest/tick/idle   db_p95_ms rest/tick/idle  rss_mb  queued  load"
    )
    previous: tuple[int, float] | None = None
    for size, r in sorted(results.items()):
        if size == BASELINE:
            continue
        planning = max(r["tick"] - base, 1e-9)
        growth = (planning / previous[1]) / (size / previous[0]) if previous else float("nan")
        turns = "/".join(f"{r[k] * 1000:.1f}" for k in ("turn_rest_p95", "turn_tick_p95", "turn_idle_tick_p95"))
        dbs = "/".join(f"{r[k] * 1000:.1f}" for k in ("db_rest_p95", "db_tick_p95", "db_idle_tick_p95"))
        print(
            f"{size:<8} {r['tick']:>6.2f} {planning:>11.2f} {r['floor']:>8.2f} {r['tick_cpu']:>6.2f} {r['idle']:>7.3f} "
            f"{r['idle_cpu']:>9.3f} {growth:>7.2f}  {turns:>26}  {dbs:>24} {r['rss_mb']:>7.1f} {r['queued']:>7}  "
            f"{r['load'][0]:.2f}->{r['load'][1]:.2f}"
        )
        previous = (size, planning)
        if size == TARGET_AT:
            stall = r["turn_tick_p95"] <= TARGET_STALL * r["turn_rest_p95"]
            idle_stall = r["turn_idle_tick_p95"] <= TARGET_STALL * r["turn_rest_p95"]
            verdict = {
                f"planning < {TARGET_PLANNING} s": planning < TARGET_PLANNING,
                f"idle tick < {TARGET_IDLE} s": r["idle"] < TARGET_IDLE,
                f"peak RSS < {TARGET_RSS_MB:.0f} MB": r["rss_mb"] < TARGET_RSS_MB,
                f"turn p95 in the tick <= {TARGET_STALL}x at rest": stall,
                f"turn p95 in the idle tick <= {TARGET_STALL}x at rest": idle_stall,
            }
            checks = ", ".join(f"{name} {'OK' if met else 'MISSED'}" for name, met in verdict.items())
            print(f"  targets at {TARGET_AT}: {checks}")
            print(
                f"  at {TARGET_AT} the database alone takes {r['floor']:.2f} s ({r['floor'] / TARGET_PLANNING:.1f}x "
                f"the planning target) to write the tick's {r['floor_rows']} rows"
            )
    print("  growth: planning-time ratio over size ratio against the previous size (<= 1 is linear or better)")
    print("  floor_s: the tick's outbox and guide-progress rows written again by the bare driver, no planning")
    print(f"  (sqlite3 / asyncpg, {FLOOR_BATCH} rows a committed transaction; bench/jobs_floor.py)")
    print("  cpu_s, idle_cpu: CPU seconds of the worker process on the tick; turn: a real `help` turn; db: its")
    print("  database part alone (read the person, upsert their conversation); load: 1-minute load average")
    print(f"  queued by kind at the largest size: {json.dumps(results[max(results)]['kinds'], sort_keys=True)}")


async def run(sizes: list[int], base_url: str) -> None:
    """Seed, tick and report each size, smallest first."""
    results: dict[int, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in [BASELINE, *sizes]:
            runs = []
            # The baseline is small and noisy on a shared machine: the median of three fresh runs.
            for _ in range(BASELINE_RUNS if size == BASELINE else 1):
                url = await fresh_database(base_url, tmp, size)
                seconds = await seed(url, size)
                before = os.getloadavg()[0]
                result = {**run_child(url), "load": (before, os.getloadavg()[0])}
                if size != BASELINE:
                    result["floor"], result["floor_rows"] = await floor(url)
                runs.append(result)
                await drop_database(base_url, size)
            results[size] = sorted(runs, key=lambda r: r["tick"])[len(runs) // 2]
            print(f"{size}: seeded in {seconds:.1f} s; tick {results[size]['tick']:.2f} s", flush=True)
    report(results, "PostgreSQL" if base_url else "SQLite")


def main() -> None:
    """Parse arguments; `--child URL` is the measuring process."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--database-url", default="", help="PostgreSQL server URL; default: SQLite temp files")
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(asyncio.run(measure(args.child))))
        return
    asyncio.run(run([int(s) for s in args.sizes.split(",") if s], args.database_url))


if __name__ == "__main__":
    main()
