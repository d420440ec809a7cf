"""Broadcasts in the background: each recipient's outbox row is inserted batch by batch.

One batch is one transaction: the broadcast row is locked (another worker skips it), the next
window of the audience is read past the broadcast's cursor (`materialised_through`), the rows
go in with `ON CONFLICT DO NOTHING` on their idempotency keys, and the cursor moves, all
committed together. A crash loses at most the batch in hand, which the next run redoes; no
batch is inserted twice. A resend to failed recipients runs the same way over the failed ones.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from domain.broadcasts.audience import BATCH, next_window
from domain.broadcasts.model import Broadcast, BroadcastStatus, Window
from domain.broadcasts.rules import window
from domain.broadcasts.wording import message_reply
from domain.core.ports import Store, UnitOfWork

Target = tuple[int, int]  # (participant id, attempt)


@dataclass(frozen=True)
class Hooks:
    """How the background reacts between batches: `on_batch` after each batch that inserted rows
    (wake the dispatcher, so sending starts with the first batch), and `stop` (shutting down)."""

    on_batch: Callable[[], None] = lambda: None
    stop: Callable[[], bool] = lambda: False


NO_HOOKS = Hooks()


@dataclass(frozen=True)
class Progress:
    """What one batch did: for which broadcast, how many rows it inserted, and whether it was the last."""

    broadcast_id: int
    inserted: int
    done: bool


async def step(store: Store, now: datetime, batch: int = BATCH) -> Progress | None:
    """Insert the next batch of the first broadcast with rows to insert; None when there is none."""
    async with store.transaction() as uow:
        broadcast = await uow.broadcasts.take_next(now)
        if broadcast is None:
            return None
        targets, part = await _next_batch(uow, broadcast, batch)
        inserted = await _queue(uow, broadcast, targets, now)
        first = broadcast.status is not BroadcastStatus.RESENDING
        status = BroadcastStatus.SENT if part.done else _working(broadcast.status)
        sent_at = now if part.done and first else None
        await uow.broadcasts.advance(broadcast.id, status, part.through, inserted if first else 0, sent_at)
        return Progress(broadcast.id, inserted, part.done)


async def drain(store: Store, now: datetime, batch: int = BATCH, hooks: Hooks = NO_HOOKS) -> int:
    """Batch after batch until no broadcast has rows to insert at `now` (or `hooks.stop()`); return rows inserted."""
    total = 0
    while not hooks.stop() and (progress := await step(store, now, batch)) is not None:
        total += progress.inserted
        if progress.inserted:
            hooks.on_batch()
    return total


async def _queue(uow: UnitOfWork, broadcast: Broadcast, targets: list[Target], now: datetime) -> int:
    """One outbox row per (participant, attempt), due now: an announcement is not held for working hours."""
    payload = message_reply(broadcast.draft).to_dict()
    by_attempt: dict[int, list[int]] = {}
    for pid, attempt in targets:
        by_attempt.setdefault(attempt, []).append(pid)
    # One statement per attempt number: a batch of first attempts (or of a resend) is one INSERT.
    return sum([await uow.broadcasts.queue(broadcast.id, pids, n, payload, now) for n, pids in by_attempt.items()])


async def _next_batch(uow: UnitOfWork, broadcast: Broadcast, batch: int) -> tuple[list[Target], Window]:
    """First attempts for the audience's next window, or next attempts for the next failed recipients."""
    after = broadcast.materialised_through
    if broadcast.status is BroadcastStatus.RESENDING:
        failed = await uow.broadcasts.failed_after(broadcast.id, after, batch)
        ids = [d.participant_id for d in failed]
        return [(d.participant_id, d.attempt + 1) for d in failed], window(ids, ids, after, batch)
    part = await next_window(uow, broadcast.draft.audience, broadcast.send_at, after, batch)
    return [(pid, 1) for pid in part.recipients], part


def _working(status: BroadcastStatus) -> BroadcastStatus:
    """A scheduled broadcast taken for its first batch is sending; the others keep their phase."""
    return BroadcastStatus.SENDING if status is BroadcastStatus.SCHEDULED else status
