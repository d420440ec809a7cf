"""Helpers shared by the repositories: dialect-specific INSERT ... ON CONFLICT, and the cheapest
way to say "one of these ids" for the bulk reads and writes of scheduled work."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, TypeVar, cast

from sqlalchemy import CursorResult, Integer, Result, String, bindparam, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")


def upsert_insert(dialect_name: str, table: Any) -> Any:
    """An INSERT offering `on_conflict_do_nothing/do_update` for `table` on this dialect."""
    if dialect_name == "postgresql":
        return postgresql.insert(table)
    if dialect_name == "sqlite":
        return sqlite.insert(table)
    raise ValueError(f"unsupported database dialect {dialect_name!r}; use SQLite or PostgreSQL")


def session_insert(session: AsyncSession, table: Any) -> Any:
    """`upsert_insert` for the database behind `session`."""
    return upsert_insert(session.get_bind().dialect.name, table)


def missing(kind: str, ident: int) -> LookupError:
    """The error raised when a repository is asked to change a row that does not exist."""
    return LookupError(f"{kind} {ident} not found")


def rows_affected(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE touched (`execute` is typed as a plain Result)."""
    return int(cast("CursorResult[Any]", result).rowcount or 0)


# Ids per IN (...) list: well under the bind-parameter limits of SQLite and asyncpg.
ID_CHUNK = 1000
DENSE = 2  # ids spanning at most this many times their number are read as a range


def id_chunks(ids: Sequence[T]) -> Iterator[list[T]]:
    """`ids` in slices of ID_CHUNK, for IN (...) lists."""
    listed = list(ids)
    for start in range(0, len(listed), ID_CHUNK):
        yield listed[start : start + ID_CHUNK]


def one_of(session: AsyncSession, column: Any, values: Sequence[Any]) -> Any:
    """`column IN values`: one array parameter on PostgreSQL (the statement text, and so its prepared
    plan, is the same for every chunk), an IN list on SQLite."""
    if session.get_bind().dialect.name == "postgresql":
        element = String if values and isinstance(values[0], str) else Integer
        return column == func.any(bindparam(None, list(values), type_=postgresql.ARRAY(element)))
    return column.in_(values)


def around(session: AsyncSession, column: Any, ids: Sequence[int]) -> Any:
    """`column` among `ids` or, for a dense run of ids such as a page of partnerships, anywhere in
    their range (one index range scan): callers keep only the ids they asked for."""
    low, high = min(ids), max(ids)
    if high - low < DENSE * len(ids):
        return column.between(low, high)
    return one_of(session, column, ids)


async def changed(session: AsyncSession, *statements: Any) -> int:
    """Run UPDATE/DELETE statements in `session`; how many rows they changed in all (the session's
    loaded objects are expired, so later reads see the changes)."""
    total = 0
    for statement in statements:
        result = await session.execute(statement, execution_options={"synchronize_session": False})
        total += rows_affected(result)
    session.expire_all()
    return total
