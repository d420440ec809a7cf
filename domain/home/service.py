"""The home summary, read in one unit of work (read only)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from domain.core.facilitators import FacilitatorDirectory
from domain.core.model import SMALL_GROUP_MIN, Participant, Partnership, PartnershipStatus
from domain.core.ports import Store, UnitOfWork
from domain.guide.model import Guide
from domain.home.model import CohortCount, HomeView


async def home_for(
    store: Store, channel_id: str, user_id: str, guide: Guide, facilitators: FacilitatorDirectory, now: datetime
) -> HomeView:
    """What the person's home shows now; an empty view for someone the companion has not met."""
    async with store.reading() as uow:
        me = await uow.participants.find_by_user(channel_id, user_id)
        if me is None:
            return HomeView()
        is_facilitator = await facilitators.is_facilitator(uow, me)
        cohorts = await _cohorts(uow) if is_facilitator else ()
        cohort = await uow.cohorts.get(me.cohort_id) if me.cohort_id else None
        base = HomeView(
            known=True,
            enrolled=me.is_enrolled,
            cohort_name=cohort.name if cohort else "",
            time_zone=me.time_zone,
            is_facilitator=is_facilitator,
            cohorts=cohorts,
        )
        view, partnership = await _with_partnership(uow, base, me, now)
        if partnership is None:
            return view
        delivered = await uow.guide.delivered(partnership.id)
    prompts = (guide.prompt(prompt_id) for prompt_id in reversed(delivered))
    latest = next((p.text for p in prompts if p is not None), "")
    return replace(view, prompt=latest)


async def help_view(store: Store, me: Participant, is_facilitator: bool, now: datetime) -> HomeView:
    """What `help` needs (domain/home/help.py): the person and role the turn already knows, and for an
    enrolled partner their partnership and next meeting; facilitators get their menu without a read."""
    view = HomeView(known=True, enrolled=me.is_enrolled, time_zone=me.time_zone, is_facilitator=is_facilitator)
    if is_facilitator or not me.is_enrolled:
        return view
    async with store.reading() as uow:
        view, _ = await _with_partnership(uow, view, me, now)
    return view


async def _with_partnership(
    uow: UnitOfWork, view: HomeView, me: Participant, now: datetime
) -> tuple[HomeView, Partnership | None]:
    """The view with the current partnership's partner, pause and next meeting; and that partnership."""
    partnership = await uow.partnerships.current_for(me.id)
    if partnership is None:
        return view, None
    partner = await uow.participants.get(partnership.other(me.id))
    upcoming = await uow.meetings.upcoming(partnership.id, now)
    starts = sorted(m.start_at for m in upcoming if m.start_at is not None)
    shown = replace(
        view,
        partner_name=partner.name if partner else "",
        paused=partnership.status == PartnershipStatus.PAUSED,
        next_meeting=starts[0] if starts else None,
    )
    return shown, partnership


async def _cohorts(uow: UnitOfWork) -> tuple[CohortCount, ...]:
    """Each cohort's enrolled and paired counts, each hidden below the small-group minimum."""
    counts = []
    for cohort in await uow.cohorts.list_all():
        people = [p for p in await uow.participants.list_in_cohort(cohort.id) if p.is_enrolled]
        current = [p for p in await uow.partnerships.list_for_cohort(cohort.id) if p.status != PartnershipStatus.ENDED]
        paired = 2 * len(current)
        counts.append(CohortCount(cohort.name, _shown(len(people)), _shown(paired)))
    return tuple(counts)


def _shown(count: int) -> int | None:
    return count if count >= SMALL_GROUP_MIN else None
