"""The outbox rows meeting services queue: which card goes to whom, when, under which key.

Reminders and "did you meet?" are due at their exact instant (a meeting reminder must come
at its time, not at the next working hour).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from domain.core.model import NewOutboxMessage, Participant, outbox_key
from domain.core.reply import Reply
from domain.meetings.cards import did_you_meet_card, reminder_card
from domain.meetings.model import Meeting


def message(
    kind: str,
    meeting_id: int,
    person: Participant,
    reply: Reply,
    due: datetime,
    occurrence: str | int = 0,
    key_kind: str = "",
) -> NewOutboxMessage:
    """An outbox row for one person; the key is (key kind, meeting, person, occurrence)."""
    key = outbox_key(key_kind or kind, meeting_id, person.id, occurrence)
    return NewOutboxMessage(key, kind, person.id, reply.to_dict(), due)


def booking_messages(
    meeting: Meeting, pair: tuple[Participant, ...], reminders: tuple[timedelta, ...], now: datetime
) -> list[NewOutboxMessage]:
    """Reminders still ahead and the "did you meet?" at the end, for each person."""
    assert meeting.start_at is not None and meeting.end_at is not None  # booked
    found = []
    for person in pair:
        found += [_reminder(meeting, person, before) for before in reminders if meeting.start_at - before > now]
        card = did_you_meet_card(meeting, person.time_zone)
        found.append(message("did_you_meet", meeting.id, person, card, meeting.end_at, meeting.sequence))
    return found


def _reminder(meeting: Meeting, person: Participant, before: timedelta) -> NewOutboxMessage:
    """One reminder `before` the start, keyed by the booking's sequence and the minutes ahead."""
    assert meeting.start_at is not None  # booked
    minutes = int(before.total_seconds() // 60)
    card = reminder_card(meeting, person.time_zone, before)
    occurrence = f"{meeting.sequence}-{minutes}"
    return message("meeting_reminder", meeting.id, person, card, meeting.start_at - before, occurrence, "reminder")
