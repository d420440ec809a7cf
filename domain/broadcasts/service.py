"""Facilitator broadcasts: audience, preview, send now or later, cancel, delivery status, resend.

Confirming a broadcast only stores it (its audience, message and send time), so the turn
answers at once whatever the audience's size. Each recipient's outbox row is inserted in the
background, in batches (`materialise.py`, run by `run_due` every few seconds and woken after
a confirm); the dispatcher does the sending with its rate limits and retries. Row keys are
`broadcast:<id>:<participant>:<attempt>`, so nothing is inserted twice and a resend uses the
next attempt number.
"""

from __future__ import annotations

from datetime import datetime

from domain.broadcasts import audience as audiences
from domain.broadcasts.materialise import NO_HOOKS, Hooks, drain
from domain.broadcasts.model import (
    Audience,
    AudienceKind,
    AudiencePreview,
    Broadcast,
    BroadcastStatus,
    Cancelled,
    Created,
    Draft,
    Resent,
    StatusReport,
    Summary,
)
from domain.broadcasts.rules import BroadcastError
from domain.core.jobs import JobContext
from domain.core.model import OutboxStatus
from domain.core.ports import Store

NAMES_SHOWN = 20  # unreachable people named on a status card; more are counted
NOT_RESENDABLE = {
    BroadcastStatus.SCHEDULED: "That broadcast hasn't gone out yet, so there is nothing to resend.",
    BroadcastStatus.SENDING: "That broadcast is still being prepared. Try again once **broadcasts** shows it sent.",
    BroadcastStatus.RESENDING: "A resend of that broadcast is already being prepared.",
    BroadcastStatus.CANCELLED: "That broadcast was cancelled, so it can't be resent.",
}


async def preview_audience(store: Store, audience: Audience, now: datetime) -> AudiencePreview:
    """How many people the audience covers now, with the cohorts to name it (for the preview)."""
    async with store.transaction() as uow:
        return AudiencePreview(await audiences.count(uow, audience, now), tuple(await uow.cohorts.list_all()))


async def create(store: Store, draft: Draft, created_by: int | None, send_at: datetime, now: datetime) -> Created:
    """Store the broadcast and nothing proportional to its audience; one due now is `queued` (wake the background)."""
    due = send_at <= now
    status = BroadcastStatus.SENDING if due else BroadcastStatus.SCHEDULED
    async with store.transaction() as uow:
        broadcast = await uow.broadcasts.create(draft, created_by, max(send_at, now), now, status)
    return Created(broadcast, queued=due)


async def cancel(store: Store, broadcast_id: int) -> Cancelled:
    """Stop a broadcast not fully sent: no more rows are inserted and its pending rows are withdrawn."""
    async with store.transaction() as uow:
        broadcast = await uow.broadcasts.lock(broadcast_id)  # waits for a batch being inserted
        if broadcast is None or broadcast.status is BroadcastStatus.CANCELLED:
            return Cancelled(stopped=False)
        withdrawn = await uow.broadcasts.withdraw_pending(broadcast_id)
        if broadcast.status is BroadcastStatus.SENT and not withdrawn:
            return Cancelled(stopped=False)  # everything already went out (or is on the wire)
        await uow.broadcasts.advance(broadcast_id, BroadcastStatus.CANCELLED, broadcast.materialised_through, 0, None)
        return Cancelled(stopped=True, underway=broadcast.status is not BroadcastStatus.SCHEDULED)


async def resend_failed(store: Store, broadcast_id: int) -> Resent:
    """Queue next attempts for recipients whose latest delivery is dead (not the unreachable), in the background."""
    async with store.transaction() as uow:
        broadcast = await uow.broadcasts.lock(broadcast_id)
        if broadcast is None:
            raise BroadcastError("I can't find that broadcast. Type **broadcasts** to see recent ones.")
        if broadcast.status is not BroadcastStatus.SENT:
            raise BroadcastError(NOT_RESENDABLE[broadcast.status])
        failed = Summary.of(await uow.broadcasts.summary(broadcast_id)).failed
        if failed:
            await uow.broadcasts.advance(broadcast_id, BroadcastStatus.RESENDING, 0, 0, None)
    return Resent(failed, queued=failed > 0)


async def list_cancellable(store: Store, recent: int = 5) -> list[Broadcast]:
    """Broadcasts that can still be stopped (scheduled, being prepared, or with rows waiting), soonest first."""
    async with store.transaction() as uow:
        found = await uow.broadcasts.unfinished()
        for broadcast in await uow.broadcasts.recent(recent):
            if broadcast.status is BroadcastStatus.SENT and (await uow.broadcasts.summary(broadcast.id)).get(
                OutboxStatus.PENDING
            ):
                found.append(broadcast)
    return sorted(found, key=lambda b: (b.send_at, b.id))


async def status_report(store: Store, limit: int = 5) -> StatusReport:
    """Recent broadcasts, each with its delivery counts (grouped in the database) and who cannot be reached."""
    async with store.transaction() as uow:
        rows = []
        for broadcast in await uow.broadcasts.recent(limit):
            # A group audience's names are never shown (special category data), so never read.
            group = broadcast.draft.audience.kind is AudienceKind.GROUP
            names = [] if group else await uow.broadcasts.unreachable_names(broadcast.id, NAMES_SHOWN)
            rows.append((broadcast, Summary.of(await uow.broadcasts.summary(broadcast.id), names)))
        return StatusReport(tuple(rows), tuple(await uow.cohorts.list_all()))


async def run_due(ctx: JobContext, now: datetime, hooks: Hooks = NO_HOOKS) -> int:
    """Insert the rows of every broadcast due at `now` (and finish interrupted ones), batch by batch.

    Broadcasts go out at their time, not in working hours, so only the store is used.
    """
    return await drain(ctx.store, now, hooks=hooks)
