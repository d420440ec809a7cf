"""The database's own share of a tick, for `bench_jobs.py`: the rows the tick queued, written again by the
bare driver with no planning at all.

After the measured tick, its outbox and guide-progress rows are read, deleted, and inserted again the
way the tick's worker writes them: the same `INSERT … ON CONFLICT DO NOTHING`, FLOOR_BATCH rows a
committed transaction (on SQLite one `executemany`, with the worker's pragmas, BULK_PRAGMAS; on
PostgreSQL one statement over column arrays, `unnest`), with `sqlite3` or `asyncpg` called directly.
No SQLAlchemy, no Python deciding anything: what that takes is the least any planning of this tick
can cost on this machine and database, so `planning` is read against it.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

from bench.jobs_seed import NOW
from storage.bulk_insert import sqlite_time
from storage.engine import BULK_PRAGMAS, is_sqlite, sqlite_path

FLOOR_BATCH = 1000  # rows a transaction (the worker's groups write about this many)
# (column, its PostgreSQL type): the columns the worker's statements give
OUTBOX = (
    ("idempotency_key", "varchar"),
    ("kind", "varchar"),
    ("participant_id", "int"),
    ("payload", "json"),
    ("due_at", "timestamptz"),
    ("status", "varchar"),
    ("created_at", "timestamptz"),
    ("attempts", "int"),
    ("lease_owner", "varchar"),
    ("last_error", "varchar"),
    ("activity_id", "varchar"),
)
PROGRESS = (("partnership_id", "int"), ("prompt_id", "varchar"), ("queued_at", "timestamptz"))
# (table, columns, the column holding the tick's time, the conflict clause)
TABLES: tuple[tuple[str, tuple[tuple[str, str], ...], str, str], ...] = (
    ("outbox", OUTBOX, "created_at", "ON CONFLICT (idempotency_key) DO NOTHING"),
    ("guide_progress", PROGRESS, "queued_at", "ON CONFLICT (partnership_id, prompt_id) DO NOTHING"),
)


async def floor(url: str) -> tuple[float, int]:
    """Seconds the bare driver takes to write again the rows the tick queued at NOW or later, and how many."""
    return _sqlite_floor(url) if is_sqlite(url) else await _postgres_floor(url)


def _sqlite_floor(url: str) -> tuple[float, int]:
    path = sqlite_path(url)
    assert path is not None, "a file database"
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in ("PRAGMA journal_mode=WAL", *BULK_PRAGMAS):
            conn.execute(pragma)
        taken = []
        for table, columns, at, _ in TABLES:
            where = f"{at} >= ?"
            rows = conn.execute(f"SELECT {_names(columns)} FROM {table} WHERE {where}", (sqlite_time(NOW),)).fetchall()
            conn.execute(f"DELETE FROM {table} WHERE {where}", (sqlite_time(NOW),))
            taken.append(rows)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # start as the tick did: the log copied back
        started = time.perf_counter()
        for (table, columns, _, conflict), rows in zip(TABLES, taken, strict=True):
            statement = f"INSERT INTO {table} ({_names(columns)}) VALUES ({', '.join('?' * len(columns))}) {conflict}"
            for batch in _batches(rows):
                conn.execute("BEGIN IMMEDIATE")
                conn.executemany(statement, batch)
                conn.execute("COMMIT")
        return time.perf_counter() - started, sum(len(rows) for rows in taken)
    finally:
        conn.close()


async def _postgres_floor(url: str) -> tuple[float, int]:
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    conn = await asyncpg.connect(dsn)
    try:
        taken = []
        for table, columns, at, _ in TABLES:
            where = f"{at} >= $1"
            taken.append(await conn.fetch(f"SELECT {_names(columns)} FROM {table} WHERE {where}", NOW))
            await conn.execute(f"DELETE FROM {table} WHERE {where}", NOW)
            await conn.execute(f"VACUUM {table}")  # the deleted rows' room free again, as before the tick
        started = time.perf_counter()
        for (table, columns, _, conflict), rows in zip(TABLES, taken, strict=True):
            arrays = ", ".join(f"${n}::{_array_type(kind)}[]" for n, (_, kind) in enumerate(columns, 1))
            values = ", ".join(f"{name}::json" if kind == "json" else name for name, kind in columns)
            statement = (
                f"INSERT INTO {table} ({_names(columns)}) SELECT {values} "
                f"FROM unnest({arrays}) AS t({_names(columns)}) {conflict}"
            )
            for batch in _batches(rows):
                async with conn.transaction():
                    await conn.execute(statement, *(list(column) for column in zip(*batch, strict=True)))
        return time.perf_counter() - started, sum(len(rows) for rows in taken)
    finally:
        await conn.close()


def _array_type(kind: str) -> str:
    return "text" if kind == "json" else kind  # JSON goes as text and is cast per row


def _names(columns: Sequence[tuple[str, str]]) -> str:
    return ", ".join(name for name, _ in columns)


def _batches(rows: Sequence[Any]) -> list[Sequence[Any]]:
    return [rows[start : start + FLOOR_BATCH] for start in range(0, len(rows), FLOOR_BATCH)]
