"""The graded, power-aware response to quiet partnerships: the steps `service.run_due` takes,
a chunk of partnerships at a time, each inside the unit of work it is given.

1. the same warm nudge to both partners; 2. a week later, if still quiet, a private
check-in with each partner separately; 3. a week after that, an alert to facilitators
naming the pair and status only. At most one step a week; nothing while paused or after
the end; a logged or booked meeting starts everything afresh. Pauses past their end date
resume, and people who cannot be reached are flagged to facilitators, never skipped.
Every read and write covers the whole chunk: a bounded number of queries per tick.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache, partial
from typing import Any

from domain.core.bulk_ports import ActiveChunk
from domain.core.identity import chat_link
from domain.core.jobs import WRITE_BATCH, Apply, JobContext, slices
from domain.core.model import NewOutboxMessage, Participant, Partnership
from domain.core.ports import UnitOfWork
from domain.health.cards import (
    checkin_card,
    nudge_card,
    planned_for_partner,
    quiet_alert,
    resumed_notice,
    to_facilitators,
    unreachable_alert,
)
from domain.health.model import ALERT, CHECKIN, NUDGE, Quiet
from domain.health.rules import quiet_pairs, steps_due

STEP_KINDS = {NUDGE: "nudge", CHECKIN: "private_checkin"}  # the outbox kind of each step sent to partners


def _pair(partnership: Partnership) -> tuple[int, int]:
    return partnership.partner_a_id, partnership.partner_b_id


async def resume_due_pauses(uow: UnitOfWork, ctx: JobContext, now: datetime) -> int:
    """Resume every pause whose end date has come, and welcome both partners back."""
    paused = [p for p in await uow.partnerships.list_paused() if p.paused_until and p.paused_until <= now.date()]
    if not paused:
        return 0
    await uow.partnerships.resume_all([p.id for p in paused], now.date())
    zones = await uow.participants.time_zones([pid for p in paused for pid in _pair(p)])
    welcome = resumed_notice().to_dict()
    messages = [
        planned_for_partner("resumed", p.id, pid, zones[pid], str(p.paused_until), welcome, ctx.settings.hours, now)
        for p in paused
        for pid in _pair(p)
        if pid in zones
    ]
    return await uow.outbox.enqueue(messages, now)


async def take_steps(ctx: JobContext, now: datetime, uow: UnitOfWork, page: ActiveChunk) -> list[Apply]:
    """The ladder step due now for each partnership of the chunk, as the writes to run after the reads."""
    cohorts = page.cohorts
    pairs = [p for p in page.partnerships if page.both_known(p)]
    # Only pairs idle for at least the shortest quiet spell of their cohorts can be quiet: the others'
    # activity is not even read.
    shortest = min((c.quiet_weeks for c in cohorts.values()), default=0)
    idle = await uow.health.idle_since([p.id for p in pairs], now - timedelta(weeks=shortest), now)
    quiet = quiet_pairs([p for p in pairs if p.id in idle], cohorts, idle, now)
    if not quiet:
        return []
    due = steps_due(quiet, await uow.health.nudges_for([q.partnership.id for q in quiet]), now)
    people = await uow.participants.get_many([pid for q, _ in due for pid in _pair(q.partnership)])
    due = [(q, step) for q, step in due if all(pid in people for pid in _pair(q.partnership))]
    facilitators = await ctx.facilitators.ids(uow) if any(step == ALERT for _, step in due) else []
    zones = {person.id: person.time_zone for person in people.values()}
    writes: list[Apply] = []
    # Two messages a pair (an alert: one per facilitator): a write's worth of pairs at a time.
    for batch in slices(due, WRITE_BATCH // 2):
        messages: list[NewOutboxMessage] = []
        nudges: list[tuple[int, int | None, int]] = []
        for pair, step in batch:
            messages += _step_messages(ctx, pair, step, people, facilitators, now)
            who = [None] if step == ALERT else list(_pair(pair.partnership))
            nudges += [(pair.partnership.id, person, step) for person in who]
        writes.append(partial(_record_and_queue, ctx, nudges, messages, zones, now))
    return writes


async def _record_and_queue(
    ctx: JobContext,
    nudges: list[tuple[int, int | None, int]],
    messages: list[NewOutboxMessage],
    zones: dict[int, str],
    now: datetime,
    uow: UnitOfWork,
) -> int:
    """The chunk's writes: the steps noted, their messages queued within each person's day's budget."""
    await uow.health.record_nudges(nudges, now)
    return await ctx.queue(uow, messages, now, zones)


def _step_messages(
    ctx: JobContext, pair: Quiet, step: int, people: dict[int, Participant], facilitators: list[int], now: datetime
) -> list[NewOutboxMessage]:
    """Step 3 alerts facilitators (due now); steps 1 and 2 reach both partners in their own windows."""
    partnership, episode = pair.partnership, pair.since.date().isoformat()
    a, b = (people[pid] for pid in _pair(partnership))
    if step == ALERT:
        chats = (chat_link(a), chat_link(b))
        alert = quiet_alert((a.name, b.name), pair.health, pair.cohort.name, partnership.id, chats)
        return to_facilitators(facilitators, partnership.id, episode, alert, now)
    card = _nudge_card() if step == NUDGE else checkin_card(partnership.id).to_dict()
    return [
        planned_for_partner(STEP_KINDS[step], partnership.id, p.id, p.time_zone, episode, card, ctx.settings.hours, now)
        for p in (a, b)
    ]


async def flag_unreachable(uow: UnitOfWork, ctx: JobContext, now: datetime) -> int:
    """Tell facilitators, once, about each person the companion can no longer reach."""
    unreachable = await uow.participants.unreachable_unalerted()
    if not unreachable:
        return 0
    facilitators = await ctx.facilitators.ids(uow)
    messages = [
        message
        for person in unreachable
        for message in to_facilitators(
            [fid for fid in facilitators if fid != person.id],
            f"unreachable-{person.id}",
            now.date().isoformat(),
            unreachable_alert(person.name or person.label or "someone"),
            now,
        )
    ]
    queued = await uow.outbox.enqueue(messages, now)
    await uow.participants.mark_all_unreachable_alerted([person.id for person in unreachable], now)
    return queued


@cache
def _nudge_card() -> dict[str, Any]:
    """The nudge card, built once (it is the same for every pair; a check-in names its partnership)."""
    return nudge_card().to_dict()
