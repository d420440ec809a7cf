"""Helpers shared by the repositories: dialect-specific INSERT ... ON CONFLICT."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, Result
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


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
