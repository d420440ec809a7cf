"""Inserting thousands of rows at once, skipping those already there: the bulk writes of scheduled work.

A `BulkInsert` is one statement per dialect, written once and run over plain values: no ORM and no
per-row parameter processing by SQLAlchemy. On SQLite, `INSERT … ON CONFLICT DO NOTHING` run over
the rows (executemany, whose row count is what was new); on PostgreSQL, one `INSERT … SELECT FROM
unnest(…) … ON CONFLICT DO NOTHING` per batch of column arrays, counting what was new. Values are
what the driver takes: datetimes aware (as UTC text in SQLAlchemy's own format on SQLite).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

SQLITE_BATCH = 1000  # rows per executemany
POSTGRES_BATCH = 5000  # rows per statement (one array per column of this length)


@dataclass(frozen=True)
class Column:
    """A column given per row: its PostgreSQL array element type, and how the row's value is selected there."""

    name: str
    postgres_type: str
    postgres_value: str = ""  # e.g. "payload::json"; the bare name when empty
    is_time: bool = False  # an aware datetime: stored as SQLAlchemy stores it on SQLite


@dataclass(frozen=True)
class BulkInsert:
    """`INSERT INTO table (columns, fixed) … ON CONFLICT (conflict) DO NOTHING` for many rows."""

    table: str
    columns: tuple[Column, ...]
    conflict: str  # the unique columns, e.g. "idempotency_key"
    fixed: tuple[tuple[str, str], ...] = ()  # (column, SQL literal) the same for every row

    async def run(self, session: AsyncSession, rows: Sequence[tuple[Any, ...]]) -> int:
        """Insert the rows (values in `columns` order) whose key is new, in the session's transaction;
        how many were new."""
        if not rows:
            return 0
        await session.flush()  # rows the session still holds (a parent added in this transaction) go first
        connection = await session.connection()
        inserted = 0
        if connection.dialect.name == "postgresql":
            for start in range(0, len(rows), POSTGRES_BATCH):
                arrays = tuple(list(values) for values in zip(*rows[start : start + POSTGRES_BATCH], strict=True))
                inserted += int((await connection.exec_driver_sql(self._postgres, arrays)).scalar_one())
            return inserted
        times = [i for i, column in enumerate(self.columns) if column.is_time]
        texts: dict[datetime, str] = {}  # many rows share a time (created now, due at one instant)
        for start in range(0, len(rows), SQLITE_BATCH):
            batch = rows[start : start + SQLITE_BATCH]
            if times:
                batch = [_with_sqlite_times(row, times, texts) for row in batch]
            result: Any = await connection.exec_driver_sql(self._sqlite, batch)
            inserted += int(result.rowcount)
        return inserted

    @cached_property
    def _names(self) -> str:
        return ", ".join([c.name for c in self.columns] + [name for name, _ in self.fixed])

    @cached_property
    def _sqlite(self) -> str:
        values = ", ".join(["?"] * len(self.columns) + [literal for _, literal in self.fixed])
        return f"INSERT INTO {self.table} ({self._names}) VALUES ({values}) ON CONFLICT ({self.conflict}) DO NOTHING"

    @cached_property
    def _postgres(self) -> str:
        arrays = ", ".join(f"${n}::{c.postgres_type}[]" for n, c in enumerate(self.columns, start=1))
        selected = ", ".join([c.postgres_value or c.name for c in self.columns] + [lit for _, lit in self.fixed])
        names = ", ".join(c.name for c in self.columns)
        return (
            f"WITH new AS (INSERT INTO {self.table} ({self._names}) SELECT {selected} "
            f"FROM unnest({arrays}) AS t({names}) ON CONFLICT ({self.conflict}) DO NOTHING RETURNING 1) "
            "SELECT count(*) FROM new"
        )


def sqlite_time(value: datetime) -> str:
    """An aware datetime as SQLAlchemy stores it on SQLite (UTC, naive text with microseconds), so
    rows written here compare with every other row and parameter."""
    if value.tzinfo is None:
        raise ValueError("naive datetime given to the database; pass timezone-aware UTC")
    if value.tzinfo is not UTC:
        value = value.astimezone(UTC)
    return value.replace(tzinfo=None).isoformat(" ", "microseconds")


def _with_sqlite_times(row: tuple[Any, ...], times: list[int], texts: dict[datetime, str]) -> tuple[Any, ...]:
    values = list(row)
    for i in times:
        text = texts.get(values[i])
        if text is None:
            text = texts[values[i]] = sqlite_time(values[i])
        values[i] = text
    return tuple(values)
