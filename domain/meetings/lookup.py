"""Store steps the meeting services share, inside their unit of work: who the pair is, finding
a meeting, the pair's bookings, closing suggestions and stopping reminders.

A meeting is found only for one of its two partners: anyone else is told it can't be
found, so its existence is not revealed.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from domain.core.model import Participant, Partnership
from domain.core.pairs import locked_pair, pair_people
from domain.core.ports import UnitOfWork
from domain.meetings.model import Meeting, MeetingStatus
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


async def replaced(uow: UnitOfWork, partnership_id: int, meeting_id: int, now: datetime) -> Meeting:
    """The suggestion being answered with another time, or the booked meeting being moved."""
    old = await uow.meetings.get(meeting_id)
    if old is None or old.partnership_id != partnership_id:
        raise MeetingError(NOT_FOUND)
    if old.status is MeetingStatus.CONFIRMED and old.start_at is not None and old.start_at > now:
        return old
    if old.status is MeetingStatus.PROPOSED:
        return old
    if old.status is MeetingStatus.CONFIRMED:
        raise MeetingError("That meeting has already happened. Type **meet** to propose the next one.")
    raise MeetingError("That meeting was cancelled or declined. Type **meet** to propose a new time.")


async def booked(uow: UnitOfWork, partnership_id: int, keep_uid: str = "", but: int = 0) -> list[Meeting]:
    """The pair's booked meetings, leaving out the one being moved (same uid) and meeting `but`."""
    return [
        m
        for m in await uow.meetings.for_partnership(partnership_id)
        if m.status is MeetingStatus.CONFIRMED and m.id != but and not (keep_uid and m.uid == keep_uid)
    ]


async def moving(uow: UnitOfWork, partnership_id: int, uid: str) -> Meeting | None:
    """The booked meeting a suggestion would move (same calendar uid), if any."""
    return next((m for m in await booked(uow, partnership_id) if m.uid == uid), None)


async def supersede(uow: UnitOfWork, partnership_id: int, uid: str, now: datetime, but: int = 0) -> None:
    """Quietly close open suggestions for the meeting with calendar `uid` (except meeting `but`)."""
    for pending in await uow.meetings.for_partnership(partnership_id):
        if pending.status is MeetingStatus.PROPOSED and pending.uid == uid and pending.id != but:
            await uow.meetings.update(replace(pending, status=MeetingStatus.DECLINED, updated_at=now))


async def cancel_reminders(uow: UnitOfWork, meeting_id: int) -> int:
    """Cancel every pending reminder and "did you meet?" of one meeting; return how many."""
    return sum([await uow.outbox.cancel_pending(prefix) for prefix in reminder_prefixes(meeting_id)])
