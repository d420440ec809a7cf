"""Unprompted messages queued within the day's budget as they go in.

Scheduled work decides the daily budget (budget.py) when it queues a message, rather than
queuing everything as planned and promoting it in a later pass: what the person's local day
still has room for goes in pending, in priority order, and the rest goes in planned at their
next working day. A message for a later day goes in planned and waits for the budget pass of
its day (budget_pass.py), which also takes what was moved there. A tick runs that pass first,
then queues nudges, poll reminders, guide prompts and invitations in that order
(scheduling/periodic.py), so the priority order holds across capabilities within a tick.

A tick reads what is already queued around now once (`DayBudgets`) and keeps that up to date with
what it queues itself, rather than reading it again for every batch it writes. What other writers
queue meanwhile (a poll opened "now" in a turn, another replica's tick on PostgreSQL) it only sees at
its next tick, so a person can exceptionally get one more unprompted message that day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime

from domain.core.budget import DAY_REACH, SPENT, BudgetView, Held, allot, is_budgeted
from domain.core.model import NewOutboxMessage
from domain.core.ports import UnitOfWork
from domain.core.timing import WorkingHours


class DayBudgets:
    """The budgeted messages already queued around now, as one tick sees them: read when the tick first
    queues one, then kept up to date with what the tick queues itself."""

    def __init__(self) -> None:
        self._spent: dict[int, list[datetime]] | None = None
        self._known: set[str] = set()

    async def view(self, uow: UnitOfWork, now: datetime, zones: Mapping[int, str]) -> BudgetView:
        """What is spent and known, read in `uow` the first time."""
        if self._spent is None:
            self._spent = defaultdict(list)
            for person, key, due_at, status in await uow.outbox.budgeted_around(now - DAY_REACH, now + DAY_REACH):
                self._known.add(key)
                if status in SPENT:
                    self._spent[person].append(due_at)
        return BudgetView(zones, self._spent, self._known)  # read as it is: the tick adds to it as it goes

    def queued(self, messages: Sequence[NewOutboxMessage]) -> None:
        """Count what was just queued: every key known, those within a day's budget spent."""
        assert self._spent is not None, "view() first"
        for m in messages:
            if is_budgeted(m.kind):
                self._known.add(m.idempotency_key)
                if not m.budgeted:  # pending: within the budget (or asked for at once)
                    self._spent[m.participant_id].append(m.due_at)


async def queue_within_budget(
    uow: UnitOfWork,
    messages: Sequence[NewOutboxMessage],
    now: datetime,
    hours: WorkingHours,
    budget: int,
    zones: Mapping[int, str] | None = None,
    budgets: DayBudgets | None = None,
) -> int:
    """Queue `messages`, budgeted ones decided against their day's budget now; how many were new.

    `zones` (person id -> time zone), when the caller has them for every recipient, saves reading them;
    with them, a tick's `budgets` saves reading what is already queued.
    """
    people = sorted({m.participant_id for m in messages if m.budgeted})
    if not people:
        return await uow.outbox.enqueue(messages, now)
    given = zones if zones is not None and all(person in zones for person in people) else None
    if budgets is not None and given is not None:
        view = await budgets.view(uow, now, given)
    else:
        # Why the lock: two replicas queuing for the same person must not both see room left (PostgreSQL).
        await uow.outbox.lock_budget()
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
    final = [decisions.get(i, m) for i, m in enumerate(messages)]
    queued = await uow.outbox.enqueue(final, now)
    if budgets is not None and given is not None:
        budgets.queued(final)
    return queued


def _within_budget(m: NewOutboxMessage) -> NewOutboxMessage:
    """The message as it goes in pending (built directly: `dataclasses.replace` is slow for thousands)."""
    return NewOutboxMessage(m.idempotency_key, m.kind, m.participant_id, m.payload, m.due_at, m.at_once, True)


def _moved(m: NewOutboxMessage, later: datetime) -> NewOutboxMessage:
    """The message as it goes in planned, on a later day."""
    return NewOutboxMessage(m.idempotency_key, m.kind, m.participant_id, m.payload, later, m.at_once)
