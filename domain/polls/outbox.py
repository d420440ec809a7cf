"""What polls put in the outbox: invitations, reminders, closing notes and facilitator alerts.

Every function works inside the caller's unit of work (the services in service.py open it).
Keys are `<kind>:<poll>:<recipient>:<occurrence>`, so a rerun queues nothing twice; people
hear from polls in their own working hours.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.core.identity import FacilitatorDirectory
from domain.core.model import NewOutboxMessage, Participant, outbox_key
from domain.core.ports import UnitOfWork
from domain.core.reply import Reply
from domain.core.spread import spread_delivery_time
from domain.core.timing import WorkingHours, next_delivery_time
from domain.polls.model import Answers, Poll
from domain.polls.rules import reminders_reached, wants_contact
from domain.polls.wording import closing_reply, contact_reply, invite_reply, reminder_reply, team_closed_reply

INVITE, REMINDER, CLOSING, TEAM_CLOSED, CONTACT = (
    "poll_invite",
    "poll_reminder",
    "poll_closing",
    "poll_closed",
    "poll_contact",
)


@dataclass(frozen=True)
class Delivery:
    """Who hears about polls besides the people invited, and the working hours messages arrive in."""

    facilitators: FacilitatorDirectory
    hours: WorkingHours


async def job_step(uow: UnitOfWork, poll: Poll, now: datetime, delivery: Delivery) -> int:
    """The one job step due for this poll now (invite, remind or close); return messages queued."""
    if now < poll.opens_at:
        return 0
    if now >= poll.closes_at:
        return await close(uow, poll, poll.closes_at, now, delivery)
    passed = reminders_reached(poll, now)
    if poll.invited_at is None:
        # Reminder days already past at invitation time are done: nobody gets an invite and a reminder at once.
        await uow.polls.mark_invited(poll.id, now)
        await uow.polls.mark_reminded(poll.id, passed)
        return await _send(uow, poll, await invitees(uow, poll), INVITE, now, delivery.hours, invite_reply)
    due = [d for d in passed if d not in poll.reminded]
    if not due:
        return 0
    await uow.polls.mark_reminded(poll.id, tuple(sorted({*poll.reminded, *due})))
    responders = await uow.polls.responders(poll.id)
    waiting = {pid: zone for pid, zone in (await invitees(uow, poll)).items() if pid not in responders}
    return await _send(uow, poll, waiting, REMINDER, now, delivery.hours, reminder_reply, occurrence=max(due))


async def close(uow: UnitOfWork, poll: Poll, closes_at: datetime, now: datetime, delivery: Delivery) -> int:
    """Record the close, move any anonymous answers still held, withdraw waiting invitations and reminders,
    thank everyone, tell facilitators. The caller holds the poll's lock, so no answer is held after this."""
    await uow.polls.close(poll.id, closes_at, now)
    await uow.polls.release_held(poll.id)
    for kind in (INVITE, REMINDER):
        await uow.outbox.cancel_pending(f"{kind}:{poll.id}:")
    queued = 0
    if poll.invited_at is not None:
        people = await invitees(uow, poll)
        queued = await _send(uow, poll, people, CLOSING, now, delivery.hours, lambda p, _: closing_reply(p))
    count = await uow.polls.response_count(poll.id)
    return queued + await _tell_team(uow, poll, TEAM_CLOSED, team_closed_reply(poll, count), 0, now, delivery)


async def after_response(
    uow: UnitOfWork, poll: Poll, person: Participant, answers: Answers, now: datetime, delivery: Delivery
) -> None:
    """A stored response withdraws the person's waiting reminder; "please contact me" tells facilitators."""
    await uow.outbox.cancel_pending(f"{REMINDER}:{poll.id}:{person.id}:")
    if wants_contact(poll.template, answers):
        await _tell_team(uow, poll, CONTACT, contact_reply(poll, person.name), person.id, now, delivery)


async def _tell_team(
    uow: UnitOfWork, poll: Poll, kind: str, reply: Reply, occurrence: int, now: datetime, delivery: Delivery
) -> int:
    """Queue one message to every facilitator."""
    people = await uow.participants.time_zones(await delivery.facilitators.ids(uow))
    return await _send(uow, poll, people, kind, now, delivery.hours, lambda _p, _tz: reply, occurrence, spread=False)


async def invitees(uow: UnitOfWork, poll: Poll) -> dict[int, str]:
    """Everyone enrolled in the poll's cohort, with their time zone."""
    return await uow.participants.enrolled_zones(poll.cohort_id)


async def _send(
    uow: UnitOfWork,
    poll: Poll,
    people: Mapping[int, str],
    kind: str,
    now: datetime,
    hours: WorkingHours,
    reply: Callable[[Poll, str], Reply],
    occurrence: int = 0,
    spread: bool = True,
) -> int:
    """Queue `reply(poll, time_zone)` for each person (id -> time zone) in their working hours: spread
    over each person's window for the cohort (core/spread.py), the next working moment for facilitators."""
    cards: dict[str, dict[str, Any]] = {}
    messages = []
    for pid, zone in sorted(people.items()):
        if zone not in cards:
            cards[zone] = reply(poll, zone).to_dict()
        due = spread_delivery_time(now, zone, hours, pid) if spread else next_delivery_time(now, zone, hours)
        messages.append(NewOutboxMessage(outbox_key(kind, poll.id, pid, occurrence), kind, pid, cards[zone], due))
    return await uow.outbox.enqueue(messages, now) if messages else 0
