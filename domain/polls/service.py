"""Poll services: create, answer, list, results, export, close, and the scheduled job (invite, remind,
move waiting anonymous answers, close).

What they queue for people is built in outbox.py. Reminders go only to people without a
has-responded record, and a response withdraws any reminder still waiting. An anonymous
response takes two transactions: the first records only "has responded" (and withdraws the
reminder), the second puts the answers into the poll's holding area, so the two never share a
transaction id; the job moves held answers into the poll's answers once at least 5 wait, and
closing moves the rest. Results and exports exist only once a poll has closed. Nothing here
logs answers, names or group membership.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from domain.core.facilitators import FacilitatorDirectory
from domain.core.jobs import JobContext, slices, write_each
from domain.core.model import NewOutboxMessage, Participant
from domain.core.ports import Store, UnitOfWork
from domain.polls import outbox
from domain.polls.model import Answers, Outcome, Poll, PollDraft, PollListing, PollStarted
from domain.polls.outbox import Delivery
from domain.polls.results import PollResults, csv_text, tally
from domain.polls.rules import can_answer, inviting, release_due, step_due, without_contact

EARLIEST_PAST_OPENING = timedelta(minutes=5)


class PollError(ValueError):
    """A poll request that cannot be done; the message is for the facilitator."""


@dataclass(frozen=True)
class AnswerStart:
    """Whether a person may answer a poll now (`refused` None) and their earlier named answers to pre-fill."""

    poll: Poll | None
    refused: Outcome | None = None
    previous: Answers | None = None


async def create_poll(store: Store, draft: PollDraft, now: datetime) -> Poll:
    """A new poll; it closes `open_days` after opening. Invitations go out from the job."""
    async with store.transaction() as uow:
        return await _create(uow, draft, now)


async def _create(uow: UnitOfWork, draft: PollDraft, now: datetime) -> Poll:
    if draft.opens_at < now - EARLIEST_PAST_OPENING:
        raise PollError("The opening time has already passed: choose now or a later time.")
    if await uow.cohorts.get(draft.cohort_id) is None:
        raise PollError("I can't find that cohort.")
    return await uow.polls.create(draft, draft.opens_at + timedelta(days=draft.template.open_days), now)


async def start_poll(store: Store, draft: PollDraft, now: datetime, delivery: Delivery) -> PollStarted:
    """Create the poll; one opening now invites everyone at once, in this transaction, so "now" means within
    seconds (in each person's working hours), not at the next job run."""
    async with store.transaction() as uow:
        poll = await _create(uow, draft, now)
        if poll.opens_at > now:
            return PollStarted(poll)
        invited = await outbox.invite(uow, poll, now, delivery)
        return PollStarted(await uow.polls.get(poll.id) or poll, invited.count, invited.first_due)


async def find_poll(store: Store, poll_id: int) -> Poll | None:
    """The poll, or None."""
    async with store.transaction() as uow:
        return await uow.polls.get(poll_id)


async def start_answer(store: Store, poll_id: int | None, person: Participant, now: datetime) -> AnswerStart:
    """The poll this person may answer now with their named answers so far, or why they may not."""
    async with store.transaction() as uow:
        poll = None if poll_id is None else await uow.polls.get(poll_id)
        refused = can_answer(poll, person, now)
        if refused is not None or poll is None:
            return AnswerStart(None, refused or Outcome.UNKNOWN)
        if poll.anonymous:
            responded = person.id in await uow.polls.responders(poll.id)
            return AnswerStart(poll, Outcome.ALREADY if responded else None)
        return AnswerStart(poll, previous=await uow.polls.named_answers(poll.id, person.id))


async def submit(
    store: Store, poll_id: int, person: Participant, answers: Answers, now: datetime, delivery: Delivery
) -> Outcome:
    """Store validated answers: named ones replace earlier ones, anonymous ones only once."""
    async with store.transaction() as uow:
        poll = await uow.polls.get(poll_id)
        refused = can_answer(poll, person, now)
        if refused is not None or poll is None:
            return refused or Outcome.UNKNOWN
        if poll.anonymous:
            # This transaction records only that the person responded; the answers follow in another.
            if not await uow.polls.mark_responded(poll.id, person.id):
                return Outcome.ALREADY
            outcome = Outcome.SAVED
        else:
            existed = await uow.polls.named_answers(poll.id, person.id) is not None
            await uow.polls.save_named(poll.id, person.id, answers, now)
            outcome = Outcome.CHANGED if existed else Outcome.SAVED
        await outbox.after_response(uow, poll, person, answers, now, delivery)
    if poll.anonymous:
        # "Please contact me" is acted on above, never stored: it would name the person beside the answers.
        return await _hold(store, poll.id, person.id, without_contact(poll.template, answers))
    return outcome


async def _hold(store: Store, poll_id: int, person_id: int, answers: Answers) -> Outcome:
    """The anonymous answers into the holding area, in a transaction of their own; should that fail, or the
    poll close in between, the has-responded record is withdrawn so the person can answer again."""
    try:
        async with store.transaction() as uow:
            await uow.polls.lock(poll_id)  # one rewrite of the holding area at a time; closing waits
            poll = await uow.polls.get(poll_id)
            if poll is not None and not poll.closed:
                await uow.polls.hold_anonymous(poll_id, answers)
                return Outcome.SAVED
    except Exception:
        await _forget(store, poll_id, person_id)
        raise
    await _forget(store, poll_id, person_id)
    return Outcome.NOT_OPEN


async def _forget(store: Store, poll_id: int, person_id: int) -> None:
    async with store.transaction() as uow:
        await uow.polls.forget_responded(poll_id, person_id)


async def list_polls(store: Store) -> list[PollListing]:
    """Every poll with its cohort name and response count, newest first."""
    async with store.transaction() as uow:
        names = {c.id: c.name for c in await uow.cohorts.list_all()}
        rows = []
        for poll in await uow.polls.list_all():
            invited = len(await outbox.invitees(uow, poll))
            rows.append(
                PollListing(poll, names.get(poll.cohort_id, ""), await uow.polls.response_count(poll.id), invited)
            )
        return rows


async def results_for(store: Store, poll_id: int) -> PollResults | None:
    """The poll's listing line and, once it has closed, its per-question results; None for an unknown poll."""
    async with store.reading() as uow:
        poll = await uow.polls.get(poll_id)
        if poll is None:
            return None
        cohort = await uow.cohorts.get(poll.cohort_id)
        invited = len(await outbox.invitees(uow, poll))
        if not poll.closed:
            count = await uow.polls.response_count(poll_id)
            return PollResults(PollListing(poll, cohort.name if cohort else "", count, invited), None)
        responses = await uow.polls.responses(poll_id)
    listing = PollListing(poll, cohort.name if cohort else "", len(responses), invited)
    return PollResults(listing, tally(poll.template.questions, responses))


async def export_csv(store: Store, poll_id: int, facilitator_id: int, facilitators: FacilitatorDirectory) -> str | None:
    """The CSV of suppressed aggregates for a facilitator, or None (unknown poll or person, not a facilitator,
    the poll not closed yet, or fewer than 5 responses)."""
    async with store.transaction() as uow:
        person = await uow.participants.get(facilitator_id)
        if person is None or not await facilitators.is_facilitator(uow, person):
            return None
    found = await results_for(store, poll_id)
    if found is None or found.results is None or not found.exportable:
        return None
    return csv_text(found.results)


async def close_poll(store: Store, poll_id: int, now: datetime, delivery: Delivery) -> Poll | None:
    """Close now (facilitator command): closing messages are queued; None if unknown or already closed."""
    async with store.transaction() as uow:
        await uow.polls.lock(poll_id)
        poll = await uow.polls.get(poll_id)
        if poll is None or poll.closed_at is not None:
            return None
        await outbox.close(uow, poll, min(now, poll.closes_at), now, delivery)
        return await uow.polls.get(poll_id)


async def run_due(ctx: JobContext, now: datetime, invitations: bool | None = None) -> int:
    """Move held anonymous answers once at least 5 wait; invite at opening, remind non-responders on the
    reminder days, close at closing (moving whatever still waits). Return messages queued.

    `invitations` True takes only the polls whose step is to invite, False every other step (a tick
    queues reminders before guide prompts and invitations after them: the budget's priority order)."""
    async with ctx.store.reading() as uow:
        due = [poll for poll in await uow.polls.unfinished() if step_due(poll, now)]
        ids = [poll.id for poll in due if invitations is None or invitations == inviting(poll, now)]
        waiting = await uow.polls.held_counts() if not invitations else {}
        release = [p.id for p in [await uow.polls.get(i) for i in waiting] if p and release_due(p, waiting[p.id])]
    for poll_id in release:
        async with ctx.store.transaction() as uow:
            await uow.polls.lock(poll_id)
            await uow.polls.release_held(poll_id)
    delivery = Delivery(ctx.facilitators, ctx.settings.hours, ctx.settings.daily_budget, ctx.budgets)
    queued = 0
    for poll_id in ids:
        queued += await _job_step(ctx.store, poll_id, now, delivery)
    return queued


async def _job_step(store: Store, poll_id: int, now: datetime, delivery: Delivery) -> int:
    """The one step due for this poll now; return messages queued.

    Closing runs in one transaction. Invitations and reminders are worked out first, queued a batch per
    short transaction (keys make a rerun harmless) and recorded as done last, so a crash part-way leaves
    the step to the next tick. Every write locks the poll and reads it again, so `close poll` and a
    step never run at once, and a poll closed part-way gets no more of the step."""
    async with store.reading() as uow:
        poll = await uow.polls.get(poll_id)
        step = await outbox.due_step(uow, poll, now, delivery) if poll and poll.closed_at is None else None
    if poll is None or poll.closed_at is not None:
        return 0
    if step is None:
        if now < poll.closes_at:
            return 0
        async with store.transaction() as uow:
            await uow.polls.lock(poll_id)
            poll = await uow.polls.get(poll_id)
            if poll is None or poll.closed_at is not None:
                return 0
            return await outbox.close(uow, poll, poll.closes_at, now, delivery)
    queued, stopped = 0, False

    async def write(batch: Sequence[NewOutboxMessage], uow: UnitOfWork) -> int:
        nonlocal queued, stopped
        if stopped:
            return 0
        await uow.polls.lock(poll_id)
        poll = await uow.polls.get(poll_id)
        if poll is None or not step.still_due(poll):
            stopped = True
            return 0
        if not batch:  # the last, empty, records the step as done
            return await outbox.finish_step(uow, poll, step, queued, now, delivery)
        count = await outbox.queue_step(uow, poll, step, batch, now, delivery)
        queued += count
        return count

    return await write_each(store, [partial(write, batch) for batch in [*slices(step.messages), ()]])
