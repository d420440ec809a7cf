"""Engine creation, SQLite single-writer setup and the SQLite instance lock (migrations: storage.migration).

SQLite allows one writer at a time. Each write transaction begins IMMEDIATE (it takes the file's
write lock at BEGIN), and within this process writers also queue on the engine's `WriteGate`
first: an asyncio lock, so a writer waits its turn on the event loop instead of in SQLite's
busy handler, which polls with sleeps of up to 100 ms and lets an unlucky writer lose to later
ones for seconds under load. Reads (`read_only`) begin deferred and take neither: in WAL mode
they never wait for a writer. PostgreSQL has no gate (row locks, several replicas).
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
import os
import weakref
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, AbstractContextManager, asynccontextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Dialect, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from storage.sqlite_driver import BUSY_TIMEOUT_MS, OneTripDBAPI
from storage.writer_gate import WriterGate

log = logging.getLogger(__name__)
READ_ONLY = "plp_read_only"  # execution option: a transaction that only reads (see SqlStore.reading)
# The scheduled-work worker's SQLite connection: full `synchronous` commits like the server's (with
# `NORMAL` its unsynced log piled up until the next turn's commit flushed the lot: turns paid for the
# tick's writes), a 16 MB page cache (the outbox's indexes stay in memory through a tick), and a
# checkpoint every 16 MB of log rather than 4 (each page a batch rewrites is copied back once). Leaving
# checkpoints to the server's 30-second timer alone saved about half a second of a 48,000-message tick
# but lets a long tick grow the log without bound, so the worker still does its share.
BULK_PRAGMAS = ("PRAGMA synchronous=FULL", "PRAGMA cache_size=-16000", "PRAGMA wal_autocheckpoint=4000")


class WriteGate:
    """One write transaction at a time on an SQLite file, queued in order on the event loop.

    One lock per event loop (tests run several loops in one process; a bot runs one).
    """

    def __init__(self) -> None:
        self._locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = weakref.WeakKeyDictionary()

    def lock(self) -> asyncio.Lock:
        """This event loop's lock."""
        loop = asyncio.get_running_loop()
        found = self._locks.get(loop)
        if found is None:
            found = self._locks[loop] = asyncio.Lock()
        return found


# Keyed by the engine's dialect: `engine.execution_options(...)` copies share it (so the gate),
# and it outlives `dispose()`, which replaces the pool.
_GATES: weakref.WeakKeyDictionary[Dialect, WriteGate] = weakref.WeakKeyDictionary()
# The shared counter of the server's turns and waiting writers (storage/writer_gate.py; SQLite files only),
# by dialect as above: the server's engine counts on it, the scheduled-work worker's reads it.
_SERVER_GATES: weakref.WeakKeyDictionary[Dialect, WriterGate] = weakref.WeakKeyDictionary()
_WORKER_GATES: weakref.WeakKeyDictionary[Dialect, WriterGate] = weakref.WeakKeyDictionary()


def write_gate(engine: AsyncEngine) -> AbstractAsyncContextManager[Any]:
    """Hold this while writing (SQLite: the engine's `WriteGate`; otherwise nothing to hold)."""
    gate = _GATES.get(engine.sync_engine.dialect)
    return gate.lock() if gate is not None else nullcontext()


