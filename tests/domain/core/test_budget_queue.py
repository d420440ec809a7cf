"""The daily budget decided as scheduled work queues (core/budget_queue.py) on the real store, on a
fixed clock: the day's room goes in pending by priority, the rest waits planned on the next working
day, what was already within today's budget counts, a later day's message waits for its own day's
pass, and that pass gives the next day's room to what waited before the next day's new messages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.core import budget_pass
from domain.core.budget_queue import DayBudgets, queue_within_budget
from domain.core.model import NewOutboxMessage, OutboxMessage, OutboxStatus, outbox_key
from domain.core.spread import next_working_day_slot
from domain.core.timing import WorkingHours, local_date
from storage.store import SqlStore
from tests.domain.meeting_fixtures import Pair, jobs

MONDAY_EARLY = datetime(2027, 3, 1, 6, 0, tzinfo=UTC)
HOURS = WorkingHours()
LONDON = "Europe/London"


def _message(kind: str, person: int, n: int, due: datetime) -> NewOutboxMessage:
    return NewOutboxMessage(outbox_key(kind, 1, person, n), kind, person, {"text": f"{kind} {n}"}, due)


async def _queue(store: SqlStore, messages: list[NewOutboxMessage], now: datetime = MONDAY_EARLY) -> int:
    async with store.transaction() as uow:
        return await queue_within_budget(uow, messages, now, HOURS, 2)


async def _rows(store: SqlStore, person: int) -> dict[str, OutboxMessage]:
    async with store.transaction() as uow:
        return {m.idempotency_key: m for m in await uow.outbox.list_for(person)}


def _pending(rows: dict[str, OutboxMessage]) -> list[str]:
    return sorted(key for key, m in rows.items() if m.status is OutboxStatus.PENDING)


async def test_the_days_room_goes_in_by_priority_and_the_rest_waits_for_the_next_working_day(
    store: SqlStore, pair: Pair
) -> None:
    ada = pair.ada  # London
    ten, eleven = MONDAY_EARLY.replace(hour=10), MONDAY_EARLY.replace(hour=11)
    queued = await _queue(
        store,
        [
            _message("aims_invite", ada, 1, ten),
            _message("guide_prompt", ada, 2, ten),
            _message("guide_prompt", ada, 3, eleven),
            _message("nudge", ada, 4, eleven),
            _message("meeting_reminder", ada, 5, eleven),  # outside the budget: due as it was queued
        ],
    )
    assert queued == 5
    rows = await _rows(store, ada)
    assert _pending(rows) == sorted(
        [
            outbox_key("guide_prompt", 1, ada, 2),
            outbox_key("nudge", 1, ada, 4),
            outbox_key("meeting_reminder", 1, ada, 5),
        ]
    )
    assert rows[outbox_key("nudge", 1, ada, 4)].due_at == eleven  # within budget: due as planned
    tuesday = next_working_day_slot(local_date(MONDAY_EARLY, LONDON), LONDON, HOURS, ada)
    waiting = {key: m.due_at for key, m in rows.items() if m.status is OutboxStatus.PLANNED}
    assert waiting == {outbox_key("aims_invite", 1, ada, 1): tuesday, outbox_key("guide_prompt", 1, ada, 3): tuesday}
    # A rerun queues nothing twice; a later message the same day finds the day full.
    assert await _queue(store, [_message("guide_prompt", ada, 2, ten)]) == 0
    assert await _queue(store, [_message("guide_prompt", ada, 6, eleven)]) == 1
    assert (await _rows(store, ada))[outbox_key("guide_prompt", 1, ada, 6)].status is OutboxStatus.PLANNED


async def test_priority_holds_across_calls_queued_in_priority_order(store: SqlStore, pair: Pair) -> None:
    # A tick queues nudges, then poll reminders, guide prompts and invitations (scheduling/periodic.py).
    sam = pair.sam  # New York: Monday 01:00 there, still Monday's budget
    noon = MONDAY_EARLY.replace(hour=15)
    await _queue(store, [_message("nudge", sam, 1, noon)])
    await _queue(store, [_message("poll_reminder", sam, 2, noon)])
    await _queue(store, [_message("guide_prompt", sam, 3, noon), _message("guide_prompt", sam, 4, noon)])
    await _queue(store, [_message("poll_invite", sam, 5, noon)])
    rows = await _rows(store, sam)
    assert _pending(rows) == [outbox_key("nudge", 1, sam, 1), outbox_key("poll_reminder", 1, sam, 2)]
    assert all(m.due_at > noon for key, m in rows.items() if key not in _pending(rows))


async def test_a_later_days_message_waits_and_that_days_pass_serves_what_waited_first(
    store: SqlStore, pair: Pair
) -> None:
    ada = pair.ada
    tuesday_ten = MONDAY_EARLY.replace(hour=10) + timedelta(days=1)
    # Monday's room: two guide prompts; the third moves to Tuesday. A nudge for Tuesday waits for Tuesday.
    await _queue(store, [_message("guide_prompt", ada, n, MONDAY_EARLY.replace(hour=10)) for n in (1, 2, 3)])
    await _queue(store, [_message("nudge", ada, 4, tuesday_ten)])
    rows = await _rows(store, ada)
    assert rows[outbox_key("nudge", 1, ada, 4)].status is OutboxStatus.PLANNED
    assert rows[outbox_key("nudge", 1, ada, 4)].due_at == tuesday_ten
    # Tuesday's first tick: the pass gives Tuesday's room to what waited (nudge first), then a new prompt
    # for Tuesday finds the day full and moves to Wednesday.
    tuesday_early = MONDAY_EARLY + timedelta(days=1)
    assert await budget_pass.run_due(jobs(store), tuesday_early) == 2
    await _queue(store, [_message("guide_prompt", ada, 5, tuesday_ten)], now=tuesday_early)
    rows = await _rows(store, ada)
    promoted = [outbox_key("guide_prompt", 1, ada, 3), outbox_key("nudge", 1, ada, 4)]
    assert _pending(rows) == sorted([outbox_key("guide_prompt", 1, ada, n) for n in (1, 2)] + promoted)
    wednesday = next_working_day_slot(local_date(tuesday_early, LONDON), LONDON, HOURS, ada)
    assert rows[outbox_key("guide_prompt", 1, ada, 5)].status is OutboxStatus.PLANNED
    assert rows[outbox_key("guide_prompt", 1, ada, 5)].due_at == wednesday


async def test_a_message_queued_again_takes_no_room_from_a_new_one(store: SqlStore, pair: Pair) -> None:
    ada, ten = pair.ada, MONDAY_EARLY.replace(hour=10)
    assert await _queue(store, [_message("nudge", ada, 1, ten)]) == 1
    # A rerun plans the nudge again beside a new prompt: the nudge is counted once, where it already is.
    assert await _queue(store, [_message("nudge", ada, 1, ten), _message("guide_prompt", ada, 2, ten)]) == 1
    assert _pending(await _rows(store, ada)) == [outbox_key("guide_prompt", 1, ada, 2), outbox_key("nudge", 1, ada, 1)]


async def test_a_ticks_budgets_read_once_count_what_the_tick_queues(store: SqlStore, pair: Pair) -> None:
    ada, ten = pair.ada, MONDAY_EARLY.replace(hour=10)
    zones = {ada: LONDON}
    budgets = DayBudgets()
    async with store.transaction() as uow:  # something already queued for today before the tick
        await queue_within_budget(uow, [_message("guide_prompt", ada, 1, ten)], MONDAY_EARLY, HOURS, 2)
    for n in (2, 3):  # the tick's two writes: the first reads, the second goes by what the first queued
        async with store.transaction() as uow:
            await queue_within_budget(
                uow, [_message("guide_prompt", ada, n, ten)], MONDAY_EARLY, HOURS, 2, zones, budgets
            )
    rows = await _rows(store, ada)
    assert _pending(rows) == [outbox_key("guide_prompt", 1, ada, n) for n in (1, 2)]
    assert rows[outbox_key("guide_prompt", 1, ada, 3)].status is OutboxStatus.PLANNED
