"""Facilitator broadcasts: audience, preview, send now or later, cancel, delivery status, resend.

Sending a broadcast only inserts outbox rows (one per recipient, due now: an announcement
is not held for working hours), in batches of `BATCH` per transaction so thousands of rows
never hold one long transaction; the dispatcher does the sending with its rate limits and
retries. Each row's key is `broadcast:<id>:<participant>:<attempt>`, so a rerun (or a
second replica) inserts nothing twice and a resend uses the next attempt number.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from domain.broadcasts.model import (
    Audience,
    AudienceKind,
    AudiencePreview,
    Broadcast,
    BroadcastStatus,
    Created,
    Draft,
    Resent,
    StatusReport,
    Summary,
)
from domain.broadcasts.rules import GROUP_MEMBERS, BroadcastError, latest
from domain.broadcasts.wording import message_reply
from domain.core.jobs import JobContext
from domain.core.model import NewOutboxMessage, OutboxStatus, PartnershipStatus, outbox_key
from domain.core.ports import Store, UnitOfWork
from domain.health.rules import assess

KIND = "broadcast"
BATCH = 500
STALE_SENDING = timedelta(minutes=10)  # a broadcast still "sending" after this was interrupted


async def recipients(uow: UnitOfWork, audience: Audience, now: datetime) -> list[int]:
    """Participant ids the audience covers at `now`, in id order (enrolled people only)."""
    if audience.kind is AudienceKind.HEALTH:
        return sorted(await _in_health_state(uow, audience.value, now))
    people = [p for p in await uow.participants.list_all() if p.is_enrolled]
    if audience.kind is AudienceKind.COHORT:
        people = [p for p in people if str(p.cohort_id) == audience.value]
    elif audience.kind is AudienceKind.GROUP:
        wanted = GROUP_MEMBERS[audience.value]
        people = [p for p in people if p.group in wanted]
    return [p.id for p in people]


async def _in_health_state(uow: UnitOfWork, state: str, now: datetime) -> set[int]:
    """Both partners of every current partnership whose health is `state`."""
    found: set[int] = set()
    for cohort in await uow.cohorts.list_all():
        for pair in await uow.partnerships.list_for_cohort(cohort.id):
            if pair.status is PartnershipStatus.ENDED:
                continue
            health = assess(
                pair,
                await uow.health.last_activity(pair.id),
                await uow.health.has_upcoming(pair.id, now),
                now,
                cohort.quiet_weeks,
                cohort.inactive_weeks,
            )
            if health.value == state:
                found.update((pair.partner_a_id, pair.partner_b_id))
    return found


async def preview_audience(store: Store, audience: Audience, now: datetime) -> AudiencePreview:
    """How many people the audience covers now, with the cohorts to name it (for the preview)."""
    async with store.transaction() as uow:
        count = len(await recipients(uow, audience, now))
        return AudiencePreview(count, tuple(await uow.cohorts.list_all()))


async def create(store: Store, draft: Draft, created_by: int | None, send_at: datetime, now: datetime) -> Created:
    """Store the broadcast; one due now is enqueued straight away (the caller wakes the dispatcher)."""
    async with store.transaction() as uow:
        broadcast = await uow.broadcasts.create(draft, created_by, max(send_at, now), now)
    if send_at <= now:
        await enqueue(store, broadcast.id, now)
    return Created(broadcast, queued=send_at <= now)


async def enqueue(store: Store, broadcast_id: int, now: datetime, batch: int = BATCH) -> int:
    """Insert one outbox row per recipient (first attempt) in batches; return how many were new."""
    async with store.transaction() as uow:
        broadcast = await uow.broadcasts.get(broadcast_id)
        started = await uow.broadcasts.start_sending(broadcast_id)
        if broadcast is None or not (started or broadcast.status is BroadcastStatus.SENDING):
            return 0
        people = await recipients(uow, broadcast.draft.audience, now)
    inserted = await _insert(store, broadcast, [(pid, 1) for pid in people], now, batch)
    async with store.transaction() as uow:
        await uow.broadcasts.finish(broadcast_id, len(people), now)
    return inserted


async def _insert(
    store: Store, broadcast: Broadcast, targets: Sequence[tuple[int, int]], now: datetime, batch: int = BATCH
) -> int:
    """Outbox rows for (participant, attempt) pairs, `batch` per transaction."""
    payload = message_reply(broadcast.draft).to_dict()
    inserted = 0
    for start in range(0, len(targets), batch):
        rows = [
            NewOutboxMessage(outbox_key(KIND, broadcast.id, pid, attempt), KIND, pid, payload, now)
            for pid, attempt in targets[start : start + batch]
        ]
        async with store.transaction() as uow:
            inserted += await uow.outbox.enqueue(rows, now)
    return inserted


async def cancel(store: Store, broadcast_id: int) -> bool:
    """Cancel a scheduled broadcast and any of its rows still pending; False if it was not scheduled."""
    async with store.transaction() as uow:
        if not await uow.broadcasts.cancel(broadcast_id):
            return False
        await uow.outbox.cancel_pending(f"{KIND}:{broadcast_id}:")
        return True


async def resend_failed(store: Store, broadcast_id: int, now: datetime) -> Resent:
    """New rows (next attempt) for recipients whose latest row is dead; unreachable people are skipped."""
    async with store.transaction() as uow:
        broadcast = await uow.broadcasts.get(broadcast_id)
        if broadcast is None:
            raise BroadcastError("I can't find that broadcast. Type **broadcasts** to see recent ones.")
        failed = [
            (d.participant_id, d.attempt + 1)
            for d in latest(await uow.broadcasts.deliveries(broadcast_id)).values()
            if d.status is OutboxStatus.DEAD
        ]
    count = await _insert(store, broadcast, failed, now)
    return Resent(count, queued=count > 0)


async def list_scheduled(store: Store) -> list[Broadcast]:
    """Broadcasts still waiting for their time, soonest first (to choose one to cancel)."""
    async with store.transaction() as uow:
        return await uow.broadcasts.scheduled()


async def status_report(store: Store, limit: int = 5) -> StatusReport:
    """Recent broadcasts with each one's per-recipient delivery summary and who cannot be reached."""
    async with store.transaction() as uow:
        rows = []
        for broadcast in await uow.broadcasts.recent(limit):
            final = latest(await uow.broadcasts.deliveries(broadcast.id))
            names = [
                p.name
                for pid, d in sorted(final.items())
                if d.status is OutboxStatus.UNREACHABLE and (p := await uow.participants.get(pid)) is not None
            ]
            rows.append((broadcast, Summary.of([d.status for d in final.values()], names)))
        return StatusReport(tuple(rows), tuple(await uow.cohorts.list_all()))


async def run_due(ctx: JobContext, now: datetime) -> int:
    """Enqueue scheduled broadcasts that are due (and finish interrupted ones); return rows inserted.

    Broadcasts go out at their time, not in working hours, so only the store is used.
    """
    async with ctx.store.transaction() as uow:
        due = await uow.broadcasts.due(now, now - STALE_SENDING)
    return sum([await enqueue(ctx.store, broadcast_id, now) for broadcast_id in due])
