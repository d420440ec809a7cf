"""Small writes that arrive together are written together: one transaction, one commit.

Twenty people answered at once means twenty inbound claims and twenty "finished" marks. On
SQLite each write transaction queues for the single writer and ends in a commit that waits for
the disk (about 2 ms here); twenty of them in a row held up the last turn by as many. A `Batches`
runs one write for everything submitted before it started, while calls arriving during that
write wait for the next one. Each caller still gets its own answer, only after the commit.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

Item = TypeVar("Item")
Answer = TypeVar("Answer")
MAX_BATCH = 200  # rows in one statement: far below SQLite's bound-parameter limit


class Batches(Generic[Item, Answer]):
    """Submit items one by one; `write` receives them in batches, in order, and answers each."""

    def __init__(self, write: Callable[[list[Item]], Awaitable[Sequence[Answer]]], limit: int = MAX_BATCH) -> None:
        self._write, self._limit = write, limit
        self._waiting: list[tuple[Item, asyncio.Future[Answer]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def submit(self, item: Item) -> Answer:
        """This item's answer, once the batch holding it is written (its error, if that write failed)."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Answer] = loop.create_future()
        self._waiting.append((item, future))
        if self._writer is None or self._writer.done() or self._writer.get_loop() is not loop:
            self._writer = loop.create_task(self._write_all())
        return await future

    async def _write_all(self) -> None:
        """Write batches until nothing waits (calls arriving meanwhile join the next batch)."""
        while self._waiting:
            batch, self._waiting = self._waiting[: self._limit], self._waiting[self._limit :]
            try:
                answers = await self._write([item for item, _ in batch])
            except Exception as exc:
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            except BaseException:  # cancelled (shutdown): nobody is left waiting for ever
                for _, future in batch + self._waiting:
                    future.cancel()
                self._waiting = []
                raise
            for (_, future), answer in zip(batch, answers, strict=True):
                if not future.done():  # a caller that gave up (cancelled) needs no answer
                    future.set_result(answer)
