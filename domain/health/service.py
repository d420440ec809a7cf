"""Partner-side partnership care: pause and resume, private check-ins, the choice after a partner
leaves, and the scheduled nudge ladder's `run_due` (facilitator side: team_service.py).

Each use case runs one transaction and returns what happened, worded in wording.py. Pause
reasons and check-in answers are private: the partner never hears either, and facilitators
hear of an answer only when someone asks to be contacted. Nothing here logs names, reasons
or answers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date, datetime
from functools import partial

from domain.core.facilitators import FacilitatorDirectory
from domain.core.identity import chat_link
from domain.core.jobs import JobContext, each_active_chunk
from domain.core.model import Participant, PartnershipStatus
from domain.core.pairs import locked_pair, pair_people
from domain.core.ports import Store, UnitOfWork
from domain.core.reply import Reply
from domain.core.timing import WorkingHours
from domain.health import nudging, wording
from domain.health.cards import (
    contact_alert,
    new_partner_request,
    paused_notice,
    resumed_notice,
    to_facilitators,
    to_partner,
)
from domain.health.model import (
    AFTER_LEAVING,
    CHECKIN_ANSWERS,
    FACILITATOR_PAUSE,
    PAUSE_REASONS,
    AfterLeaving,
    Booked,
    CheckinSaved,
    PairStanding,
    Paused,
    Resumed,
)
from domain.health.rules import booked_within

log = logging.getLogger(__name__)


class HealthError(ValueError):
    """A request that cannot go ahead; the message is kind and safe to show the person."""


async def pair_standing(store: Store, participant_id: int, partnership_id: int) -> PairStanding:
    """The partnership a partner's card named (only if the person was in it) and their current one."""
    async with store.reading() as uow:
        named = await uow.partnerships.get(partnership_id)
        current = await uow.partnerships.current_for(participant_id)
    member = named is not None and participant_id in (named.partner_a_id, named.partner_b_id)
    return PairStanding(named if member else None, current)


async def has_partner(store: Store, participant_id: int) -> bool:
    """Whether the person has a current partnership (something to pause or resume)."""
    async with store.transaction() as uow:
        return await uow.partnerships.current_for(participant_id) is not None


async def pause(
    store: Store,
    participant_id: int,
    until: date | None,
    reason: str,
    now: datetime,
    hours: WorkingHours = WorkingHours(),
) -> Paused:
    """Pause the person's partnership; the partner is told, never the reason."""
    if reason not in PAUSE_REASONS:
        raise HealthError(wording.UNKNOWN_REASON)
    if until is not None and until <= now.date():
        raise HealthError(wording.NOT_AFTER_TODAY)
    async with store.transaction() as uow:
        partnership, me, partner = await locked_pair(uow, participant_id, HealthError(wording.NOT_PAIRED))
        await uow.partnerships.pause(partnership.id, until, reason)
        booked = booked_within(await uow.meetings.upcoming(partnership.id, now), until)
        notice = partial(_paused_notice, until, booked)
        await tell(uow, partnership.id, (partner,), "paused", notice, hours, now)
    return Paused(until, partner.name, booked=booked, time_zone=me.time_zone)


def _paused_notice(until: date | None, booked: tuple[Booked, ...], person: Participant) -> Reply:
    return paused_notice(until, booked, person.time_zone)


async def resume(store: Store, participant_id: int, now: datetime, hours: WorkingHours = WorkingHours()) -> Resumed:
    """Resume the person's paused partnership; the partner is told."""
    async with store.transaction() as uow:
        partnership, _, partner = await locked_pair(uow, participant_id, HealthError(wording.NOT_PAIRED))
        if partnership.status != PartnershipStatus.PAUSED:
            return Resumed(was_paused=False)
        if partnership.pause_reason == FACILITATOR_PAUSE:
            raise HealthError(wording.PAUSED_BY_TEAM)
        await uow.partnerships.resume(partnership.id, now.date())
        await tell(uow, partnership.id, (partner,), "resumed", resumed_notice(), hours, now)
    return Resumed(was_paused=True, partner_name=partner.name, queued=True)


