"""Meeting services that only read: the meetings overview, who the partner is before a proposal,
the agenda the guide suggests, and a meeting for the signed calendar route.

The overview hands back the pair's meetings; its wording shows the viewer only their own
answers and counts only their own notes.
"""

from __future__ import annotations

from datetime import datetime

from domain.core.pairs import pair_people
from domain.core.ports import Store
from domain.guide.model import Guide, PromptMode
from domain.meetings.cards import meeting_token
from domain.meetings.lookup import meeting_for, replaced
from domain.meetings.model import CalendarEntry, Meeting, Overview
from domain.meetings.rules import NOT_PAIRED, MeetingError, recent, waiting


async def overview(store: Store, participant_id: int, now: datetime) -> Overview | None:
    """The person's meetings coming up, waiting and recently past; None when they have no partnership."""
    async with store.transaction() as uow:
        partnership = await uow.partnerships.current_for(participant_id)
        if partnership is None:
            return None
        me, partner = await pair_people(uow, partnership, participant_id)
        upcoming = await uow.meetings.upcoming(partnership.id, now)
        everything = await uow.meetings.for_partnership(partnership.id)
        notes = len(await uow.meetings.reflections(participant_id))
    return Overview(me, partner, upcoming, waiting(everything), recent(everything, now), notes)


async def partnership_of(store: Store, participant_id: int) -> int:
    """The person's current partnership id; refused kindly when they have no partner yet."""
    async with store.transaction() as uow:
        partnership = await uow.partnerships.current_for(participant_id)
    if partnership is None:
        raise MeetingError(NOT_PAIRED)
    return partnership.id


async def replaceable(store: Store, participant_id: int, meeting_id: int, now: datetime) -> Meeting:
    """The suggestion the person would answer with another time, or their booked meeting they would move
    (its length, format, place and agenda are kept); refused kindly when it can't be."""
    async with store.transaction() as uow:
        meeting, partnership, _, _ = await meeting_for(uow, participant_id, meeting_id)
        return await replaced(uow, partnership.id, meeting.id, now)


async def agenda_prompt(store: Store, guide: Guide, partnership_id: int) -> str:
    """The latest prompt delivered to the pair that is meant for a meeting together ("" if none)."""
    async with store.transaction() as uow:
        delivered = await uow.guide.delivered(partnership_id)
    prompts = (guide.prompt(prompt_id) for prompt_id in reversed(delivered))
    return next((p.text for p in prompts if p is not None and p.mode is PromptMode.TOGETHER), "")


async def calendar_entry(store: Store, meeting_id: int) -> CalendarEntry | None:
    """A meeting and its two partners, for the signed .ics route (None when either is unknown)."""
    async with store.transaction() as uow:
        meeting = await uow.meetings.get(meeting_id)
        pair = await uow.partnerships.get(meeting.partnership_id) if meeting else None
        people = await uow.participants.get_many([pair.partner_a_id, pair.partner_b_id]) if pair else {}
    if meeting is None or pair is None:
        return None
    names = tuple(people[pid].name if pid in people else "" for pid in (pair.partner_a_id, pair.partner_b_id))
    return CalendarEntry(meeting, (pair.partner_a_id, pair.partner_b_id), (names[0], names[1]))


async def card_token_now(store: Store, participant_id: int, meeting_id: int) -> str:
    """The card token of a meeting as it stands now; "" unless it is a meeting of the person's partnership."""
    async with store.reading() as uow:
        meeting = await uow.meetings.get(meeting_id)
        pair = await uow.partnerships.get(meeting.partnership_id) if meeting is not None else None
    if meeting is None or pair is None or participant_id not in (pair.partner_a_id, pair.partner_b_id):
        return ""
    return meeting_token(meeting.id, meeting.status)
