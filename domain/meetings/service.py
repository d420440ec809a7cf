"""Meeting services: propose, accept, decline, cancel (each one transaction on the Store).

Messages for the partner, reminders and "did you meet?" rows go through the outbox in the
same transaction. Reminders and follow-ups are due at their exact instant (a meeting
reminder must come at its time, not at the next working hour). Agendas and places are
free text: nothing here logs them. The meeting log, notes and the scheduled follow-up
(domain.meetings.log) and the overview (domain.meetings.overview) are re-exported here.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime, timedelta

from domain.core.jobs import JobContext
from domain.core.links import teams_meeting_link
from domain.core.model import NewOutboxMessage, Participant, PartnershipStatus
from domain.core.ports import Store, UnitOfWork
from domain.core.reply import Reply
from domain.meetings.log import add_note, answer, follow_up_due, log_met
from domain.meetings.lookup import cancel_reminders, current_pair, meeting_for
from domain.meetings.model import Meeting, MeetingFormat, MeetingStatus
from domain.meetings.overview import overview
from domain.meetings.rules import (
    NOT_FOUND,
    Links,
    MeetingError,
    MeetingResult,
    check_details,
    check_responder,
    check_start,
    check_times,
    message,
    pick_option,
)
from domain.meetings.wording import (
    SUBJECT,
    cancelled_card,
    confirmed_card,
    declined_card,
    declined_reply,
    did_you_meet_card,
    proposal_card,
    proposal_sent,
    reminder_card,
    withdrawn_card,
)

__all__ = [
    "Links",
    "MeetingError",
    "MeetingResult",
    "accept",
    "add_note",
    "answer",
    "cancel",
    "decline",
    "follow_up_due",
    "log_met",
    "overview",
    "propose",
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
        partnership, me, partner = await current_pair(uow, proposer_id)
        old = await _replaced(uow, partnership.id, replaces, now) if replaces else None
        booked = await _booked(uow, partnership.id, keep_uid=old.uid if old else "")
        times = check_times(options, duration_minutes, now, booked, me.time_zone)
        if old is not None:
            # A counter-proposal, or a newer move, takes the place of earlier suggestions for this meeting.
            await _supersede(uow, partnership.id, old.uid, now)
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
        card = proposal_card(meeting, me, partner.time_zone, await _moving(uow, partnership.id, meeting.uid))
        await uow.outbox.enqueue([message("meeting_proposed", meeting.id, partner, card, now)], now)
    return MeetingResult(meeting, proposal_sent(partner), queued=True)


async def _replaced(uow: UnitOfWork, partnership_id: int, meeting_id: int, now: datetime) -> Meeting:
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


async def _booked(uow: UnitOfWork, partnership_id: int, keep_uid: str = "", but: int = 0) -> list[Meeting]:
    """The pair's booked meetings, leaving out the one being moved (same uid) and meeting `but`."""
    return [
        m
        for m in await uow.meetings.for_partnership(partnership_id)
        if m.status is MeetingStatus.CONFIRMED and m.id != but and not (keep_uid and m.uid == keep_uid)
    ]


async def _moving(uow: UnitOfWork, partnership_id: int, uid: str) -> Meeting | None:
    """The booked meeting a suggestion would move (same calendar uid), if any."""
    return next((m for m in await _booked(uow, partnership_id) if m.uid == uid), None)


async def _supersede(uow: UnitOfWork, partnership_id: int, uid: str, now: datetime, but: int = 0) -> None:
    """Quietly close open suggestions for the meeting with calendar `uid` (except meeting `but`)."""
    for pending in await uow.meetings.for_partnership(partnership_id):
        if pending.status is MeetingStatus.PROPOSED and pending.uid == uid and pending.id != but:
            await uow.meetings.update(replace(pending, status=MeetingStatus.DECLINED, updated_at=now))


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
        meeting, partnership, me, partner = await meeting_for(uow, participant_id, meeting_id)
        check_responder(meeting, me.id)
        if partnership.status is PartnershipStatus.ENDED:
            raise MeetingError("This partnership has ended, so there's nothing more to book.")
        start = pick_option(meeting, option_index, now)
        check_start(start, meeting.duration_minutes, now, await _booked(uow, partnership.id, meeting.uid), me.time_zone)
        for old in await _booked(uow, partnership.id, but=meeting.id):
            if old.uid == meeting.uid:
                # The booking this one moves: cancelled quietly, its calendar event updated in place.
                await uow.meetings.update(replace(old, status=MeetingStatus.CANCELLED, updated_at=now))
                await cancel_reminders(uow, old.id)
        meeting = replace(meeting, status=MeetingStatus.CONFIRMED, start_at=start, updated_at=now)
        await _supersede(uow, partnership.id, meeting.uid, now, but=meeting.id)
        await uow.meetings.update(meeting)
        card = _confirmed(meeting, partner, me, links)
        await uow.outbox.enqueue(
            [
                message("meeting_confirmed", meeting.id, partner, card, now, meeting.sequence),
                *_booking_messages(meeting, (me, partner), reminders, now),
            ],
            now,
        )
        return MeetingResult(meeting, _confirmed(meeting, me, partner, links), queued=True)


