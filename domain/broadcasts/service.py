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

from domain.broadcasts.model import Audience, AudienceKind, Broadcast, BroadcastStatus, Delivery, Draft
from domain.broadcasts.wording import Summary, message_reply
from domain.core.jobs import JobContext
from domain.core.model import Group, NewOutboxMessage, OutboxStatus, PartnershipStatus, outbox_key
from domain.core.ports import Store, UnitOfWork
from domain.core.timing import WorkingHours
from domain.health.rules import assess

KIND = "broadcast"
BATCH = 500
STALE_SENDING = timedelta(minutes=10)  # a broadcast still "sending" after this was interrupted
# A group audience also reaches people who are in both groups.
GROUP_MEMBERS = {
    Group.SENIOR_LEADER.value: {Group.SENIOR_LEADER, Group.BOTH},
    Group.BME_COLLEAGUE.value: {Group.BME_COLLEAGUE, Group.BOTH},
    Group.BOTH.value: {Group.BOTH},
}


class BroadcastError(Exception):
    """A request that cannot be met; the message is safe to show to the facilitator."""


def check_link(text: str) -> tuple[str, str]:
    """Read "Button title https://link" into (title, url); the link must be https."""
    words = text.split()
    if len(words) < 2 or not words[-1].lower().startswith("https://") or len(words[-1]) < 12:
        raise BroadcastError(
            "Please type the button title, then the link starting with https://, "
            "e.g. *Book your place https://example.org/book*."
        )
    title, url = " ".join(words[:-1]), words[-1]
    if len(title) > 80 or len(url) > 500:
        raise BroadcastError("That's a little long: keep the title under 80 characters and the link under 500.")
    return title, url


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


async def count_recipients(store: Store, audience: Audience, now: datetime) -> int:
    """How many people the audience covers now (for the preview)."""
    async with store.transaction() as uow:
        return len(await recipients(uow, audience, now))


async def create(store: Store, draft: Draft, created_by: int | None, send_at: datetime, now: datetime) -> Broadcast:
    """Store the broadcast; one due now is enqueued straight away (the caller wakes the dispatcher)."""
    async with store.transaction() as uow:
        broadcast = await uow.broadcasts.create(draft, created_by, max(send_at, now), now)
    if send_at <= now:
        await enqueue(store, broadcast.id, now)
    return broadcast


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


async def run_broadcast_jobs(
    store: Store, now: datetime, configured_facilitators: frozenset[str], hours: WorkingHours
) -> int:
    """Enqueue scheduled broadcasts that are due (and finish interrupted ones); return rows inserted.

    `configured_facilitators` and `hours` are unused: broadcasts go out at their time, not in working hours.
    """
    async with store.transaction() as uow:
        due = await uow.broadcasts.due(now, now - STALE_SENDING)
    return sum([await enqueue(store, broadcast_id, now) for broadcast_id in due])


async def cancel(store: Store, broadcast_id: int) -> bool:
    """Cancel a scheduled broadcast and any of its rows still pending; False if it was not scheduled."""
    async with store.transaction() as uow:
        if not await uow.broadcasts.cancel(broadcast_id):
            return False
        await uow.outbox.cancel_pending(f"{KIND}:{broadcast_id}:")
        return True


def latest(deliveries: Sequence[Delivery]) -> dict[int, Delivery]:
    """Each recipient's latest attempt."""
    found: dict[int, Delivery] = {}
    for delivery in deliveries:
        if delivery.participant_id not in found or delivery.attempt > found[delivery.participant_id].attempt:
            found[delivery.participant_id] = delivery
    return found


async def resend_failed(store: Store, broadcast_id: int, now: datetime) -> int:
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
    return await _insert(store, broadcast, failed, now)


async def status_report(store: Store, limit: int = 5) -> list[tuple[Broadcast, Summary]]:
    """Recent broadcasts with each one's per-recipient delivery summary and who cannot be reached."""
    async with store.transaction() as uow:
        report = []
        for broadcast in await uow.broadcasts.recent(limit):
            final = latest(await uow.broadcasts.deliveries(broadcast.id))
            names = [
                p.name
                for pid, d in sorted(final.items())
                if d.status is OutboxStatus.UNREACHABLE and (p := await uow.participants.get(pid)) is not None
            ]
            report.append((broadcast, Summary.of([d.status for d in final.values()], names)))
        return report


async def run_due(ctx: JobContext, now: datetime) -> int:
    """Send the scheduled broadcasts whose time has come."""
    return await run_broadcast_jobs(ctx.store, now, ctx.facilitators.configured, ctx.settings.hours)
