"""What polls put in the outbox: invitations, reminders, closing notes and facilitator alerts.

Every function works inside the caller's unit of work (the services in service.py open it).
Keys are `<kind>:<poll>:<recipient>:<occurrence>`, so a rerun queues nothing twice; people
hear from polls in their own working hours. Invitations and reminders go only to people who have
not answered (an answer withdraws any still waiting); closing thanks those who took part and tells
the others, without thanks, that the poll has closed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.core.budget_queue import DayBudgets, queue_within_budget
from domain.core.facilitators import FacilitatorDirectory
from domain.core.identity import chat_link
from domain.core.model import NewOutboxMessage, Participant, outbox_key
from domain.core.ports import UnitOfWork
from domain.core.reply import Reply
from domain.core.spread import spread_delivery_time
from domain.core.timing import WorkingHours, next_delivery_time
from domain.polls.model import Answers, Poll
from domain.polls.rules import reminders_reached, wants_contact
from domain.polls.wording import (
    closing_reply,
    contact_reply,
    invite_reply,
    reminder_reply,
    team_closed_reply,
    team_opened_reply,
)

INVITE, REMINDER, CLOSING, TEAM_CLOSED, CONTACT, TEAM_OPENED = (
    "poll_invite",
    "poll_reminder",
    "poll_closing",
    "poll_closed",
    "poll_contact",
    "poll_opened",
)


@dataclass(frozen=True)
class Delivery:
    """Who hears about polls besides the people invited, and the working hours messages arrive in."""

    facilitators: FacilitatorDirectory
    hours: WorkingHours
    budget: int = 2  # unprompted messages per person and local day (core/budget_queue.py)
    budgets: DayBudgets | None = None  # a tick's view of what is already queued against it


@dataclass(frozen=True)
class Invited:
    """Invitations queued when a poll opened: how many, and when the first is due."""

    count: int = 0
    first_due: datetime | None = None


@dataclass(frozen=True)
class Step:
    """A poll's invitation or reminder step, worked out before any write: its messages (queued a batch per
    transaction by the job), then the step recorded as done."""

    kind: str  # INVITE or REMINDER
    messages: list[NewOutboxMessage]
    zones: dict[int, str]  # recipient id -> time zone
    reminded: tuple[int, ...]  # the reminder days done once the step is recorded

    def still_due(self, poll: Poll) -> bool:
        """Whether the poll (read again under its lock) still waits for this step: open, not done by another."""
        if poll.closed_at is not None:
            return False
        if self.kind == INVITE:
            return poll.invited_at is None
        return not set(self.reminded) <= set(poll.reminded)


async def due_step(uow: UnitOfWork, poll: Poll, now: datetime, delivery: Delivery) -> Step | None:
    """The invitation or reminder step due now for an open poll, with its messages; None when neither is
    (closing is `close`'s)."""
    if now < poll.opens_at or now >= poll.closes_at:
        return None
    if poll.invited_at is None:
        # Reminder days already past at invitation time are done: nobody gets an invite and a reminder at once.
        people = await _not_answered(uow, poll)
        messages = _messages(poll, people, INVITE, now, delivery.hours, invite_reply)
        return Step(INVITE, messages, people, reminders_reached(poll, now))
    due = [d for d in reminders_reached(poll, now) if d not in poll.reminded]
    if not due:
        return None
    people = await _not_answered(uow, poll)
    messages = _messages(poll, people, REMINDER, now, delivery.hours, reminder_reply, occurrence=max(due))
    return Step(REMINDER, messages, people, tuple(sorted({*poll.reminded, *due})))


async def queue_step(
    uow: UnitOfWork, poll: Poll, step: Step, batch: Sequence[NewOutboxMessage], now: datetime, delivery: Delivery
) -> int:
    """One batch of a step's messages, leaving out anyone who has answered since (the caller holds the lock)."""
    answered = await uow.polls.responders(poll.id)
    waiting = [m for m in batch if m.participant_id not in answered]
    return await queue_within_budget(uow, waiting, now, delivery.hours, delivery.budget, step.zones, delivery.budgets)


async def finish_step(uow: UnitOfWork, poll: Poll, step: Step, queued: int, now: datetime, delivery: Delivery) -> int:
    """Record the step as done; for invitations, whoever created the poll hears that they went out (a poll
    opened "now" says so in the chat instead). Returns messages queued."""
    await uow.polls.mark_reminded(poll.id, step.reminded)
    if step.kind != INVITE:
        return 0
    await uow.polls.mark_invited(poll.id, now)
    return await _tell_team(uow, poll, TEAM_OPENED, team_opened_reply(poll, queued), 0, now, delivery)


async def invite(uow: UnitOfWork, poll: Poll, now: datetime, delivery: Delivery) -> Invited:
    """A poll opened "now": mark it invited and queue invitations at once for everyone who has not answered
    yet, due now in each person's working hours (still counted in the day's budget, never held by it). The
    scheduled opening of a poll goes through `due_step` instead, spread over each person's working window."""
    # Reminder days already past at invitation time are done: nobody gets an invite and a reminder at once.
    await uow.polls.mark_invited(poll.id, now)
    await uow.polls.mark_reminded(poll.id, reminders_reached(poll, now))
    people = await _not_answered(uow, poll)
    count = await _send(uow, poll, people, INVITE, now, delivery, invite_reply, at_once=True)
    first = min((next_delivery_time(now, zone, delivery.hours) for zone in set(people.values())), default=None)
    return Invited(count, first)


async def close(uow: UnitOfWork, poll: Poll, closes_at: datetime, now: datetime, delivery: Delivery) -> int:
    """Record the close, move any anonymous answers still held, withdraw waiting invitations and reminders,
    thank those who answered, tell the others kindly that it has closed, tell facilitators. The caller holds
    the poll's lock, so no answer is held after this."""
    await uow.polls.close(poll.id, closes_at, now)
    await uow.polls.release_held(poll.id)
    for kind in (INVITE, REMINDER):
        await uow.outbox.cancel_pending(f"{kind}:{poll.id}:")
    queued = 0
    if poll.invited_at is not None:
        people, answered = await invitees(uow, poll), await uow.polls.responders(poll.id)
        for took_part in (True, False):
            group = {pid: zone for pid, zone in people.items() if (pid in answered) == took_part}
            queued += await _send(uow, poll, group, CLOSING, now, delivery, _closing(took_part))
    count = await uow.polls.response_count(poll.id)
    return queued + await _tell_team(uow, poll, TEAM_CLOSED, team_closed_reply(poll, count), 0, now, delivery)


def _closing(took_part: bool) -> Callable[[Poll, str], Reply]:
    return lambda poll, _zone: closing_reply(poll, took_part)


async def after_response(
    uow: UnitOfWork, poll: Poll, person: Participant, answers: Answers, now: datetime, delivery: Delivery
) -> None:
    """A stored response withdraws the person's waiting invitation and reminder; "please contact me" tells
    facilitators."""
    for kind in (INVITE, REMINDER):
        await uow.outbox.cancel_pending(f"{kind}:{poll.id}:{person.id}:")
    if wants_contact(poll.template, answers):
        reply = contact_reply(poll, person.name, chat_link(person))
        await _tell_team(uow, poll, CONTACT, reply, person.id, now, delivery)


async def _tell_team(
    uow: UnitOfWork, poll: Poll, kind: str, reply: Reply, occurrence: int, now: datetime, delivery: Delivery
) -> int:
    """Queue one message to every facilitator (only to its creator when the poll opens)."""
    ids = [poll.created_by] if kind == TEAM_OPENED and poll.created_by else await delivery.facilitators.ids(uow)
    people = await uow.participants.time_zones(ids)
    return await _send(uow, poll, people, kind, now, delivery, lambda _p, _tz: reply, occurrence, spread=False)


async def invitees(uow: UnitOfWork, poll: Poll) -> dict[int, str]:
    """Everyone enrolled in the poll's cohort, with their time zone."""
    return await uow.participants.enrolled_zones(poll.cohort_id)


async def _not_answered(uow: UnitOfWork, poll: Poll) -> dict[int, str]:
    """The invitees who have not answered yet (an invitation or reminder would only ask them again)."""
    answered = await uow.polls.responders(poll.id)
    return {pid: zone for pid, zone in (await invitees(uow, poll)).items() if pid not in answered}


async def _send(
    uow: UnitOfWork,
    poll: Poll,
    people: Mapping[int, str],
    kind: str,
    now: datetime,
    delivery: Delivery,
    reply: Callable[[Poll, str], Reply],
    occurrence: int = 0,
    spread: bool = True,
    at_once: bool = False,
) -> int:
    """Queue `_messages` within each person's day's budget; how many were new."""
    messages = _messages(poll, people, kind, now, delivery.hours, reply, occurrence, spread, at_once)
    return await queue_within_budget(uow, messages, now, delivery.hours, delivery.budget, people) if messages else 0


def _messages(
    poll: Poll,
    people: Mapping[int, str],
    kind: str,
    now: datetime,
    hours: WorkingHours,
    reply: Callable[[Poll, str], Reply],
    occurrence: int = 0,
    spread: bool = True,
    at_once: bool = False,
) -> list[NewOutboxMessage]:
    """`reply(poll, time_zone)` for each person (id -> time zone) in their working hours: spread over each
    person's window for the cohort (core/spread.py), the next working moment for facilitators and for
    messages asked for `at_once`."""
    cards: dict[str, dict[str, Any]] = {}
    messages = []
    for pid, zone in sorted(people.items()):
        if zone not in cards:
            cards[zone] = reply(poll, zone).to_dict()
        spreading = spread and not at_once
        due = spread_delivery_time(now, zone, hours, pid) if spreading else next_delivery_time(now, zone, hours)
        key = outbox_key(kind, poll.id, pid, occurrence)
        messages.append(NewOutboxMessage(key, kind, pid, cards[zone], due, at_once))
    return messages
