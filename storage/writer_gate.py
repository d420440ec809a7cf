"""Turns first at SQLite's one writer lock: the server says how many of its turns are under way and of
its writers are waiting for the lock, and the scheduled-work worker begins no write while any is.

SQLite gives its writer lock to whoever asks once it is free, and a writer that finds it taken sleeps
and asks again (after 1, 2, 5, 10… ms): a worker writing batch after batch, each a few milliseconds,
would keep winning it. So while the server answers a turn (from its claim to its answer:
storage/engine.py `turn_under_way`, held by web/messages.py and channels/slack/turns.py) and while a
write transaction of the server waits for the lock, a counter in a small file beside the database
(`<db>.writers`, shared memory between the processes) is one higher, and before each of its write
transactions the worker waits until the counter is zero (at most HOLD_BACK_SECONDS, so a busy server
or a counter left high by a crash can only slow it). A turn's first write then waits for at most the
worker's current batch, and its later writes not at all. The server, SQLite's one serving process,
sets the counter to zero when it opens the database.
"""

from __future__ import annotations

import fcntl
import mmap
import os
import struct
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

HOLD_BACK_SECONDS = 0.5  # the longest the worker waits for the server's writers before each write
POLL_SECONDS = 0.0005
_COUNTER = struct.Struct("=i")


class WriterGate:
    """The shared count of the server's turns under way and writers waiting for the lock."""

    def __init__(self, path: Path, *, reset: bool) -> None:
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)  # kept open for the lock around each change
        if os.fstat(self._fd).st_size < _COUNTER.size:
            os.ftruncate(self._fd, _COUNTER.size)
        self._memory = mmap.mmap(self._fd, _COUNTER.size)
        weakref.finalize(self, _close, self._memory, self._fd)  # let go of the file with the gate
        if reset:
            self._change(lambda _: 0)

    @classmethod
    def beside(cls, database: Path, *, reset: bool) -> WriterGate:
        """The gate of the SQLite file `database`."""
        return cls(database.with_name(database.name + ".writers"), reset=reset)

    @property
    def waiting(self) -> int:
        """How many of the server's turns are under way and writers waiting for the lock now."""
        count: int = _COUNTER.unpack_from(self._memory)[0]
        return count

    @contextmanager
    def counting(self) -> Iterator[None]:
        """Count one more for as long as the block runs (the server's BEGIN, or a whole turn)."""
        self._change(lambda count: count + 1)
        try:
            yield
        finally:
            self._change(lambda count: max(0, count - 1))

    def hold_back(self, limit: float = HOLD_BACK_SECONDS) -> float:
        """Wait (the worker, blocking) until no turn of the server is under way and no writer of it waits, or
        `limit`; the seconds waited."""
        started = time.monotonic()
        while self.waiting > 0 and time.monotonic() - started < limit:
            time.sleep(POLL_SECONDS)
        return time.monotonic() - started

    def _change(self, new: Callable[[int], int]) -> None:
        """Read, change and write the counter under a file lock (`run-jobs` beside the server counts too)."""
        fcntl.lockf(self._fd, fcntl.LOCK_EX)
        try:
            _COUNTER.pack_into(self._memory, 0, new(self.waiting))
        finally:
            fcntl.lockf(self._fd, fcntl.LOCK_UN)


def _close(memory: mmap.mmap, fd: int) -> None:
    memory.close()
    os.close(fd)
