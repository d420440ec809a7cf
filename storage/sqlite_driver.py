"""SQLAlchemy's aiosqlite adapter with one trip to the database thread per statement.

aiosqlite runs each SQLite connection in its own thread; every call is a hand-off to that
thread and back. SQLAlchemy's adapter makes four per statement (open a cursor, execute, fetch
the rows, close the cursor), and each hand-off waits for the GIL while the event loop is busy
with other turns: under 20 concurrent conversations a turn spent more time queueing for those
hand-offs than running SQL. Here a statement is one call run in the database thread (cursor,
execute, fetch, close together); everything else (BEGIN, COMMIT, server-side cursors,
executemany) is SQLAlchemy's as it was. Passed to `create_async_engine(module=...)`, so the URL
stays `sqlite+aiosqlite://`.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from typing import Any, cast

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)

Outcome = tuple[Any, list[Any], int | None, int]  # description, rows, lastrowid, rowcount


def _run(connection: aiosqlite.Connection, operation: str, parameters: Any) -> Outcome:
    """In the database thread: one statement, start to finish."""
    cursor = connection._conn.cursor()
    try:
        if parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        if cursor.description:
            return cursor.description, cursor.fetchall(), -1, -1
        return None, [], cursor.lastrowid, cursor.rowcount
    finally:
        cursor.close()


class _OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    """A buffered cursor whose `execute` is a single hand-off to the database thread."""

    __slots__ = ()

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        try:
            outcome: Outcome = self.await_(self._connection._execute(_run, self._connection, operation, parameters))
        except Exception as error:
            self._adapt_connection._handle_exception(error)
        self.description, rows, lastrowid, self.rowcount = outcome
        self.lastrowid = cast(int, lastrowid)  # None before any INSERT, as SQLAlchemy's own adapter passes it on
        self._rows = deque(rows)


class _OneTripConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()

    def cursor(self, server_side: bool = False) -> AsyncAdapt_aiosqlite_cursor:
        return super().cursor(server_side) if server_side else _OneTripCursor(self)


class OneTripDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """The DB-API module SQLAlchemy's aiosqlite dialect drives, with `_OneTripCursor`s."""

    def __init__(self) -> None:
        super().__init__(aiosqlite, sqlite3)

    def connect(self, *args: Any, **kwargs: Any) -> AsyncAdapt_aiosqlite_connection:
        adapted = super().connect(*args, **kwargs)
        return _OneTripConnection(self, adapted._connection)
