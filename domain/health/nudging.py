"""The graded, power-aware response to quiet partnerships, run by a scheduled job.

1. the same warm nudge to both partners; 2. a week later, if still quiet, a private
check-in with each partner separately; 3. a week after that, an alert to facilitators
naming the pair and status only. At most one step a week; nothing while paused or after
the end; a logged or booked meeting starts everything afresh. Pauses past their end date
resume, and people who cannot be reached are flagged to facilitators, never skipped.
"""

from __future__ import annotations

from datetime import datetime

from domain.core.identity import facilitator_ids
from domain.core.model import NewOutboxMessage, Participant, Partnership, outbox_key
from domain.core.pairs import pair_people
from domain.core.ports import Store, UnitOfWork
from domain.core.reply import Reply
from domain.core.timing import WorkingHours, next_delivery_time
from domain.health.rules import Health, assess, next_step, quiet_since
from domain.health.wording import checkin_card, nudge_card, quiet_alert, resumed_notice, unreachable_alert

STEP_KINDS = {1: "nudge", 2: "private_checkin", 3: "quiet_alert"}


async def run_health_checks(store: Store, hours: WorkingHours, configured: frozenset[str], now: datetime) -> int:
    """Resume due pauses, take the next ladder step for quiet pairs, flag the unreachable."""
    queued = await _resume_due_pauses(store, hours, now)
    async with store.transaction() as uow:
        partnerships = await uow.partnerships.list_active()
    for partnership in partnerships:
        async with store.transaction() as uow:
            queued += await _step(uow, partnership, hours, configured, now)
    async with store.transaction() as uow:
        queued += await _flag_unreachable(uow, configured, now)
    return queued


async def _step(
    uow: UnitOfWork, partnership: Partnership, hours: WorkingHours, configured: frozenset[str], now: datetime
) -> int:
    cohort = await uow.cohorts.get(partnership.cohort_id)
    if cohort is None or partnership.started_on is None:
        return 0
    activity = await uow.health.last_activity(partnership.id)
    health = assess(
        partnership,
        activity,
        await uow.health.has_upcoming(partnership.id, now),
        now,
        cohort.quiet_weeks,
        cohort.inactive_weeks,
    )
    since = quiet_since(partnership, activity) or now
    step = next_step(health, await uow.health.nudges_since(partnership.id, since), now)
    if step is None:
        return 0
    episode = since.date().isoformat()
    a, b = await pair_people(uow, partnership, partnership.partner_a_id)
    if step == 3:
        messages = await _to_facilitators(
            uow, configured, partnership.id, episode, quiet_alert((a.name, b.name), health, cohort.name), now
        )
        await uow.health.record_nudge(partnership.id, None, 3, now)
    else:
        card = nudge_card() if step == 1 else checkin_card()
        messages = [_message(STEP_KINDS[step], partnership.id, person, episode, card, hours, now) for person in (a, b)]
        for person in (a, b):
            await uow.health.record_nudge(partnership.id, person.id, step, now)
    return await uow.outbox.enqueue(messages, now)


def _message(
    kind: str, subject: int, person: Participant, occurrence: str, reply: Reply, hours: WorkingHours, now: datetime
) -> NewOutboxMessage:
    return NewOutboxMessage(
        outbox_key(kind, subject, person.id, occurrence),
        kind,
        person.id,
        reply.to_dict(),
        next_delivery_time(now, person.time_zone, hours),
    )


async def _to_facilitators(
    uow: UnitOfWork, configured: frozenset[str], subject: int | str, occurrence: str, reply: Reply, now: datetime
) -> list[NewOutboxMessage]:
    """Facilitator alerts go out straight away (they are about people, not to them)."""
    return [
        NewOutboxMessage(
            outbox_key("facilitator_alert", subject, fid, occurrence), "facilitator_alert", fid, reply.to_dict(), now
        )
        for fid in await facilitator_ids(uow, configured)
    ]


async def _resume_due_pauses(store: Store, hours: WorkingHours, now: datetime) -> int:
    async with store.transaction() as uow:
        paused = [p for p in await uow.partnerships.list_paused() if p.paused_until and p.paused_until <= now.date()]
        queued = 0
        for partnership in paused:
            await uow.partnerships.resume(partnership.id, now.date())
            people = await pair_people(uow, partnership, partnership.partner_a_id)
            queued += await uow.outbox.enqueue(
                [
                    _message(
                        "resumed", partnership.id, person, str(partnership.paused_until), resumed_notice(), hours, now
                    )
                    for person in people
                ],
                now,
            )
        return queued


async def _flag_unreachable(uow: UnitOfWork, configured: frozenset[str], now: datetime) -> int:
    queued = 0
    for person in await uow.participants.unreachable_unalerted():
        messages = await _to_facilitators(
            uow,
            configured,
            f"unreachable-{person.id}",
            now.date().isoformat(),
            unreachable_alert(person.name or f"#{person.id}"),
            now,
        )
        messages = [m for m in messages if m.participant_id != person.id]
        queued += await uow.outbox.enqueue(messages, now) if messages else 0
        await uow.participants.mark_unreachable_alerted(person.id, now)
    return queued


__all__ = ["Health", "run_health_checks"]
