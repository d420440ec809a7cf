"""Meeting services: propose, accept, decline, cancel (each one transaction on the Store).

Messages for the partner, reminders and "did you meet?" rows go through the outbox in the
same transaction. Agendas and places are free text: nothing here logs them. The meeting
log, notes, reads and the scheduled follow-up live in domain.meetings.log,
domain.meetings.reads and domain.meetings.follow_up and are re-exported here, so callers
have one service module.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime, timedelta

from domain.core.jobs import JobContext
from domain.core.links import Links
from domain.core.model import Participant, PartnershipStatus
from domain.core.ports import Store, UnitOfWork
from domain.meetings import lookup
from domain.meetings.cards import cancelled_card, confirmed_card, declined_card, proposal_card, withdrawn_card
from domain.meetings.follow_up import follow_up_due
from domain.meetings.log import add_note, answer, log_met
from domain.meetings.model import Done, Meeting, MeetingFormat, MeetingResult, MeetingStatus
from domain.meetings.outbox import booking_messages, message
from domain.meetings.reads import agenda_prompt, calendar_entry, card_token_now, overview, partnership_of, replaceable
from domain.meetings.rules import (
    MeetingError,
    check_details,
    check_responder,
    check_start,
    check_times,
    pick_option,
)

__all__ = [
    "MeetingError",
    "MeetingResult",
    "accept",
    "add_note",
    "agenda_prompt",
    "answer",
    "calendar_entry",
    "cancel",
    "card_token_now",
    "decline",
    "log_met",
    "overview",
    "partnership_of",
    "propose",
    "replaceable",
    "run_due",
]


async def propose(
    store: Store,
    proposer_id: int,
    options: list[datetime],
    duration_minutes: int,
    format: MeetingFormat,
    place: str,
    agenda: str,
    rhythm_weeks: int,
    now: datetime,
    replaces: int | None = None,
) -> MeetingResult:
    """Suggest one or more times; the partner gets a card to accept one, suggest another or decline."""
    check_details(duration_minutes, place, agenda, rhythm_weeks)
    async with store.transaction() as uow:
        partnership, me, partner = await lookup.current_pair(uow, proposer_id)
        old = await lookup.replaced(uow, partnership.id, replaces, now) if replaces else None
        booked = await lookup.booked(uow, partnership.id, keep_uid=old.uid if old else "")
        times = check_times(options, duration_minutes, now, booked, me.time_zone)
        if old is not None:
            # A counter-proposal, or a newer move, takes the place of earlier suggestions for this meeting.
            await lookup.supersede(uow, partnership.id, old.uid, now)
        meeting = await uow.meetings.create(
            Meeting(
                id=0,
                partnership_id=partnership.id,
                proposed_by=me.id,
                status=MeetingStatus.PROPOSED,
                options=times,
                start_at=None,
                duration_minutes=duration_minutes,
                format=format,
                place=place.strip(),
                agenda=agenda.strip(),
                rhythm_weeks=rhythm_weeks or (old.rhythm_weeks if old else 0),
                uid=old.uid if old else uuid.uuid4().hex,
                sequence=old.sequence + 1 if old else 0,
            ),
            now,
        )
        card = proposal_card(meeting, me, partner.time_zone, await lookup.moving(uow, partnership.id, meeting.uid))
        await uow.outbox.enqueue([message("meeting_proposed", meeting.id, partner, card, now)], now)
    return MeetingResult(Done.PROPOSED, meeting, partner=partner, queued=True)


async def accept(
    store: Store,
    participant_id: int,
    meeting_id: int,
    option_index: int,
    links: Links,
    now: datetime,
    reminders: tuple[timedelta, ...],
) -> MeetingResult:
    """Book one suggested time: both get the same confirmation, reminders and a "did you meet?"."""
    async with store.transaction() as uow:
        meeting, partnership, me, partner = await lookup.meeting_for(uow, participant_id, meeting_id)
        check_responder(meeting, me.id)
        if partnership.status is PartnershipStatus.ENDED:
            raise MeetingError("This partnership has ended, so there's nothing more to book.")
        start = pick_option(meeting, option_index, now)
        clashes = await lookup.booked(uow, partnership.id, meeting.uid)
        check_start(start, meeting.duration_minutes, now, clashes, me.time_zone)
        for old in await lookup.booked(uow, partnership.id, but=meeting.id):
            if old.uid == meeting.uid:
                # The booking this one moves: cancelled quietly, its calendar event updated in place.
                await uow.meetings.update(replace(old, status=MeetingStatus.CANCELLED, updated_at=now))
                await lookup.cancel_reminders(uow, old.id)
        meeting = replace(meeting, status=MeetingStatus.CONFIRMED, start_at=start, updated_at=now)
        await lookup.supersede(uow, partnership.id, meeting.uid, now, but=meeting.id)
        await uow.meetings.update(meeting)
        card = confirmed_card(
            meeting, partner.time_zone, links.calendar_url(meeting.id, partner.id, meeting.end_at or now), me.email
        )
        await uow.outbox.enqueue(
            [
                message("meeting_confirmed", meeting.id, partner, card, now, meeting.sequence),
                *booking_messages(meeting, (me, partner), reminders, now),
            ],
            now,
        )
    mine = links.calendar_url(meeting.id, me.id, meeting.end_at or now)
    return MeetingResult(Done.BOOKED, meeting, partner, me.time_zone, mine, queued=True)


async def decline(store: Store, participant_id: int, meeting_id: int, now: datetime) -> MeetingResult:
    """Say a suggestion doesn't work; the other partner is told, a booking being moved stays as it is."""
    async with store.transaction() as uow:
        meeting, partnership, me, partner = await lookup.meeting_for(uow, participant_id, meeting_id)
        check_responder(meeting, me.id)
        meeting = replace(meeting, status=MeetingStatus.DECLINED, updated_at=now)
        await uow.meetings.update(meeting)
        card = declined_card(me, await lookup.moving(uow, partnership.id, meeting.uid), partner.time_zone)
        await uow.outbox.enqueue([message("meeting_declined", meeting.id, partner, card, now)], now)
    return MeetingResult(Done.DECLINED, meeting, partner=partner, queued=True)


