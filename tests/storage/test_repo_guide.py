"""Guide progress repository contract (SQLite, and PostgreSQL with TEST_DATABASE_URL)."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from domain.cohorts.service import CohortDraft, create_cohort
from domain.core.identity import Identity, register
from domain.core.model import PartnershipStatus
from storage.store import SqlStore

NOW = datetime(2027, 3, 8, 9, 0, tzinfo=UTC)


async def _partnership(store: SqlStore) -> tuple[int, int, int]:
    cohort = await create_cohort(store, CohortDraft("C", date(2027, 3, 1), 12, ("a", "b", "c")), NOW, random.Random(1))
    a = await register(store, Identity("msteams", "29:a", "A"), None, NOW)
    b = await register(store, Identity("msteams", "29:b", "B"), None, NOW)
    async with store.transaction() as uow:
        partnership = await uow.partnerships.create(cohort.id, a.id, b.id, date(2027, 3, 1), NOW)
    return partnership.id, a.id, b.id


async def test_record_is_idempotent_and_counts_recent(engine: AsyncEngine) -> None:
    store = SqlStore(engine)
    pid, _, _ = await _partnership(store)
    async with store.transaction() as uow:
        assert await uow.guide.record(pid, ["P0-1", "P0-2"], NOW - timedelta(days=8)) == 2
        assert await uow.guide.record(pid, ["P0-2", "P1-1"], NOW) == 1
        assert await uow.guide.delivered(pid) == ["P0-1", "P0-2", "P1-1"]
        assert await uow.guide.sent_since(pid, NOW - timedelta(days=7)) == 1


async def test_saved_prompts_are_per_person(engine: AsyncEngine) -> None:
    store = SqlStore(engine)
    _, a, b = await _partnership(store)
    async with store.transaction() as uow:
        await uow.guide.save(a, "P3-2", NOW)
        await uow.guide.save(a, "P3-2", NOW)
        await uow.guide.save(a, "P1-1", NOW + timedelta(minutes=1))
        assert await uow.guide.saved(a) == ["P3-2", "P1-1"] and await uow.guide.saved(b) == []
        await uow.guide.unsave(a, "P3-2")
        assert await uow.guide.saved(a) == ["P1-1"]


async def test_list_active_excludes_paused_and_ended(engine: AsyncEngine) -> None:
    store = SqlStore(engine)
    pid, _, _ = await _partnership(store)
    async with store.transaction() as uow:
        assert [p.id for p in await uow.partnerships.list_active()] == [pid]
        await uow.partnerships.set_status(pid, PartnershipStatus.PAUSED)
        assert await uow.partnerships.list_active() == []
        await uow.partnerships.set_status(pid, PartnershipStatus.ACTIVE)
        await uow.partnerships.end(pid, "completed", NOW)
        assert await uow.partnerships.list_active() == []