def _confirmed(meeting: Meeting, person: Participant, other: Participant, links: Links) -> Reply:
    """One person's confirmation: their zone, their calendar link, a Teams link inviting the other."""
    assert meeting.start_at is not None and meeting.end_at is not None  # confirmed meetings have a start
    teams = (
        teams_meeting_link(SUBJECT, meeting.start_at, meeting.end_at, other.email, meeting.agenda)
        if meeting.format is MeetingFormat.TEAMS
        else ""
    )
    return confirmed_card(meeting, person.time_zone, links.calendar_url(meeting.id, person.id), teams)


def _booking_messages(
    meeting: Meeting, pair: tuple[Participant, ...], reminders: tuple[timedelta, ...], now: datetime
) -> list[NewOutboxMessage]:
    """Reminders still ahead and the "did you meet?" at the end, for each person."""
    assert meeting.start_at is not None and meeting.end_at is not None  # booked
    found = []
    for person in pair:
        for before in reminders:
            due, minutes = meeting.start_at - before, int(before.total_seconds() // 60)
            if due > now:
                reminder = reminder_card(meeting, person.time_zone, before)
                found.append(
                    message(
                        "meeting_reminder",
                        meeting.id,
                        person,
                        reminder,
                        due,
                        f"{meeting.sequence}-{minutes}",
                        key_kind="reminder",
                    )
                )
        found.append(
            message(
                "did_you_meet",
                meeting.id,
                person,
                did_you_meet_card(meeting, person.time_zone),
                meeting.end_at,
                meeting.sequence,
            )
        )
    return found


async def decline(store: Store, participant_id: int, meeting_id: int, now: datetime) -> MeetingResult:
    """Say a suggestion doesn't work; the other partner is told, a booking being moved stays as it is."""
    async with store.transaction() as uow:
        meeting, partnership, me, partner = await meeting_for(uow, participant_id, meeting_id)
        check_responder(meeting, me.id)
        meeting = replace(meeting, status=MeetingStatus.DECLINED, updated_at=now)
        await uow.meetings.update(meeting)
        card = declined_card(me, await _moving(uow, partnership.id, meeting.uid), partner.time_zone)
        await uow.outbox.enqueue([message("meeting_declined", meeting.id, partner, card, now)], now)
    return MeetingResult(meeting, declined_reply(partner), queued=True)


async def cancel(store: Store, participant_id: int, meeting_id: int, links: Links, now: datetime) -> MeetingResult:
    """Cancel a booked meeting (or withdraw a suggestion): reminders stop, both get the same card."""
    async with store.transaction() as uow:
        meeting, partnership, me, partner = await meeting_for(uow, participant_id, meeting_id)
        if meeting.status is MeetingStatus.PROPOSED:
            return await _withdraw(uow, meeting, me, partner, now)
        if meeting.status is not MeetingStatus.CONFIRMED:
            raise MeetingError("That meeting is already cancelled. Type **meetings** to see yours.")
        if meeting.start_at is None or meeting.start_at <= now:
            raise MeetingError("That meeting has already started or passed, so there's nothing to cancel.")
        meeting = replace(meeting, status=MeetingStatus.CANCELLED, sequence=meeting.sequence + 1, updated_at=now)
        await uow.meetings.update(meeting)
        await cancel_reminders(uow, meeting.id)
        # A suggestion to move this meeting has nothing left to move.
        await _supersede(uow, partnership.id, meeting.uid, now)
        card = cancelled_card(meeting, partner.time_zone, links.calendar_url(meeting.id, partner.id))
        await uow.outbox.enqueue([message("meeting_cancelled", meeting.id, partner, card, now, meeting.sequence)], now)
        return MeetingResult(
            meeting, cancelled_card(meeting, me.time_zone, links.calendar_url(meeting.id, me.id)), queued=True
        )


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
    return MeetingResult(meeting, withdrawn_card(meeting, me.time_zone), queued=True)


async def run_due(ctx: JobContext, now: datetime) -> int:
    """Propose the next meeting for pairs with a rhythm whose last meeting has passed."""
    return await follow_up_due(ctx.store, now, ctx.links)
