"""Unprompted messages queued within the day's budget as they go in.

Scheduled work decides the daily budget (budget.py) when it queues a message, rather than
queuing everything as planned and promoting it in a later pass: what the person's local day
still has room for goes in pending, in priority order, and the rest goes in planned at their
next working day. A message for a later day goes in planned and waits for the budget pass of
its day (budget_pass.py), which also takes what was moved there. A tick runs that pass first,
then queues nudges, poll reminders, guide prompts and invitations in that order
(scheduling/periodic.py), so the priority order holds across capabilities within a tick.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from domain.core.budget import DAY_REACH, Held, allot
from domain.core.model import NewOutboxMessage
from domain.core.ports import UnitOfWork
from domain.core.timing import WorkingHours


async def queue_within_budget(
    uow: UnitOfWork,
    messages: Sequence[NewOutboxMessage],
    now: datetime,
    hours: WorkingHours,
    budget: int,
    zones: Mapping[int, str] | None = None,
) -> int:
    """Queue `messages`, budgeted ones decided against their day's budget now; how many were new.

    `zones` (person id -> time zone), when the caller has them for every recipient, saves reading them.
    """
    people = sorted({m.participant_id for m in messages if m.budgeted})
    if not people:
        return await uow.outbox.enqueue(messages, now)
    # Why the lock: two replicas queuing for the same person must not both see room left (PostgreSQL).
    await uow.outbox.lock_budget()
    given = zones if zones is not None and all(person in zones for person in people) else None
    view = await uow.outbox.budget_view(people, now - DAY_REACH, now + DAY_REACH, given)
    # A message already queued (a rerun) takes no room: its row is counted where it stands.
    held = [
        Held(index, m.participant_id, m.kind, m.due_at, view.zones[m.participant_id])
        for index, m in enumerate(messages)
        if m.budgeted and m.participant_id in view.zones and m.idempotency_key not in view.known
    ]
    decided = allot(held, view.spent, now, hours, budget)
    decisions = {index: _within_budget(messages[index]) for index in decided.promote}
    decisions.update((index, _moved(messages[index], later)) for index, later in decided.postpone)
    return await uow.outbox.enqueue([decisions.get(i, m) for i, m in enumerate(messages)], now)


def _within_budget(m: NewOutboxMessage) -> NewOutboxMessage:
    """The message as it goes in pending (built directly: `dataclasses.replace` is slow for thousands)."""
    return NewOutboxMessage(m.idempotency_key, m.kind, m.participant_id, m.payload, m.due_at, m.at_once, True)


def _moved(m: NewOutboxMessage, later: datetime) -> NewOutboxMessage:
    """The message as it goes in planned, on a later day."""
    return NewOutboxMessage(m.idempotency_key, m.kind, m.participant_id, m.payload, later, m.at_once)
