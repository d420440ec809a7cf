"""Group check-in sessions: facilitators create one for a cohort, everyone enrolled is invited
with Yes / Maybe / No buttons, reminders go the day before and an hour before to those not
saying no, and a cancellation tells invitees and withdraws what is still pending.

Each service runs one transaction and returns what happened as data (sessions/wording.py words
it); every message goes through the outbox with a key per (kind, session, person, occurrence),
so reruns send nothing twice.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from domain.core.jobs import JobContext, enqueue_in_chunks
from domain.core.model import NewOutboxMessage, outbox_key
from domain.core.ports import Store, UnitOfWork
from domain.core.timing import WorkingHours
from domain.sessions.model import Answered, Cancelled, Created, GroupSession, Invite, SessionCounts, SessionDraft
from domain.sessions.rules import (
    SessionError,
    check_answer,
    check_cancel,
    check_draft,
    check_rsvp,
    counts,
    deliver_at,
    due_reminder,
    heard_before,
    parse_link,
)
from domain.sessions.wording import cancelled_notice, invitation, reminder

NOT_FOUND = "I can't find that session. Type **sessions** to see them."


async def invited_to(store: Store, participant_id: int, session_id: int) -> GroupSession | None:
    """The session, when the person was invited to it (None otherwise: its existence is not revealed)."""
    async with store.reading() as uow:
        session = await uow.sessions.get(session_id)
        invites = await uow.sessions.invites(session_id) if session is not None else []
    return session if any(i.participant_id == participant_id for i in invites) else None


async def _invite_cohort(uow: UnitOfWork, session: GroupSession, now: datetime, hours: WorkingHours) -> int:
    """Invite everyone enrolled in the session's cohort not invited yet; return how many were queued."""
    people = await uow.sessions.uninvited(session)
    if not people:
        return 0
    cohort = await uow.cohorts.get(session.cohort_id)
    new = set(await uow.sessions.invite(session.id, [p.id for p in people], now))
    return await uow.outbox.enqueue(
        [
            NewOutboxMessage(
                outbox_key("session_invite", session.id, p.id),
                "session_invite",
                p.id,
                invitation(session, cohort.name if cohort else "your cohort", p.time_zone).to_dict(),
                deliver_at(now, p.time_zone, hours, session.starts_at),
            )
            for p in people
            if p.id in new
        ],
        now,
    )


async def create_session(
    store: Store, draft: SessionDraft, facilitator_id: int | None, now: datetime, hours: WorkingHours = WorkingHours()
) -> Created:
    """Create the session and invite the cohort, each person in their own zone and working hours."""
    check_draft(draft, now)
    async with store.transaction() as uow:
        cohort = await uow.cohorts.get(draft.cohort_id)
        if cohort is None:
            raise SessionError("I can't find that cohort. Type **create session** to choose again.")
        session = await uow.sessions.create(
            cohort.id, draft.title.strip(), draft.starts_at, draft.minutes, parse_link(draft.link), facilitator_id, now
        )
        queued = await _invite_cohort(uow, session, now, hours)
    return Created(session.id, cohort.name, queued, queued=queued > 0)


async def rsvp(store: Store, participant_id: int, session_id: int, answer: str, now: datetime) -> Answered:
    """Record or change the person's answer until the session starts; "no" stops their reminders."""
    check_answer(answer)
    async with store.transaction() as uow:
        session = await uow.sessions.get(session_id)
        mine = [i for i in await uow.sessions.invites(session_id) if i.participant_id == participant_id]
        check_rsvp(session, bool(mine), now)
        await uow.sessions.answer(session_id, participant_id, answer, now)
        if answer == "no":
            await uow.outbox.cancel_pending(f"session_reminder:{session_id}:{participant_id}:")
    return Answered(answer, mine[0].answer)


async def run_due(ctx: JobContext, now: datetime) -> int:
    """Invite people who joined a cohort since, and queue due reminders; return how many were queued.

    A transaction per session for the invitations, reminders a chunk at a time."""
    hours = ctx.settings.hours
    async with ctx.store.reading() as uow:
        sessions = await uow.sessions.upcoming(now)
    queued = 0
    for session in sessions:
        async with ctx.store.reading() as uow:
            joined = bool(await uow.sessions.uninvited(session))
        if joined:  # most ticks nobody has joined the cohort since: no write lock taken
            async with ctx.store.transaction() as uow:
                queued += await _invite_cohort(uow, session, now, hours)
        queued += await _remind(ctx.store, session, now, hours)
    return queued


