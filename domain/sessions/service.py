"""Group check-in sessions: facilitators create one for a cohort, everyone enrolled is invited
with Yes / Maybe / No buttons, reminders go the day before and an hour before to those not
saying no, and a cancellation tells invitees and withdraws what is still pending.

Each service runs one transaction and returns what to show; every message goes through the
outbox with a key per (kind, session, person, occurrence), so reruns send nothing twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.core.jobs import JobContext
from domain.core.model import NewOutboxMessage, outbox_key
from domain.core.ports import Store, UnitOfWork
from domain.core.reply import Reply
from domain.core.timing import WorkingHours, next_delivery_time
from domain.sessions.model import ANSWERS, GroupSession, Invite
from domain.sessions.wording import ANSWER_TITLES, THANKS, SessionCounts, cancelled_notice, invitation, reminder

REMINDERS = (("day", timedelta(days=1)), ("hour", timedelta(hours=1)))  # label in the key, how long before
MIN_MINUTES, MAX_MINUTES, MAX_TITLE = 15, 480, 200
NOT_FOUND = "I can't find that session. Type **sessions** to see them."
_URL = re.compile(r"^https://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(:\d{1,5})?(/\S*)?$")
_NONE_WORDS = frozenset({"", "none", "no", "skip", "no link", "-"})


class SessionError(ValueError):
    """A request that cannot go ahead; the message is kind and safe to show."""


@dataclass(frozen=True)
class SessionDraft:
    """What the facilitator chose; `starts_at` is aware UTC."""

    cohort_id: int
    title: str
    starts_at: datetime
    minutes: int
    link: str = ""


@dataclass(frozen=True)
class SessionResult:
    """The reply for the chat; `queued` means call `wake_dispatcher()`."""

    reply: Reply
    queued: bool = False


def parse_link(text: str) -> str:
    """A meeting link (https only, no spaces), or "" when the facilitator gives none."""
    link = text.strip()
    if link.lower() in _NONE_WORDS:
        return ""
    if len(link) > 500 or not _URL.match(link):
        raise SessionError(
            "That doesn't look like a meeting link. Please paste one starting with https://, or type **none**."
        )
    return link


def _check(draft: SessionDraft, now: datetime) -> None:
    if not draft.title.strip() or len(draft.title) > MAX_TITLE:
        raise SessionError(f"Please give the session a short title (up to {MAX_TITLE} characters).")
    if draft.starts_at <= now:
        raise SessionError("That time has already passed. Please choose a time that's still ahead.")
    if not MIN_MINUTES <= draft.minutes <= MAX_MINUTES:
        raise SessionError(f"A session lasts between {MIN_MINUTES} minutes and {MAX_MINUTES // 60} hours.")
    parse_link(draft.link)


def _deliver_at(now: datetime, time_zone: str, hours: WorkingHours, starts_at: datetime) -> datetime:
    """Within the person's working hours, unless that would be after the start (then straight away)."""
    at = next_delivery_time(now, time_zone, hours)
    return at if at < starts_at else now


async def _invite_cohort(uow: UnitOfWork, session: GroupSession, now: datetime, hours: WorkingHours) -> int:
    """Invite everyone enrolled in the session's cohort not invited yet; return how many were queued."""
    cohort = await uow.cohorts.get(session.cohort_id)
    people = [p for p in await uow.participants.list_in_cohort(session.cohort_id) if p.is_enrolled]
    new = set(await uow.sessions.invite(session.id, [p.id for p in people], now))
    return await uow.outbox.enqueue(
        [
            NewOutboxMessage(
                outbox_key("session_invite", session.id, p.id),
                "session_invite",
                p.id,
                invitation(session, cohort.name if cohort else "your cohort", p.time_zone).to_dict(),
                _deliver_at(now, p.time_zone, hours, session.starts_at),
            )
            for p in people
            if p.id in new
        ],
        now,
    )


async def create_session(
    store: Store, draft: SessionDraft, facilitator_id: int | None, now: datetime, hours: WorkingHours = WorkingHours()
) -> SessionResult:
    """Create the session and invite the cohort, each person in their own zone and working hours."""
    _check(draft, now)
    async with store.transaction() as uow:
        cohort = await uow.cohorts.get(draft.cohort_id)
        if cohort is None:
            raise SessionError("I can't find that cohort. Type **create session** to choose again.")
        session = await uow.sessions.create(
            cohort.id, draft.title.strip(), draft.starts_at, draft.minutes, parse_link(draft.link), facilitator_id, now
        )
        queued = await _invite_cohort(uow, session, now, hours)
    invited = (
        f"Invitations are on their way to {queued} {'person' if queued == 1 else 'people'} in {cohort.name}"
        if queued
        else f"Nobody is enrolled in {cohort.name} yet; people who join before it starts are invited too"
    )
    return SessionResult(
        Reply(text=(f"Session {session.id} created. {invited}. Type **sessions** to see who's coming.")),
        queued=queued > 0,
    )