@asynccontextmanager
async def writing(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A write transaction (`engine.begin()`) taken in turn with this process's other writers."""
    async with write_gate(engine), engine.begin() as connection:
        yield connection


def turn_under_way(engine: AsyncEngine) -> AbstractContextManager[Any]:
    """Hold this while the server answers a turn: on an SQLite file the scheduled-work worker begins no
    write meanwhile (storage/writer_gate.py), so only a turn's first write can meet a batch of the worker's,
    never each of its writes in turn; elsewhere nothing to hold."""
    gate = _SERVER_GATES.get(engine.sync_engine.dialect)
    return gate.counting() if gate is not None else nullcontext()


def others_waiting(engine: AsyncEngine) -> bool:
    """Should a run of writes in one transaction commit now, for another writer's sake?

    The scheduled-work worker on an SQLite file: while one of the server's turns is under way or one of its
    writers waits for the lock.
    The server's own SQLite engine: always (its turns queue on the in-process gate, unseen from here).
    PostgreSQL: never (writers lock only the rows they touch).
    """
    dialect = engine.sync_engine.dialect
    worker_gate = _WORKER_GATES.get(dialect)
    if worker_gate is not None:
        return worker_gate.waiting > 0
    return dialect in _GATES


def read_only(engine: AsyncEngine) -> AsyncEngine:
    """The engine for transactions that only read: on SQLite a deferred BEGIN, no write lock, no gate."""
    return engine.execution_options(**{READ_ONLY: True})


class StorageError(RuntimeError):
    """The database cannot be used (bad URL, locked by another instance, unreachable)."""


def is_sqlite(url: str) -> bool:
    """True for an SQLite URL (the embedded default)."""
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    """The file behind an SQLite URL, or None for an in-memory database."""
    database = make_url(url).database
    return Path(database) if database and database != ":memory:" else None


def create_engine(url: str, *, bulk: bool = False, background_checkpoints: bool = False) -> AsyncEngine:
    """An async engine; on SQLite: WAL, foreign keys, BEGIN IMMEDIATE and the write gate (one writer at a
    time in this process), one hand-off to the database thread per statement (storage/sqlite_driver.py).

    PostgreSQL's JIT compiler is off: it spends up to hundreds of milliseconds compiling plans for the
    short queries of a chat bot, and for the bulk reads of scheduled work. `bulk` is the engine of the
    scheduled-work worker (scheduling/tick_worker.py): on SQLite it has a larger page cache and
    checkpoints less often (BULK_PRAGMAS). `background_checkpoints` is the
    server's engine: on SQLite no commit of a turn copies the log back into the database (SQLite's
    automatic checkpoint, after a tick's writes megabytes of it); the server calls `checkpoint` on a
    timer instead, off the turns' path.
    """
    if not is_sqlite(url):
        server_settings = {"jit": "off"}
        return create_async_engine(
            url, pool_pre_ping=True, pool_size=10, max_overflow=10, connect_args={"server_settings": server_settings}
        )
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    one_trip = {"module": OneTripDBAPI()} if make_url(url).get_driver_name() == "aiosqlite" else {}
    engine = create_async_engine(url, connect_args={"timeout": 30}, **one_trip)
    gate = WriterGate.beside(path.resolve(), reset=not bulk) if path is not None else None
    pragmas = BULK_PRAGMAS if bulk else ("PRAGMA wal_autocheckpoint=0",) if background_checkpoints else ()
    _sqlite_single_writer(engine, pragmas, gate, bulk)
    _GATES[engine.sync_engine.dialect] = WriteGate()
    if gate is not None:
        (_WORKER_GATES if bulk else _SERVER_GATES)[engine.sync_engine.dialect] = gate
    return engine  # the gate's file is let go with the engine (WriterGate's finalizer)


def _sqlite_single_writer(engine: AsyncEngine, pragmas: tuple[str, ...], gate: WriterGate | None, bulk: bool) -> None:
    """Take the write lock at BEGIN so two writers queue instead of failing mid-transaction; with a file,
    the server's writers go first and the scheduled-work worker's wait (storage/writer_gate.py)."""

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:  # the DB-API connection is untyped
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        for pragma in pragmas:
            cursor.execute(pragma)
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Reads (SqlStore.reading) begin deferred: in WAL mode they neither wait for nor block a writer.
        read_only = bool(conn.get_execution_options().get(READ_ONLY))
        if read_only or gate is None:
            statement = "BEGIN" if read_only else "BEGIN IMMEDIATE"
            defer_begin = getattr(conn.connection.dbapi_connection, "defer_begin", None)
            if defer_begin is not None:
                defer_begin(statement)  # sent with the first statement (storage/sqlite_driver.py)
            else:
                conn.exec_driver_sql(statement)
        elif bulk:  # the scheduled-work worker: let the server's waiting writers go first
            gate.hold_back()
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:  # the server: counted as waiting (the worker holds back) until it has the lock
            begin_when_free = getattr(conn.connection.dbapi_connection, "begin_when_free", None)
            with gate.counting():
                if begin_when_free is not None:
                    begin_when_free("BEGIN IMMEDIATE")  # taken the moment the worker's batch commits
                else:
                    conn.exec_driver_sql("BEGIN IMMEDIATE")


@dataclass
class InstanceLock:
    """An exclusive lock beside an SQLite file: a second bot on the same file refuses to start."""

    handle: IO[str] | None

    def release(self) -> None:
        if self.handle is not None:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()
            self.handle = None


def acquire_instance_lock(url: str) -> InstanceLock:
    """Lock `<db>.lock` beside the real SQLite file; PostgreSQL needs no lock (SKIP LOCKED claims).

    The path is resolved first: a symlink to the file (or to its folder) names the same
    database, so it must meet the same lock.
    """
    path = sqlite_path(url) if is_sqlite(url) else None
    if path is None:
        return InstanceLock(None)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path = path.resolve()
        # Held open for the life of the process: the lock lives as long as the handle.
        handle = open(f"{path}.lock", "w", encoding="utf-8")  # noqa: SIM115
    except OSError as exc:
        raise StorageError(
            f"cannot create the lock file beside {path} ({exc.strerror or type(exc).__name__}); "
            "the bot needs to write to the database's folder"
        ) from exc
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as exc:
        handle.close()
        raise StorageError(
            f"another PLP Companion is already using {path}; SQLite allows one instance. "
            "Stop it, or use PostgreSQL to run several replicas."
        ) from exc
    handle.write(str(os.getpid()))
    handle.flush()
    return InstanceLock(handle)


def unusable(url: str, exc: BaseException) -> StorageError:
    """A StorageError saying in one sentence why the database cannot be used (no URL: it may hold a password)."""
    cause = getattr(exc, "orig", None) or exc
    detail = (str(cause).strip().splitlines() or [type(cause).__name__])[0][:200]
    path = sqlite_path(url) if is_sqlite(url) else None
    where = f"the database file {path}" if path is not None else "the database"
    lowered = detail.lower()
    if "readonly" in lowered or "read-only" in lowered:
        return StorageError(f"{where} is read-only ({detail}); the bot must be able to write to it and its folder")
    if "disk is full" in lowered or "no space left" in lowered:
        return StorageError(f"the disk holding {where} is full ({detail})")
    if "unable to open" in lowered:
        return StorageError(f"cannot open {where} ({detail}); check the folder exists and the bot may write there")
    return StorageError(f"cannot use {where}: {type(cause).__name__}: {detail}")


async def checkpoint(engine: AsyncEngine) -> None:
    """Copy SQLite's write-ahead log back into the database without waiting for anyone (PASSIVE): what
    the server's connections no longer do at commit (`background_checkpoints`)."""
    if engine.dialect.name == "sqlite":
        async with engine.connect() as connection:
            await connection.run_sync(_checkpoint)


def _checkpoint(connection: Connection) -> None:
    # On the DB-API connection: through SQLAlchemy the pragma would run inside a transaction, where SQLite
    # cannot checkpoint.
    cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
    finally:
        cursor.close()


async def ping(engine: AsyncEngine) -> bool:
    """True when the database answers a trivial query (for /readyz)."""
    try:
        async with read_only(engine).connect() as connection:
            await connection.execute(text("SELECT 1"))
        return True
    except Exception:
        log.warning("database ping failed", exc_info=False)
        return False
