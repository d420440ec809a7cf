"""Contract tests for SqlAimsRepo (SQLite, and PostgreSQL when TEST_DATABASE_URL is set).
Reads happen in a new transaction, so they prove persistence."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.aims.model import AGREED, PROPOSED, SUPERSEDED, AimRating, Hopes
from storage.store import SqlStore
from tests.storage.pairs import partnership_of_two

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=20)


async def _partnership(store: SqlStore, code: str = "AIMS") -> tuple[int, int, int]:
    return await partnership_of_two(store, code)


async def test_hopes_are_saved_per_person_and_replaced_on_change(store: SqlStore) -> None:
    pid, a, b = await _partnership(store)
    other_pid, c, _ = await _partnership(store, "OTHER")
    async with store.transaction() as uow:
        await uow.aims.save_hopes(pid, b, "learn b", "offer b", NOW)
        await uow.aims.save_hopes(pid, a, "learn a", "offer a", NOW)
        await uow.aims.save_hopes(other_pid, c, "elsewhere", "elsewhere", NOW)
    async with store.transaction() as uow:
        await uow.aims.save_hopes(pid, a, "learn a2", "offer a2", LATER)
    async with store.transaction() as uow:
        assert await uow.aims.hopes(pid) == [Hopes(a, "learn a2", "offer a2"), Hopes(b, "learn b", "offer b")]
        assert await uow.aims.hopes(other_pid + 100) == []


async def test_proposals_open_supersede_and_get(store: SqlStore) -> None:
    pid, a, b = await _partnership(store)
    async with store.transaction() as uow:
        assert (await uow.aims.open_proposal(pid), await uow.aims.agreed(pid)) == (None, None)
        first = await uow.aims.propose(pid, a, ["one", "two"], NOW)
    assert (first.partnership_id, first.aims, first.proposed_by, first.status) == (pid, ("one", "two"), a, PROPOSED)
    assert (first.proposed_at, first.agreed_at, first.shared_with_team) == (NOW, None, ())
    async with store.transaction() as uow:
        assert await uow.aims.supersede_open(pid) == 1
        second = await uow.aims.propose(pid, b, ["three", "four", "five"], LATER)
    async with store.transaction() as uow:
        assert (await uow.aims.get(first.id)).status == SUPERSEDED
        assert await uow.aims.open_proposal(pid) == second
        assert await uow.aims.get(second.id + 100) is None


async def test_agree_only_an_open_proposal_and_supersede_earlier_agreed_aims(store: SqlStore) -> None:
    pid, a, b = await _partnership(store)
    async with store.transaction() as uow:
        first = await uow.aims.propose(pid, a, ["one", "two"], NOW)
        assert await uow.aims.agree(first.id, NOW) is True
        assert await uow.aims.agree(first.id, LATER) is False
        second = await uow.aims.propose(pid, b, ["three", "four"], LATER)
    async with store.transaction() as uow:
        assert (await uow.aims.agreed(pid)).id == first.id
        assert await uow.aims.agree(second.id, LATER) is True
    async with store.transaction() as uow:
        agreed = await uow.aims.agreed(pid)
        assert (agreed.id, agreed.status, agreed.agreed_at) == (second.id, AGREED, LATER)
        assert (await uow.aims.get(first.id)).status == SUPERSEDED
        assert await uow.aims.open_proposal(pid) is None
        assert await uow.aims.agree(second.id + 100, LATER) is False


async def test_share_with_team_records_each_person_once(store: SqlStore) -> None:
    pid, a, b = await _partnership(store)
    async with store.transaction() as uow:
        proposal = await uow.aims.propose(pid, a, ["one", "two"], NOW)
        await uow.aims.agree(proposal.id, NOW)
    async with store.transaction() as uow:
        assert await uow.aims.share_with_team(proposal.id, b) == [b]
    async with store.transaction() as uow:
        assert await uow.aims.share_with_team(proposal.id, b) == [b]
        assert await uow.aims.share_with_team(proposal.id, a) == [b, a]
    async with store.transaction() as uow:
        assert (await uow.aims.get(proposal.id)).shared_with_team == (b, a)
        with pytest.raises(LookupError):
            await uow.aims.share_with_team(proposal.id + 100, a)


async def test_aims_status_hides_content_until_both_share(store: SqlStore) -> None:
    pid, a, b = await _partnership(store)
    async with store.transaction() as uow:
        assert (await uow.aims.aims_status(pid)).agreed is False
        proposal = await uow.aims.propose(pid, a, ["one", "two"], NOW)
        assert (await uow.aims.aims_status(pid)).agreed is False  # proposed is not agreed
        await uow.aims.agree(proposal.id, NOW)
        await uow.aims.share_with_team(proposal.id, a)
    async with store.transaction() as uow:
        status = await uow.aims.aims_status(pid)
        assert (status.agreed, status.agreed_at, status.shared, status.aims) == (True, NOW, False, None)
        await uow.aims.share_with_team(proposal.id, b)
    async with store.transaction() as uow:
        status = await uow.aims.aims_status(pid)
        assert (status.shared, status.aims) == (True, ["one", "two"])
        with pytest.raises(LookupError):
            await uow.aims.aims_status(pid + 100)


async def test_ratings_upsert_per_stage_and_filter(store: SqlStore) -> None:
    pid, a, b = await _partnership(store)
    async with store.transaction() as uow:
        await uow.aims.save_rating(pid, b, "mid", [1, 2], NOW)
        await uow.aims.save_rating(pid, a, "mid", [3, 3], NOW)
        await uow.aims.save_rating(pid, a, "end", [4, 4], LATER)
    async with store.transaction() as uow:
        await uow.aims.save_rating(pid, b, "mid", [2, 2], LATER)
    async with store.transaction() as uow:
        assert await uow.aims.ratings(pid, "mid") == [AimRating(a, "mid", (3, 3)), AimRating(b, "mid", (2, 2))]
        assert await uow.aims.ratings(pid) == [
            AimRating(a, "end", (4, 4)),
            AimRating(a, "mid", (3, 3)),
            AimRating(b, "mid", (2, 2)),
        ]
        assert await uow.aims.ratings(pid, "start") == []


async def _another_writer_can_lock(engine: AsyncEngine, partnership_id: int) -> bool:
    """Try to take the same lock from a second connection without waiting."""
    if engine.dialect.name == "sqlite":
        other = sqlite3.connect(engine.url.database or "", timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            return True
        except sqlite3.OperationalError:
            return False
        finally:
            other.close()
    async with engine.connect() as other:
        try:
            await other.execute(
                text("SELECT id FROM partnerships WHERE id = :id FOR UPDATE NOWAIT"), {"id": partnership_id}
            )
            return True
        except DBAPIError:
            return False


async def test_lock_keeps_other_writers_of_the_partnership_out_until_commit(engine: AsyncEngine) -> None:
    store = SqlStore(engine)
    pid, _, _ = await _partnership(store)
    assert await _another_writer_can_lock(engine, pid)
    async with store.transaction() as uow:
        await uow.partnerships.lock(pid)
        assert not await _another_writer_can_lock(engine, pid)
    assert await _another_writer_can_lock(engine, pid)