async def rsvp(store: Store, participant_id: int, session_id: int, answer: str, now: datetime) -> SessionResult:
    """Record or change the person's answer until the session starts; "no" stops their reminders."""
    if answer not in ANSWERS:
        raise SessionError("Please use one of the buttons: Yes, Maybe or No.")
    async with store.transaction() as uow:
        session = await uow.sessions.get(session_id)
        mine = [i for i in await uow.sessions.invites(session_id) if i.participant_id == participant_id]
        if session is None or not mine:
            raise SessionError("I can't find an invitation to that session for you.")
        if session.cancelled_at is not None:
            raise SessionError("That session has been cancelled, so there's nothing to answer.")
        if now >= session.starts_at:
            raise SessionError("That session has already started, so your answer can't change now.")
        await uow.sessions.answer(session_id, participant_id, answer, now)
        if answer == "no":
            await uow.outbox.cancel_pending(f"session_reminder:{session_id}:{participant_id}:")
    changed = f"Changed to **{ANSWER_TITLES[answer]}**. " if mine[0].answer not in ("", answer) else ""
    return SessionResult(Reply(text=changed + THANKS[answer]))


async def run_sessions_jobs(
    store: Store, now: datetime, configured_facilitators: frozenset[str], hours: WorkingHours
) -> int:
    """Invite people who joined a cohort since, and queue due reminders; return how many were queued.

    `configured_facilitators` is unused: sessions need no facilitator alerts (shared job signature).
    """
    queued = 0
    async with store.transaction() as uow:
        for session in await uow.sessions.upcoming(now):
            queued += await _invite_cohort(uow, session, now, hours)
            queued += await _remind(uow, session, now, hours)
    return queued


async def _remind(uow: UnitOfWork, session: GroupSession, now: datetime, hours: WorkingHours) -> int:
    """The latest due reminder, at its exact instant, to everyone invited who has not said no."""
    due = [(label, session.starts_at - before) for label, before in REMINDERS if session.starts_at - before <= now]
    if not due:
        return 0
    label, at = due[-1]  # a day-before reminder missed until the last hour is not worth sending
    messages = []
    for invite in await uow.sessions.invites(session.id):
        person = await uow.participants.get(invite.participant_id)
        if person is None or invite.answer == "no" or not _heard_before(invite, person.time_zone, hours, session, at):
            continue
        messages.append(
            NewOutboxMessage(
                outbox_key("session_reminder", session.id, person.id, label),
                "session_reminder",
                person.id,
                reminder(session, person.time_zone, label == "day").to_dict(),
                at,
            )
        )
    return await uow.outbox.enqueue(messages, now)


def _heard_before(invite: Invite, time_zone: str, hours: WorkingHours, session: GroupSession, at: datetime) -> bool:
    """Whether the invitation arrived before the reminder instant (a reminder must not come first)."""
    assert invite.invited_at is not None  # set on insert
    return _deliver_at(invite.invited_at, time_zone, hours, session.starts_at) < at


async def cancel_session(
    store: Store, session_id: int, now: datetime, hours: WorkingHours = WorkingHours()
) -> SessionResult:
    """Cancel a session not yet started: withdraw pending invitations and reminders, tell those invited."""
    async with store.transaction() as uow:
        session = await uow.sessions.get(session_id)
        if session is None:
            raise SessionError(NOT_FOUND)
        if session.cancelled_at is not None or now >= session.starts_at:
            raise SessionError("That session has already been cancelled or has started.")
        await uow.sessions.cancel(session_id, now)
        withdrawn = await uow.outbox.cancel_pending(f"session_reminder:{session_id}:")
        messages = []
        for invite in await uow.sessions.invites(session_id):
            person = await uow.participants.get(invite.participant_id)
            # Why: someone whose invitation was still waiting never heard of it, so needs no notice.
            if person is None or await uow.outbox.cancel_pending(f"session_invite:{session_id}:{person.id}:"):
                continue
            messages.append(
                NewOutboxMessage(
                    outbox_key("session_cancelled", session_id, person.id),
                    "session_cancelled",
                    person.id,
                    cancelled_notice(session, person.time_zone).to_dict(),
                    _deliver_at(now, person.time_zone, hours, session.starts_at),
                )
            )
        told = await uow.outbox.enqueue(messages, now)
    return SessionResult(
        Reply(
            text=(
                f"Session {session_id} is cancelled. {told} invited "
                f"{'person is' if told == 1 else 'people are'} being told, and "
                f"{withdrawn} pending reminder{'' if withdrawn == 1 else 's'} "
                "withdrawn."
            )
        ),
        queued=told > 0,
    )


async def list_sessions(store: Store) -> list[tuple[GroupSession, str, SessionCounts]]:
    """Every session with its cohort's name and attendance answers, soonest first."""
    async with store.transaction() as uow:
        names = {c.id: c.name for c in await uow.cohorts.list_all()}
        return [
            (s, names.get(s.cohort_id, "?"), _counts(await uow.sessions.invites(s.id)))
            for s in await uow.sessions.list_all()
        ]


def _counts(invites: list[Invite]) -> SessionCounts:
    answers = [i.answer for i in invites]
    return SessionCounts(answers.count("yes"), answers.count("maybe"), answers.count("no"), answers.count(""))


async def run_due(ctx: JobContext, now: datetime) -> int:
    """Queue the session reminders due at `now`."""
    return await run_sessions_jobs(ctx.store, now, ctx.facilitators.configured, ctx.settings.hours)
