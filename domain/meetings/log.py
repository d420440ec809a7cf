"""The meeting log: "did you meet?" answers, meetings logged afterwards and private notes
(the scheduled proposal of the next meeting lives in follow_up.py).

Answers and notes are private: a reply depends only on what this person said, and nothing
here logs free text.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime, timedelta

from domain.core.model import outbox_key
from domain.core.ports import Store
from domain.meetings.lookup import current_pair, meeting_for
from domain.meetings.model import Answer, Done, Meeting, MeetingFormat, MeetingResult, MeetingStatus, Outcome
from domain.meetings.rules import MAX_NOTE, MeetingError, reconcile

LOGGED_MINUTES = 60  # a meeting logged afterwards: its length is not asked for
OLDEST_LOG = timedelta(days=366)


async def answer(store: Store, participant_id: int, meeting_id: int, answer: Answer, now: datetime) -> MeetingResult:
    """Record this person's "did you meet?" and reconcile the pair's outcome; the partner is never told."""
    async with store.transaction() as uow:
        meeting, _, me, _ = await meeting_for(uow, participant_id, meeting_id)
        if meeting.status is not MeetingStatus.CONFIRMED:
            raise MeetingError("That meeting wasn't booked, so there's nothing to record.")
        if meeting.start_at is None or meeting.start_at > now:
            raise MeetingError("That meeting hasn't started yet. I'll ask how it went afterwards.")
        await uow.meetings.save_answer(meeting.id, me.id, answer, now)
        outcome = reconcile((await uow.meetings.answers(meeting.id)).values())
        # The partner's answer stays out of what is handed back.
        meeting = replace(meeting, outcome=outcome, updated_at=now, answers={me.id: answer})
        await uow.meetings.update(meeting)
        # Answered before the card went out (e.g. from the overview): that card is no longer needed.
        await uow.outbox.cancel_pending(outbox_key("did_you_meet", meeting.id, me.id, meeting.sequence))
    return MeetingResult(Done.ANSWERED, meeting, answer=answer)


async def log_met(store: Store, participant_id: int, when: datetime, now: datetime) -> MeetingResult:
    """ "We met": a meeting arranged outside the companion, added to the log as met."""
    if when > now:
        raise MeetingError("That's still to come: type **meet** to propose it, and I'll remind you both.")
    if when < now - OLDEST_LOG:
        raise MeetingError("I can only log meetings from the last year.")
    async with store.transaction() as uow:
        partnership, me, _ = await current_pair(uow, participant_id)
        how = MeetingFormat.IN_PERSON if me.meeting_format == MeetingFormat.IN_PERSON.value else MeetingFormat.TEAMS
        meeting = await uow.meetings.create(
            Meeting(
                id=0,
                partnership_id=partnership.id,
                proposed_by=me.id,
                status=MeetingStatus.CONFIRMED,
                options=[when],
                start_at=when,
                duration_minutes=LOGGED_MINUTES,
                format=how,
                uid=uuid.uuid4().hex,
                outcome=Outcome.MET,
                logged_only=True,
            ),
            now,
        )
        await uow.meetings.save_answer(meeting.id, me.id, Answer.MET, now)
    return MeetingResult(Done.LOGGED, replace(meeting, answers={me.id: Answer.MET}))


async def add_note(
    store: Store, participant_id: int, meeting_id: int | None, text: str, now: datetime
) -> MeetingResult:
    """Save a private reflection (optionally about one of the pair's meetings): only its author sees it."""
    text = text.strip()
    if not text:
        raise MeetingError("The note was empty, so I haven't saved anything.")
    if len(text) > MAX_NOTE:
        raise MeetingError(f"That's a long note: please keep it under {MAX_NOTE:,} characters.")
    async with store.transaction() as uow:
        meeting = (await meeting_for(uow, participant_id, meeting_id))[0] if meeting_id is not None else None
        await uow.meetings.add_reflection(participant_id, meeting_id, text, now)
    # The partner's "did you meet?" answer stays out of what is handed back.
    if meeting is not None:
        meeting = replace(meeting, answers={k: v for k, v in meeting.answers.items() if k == participant_id})
    return MeetingResult(Done.NOTED, meeting)
