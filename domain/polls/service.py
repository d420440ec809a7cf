"""Poll services: create, answer, close, list, and the periodic job (invite, remind, close).

Every proactive message goes through the outbox with key `<kind>:<poll>:<recipient>:<occurrence>`;
reminders go only to people without a has-responded record, and a response withdraws any
reminder still waiting. Nothing here logs answers, names or group membership.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from enum import StrEnum

from domain.core.identity import facilitator_ids
from domain.core.jobs import JobContext
from domain.core.model import NewOutboxMessage, Participant, outbox_key
from domain.core.ports import Store, UnitOfWork
from domain.core.reply import Reply
from domain.core.timing import WorkingHours, next_delivery_time
from domain.polls.model import Answers, Poll, PollDraft, PollListing
from domain.polls.results import QuestionResult, tally
from domain.polls.wording import closing_reply, contact_reply, invite_reply, reminder_reply, team_closed_reply

INVITE, REMINDER, CLOSING, TEAM_CLOSED, CONTACT = (
    "poll_invite",
    "poll_reminder",
    "poll_closing",
    "poll_closed",
    "poll_contact",
)
EARLIEST_PAST_OPENING = timedelta(minutes=5)


class PollError(ValueError):
    """A poll request that cannot be done; the message is for the facilitator."""


class Outcome(StrEnum):
    SAVED = "saved"
    CHANGED = "changed"
    ALREADY = "already"  # anonymous answers cannot be changed
    NOT_OPEN = "not_open"
    NOT_INVITED = "not_invited"
    UNKNOWN = "unknown"


async def create_poll(store: Store, draft: PollDraft, now: datetime) -> Poll:
    """A new poll; it closes `open_days` after opening. Invitations go out from the job."""
    if draft.opens_at < now - EARLIEST_PAST_OPENING:
        raise PollError("The opening time has already passed: choose now or a later time.")
    async with store.transaction() as uow:
        if await uow.cohorts.get(draft.cohort_id) is None:
            raise PollError("I can't find that cohort.")
        return await uow.polls.create(draft, draft.opens_at + timedelta(days=draft.template.open_days), now)


async def find_poll(store: Store, poll_id: int) -> Poll | None:
    """The poll, or None."""
    async with store.transaction() as uow:
        return await uow.polls.get(poll_id)


async def previous_answers(store: Store, poll: Poll, person: Participant) -> tuple[bool, Answers | None]:
    """(has responded, their named answers to pre-fill) for one person."""
    async with store.transaction() as uow:
        responded = person.id in await uow.polls.responders(poll.id)
        named = None if poll.anonymous else await uow.polls.named_answers(poll.id, person.id)
        return responded, named


def can_answer(poll: Poll | None, person: Participant, now: datetime) -> Outcome | None:
    """Why this person cannot answer now, or None when they can."""
    if poll is None:
        return Outcome.UNKNOWN
    if person.cohort_id != poll.cohort_id:
        return Outcome.NOT_INVITED
    return None if poll.is_open(now) else Outcome.NOT_OPEN


async def submit(
    store: Store,
    poll_id: int,
    person: Participant,
    answers: Answers,
    now: datetime,
    configured: frozenset[str],
    hours: WorkingHours,
) -> Outcome:
    """Store validated answers: named ones replace earlier ones, anonymous ones only once."""
    async with store.transaction() as uow:
        poll = await uow.polls.get(poll_id)
        refused = can_answer(poll, person, now)
        if refused is not None or poll is None:
            return refused or Outcome.UNKNOWN
        contact = [q for q in poll.template.questions if q.contact]
        wants_contact = any(answers.get(q.id) == q.choices[0].value for q in contact)
        outcome = await _store(uow, poll, person, answers, now)
        if outcome == Outcome.ALREADY:
            return outcome
        await uow.outbox.cancel_pending(f"{REMINDER}:{poll.id}:{person.id}:")
        if wants_contact:
            await _tell_team(uow, poll, CONTACT, contact_reply(poll, person.name), person.id, now, configured, hours)
        return outcome


async def _store(uow: UnitOfWork, poll: Poll, person: Participant, answers: Answers, now: datetime) -> Outcome:
    if poll.anonymous:
        # The "please contact me" answer would name the person, so it is acted on, not stored.
        kept = {k: v for k, v in answers.items() if k not in {q.id for q in poll.template.questions if q.contact}}
        return Outcome.SAVED if await uow.polls.save_anonymous(poll.id, person.id, kept) else Outcome.ALREADY
    existed = await uow.polls.named_answers(poll.id, person.id) is not None
    await uow.polls.save_named(poll.id, person.id, answers, now)
    return Outcome.CHANGED if existed else Outcome.SAVED


async def list_polls(store: Store) -> list[PollListing]:
    """Every poll with its cohort name and response count, newest first."""
    async with store.transaction() as uow:
        names = {c.id: c.name for c in await uow.cohorts.list_all()}
        rows = []
        for poll in await uow.polls.list_all():
            invited = len(await invitees(uow, poll))
            rows.append(
                PollListing(poll, names.get(poll.cohort_id, ""), await uow.polls.response_count(poll.id), invited)
            )
        return rows


async def results_for(store: Store, poll_id: int) -> tuple[PollListing, list[QuestionResult]] | None:
    """The poll's listing line and its per-question results, or None for an unknown poll."""
    async with store.transaction() as uow:
        poll = await uow.polls.get(poll_id)
        if poll is None:
            return None
        cohort = await uow.cohorts.get(poll.cohort_id)
        responses = await uow.polls.responses(poll_id)
        listing = PollListing(poll, cohort.name if cohort else "", len(responses), len(await invitees(uow, poll)))
    return listing, tally(poll, responses)


