"""The graded, power-aware response to quiet partnerships: the steps `service.run_due` takes,
each inside the unit of work it is given.

1. the same warm nudge to both partners; 2. a week later, if still quiet, a private
check-in with each partner separately; 3. a week after that, an alert to facilitators
naming the pair and status only. At most one step a week; nothing while paused or after
the end; a logged or booked meeting starts everything afresh. Pauses past their end date
resume, and people who cannot be reached are flagged to facilitators, never skipped.
"""

from __future__ import annotations

from datetime import datetime

from domain.core.jobs import JobContext
from domain.core.model import Partnership
from domain.core.pairs import pair_people
from domain.core.ports import UnitOfWork
from domain.health.cards import (
    checkin_card,
    nudge_card,
    quiet_alert,
    resumed_notice,
    to_facilitators,
    to_partner,
    unreachable_alert,
)
from domain.health.model import ALERT, CHECKIN, NUDGE
from domain.health.rules import assess, next_step, quiet_since

STEP_KINDS = {NUDGE: "nudge", CHECKIN: "private_checkin"}  # the outbox kind of each step sent to partners


async def resume_due_pauses(uow: UnitOfWork, ctx: JobContext, now: datetime) -> int:
    """Resume every pause whose end date has come, and welcome both partners back."""
    paused = [p for p in await uow.partnerships.list_paused() if p.paused_until and p.paused_until <= now.date()]
    queued = 0
    for partnership in paused:
        await uow.partnerships.resume(partnership.id, now.date())
        people = await pair_people(uow, partnership, partnership.partner_a_id)
        occurrence = str(partnership.paused_until)
        queued += await uow.outbox.enqueue(
            [
                to_partner("resumed", partnership.id, person, occurrence, resumed_notice(), ctx.settings.hours, now)
                for person in people
            ],
            now,
        )
    return queued


async def take_step(uow: UnitOfWork, ctx: JobContext, partnership: Partnership, now: datetime) -> int:
    """Take the ladder step due now for this partnership, if any; how many messages it queued."""
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
    if step == ALERT:
        alert = quiet_alert((a.name, b.name), health, cohort.name)
        messages = to_facilitators(await ctx.facilitators.ids(uow), partnership.id, episode, alert, now)
        await uow.health.record_nudge(partnership.id, None, ALERT, now)
    else:
        card = nudge_card() if step == NUDGE else checkin_card()
        messages = [
            to_partner(STEP_KINDS[step], partnership.id, person, episode, card, ctx.settings.hours, now)
            for person in (a, b)
        ]
        for person in (a, b):
            await uow.health.record_nudge(partnership.id, person.id, step, now)
    return await uow.outbox.enqueue(messages, now)


async def flag_unreachable(uow: UnitOfWork, ctx: JobContext, now: datetime) -> int:
    """Tell facilitators, once, about each person the companion can no longer reach."""
    queued = 0
    for person in await uow.participants.unreachable_unalerted():
        alert = unreachable_alert(person.name or f"#{person.id}")
        ids = [fid for fid in await ctx.facilitators.ids(uow) if fid != person.id]
        messages = to_facilitators(ids, f"unreachable-{person.id}", now.date().isoformat(), alert, now)
        queued += await uow.outbox.enqueue(messages, now) if messages else 0
        await uow.participants.mark_unreachable_alerted(person.id, now)
    return queued
