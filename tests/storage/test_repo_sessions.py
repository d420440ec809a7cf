"""Contract tests for SqlSessionsRepo (SQLite, and PostgreSQL when TEST_DATABASE_URL is set).
Reads happen in a new transaction, so they prove persistence."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.sessions.model import GroupSession, Invite
from storage.store import SqlStore

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
START = datetime(2027, 3, 10, 14, 0, tzinfo=UTC)
HOUR, DAY = timedelta(hours=1), timedelta(days=1)


@pytest.fixture
def store(engine: AsyncEngine) -> SqlStore:
    return SqlStore(engine)


async def _setup(store: SqlStore) -> tuple[int, list[int]]:
    async with store.transaction() as uow:
        cohort = await uow.cohorts.create("Spring", "SPRING", date(2027, 3, 1), 12, ["a", "b", "c"], NOW)
        people = [(await uow.participants.upsert_identity("test", f"u-{n}", n, "", NOW)).id for n in ("a", "b", "c")]
    return cohort.id, people


async def test_create_and_get_round_trip_with_aware_utc_times(store: SqlStore) -> None:
    cohort, people = await _setup(store)
    async with store.transaction() as uow:
        created = await uow.sessions.create(cohort, "Check-in", START, 90, "https://x.test/j", people[0], NOW)
    async with store.transaction() as uow:
        found = await uow.sessions.get(created.id)
        assert await uow.sessions.get(created.id + 1) is None
    assert found == GroupSession(created.id, cohort, "Check-in", START, 90, "https://x.test/j", people[0], NOW, None)
    assert found.starts_at.tzinfo is not None and found.ends_at == START + timedelta(minutes=90)


async def test_list_all_is_by_start_and_upcoming_skips_started_and_cancelled(store: SqlStore) -> None:
    cohort, _ = await _setup(store)
    async with store.transaction() as uow:
        late = await uow.sessions.create(cohort, "Late", START + DAY, 60, "", None, NOW)
        early = await uow.sessions.create(cohort, "Early", START, 60, "", None, NOW)
        gone = await uow.sessions.create(cohort, "Gone", START + HOUR, 60, "", None, NOW)
        assert await uow.sessions.cancel(gone.id, NOW) is True
    async with store.transaction() as uow:
        assert await uow.sessions.cancel(gone.id, NOW + HOUR) is False
        assert await uow.sessions.cancel(9999, NOW) is False
        assert [s.id for s in await uow.sessions.list_all()] == [early.id, gone.id, late.id]
        assert [s.id for s in await uow.sessions.upcoming(NOW)] == [early.id, late.id]
        assert [s.id for s in await uow.sessions.upcoming(START)] == [late.id]
        assert (await uow.sessions.get(gone.id)).cancelled_at == NOW


async def test_invite_adds_only_new_people_and_answers_change(store: SqlStore) -> None:
    cohort, (a, b, c) = await _setup(store)
    async with store.transaction() as uow:
        session = await uow.sessions.create(cohort, "Check-in", START, 60, "", None, NOW)
        assert await uow.sessions.invite(session.id, [b, a, a], NOW) == [a, b]
    async with store.transaction() as uow:
        assert await uow.sessions.invite(session.id, [a, b, c], NOW + HOUR) == [c]
        assert await uow.sessions.answer(session.id, a, "yes", NOW + HOUR) is True
        assert await uow.sessions.answer(session.id, a, "maybe", NOW + 2 * HOUR) is True
        assert await uow.sessions.answer(session.id + 1, a, "no", NOW) is False
    async with store.transaction() as uow:
        assert await uow.sessions.invites(session.id) == [
            Invite(session.id, a, "maybe", NOW, NOW + 2 * HOUR),
            Invite(session.id, b, "", NOW, None),
            Invite(session.id, c, "", NOW + HOUR, None),
        ]
        with pytest.raises(ValueError):
            await uow.sessions.answer(session.id, b, "perhaps", NOW)


async def test_answer_from_someone_not_invited_is_refused(store: SqlStore) -> None:
    cohort, (a, b, _) = await _setup(store)
    async with store.transaction() as uow:
        session = await uow.sessions.create(cohort, "Check-in", START, 60, "", None, NOW)
        await uow.sessions.invite(session.id, [a], NOW)
    async with store.transaction() as uow:
        assert await uow.sessions.answer(session.id, b, "yes", NOW) is False
        assert [i.participant_id for i in await uow.sessions.invites(session.id)] == [a]