async def close_poll(
    store: Store, poll_id: int, now: datetime, configured: frozenset[str], hours: WorkingHours
) -> Poll | None:
    """Close now (facilitator command): closing messages are queued; None if unknown or already closed."""
    async with store.transaction() as uow:
        await uow.polls.lock(poll_id)
        poll = await uow.polls.get(poll_id)
        if poll is None or poll.closed_at is not None:
            return None
        await _close(uow, poll, min(now, poll.closes_at), now, configured, hours)
        return await uow.polls.get(poll_id)


async def run_poll_jobs(store: Store, now: datetime, configured: frozenset[str], hours: WorkingHours) -> int:
    """Invite at opening, remind non-responders on the reminder days, close at closing; return messages queued."""
    async with store.transaction() as uow:
        ids = [poll.id for poll in await uow.polls.unfinished()]
    queued = 0
    for poll_id in ids:
        async with store.transaction() as uow:
            await uow.polls.lock(poll_id)
            poll = await uow.polls.get(poll_id)
            if poll is not None and poll.closed_at is None:
                queued += await _step(uow, poll, now, configured, hours)
    return queued


async def _step(uow: UnitOfWork, poll: Poll, now: datetime, configured: frozenset[str], hours: WorkingHours) -> int:
    """The one job step due for this poll now."""
    if now < poll.opens_at:
        return 0
    if now >= poll.closes_at:
        return await _close(uow, poll, poll.closes_at, now, configured, hours)
    passed = tuple(d for d in poll.template.reminder_days if now >= poll.opens_at + timedelta(days=d))
    if poll.invited_at is None:
        # Reminder days already past at invitation time are done: nobody gets an invite and a reminder at once.
        await uow.polls.mark_invited(poll.id, now)
        await uow.polls.mark_reminded(poll.id, passed)
        return await _send(uow, poll, await invitees(uow, poll), INVITE, now, hours, invite_reply)
    due = [d for d in passed if d not in poll.reminded]
    if not due:
        return 0
    await uow.polls.mark_reminded(poll.id, tuple(sorted({*poll.reminded, *due})))
    responders = await uow.polls.responders(poll.id)
    waiting = [p for p in await invitees(uow, poll) if p.id not in responders]
    return await _send(uow, poll, waiting, REMINDER, now, hours, reminder_reply, occurrence=max(due))


async def _close(
    uow: UnitOfWork, poll: Poll, closes_at: datetime, now: datetime, configured: frozenset[str], hours: WorkingHours
) -> int:
    """Record the close, withdraw waiting invitations and reminders, thank everyone, tell facilitators."""
    await uow.polls.close(poll.id, closes_at, now)
    for kind in (INVITE, REMINDER):
        await uow.outbox.cancel_pending(f"{kind}:{poll.id}:")
    queued = 0
    if poll.invited_at is not None:
        queued = await _send(uow, poll, await invitees(uow, poll), CLOSING, now, hours, lambda p, _: closing_reply(p))
    count = await uow.polls.response_count(poll.id)
    return queued + await _tell_team(uow, poll, TEAM_CLOSED, team_closed_reply(poll, count), 0, now, configured, hours)


async def invitees(uow: UnitOfWork, poll: Poll) -> list[Participant]:
    """Everyone enrolled in the poll's cohort."""
    return [p for p in await uow.participants.list_in_cohort(poll.cohort_id) if p.is_enrolled]


async def _send(
    uow: UnitOfWork,
    poll: Poll,
    people: list[Participant],
    kind: str,
    now: datetime,
    hours: WorkingHours,
    reply: Callable[[Poll, str], Reply],
    occurrence: int = 0,
) -> int:
    """Queue `reply(poll, time_zone)` for each person, in their working hours."""
    messages = [
        NewOutboxMessage(
            outbox_key(kind, poll.id, p.id, occurrence),
            kind,
            p.id,
            reply(poll, p.time_zone).to_dict(),
            next_delivery_time(now, p.time_zone, hours),
        )
        for p in people
    ]
    return await uow.outbox.enqueue(messages, now) if messages else 0


async def _tell_team(
    uow: UnitOfWork,
    poll: Poll,
    kind: str,
    reply: Reply,
    occurrence: int,
    now: datetime,
    configured: frozenset[str],
    hours: WorkingHours,
) -> int:
    """Queue one message to every facilitator."""
    people = [p for p in [await uow.participants.get(i) for i in await facilitator_ids(uow, configured)] if p]
    return await _send(uow, poll, people, kind, now, hours, lambda _p, _tz: reply, occurrence)


async def run_due(ctx: JobContext, now: datetime) -> int:
    """Open, remind and close polls as their schedule says."""
    return await run_poll_jobs(ctx.store, now, ctx.facilitators.configured, ctx.settings.hours)
