"""Facilitator-side partnership care: pause or resume a pair, a partner leaving the trust, and
the `health` listing (partner side: service.py). Each use case runs one transaction and
returns what happened, worded in wording.py."""

from __future__ import annotations

from datetime import date, datetime

from domain.core.model import Cohort, NewOutboxMessage, Participant, Partnership, PartnershipStatus
from domain.core.pairs import pair_people
from domain.core.ports import Store, UnitOfWork
from domain.core.reply import Reply
from domain.core.timing import WorkingHours
from domain.guide.model import Guide, Trigger
from domain.health import wording
from domain.health.cards import leaving_support, paused_notice, resumed_notice, to_partner
from domain.health.model import FACILITATOR_PAUSE, HealthRow, PartnerLeft, Paused, Resumed
from domain.health.rules import assess, booked_within
from domain.health.service import HealthError, tell
from domain.meetings.model import Outcome
from domain.pairing.service import close_partnership


async def _current(uow: UnitOfWork, partnership_id: int) -> Partnership:
    """A partnership that has not ended, locked for this transaction."""
    found = await uow.partnerships.get(partnership_id)
    if found is None or found.status == PartnershipStatus.ENDED:
        raise HealthError(wording.NOT_CURRENT)
    await uow.partnerships.lock(partnership_id)
    return found


async def _both(uow: UnitOfWork, partnership: Partnership) -> tuple[Participant, Participant]:
    return await pair_people(uow, partnership, partnership.partner_a_id)


async def facilitator_pause(
    store: Store, partnership_id: int, until: date | None, now: datetime, hours: WorkingHours = WorkingHours()
) -> Paused:
    """The programme team pauses a partnership; both partners get the same notice."""
    async with store.transaction() as uow:
        partnership = await _current(uow, partnership_id)
        await uow.partnerships.pause(partnership.id, until, FACILITATOR_PAUSE)
        booked = booked_within(await uow.meetings.upcoming(partnership.id, now), until)

        def notice(person: Participant) -> Reply:
            return paused_notice(until, booked, person.time_zone)

        await tell(uow, partnership.id, await _both(uow, partnership), "paused", notice, hours, now)
    return Paused(until, booked=booked)


async def facilitator_resume(
    store: Store, partnership_id: int, now: datetime, hours: WorkingHours = WorkingHours()
) -> Resumed:
    """The programme team resumes a paused partnership; both partners are told."""
    async with store.transaction() as uow:
        partnership = await _current(uow, partnership_id)
        if partnership.status != PartnershipStatus.PAUSED:
            return Resumed(was_paused=False)
        await uow.partnerships.resume(partnership.id, now.date())
        await tell(uow, partnership.id, await _both(uow, partnership), "resumed", resumed_notice(), hours, now)
    return Resumed(was_paused=True, queued=True)


async def _met_starts(uow: UnitOfWork, partnership_id: int) -> list[datetime]:
    """When the pair met: meetings they said happened, or logged themselves."""
    return [
        m.start_at
        for m in await uow.meetings.for_partnership(partnership_id)
        if m.start_at is not None and (m.outcome == Outcome.MET or m.logged_only)
    ]


async def partner_leaving(
    store: Store, partnership_id: int, leaver_id: int, guide: Guide, now: datetime, hours: WorkingHours = WorkingHours()
) -> PartnerLeft:
    """End the partnership (left the trust): the leaver gets the closing note, the other partner support."""
    async with store.transaction() as uow:
        partnership = await _current(uow, partnership_id)
        if leaver_id not in (partnership.partner_a_id, partnership.partner_b_id):
            raise HealthError(wording.NOT_IN_PARTNERSHIP)
        leaver, staying = await pair_people(uow, partnership, leaver_id)
        support = await _end_for_leaver(uow, partnership, leaver.id, leaver.name, "left_trust", guide, now)
        message = to_partner("leaving_support", partnership.id, staying, now.isoformat(), support, hours, now)
        await uow.outbox.enqueue([message], now)
    return PartnerLeft(leaver.name, staying.name)


async def leaving_without_a_trace(
    uow: UnitOfWork, leaver_id: int, guide: Guide, now: datetime, hours: WorkingHours = WorkingHours()
) -> NewOutboxMessage | None:
    """A partner erasing their data leaves (in the caller's transaction): their current partnership
    ends, and the note a partner leaving gets is returned for the staying partner, naming nobody
    (the caller queues it once the erasure has swept everything else). None without a partnership."""
    partnership = await uow.partnerships.current_for(leaver_id)
    if partnership is None:
        return None
    await uow.partnerships.lock(partnership.id)
    _, staying = await pair_people(uow, partnership, leaver_id)
    support = await _end_for_leaver(uow, partnership, leaver_id, None, "left_programme", guide, now)
    return to_partner("leaving_support", partnership.id, staying, now.isoformat(), support, hours, now)


async def _end_for_leaver(
    uow: UnitOfWork,
    partnership: Partnership,
    leaver_id: int,
    leaver_name: str | None,
    reason: str,
    guide: Guide,
    now: datetime,
) -> Reply:
    """Close the partnership (the closing note to the leaver only) and word the staying partner's support."""
    had_met = bool(await _met_starts(uow, partnership.id))
    await close_partnership(uow, partnership.id, reason, now, notify=(leaver_id,))
    prompt = next((p.text for p in guide.triggered_for(Trigger.PARTNER_LEAVING_OR_ROLE_CHANGE)), "")
    return leaving_support(leaver_name, had_met, prompt, partnership.id)


async def status_of(store: Store, partnership_id: int) -> PartnershipStatus | None:
    """A partnership's status (for checking a facilitator alert's button), None when there is no such one."""
    async with store.reading() as uow:
        partnership = await uow.partnerships.get(partnership_id)
    return partnership.status if partnership is not None else None


async def health_rows(store: Store, now: datetime) -> list[HealthRow]:
    """Every partnership's health for facilitators: status, last met, aims agreed; nothing private."""
    async with store.transaction() as uow:
        return [
            await _row(uow, cohort, partnership, now)
            for cohort in await uow.cohorts.list_all()
            for partnership in await uow.partnerships.list_for_cohort(cohort.id)
        ]


async def _row(uow: UnitOfWork, cohort: Cohort, partnership: Partnership, now: datetime) -> HealthRow:
    a, b = await _both(uow, partnership)
    health = assess(
        partnership,
        await uow.health.last_activity(partnership.id),
        await uow.health.has_upcoming(partnership.id, now),
        now,
        cohort.quiet_weeks,
        cohort.inactive_weeks,
    )
    met = await _met_starts(uow, partnership.id)
    agreed = (await uow.aims.aims_status(partnership.id)).agreed
    return HealthRow(cohort.name, (a.name, b.name), health, max(met).date() if met else None, agreed)
