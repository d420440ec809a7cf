"""The tick of scheduled work in a process of its own, so planning never holds up a turn.

Planning for tens of thousands of partnerships is seconds of CPU work: on the serving event loop
it would delay every turn by as long as each step's Python runs. When serving, the bot hands each
tick to a worker process instead (started at the first tick and kept for the next ones; started
again if it died), which has its own database engine and runs `run_tick` for the instant the
server gives it; the server awaits the answer, then wakes the dispatcher. The worker writes a
chunk per short transaction, so on SQLite a turn's write waits at most about one chunk for the
writer lock. A tick the worker could not finish (it crashed or was stopped) is simply the next
tick's work: every step is idempotent. `run-jobs`, tests and tools run the tick in their own
process, and so does a server with `PLP_JOBS_PROCESS=0`.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import multiprocessing
import os
import time
from dataclasses import dataclass
from datetime import datetime
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

import logs
from config import Settings
from domain.core.clock import FixedClock
from domain.core.links import Links
from domain.guide.content import load_guide
from scheduling.periodic import job_context, run_tick
from storage.engine import create_engine
from storage.store import SqlStore

log = logging.getLogger(__name__)
STOP_SECONDS = 5.0  # how long a stopping server waits for the worker to end before killing it
NICENESS = 5  # the worker's CPU priority below the server's (os.nice): a quarter of its share when both want a core
GC_THRESHOLDS = (50_000, 20, 100)  # allocations before a young collection, and the older generations' ratios


@dataclass(frozen=True)
class WorkerSetup:
    """What the worker needs to build the job context the server would (sent to it once, pickled)."""

    settings: Settings
    links: Links


class TickFailed(RuntimeError):
    """A tick in the worker raised: the type of its first failure (never its message: it may name people)."""


class TickWorker:
    """Runs ticks in one worker process, one tick at a time."""

    def __init__(self, setup: WorkerSetup) -> None:
        self._setup = setup
        self._process: BaseProcess | None = None
        self._pipe: Connection | None = None
        self._is_ready = False
        self._turn = asyncio.Lock()
        self.last_tick_cpu = 0.0  # CPU seconds the worker spent on the last tick

    @property
    def pid(self) -> int | None:
        """The worker's process id once started (for operators and tests); None before the first tick."""
        return self._process.pid if self._process is not None else None

    async def run(self, now: datetime) -> int:
        """Run a tick for `now` in the worker; how many messages it queued.

        A worker found dead (it crashed, or was killed, since the last tick) is started again and
        the tick given to the new one: every step of a tick is idempotent, so a tick it had begun
        is simply run again."""
        async with self._turn:
            for attempt in (1, 2):
                try:
                    answer = await self._ask(now)
                    break
                except (EOFError, OSError):
                    self._forget()
                    if attempt == 2:
                        raise TickFailed("the scheduled-work worker stopped during the tick") from None
            outcome, value, self.last_tick_cpu = answer if isinstance(answer, tuple) else ("failed", "no answer", 0.0)
            if outcome == "failed":
                raise TickFailed(f"scheduled work failed in the worker ({value})")
            return int(value)

    async def start(self) -> None:
        """Start the worker now, if it is not running, and wait until it is ready for a tick (otherwise
        the first tick starts it: a second or two of imports in the new process, none on this loop)."""
        async with self._turn:
            await self._ready()

    async def _ask(self, now: datetime) -> object:
        pipe = await self._ready()
        pipe.send(now)
        return await self._answer(pipe)

    async def _ready(self) -> Connection:
        """The pipe to a worker that has said it is ready."""
        pipe = self._started()
        if not self._is_ready:
            await self._answer(pipe)  # its ("ready", pid)
            self._is_ready = True
        return pipe

    async def _answer(self, pipe: Connection) -> object:
        try:
            return await _receive(pipe)
        except asyncio.CancelledError:
            self._abandon()  # its answer would otherwise be read as the next message
            raise

    async def close(self) -> None:
        """Stop the worker (a tick under way is abandoned: the next start plans it again)."""
        process, pipe = self._process, self._pipe
        self._forget()
        if pipe is not None:
            pipe.close()  # the worker reads end-of-file and stops
        if process is not None:
            await asyncio.get_running_loop().run_in_executor(None, _stop, process)

    def _started(self) -> Connection:
        if self._process is not None and self._process.is_alive() and self._pipe is not None:
            return self._pipe
        self._forget()
        # spawn, not fork: the server has threads (aiosqlite, the default executor) that fork would copy half-way.
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        process = context.Process(target=serve, args=(theirs, self._setup), name="plp-scheduled-work", daemon=True)
        process.start()
        theirs.close()
        self._process, self._pipe, self._is_ready = process, ours, False
        log.info("scheduled-work worker started (pid %s)", process.pid)
        return ours

    def _abandon(self) -> None:
        if self._process is not None:
            self._process.kill()  # mid-transaction is safe: the database rolls it back
        if self._pipe is not None:
            self._pipe.close()
        self._forget()

    def _forget(self) -> None:
        self._process, self._pipe = None, None


async def _receive(pipe: Connection) -> object:
    """The next message on `pipe`, waiting on the event loop (no thread blocked meanwhile); EOFError once
    the other end has closed."""
    loop = asyncio.get_running_loop()
    ready: asyncio.Future[None] = loop.create_future()

    def readable() -> None:
        if not ready.done():
            ready.set_result(None)

    loop.add_reader(pipe.fileno(), readable)
    try:
        await ready
    finally:
        loop.remove_reader(pipe.fileno())
    return pipe.recv()


def _stop(process: BaseProcess) -> None:
    process.join(STOP_SECONDS)
    if process.is_alive():
        process.kill()
        process.join()


def serve(pipe: Connection, setup: WorkerSetup) -> None:
    """The worker process: run a tick for each instant received, answer with its count, until end-of-file.

    It runs at a lower CPU priority than the server (NICENESS), so on a busy machine turns go first and
    ticks take longer. Its garbage collector runs rarely during a tick (tens of thousands of short-lived
    objects would otherwise trigger it hundreds of times), and fully after each one."""
    with contextlib.suppress(OSError):
        os.nice(NICENESS)
    logs.configure(setup.settings.log_level)
    asyncio.run(_serve(pipe, setup))


async def _serve(pipe: Connection, setup: WorkerSetup) -> None:
    settings = setup.settings
    engine = create_engine(settings.database_url, bulk=True)
    guide = load_guide()
    gc.freeze()  # what start-up made lives as long as the worker: never scanned again
    gc.set_threshold(*GC_THRESHOLDS)
    pipe.send(("ready", os.getpid()))
    try:
        while True:
            try:
                now = await _receive(pipe)
            except EOFError:
                return  # the server closed the pipe (or died): stop
            assert isinstance(now, datetime)
            ctx = job_context(settings, SqlStore(engine), FixedClock(now), guide, setup.links)
            started = time.process_time()
            try:
                outcome: tuple[str, object] = ("queued", await run_tick(ctx, now))
            except Exception as exc:  # run_tick has logged each failure; the server logs the tick's
                outcome = ("failed", type(exc).__name__)
            gc.collect()
            pipe.send((*outcome, time.process_time() - started))
    finally:
        await engine.dispose()