async def _remind(store: Store, session: GroupSession, now: datetime, hours: WorkingHours) -> int:
    """The latest due reminder, at its exact instant, to everyone invited who has not said no; once per label."""
    due = due_reminder(session, now)
    if due is None or due[0] == session.reminded:
        return 0
    label, at = due
    async with store.reading() as uow:
        invites = [invite for invite in await uow.sessions.invites(session.id) if invite.answer != "no"]
        zones = await uow.participants.time_zones([invite.participant_id for invite in invites])
    messages = _reminders(session, invites, zones, label, at, hours)
    queued = await enqueue_in_chunks(store, messages, now, partial(_not_cancelled, session.id))
    # Marked last, so a crash part-way leaves the reminder to the next tick (whose keys skip what is in).
    # Nobody invited later can have heard of the session before this reminder's instant, so it is done.
    async with store.transaction() as uow:
        await uow.sessions.mark_reminded(session.id, label)
    return queued


def _reminders(
    session: GroupSession, invites: list[Invite], zones: dict[int, str], label: str, at: datetime, hours: WorkingHours
) -> list[NewOutboxMessage]:
    """The reminder for each invitee who heard of the session before its instant, in their own zone."""
    cards: dict[str, dict[str, Any]] = {}
    heard: dict[tuple[datetime | None, str], bool] = {}  # a cohort is invited at one moment: decide once per zone
    messages = []
    for invite in invites:
        zone = zones.get(invite.participant_id)
        if zone is None:
            continue
        if (invite.invited_at, zone) not in heard:
            heard[invite.invited_at, zone] = heard_before(invite, zone, hours, session, at)
        if not heard[invite.invited_at, zone]:
            continue
        if zone not in cards:
            cards[zone] = reminder(session, zone, label == "day").to_dict()
        key = outbox_key("session_reminder", session.id, invite.participant_id, label)
        messages.append(NewOutboxMessage(key, "session_reminder", invite.participant_id, cards[zone], at))
    return messages


async def _not_cancelled(session_id: int, uow: UnitOfWork) -> bool:
    """Whether the session still goes ahead (a cancellation stops its reminders part-way)."""
    session = await uow.sessions.get(session_id)
    return session is not None and session.cancelled_at is None


async def cancel_session(
    store: Store, session_id: int, now: datetime, hours: WorkingHours = WorkingHours()
) -> Cancelled:
    """Cancel a session not yet started: withdraw pending invitations and reminders, tell those invited."""
    async with store.transaction() as uow:
        session = await uow.sessions.get(session_id)
        if session is None:
            raise SessionError(NOT_FOUND)
        check_cancel(session, now)
        await uow.sessions.cancel(session_id, now)
        withdrawn = await uow.outbox.cancel_pending(f"session_reminder:{session_id}:")
        told = await _tell_cancelled(uow, session, now, hours)
    return Cancelled(session_id, told, withdrawn, queued=told > 0)


async def _tell_cancelled(uow: UnitOfWork, session: GroupSession, now: datetime, hours: WorkingHours) -> int:
    """Queue the cancellation notice for invitees who already had their invitation; return how many."""
    messages = []
    for invite in await uow.sessions.invites(session.id):
        person = await uow.participants.get(invite.participant_id)
        # Why: someone whose invitation was still waiting never heard of it, so needs no notice.
        if person is None or await uow.outbox.cancel_pending(f"session_invite:{session.id}:{person.id}:"):
            continue
        messages.append(
            NewOutboxMessage(
                outbox_key("session_cancelled", session.id, person.id),
                "session_cancelled",
                person.id,
                cancelled_notice(session, person.time_zone).to_dict(),
                deliver_at(now, person.time_zone, hours, session.starts_at),
            )
        )
    return await uow.outbox.enqueue(messages, now)


async def list_sessions(store: Store) -> list[tuple[GroupSession, str, SessionCounts]]:
    """Every session with its cohort's name and attendance answers, soonest first."""
    async with store.transaction() as uow:
        names = {c.id: c.name for c in await uow.cohorts.list_all()}
        return [
            (s, names.get(s.cohort_id, "?"), counts(await uow.sessions.invites(s.id)))
            for s in await uow.sessions.list_all()
        ]
