"""What a calendar file needs for one meeting (loaded for the signed .ics route)."""

from __future__ import annotations

from domain.core.ports import Store
from domain.meetings.model import Meeting

SUMMARY = "Learning partners meeting (PLP)"


async def meeting_for_calendar(store: Store, meeting_id: int) -> tuple[Meeting, tuple[int, int], str, str] | None:
    """The meeting, its two partners, and the calendar summary and description (None when unknown)."""
    async with store.transaction() as uow:
        meeting = await uow.meetings.get(meeting_id)
        pair = await uow.partnerships.get(meeting.partnership_id) if meeting else None
    if meeting is None or pair is None:
        return None
    description = (
        f"Agenda: {meeting.agenda}\n\n" if meeting.agenda else ""
    ) + "Protected time for your learning partnership, arranged with the PLP Companion."
    return meeting, (pair.partner_a_id, pair.partner_b_id), SUMMARY, description
