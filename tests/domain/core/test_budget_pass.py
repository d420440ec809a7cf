"""The daily budget pass on the real store (SQLite, and PostgreSQL when configured), on a fixed
clock: planned messages wait, the pass promotes the day's share in priority order, the rest move to
the next working day, reruns change nothing, and only promoted rows are ever claimed for sending."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from domain.core import budget_pass
from domain.core.model import NewOutboxMessage, OutboxMessage, OutboxStatus, outbox_key
from domain.core.spread import next_working_day_slot
from domain.core.timing import local_date
from storage.outbox_store import OutboxStore
from storage.store import SqlStore
from tests.domain.meeting_fixtures import Pair, jobs, make_pair

MONDAY_EARLY = datetime(2027, 3, 1, 6, 0, tzinfo=UTC)


def _message(kind: str, person: int, n: int, due: datetime) -> NewOutboxMessage:
    return NewOutboxMessage(outbox_key(kind, 1, person, n), kind, person, {"text": f"{kind} {n}"}, due)


async def _rows(store: SqlStore, person: int) -> dict[str, OutboxMessage]:
    async with store.transaction() as uow:
        return {m.idempotency_key: m for m in await uow.outbox.list_for(person)}


async def _queue(store: SqlStore, messages: list[NewOutboxMessage]) -> None:
    async with store.transaction() as uow:
        await uow.outbox.enqueue(messages, MONDAY_EARLY)


async def test_the_pass_promotes_the_days_share_by_priority_and_moves_the_rest(store: SqlStore, pair: Pair) -> None:
    ada = pair.ada  # London
    ten, eleven = MONDAY_EARLY.replace(hour=10), MONDAY_EARLY.replace(hour=11)
    await _queue(
        store,
        [
            _message("aims_invite", ada, 1, ten),
            _message("guide_prompt", ada, 2, ten),
            _message("guide_prompt", ada, 3, eleven),
            _message("nudge", ada, 4, eleven),
            _message("meeting_reminder", ada, 5, eleven),  # outside the budget: due as it was queued
        ],
    )
    before = await _rows(store, ada)
    assert {m.kind: m.status for m in before.values()} == {
        "aims_invite": OutboxStatus.PLANNED,
        "guide_prompt": OutboxStatus.PLANNED,
        "nudge": OutboxStatus.PLANNED,
        "meeting_reminder": OutboxStatus.PENDING,
    }
    assert await budget_pass.run_due(jobs(store), MONDAY_EARLY) == 2
    after = await _rows(store, ada)
    pending = sorted(
        key for key, m in after.items() if m.status is OutboxStatus.PENDING and m.kind != "meeting_reminder"
    )
    assert pending == [outbox_key("guide_prompt", 1, ada, 2), outbox_key("nudge", 1, ada, 4)]
    tuesday = next_working_day_slot(
        local_date(MONDAY_EARLY, "Europe/London"), "Europe/London", jobs(store).settings.hours, ada
    )
    waiting = {key: m.due_at for key, m in after.items() if m.status is OutboxStatus.PLANNED}
    assert waiting == {outbox_key("aims_invite", 1, ada, 1): tuesday, outbox_key("guide_prompt", 1, ada, 3): tuesday}
    # A rerun the same day changes nothing; Tuesday's pass gives Tuesday's room to what waited.
    assert await budget_pass.run_due(jobs(store), MONDAY_EARLY + timedelta(hours=1)) == 0
    assert await _rows(store, ada) == after
    assert await budget_pass.run_due(jobs(store), MONDAY_EARLY + timedelta(days=1)) == 2
    assert all(m.status is OutboxStatus.PENDING for m in (await _rows(store, ada)).values())


async def test_only_promoted_rows_are_claimed_and_a_cancel_withdraws_planned_ones(
    store: SqlStore, engine: AsyncEngine, pair: Pair
) -> None:
    early = MONDAY_EARLY.replace(hour=7)
    await _queue(store, [_message("guide_prompt", pair.sam, n, early) for n in (1, 2, 3)])
    claims = OutboxStore(engine)
    assert await claims.claim(early + timedelta(hours=1), 10, "worker", 60) == []  # planned: not sendable yet
    await budget_pass.run_due(jobs(store), MONDAY_EARLY)
    claimed = await claims.claim(early + timedelta(hours=1), 10, "worker", 60)
    assert sorted(c.idempotency_key for c in claimed) == [outbox_key("guide_prompt", 1, pair.sam, n) for n in (1, 2)]
    async with store.transaction() as uow:
        assert await uow.outbox.cancel_pending(outbox_key("guide_prompt", 1, pair.sam, 3)) == 1
    assert (await _rows(store, pair.sam))[outbox_key("guide_prompt", 1, pair.sam, 3)].status is OutboxStatus.CANCELLED
    assert await budget_pass.run_due(jobs(store), MONDAY_EARLY + timedelta(days=1)) == 0


async def test_what_was_sent_today_counts_against_the_budget(store: SqlStore, engine: AsyncEngine, pair: Pair) -> None:
    early = MONDAY_EARLY.replace(hour=7)
    await _queue(store, [_message("poll_reminder", pair.ada, 1, early)])
    await budget_pass.run_due(jobs(store), MONDAY_EARLY)
    claims = OutboxStore(engine)
    [sent] = await claims.claim(early, 10, "worker", 60)
    assert await claims.mark_sent(sent.id, "worker", early, "activity-1")
    later = MONDAY_EARLY.replace(hour=12)
    await _queue(store, [_message("guide_prompt", pair.ada, n, later) for n in (2, 3)])
    assert await budget_pass.run_due(jobs(store), later) == 1


async def test_the_pass_sees_the_whole_local_day_of_the_zone_furthest_ahead(store: SqlStore) -> None:
    # At 10:00 UTC it is already 00:00 tomorrow on Kiritimati (UTC+14): that local day ends 24 hours
    # on, and the pass, which reads only what can be today's, still reaches its last hour.
    pair = await make_pair(store, "KIRI", zones=("Pacific/Kiritimati", "Europe/London"))
    now = MONDAY_EARLY.replace(hour=10)
    far = pair.ada
    late_today = now + timedelta(hours=23, minutes=30)  # 23:30 local
    tomorrow = now + timedelta(hours=24, minutes=30)  # 00:30 local, the next day
    await _queue(store, [_message("guide_prompt", far, 1, late_today), _message("guide_prompt", far, 2, tomorrow)])
    assert await budget_pass.run_due(jobs(store), now) == 1
    statuses = {key: m.status for key, m in (await _rows(store, far)).items()}
    assert statuses == {
        outbox_key("guide_prompt", 1, far, 1): OutboxStatus.PENDING,
        outbox_key("guide_prompt", 1, far, 2): OutboxStatus.PLANNED,
    }
