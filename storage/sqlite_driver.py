"""SQLAlchemy's aiosqlite adapter with one trip to the database thread per statement.

aiosqlite runs each SQLite connection in its own thread; every call is a hand-off to that
thread and back. SQLAlchemy's adapter makes four per statement (open a cursor, execute, fetch
the rows, close the cursor), and each hand-off waits for the GIL while the event loop is busy
with other turns: under 20 concurrent conversations a turn spent more time queueing for those
hand-offs than running SQL. Here a statement is one call run in the database thread (cursor,
execute, fetch, close together), and a transaction's BEGIN goes with its first statement
(`defer_begin`, from storage/engine.py); COMMIT, ROLLBACK and server-side cursors are
SQLAlchemy's as they were. Passed to `create_async_engine(module=...)`, so the URL stays
`sqlite+aiosqlite://`.
"""

from __future__ import annotations

import sqlite3
import time
from collections import deque
from typing import Any, cast

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)

Outcome = tuple[Any, list[Any], int | None, int]  # description, rows, lastrowid, rowcount
BUSY_TIMEOUT_MS = 30_000  # SQLite's own wait for a lock (busy handler), as set on every connection
BEGIN_POLL_SECONDS = 0.0005  # how often `begin_when_free` asks again for the write lock


def _begin_when_free(connection: aiosqlite.Connection, statement: str, limit: float) -> None:
    """In the database thread: `statement` (a BEGIN IMMEDIATE), asked again every BEGIN_POLL_SECONDS while
    another process holds the write lock, for up to `limit` seconds; then as SQLite's busy handler would fail."""
    conn = connection._conn
    conn.execute("PRAGMA busy_timeout=0")  # fail at once when locked: this loop does the waiting
    try:
        started = time.monotonic()
        while True:
            try:
                conn.execute(statement)
                return
            except sqlite3.OperationalError as error:
                if error.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY or time.monotonic() - started >= limit:
                    raise
            time.sleep(BEGIN_POLL_SECONDS)
    finally:
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def _run(connection: aiosqlite.Connection, begin: str | None, operation: str, parameters: Any, many: bool) -> Outcome:
    """In the database thread: the transaction's BEGIN if it is still to come, then one statement."""
    cursor = connection._conn.cursor()
    try:
        if begin is not None:
            cursor.execute(begin)
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
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
        self._one_trip(operation, parameters, many=False)

    def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
        self._one_trip(operation, seq_of_parameters, many=True)

    def _one_trip(self, operation: Any, parameters: Any, many: bool) -> None:
        connection = cast(_OneTripConnection, self._adapt_connection)
        begin = connection.take_begin()
        try:
            outcome: Outcome = self.await_(
                self._connection._execute(_run, self._connection, begin, operation, parameters, many)
            )
        except Exception as error:
            connection._handle_exception(error)
        self.description, rows, lastrowid, self.rowcount = outcome
        self.lastrowid = cast(int, lastrowid)  # None before any INSERT, as SQLAlchemy's own adapter passes it on
        self._rows = deque(rows)


class _OneTripConnection(AsyncAdapt_aiosqlite_connection):
    """Cursors make one trip per statement; a transaction's BEGIN rides along with its first statement."""

    __slots__ = ("_begin",)

    def __init__(self, dbapi: Any, connection: Any) -> None:
        super().__init__(dbapi, connection)
        self._begin: str | None = None

    def defer_begin(self, statement: str) -> None:
        """Begin the transaction with `statement`, sent with the next statement rather than on its own."""
        self._begin = statement

    def take_begin(self) -> str | None:
        """The BEGIN still to be sent, if any (taking it: it is sent once)."""
        begin, self._begin = self._begin, None
        return begin

    def begin_when_free(self, statement: str, limit: float = BUSY_TIMEOUT_MS / 1000) -> None:
        """Begin with `statement` now, in its own trip, taking SQLite's write lock the moment another process
        lets go of it. SQLite's busy handler sleeps 1, 2, 5, 10, 15, 20, 25… ms between asks, so a turn that
        meets the scheduled-work worker's transaction of 12 ms waits 18; here it waits 12.5."""
        self._begin = None
        try:
            self.await_(self._connection._execute(_begin_when_free, self._connection, statement, limit))
        except Exception as error:
            self._handle_exception(error)

    def commit(self) -> None:
        if self._open():
            super().commit()

    def rollback(self) -> None:
        if self._open():
            super().rollback()

    def _open(self) -> bool:
        """Whether SQLite has a transaction to end: none when it ran no statement (its BEGIN was never
        sent) or has already ended (SQLAlchemy's pool rolls back every connection it takes back)."""
        if self.take_begin() is not None:
            return False
        try:
            return bool(self._connection._conn.in_transaction)
        except ValueError:  # closed underneath us: let SQLAlchemy's adapter meet (and word) the error
            return True

    def cursor(self, server_side: bool = False) -> AsyncAdapt_aiosqlite_cursor:
        return super().cursor(server_side) if server_side else _OneTripCursor(self)


class OneTripDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """The DB-API module SQLAlchemy's aiosqlite dialect drives, with `_OneTripCursor`s."""

    def __init__(self) -> None:
        super().__init__(aiosqlite, sqlite3)

    def connect(self, *args: Any, **kwargs: Any) -> AsyncAdapt_aiosqlite_connection:
        adapted = super().connect(*args, **kwargs)
        return _OneTripConnection(self, adapted._connection)
