"""Store steps the meeting services share: who the pair is, finding a meeting, stopping reminders.

A meeting is found only for one of its two partners: anyone else is told it can't be
found, so its existence is not revealed.
"""

from __future__ import annotations

from domain.core.model import Participant, Partnership
from domain.core.pairs import locked_pair, pair_people
from domain.core.ports import UnitOfWork
from domain.meetings.model import Meeting
from domain.meetings.rules import NOT_FOUND, NOT_PAIRED, MeetingError, reminder_prefixes


async def current_pair(uow: UnitOfWork, participant_id: int) -> tuple[Partnership, Participant, Participant]:
    """The person's current partnership (locked), them, and their partner; refused kindly when unpaired."""
    return await locked_pair(uow, participant_id, MeetingError(NOT_PAIRED))


async def meeting_for(
    uow: UnitOfWork, participant_id: int, meeting_id: int
) -> tuple[Meeting, Partnership, Participant, Participant]:
    """A meeting of the person's partnership (read under the partnership lock), the pair, them, their partner."""
    found = await uow.meetings.get(meeting_id)
    partnership = await uow.partnerships.get(found.partnership_id) if found is not None else None
    if partnership is None or participant_id not in (partnership.partner_a_id, partnership.partner_b_id):
        raise MeetingError(NOT_FOUND)
    await uow.partnerships.lock(partnership.id)
    meeting = await uow.meetings.get(meeting_id)
    assert meeting is not None  # meetings are never deleted while their partnership exists
    return (meeting, partnership, *await pair_people(uow, partnership, participant_id))


async def cancel_reminders(uow: UnitOfWork, meeting_id: int) -> int:
    """Cancel every pending reminder and "did you meet?" of one meeting; return how many."""
    return sum([await uow.outbox.cancel_pending(prefix) for prefix in reminder_prefixes(meeting_id)])