async def save_checkin(
    store: Store, participant_id: int, answer: str, facilitators: FacilitatorDirectory, now: datetime
) -> CheckinSaved:
    """Keep a private check-in answer; "contact" alerts every facilitator, never the partner."""
    if answer not in CHECKIN_ANSWERS:
        raise HealthError(wording.USE_BUTTONS)
    async with store.transaction() as uow:
        partnership = await uow.partnerships.current_for(participant_id)
        if partnership is None:
            raise HealthError(wording.CHECKIN_CLOSED)
        me, partner = await pair_people(uow, partnership, participant_id)
        await uow.health.save_checkin(partnership.id, me.id, answer, now)
        if answer != "contact":
            return CheckinSaved(answer)
        # Why: a partner who also facilitates must not learn of it through the alert.
        chat = chat_link(me)
        alert = contact_alert(me.name, partner.name, answer, partnership.id, chat)
        queued = await alert_facilitators(uow, facilitators, f"contact-{me.id}", alert, now, {me.id, partner.id})
    return CheckinSaved(answer, queued=queued > 0)


async def after_leaving(
    store: Store, participant_id: int, choice: str, facilitators: FacilitatorDirectory, now: datetime
) -> AfterLeaving:
    """What the remaining partner would like next: a new partner (facilitators told), a closing, or informal."""
    if choice not in AFTER_LEAVING:
        raise HealthError(wording.USE_BUTTONS)
    if choice != "repair":
        return AfterLeaving(choice)
    async with store.transaction() as uow:
        if await uow.partnerships.current_for(participant_id) is not None:
            return AfterLeaving(choice, already_paired=True)
        me = await uow.participants.get(participant_id)
        assert me is not None  # the person is speaking, so they are registered
        cohort = await uow.cohorts.get(me.cohort_id or 0)
        request = new_partner_request(me.name, cohort.name if cohort else None)
        queued = await alert_facilitators(uow, facilitators, f"new-partner-{me.id}", request, now, {me.id})
    return AfterLeaving(choice, queued=queued > 0)


async def tell(
    uow: UnitOfWork,
    partnership_id: int,
    people: Sequence[Participant],
    kind: str,
    reply: Reply | Callable[[Participant], Reply],
    hours: WorkingHours,
    now: datetime,
) -> None:
    """Queue a pause or resume notice (the same reply, or one worded for each person); a resume instead
    withdraws a pause notice not yet sent."""
    messages = []
    for person in people:
        # Why: someone who never heard of the pause needs no "welcome back".
        if kind == "resumed" and await uow.outbox.cancel_pending(f"paused:{partnership_id}:{person.id}:"):
            continue
        worded = reply if isinstance(reply, Reply) else reply(person)
        messages.append(to_partner(kind, partnership_id, person, now.isoformat(), worded, hours, now))
    await uow.outbox.enqueue(messages, now)


async def alert_facilitators(
    uow: UnitOfWork, facilitators: FacilitatorDirectory, subject: str, reply: Reply, now: datetime, exclude: set[int]
) -> int:
    """Queue an alert to every facilitator (due now) except `exclude`; one per subject a day."""
    recipients = [fid for fid in await facilitators.ids(uow) if fid not in exclude]
    if not recipients:
        log.warning("a facilitator alert had nobody to go to")  # no names: only that it happened
        return 0
    return await uow.outbox.enqueue(to_facilitators(recipients, subject, now.date().isoformat(), reply, now), now)


async def run_due(ctx: JobContext, now: datetime) -> int:
    """Partnership health: end due pauses, take the next nudge step for quiet pairs, flag the unreachable."""
    # A look first, without the write lock: most ticks have no pause ending and nobody newly unreachable.
    async with ctx.store.reading() as uow:
        pauses_end = any(p.paused_until and p.paused_until <= now.date() for p in await uow.partnerships.list_paused())
        unreachable = bool(await uow.participants.unreachable_unalerted())
    queued = 0
    if pauses_end:
        async with ctx.store.transaction() as uow:
            queued += await nudging.resume_due_pauses(uow, ctx, now)
    queued += await each_active_chunk(ctx, partial(nudging.take_steps, ctx, now))
    if unreachable:
        async with ctx.store.transaction() as uow:
            queued += await nudging.flag_unreachable(uow, ctx, now)
    return queued
