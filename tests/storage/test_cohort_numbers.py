"""Participant numbers per cohort: #1 is a cohort's first participant, whatever the internal row ids
(a facilitator's record, or on PostgreSQL the sequence values every turn's identity upsert spends)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.core.model import Group
from storage.engine import create_engine
from storage.migration import alembic_config, migrate
from storage.store import SqlStore

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
# The revision just before participant numbers (read from the chain, so renumbering keeps the test true).
BEFORE = str(ScriptDirectory.from_config(alembic_config("sqlite://")).get_revision("0017").down_revision)


async def _enrol(store: SqlStore, cohort_id: int, user: str) -> int:
    async with store.transaction() as uow:
        person = await uow.participants.upsert_identity("msteams", user, user.title(), "", NOW)
        await uow.participants.save_enrolment(
            person.id, cohort_id, Group.BOTH, [], "monthly", "online", "Europe/London", NOW
        )
    return person.id


async def _cohort(store: SqlStore, code: str) -> int:
    async with store.transaction() as uow:
        return (await uow.cohorts.create(code.title(), code, date(2027, 3, 1), 12, ["a", "b", "c"], NOW)).id


async def _numbers(store: SqlStore, cohort_id: int) -> dict[str, int | None]:
    async with store.transaction() as uow:
        return {p.name: p.number for p in await uow.participants.list_in_cohort(cohort_id)}


async def test_each_cohort_numbers_its_people_from_one_and_never_reuses_a_number(engine: AsyncEngine) -> None:
    store = SqlStore(engine)
    async with store.transaction() as uow:  # the facilitator's record comes first and takes no number
        fran = await uow.participants.upsert_identity("msteams", "fran", "Fran", "", NOW)
    for _ in range(3):  # turns by Fran (on PostgreSQL each upsert spends a sequence value)
        async with store.transaction() as uow:
            await uow.participants.upsert_identity("msteams", "fran", "Fran", "", NOW)
    spring, autumn = await _cohort(store, "SPRING"), await _cohort(store, "AUTUMN")
    ada = await _enrol(store, spring, "ada")
    await _enrol(store, autumn, "bo")
    await _enrol(store, spring, "sam")
    assert ada > 1 and fran.number is None
    assert await _numbers(store, spring) == {"Ada": 1, "Sam": 2}
    assert await _numbers(store, autumn) == {"Bo": 1}
    await _enrol(store, spring, "ada")  # editing one's enrolment keeps the number
    async with store.transaction() as uow:
        sam = await uow.participants.by_number(spring, 2)
        assert sam is not None and sam.name == "Sam"
        assert await uow.participants.by_number(autumn, 2) is None
    async with engine.begin() as conn:  # Sam's record is erased ...
        await conn.execute(text("DELETE FROM participants WHERE id = :id"), {"id": sam.id})
    await _enrol(store, spring, "kim")  # ... and the next to join does not take Sam's old number
    assert await _numbers(store, spring) == {"Ada": 1, "Kim": 3}


def _to(revision: str, down: bool = False) -> Callable[[Connection], None]:
    def run(connection: Connection) -> None:
        config = alembic_config(str(connection.engine.url))
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)
        connection.commit()

    return run


async def test_the_migration_numbers_people_already_enrolled_in_the_order_they_joined(
    empty_database_url: str,
) -> None:
    engine = create_engine(empty_database_url)
    try:
        await migrate(engine)
        store = SqlStore(engine)
        spring, autumn = await _cohort(store, "SPRING"), await _cohort(store, "AUTUMN")
        for cohort, user in ((spring, "ada"), (autumn, "bo"), (spring, "sam"), (spring, "kim")):
            await _enrol(store, cohort, user)
        async with engine.connect() as conn:  # back to before numbers, then forward again
            await conn.run_sync(_to(BEFORE, down=True))
        await migrate(engine)
        assert await _numbers(store, spring) == {"Ada": 1, "Sam": 2, "Kim": 3}
        assert await _numbers(store, autumn) == {"Bo": 1}
        await _enrol(store, spring, "lee")
        assert (await _numbers(store, spring))["Lee"] == 4
    finally:
        await engine.dispose()