async def cancel(store: Store, participant_id: int, meeting_id: int, links: Links, now: datetime) -> MeetingResult:
    """Cancel a booked meeting (or withdraw a suggestion): reminders stop, both get the same card."""
    async with store.transaction() as uow:
        meeting, partnership, me, partner = await lookup.meeting_for(uow, participant_id, meeting_id)
        if meeting.status is MeetingStatus.PROPOSED:
            return await _withdraw(uow, meeting, me, partner, now)
        if meeting.status is not MeetingStatus.CONFIRMED:
            raise MeetingError("That meeting is already cancelled. Type **meetings** to see yours.")
        if meeting.start_at is None or meeting.start_at <= now:
            raise MeetingError("That meeting has already started or passed, so there's nothing to cancel.")
        meeting = replace(meeting, status=MeetingStatus.CANCELLED, sequence=meeting.sequence + 1, updated_at=now)
        await uow.meetings.update(meeting)
        await lookup.cancel_reminders(uow, meeting.id)
        # A suggestion to move this meeting has nothing left to move.
        await lookup.supersede(uow, partnership.id, meeting.uid, now)
        card = cancelled_card(
            meeting, partner.time_zone, links.calendar_url(meeting.id, partner.id, meeting.end_at or now)
        )
        await uow.outbox.enqueue([message("meeting_cancelled", meeting.id, partner, card, now, meeting.sequence)], now)
    mine = links.calendar_url(meeting.id, me.id, meeting.end_at or now)
    return MeetingResult(Done.CANCELLED, meeting, time_zone=me.time_zone, calendar_url=mine, queued=True)


async def _withdraw(
    uow: UnitOfWork, meeting: Meeting, me: Participant, partner: Participant, now: datetime
) -> MeetingResult:
    """The proposer (or either, for the companion's suggestion) takes a suggestion back."""
    if meeting.proposed_by not in (None, me.id):
        raise MeetingError("This is your partner's suggestion: you can decline it or suggest another time.")
    meeting = replace(meeting, status=MeetingStatus.CANCELLED, updated_at=now)
    await uow.meetings.update(meeting)
    card = withdrawn_card(meeting, partner.time_zone)
    await uow.outbox.enqueue([message("meeting_cancelled", meeting.id, partner, card, now, meeting.sequence)], now)
    return MeetingResult(Done.WITHDRAWN, meeting, time_zone=me.time_zone, queued=True)


async def run_due(ctx: JobContext, now: datetime) -> int:
    """Propose the next meeting for pairs with a rhythm whose last meeting has passed."""
    return await follow_up_due(ctx, now)
