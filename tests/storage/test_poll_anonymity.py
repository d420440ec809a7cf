"""Anonymous poll answers, checked in the database itself: no column, key, sequence, time, physical
order (PostgreSQL ctid, SQLite rowid) or transaction id (PostgreSQL xmin) links an answer to the
person's "has responded" row, their outbox rows (a withdrawn reminder, a "please contact me"
alert), or the moment they answered. Runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, DateTime, inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.core.model import OutboxStatus
from domain.polls import service as polls
from domain.polls.outbox import CONTACT, REMINDER
from storage.engine import create_engine
from storage.migration import alembic_config, migrate
from storage.store import SqlStore
from tests.domain.poll_fixtures import DELIVERY, NOW, answer, jobs, make_cohort, make_poll, messages

QUIETED = ("aiosqlite", "sqlalchemy", "asyncpg")
SECRET = "My partner and I disagreed about the rota"
HELD, STORED, RESPONDERS = "poll_held_answers", "poll_anonymous_answers", "poll_responders"
DAY7 = NOW + timedelta(days=7, hours=1)
# The revision before the one that holds answers apart (whatever the chain puts there).
BEFORE = str(ScriptDirectory.from_config(alembic_config("sqlite://")).get_revision("0014").down_revision)


def said(n: int) -> dict[str, str]:
    """Person n's answers. Their content sorts in the reverse of the order people answer in."""
    return {"met": "2", "comments": f"{SECRET} ({'zyxwvu'[n]})"}


@dataclass(frozen=True)
class Row:
    xmin: str  # the inserting transaction (PostgreSQL); "" on SQLite
    answers: dict[str, str]


async def rows_in_physical_order(engine: AsyncEngine, table: str) -> list[Row]:
    """A table's answer rows as the storage holds them: by ctid on PostgreSQL, by natural scan on SQLite."""
    postgres = engine.dialect.name == "postgresql"
    query = (
        f"SELECT xmin::text AS xmin, answers::text AS answers FROM {table} ORDER BY ctid"
        if postgres
        else f"SELECT '' AS xmin, answers FROM {table}"
    )
    async with engine.connect() as conn:
        found = (await conn.execute(text(query))).all()
    return [Row(r.xmin, r.answers if isinstance(r.answers, dict) else json.loads(r.answers)) for r in found]


def assert_stored_as(engine: AsyncEngine, rows: list[Row], in_content_order: list[dict[str, str]]) -> None:
    """PostgreSQL: exactly this physical order. SQLite orders rows by their random key, so: the same answers."""
    found = [r.answers for r in rows]
    if engine.dialect.name == "postgresql":
        assert found == in_content_order
    else:
        assert sorted(found, key=json.dumps) == sorted(in_content_order, key=json.dumps)


async def xmins(engine: AsyncEngine, query: str) -> set[str]:
    async with engine.connect() as conn:
        return {r[0] for r in (await conn.execute(text(query))).all()}


async def person_xmins(engine: AsyncEngine, people: list[int], facilitator: int) -> set[str]:
    """Transaction ids of every row that names a respondent: has-responded rows and outbox rows."""
    ids = ",".join(str(p) for p in [*people, facilitator])
    return await xmins(engine, f"SELECT xmin::text FROM {RESPONDERS}") | await xmins(
        engine, f"SELECT xmin::text FROM outbox WHERE participant_id IN ({ids})"
    )


async def test_the_answer_tables_hold_nothing_that_could_name_or_time_a_person(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        columns = {
            table: await conn.run_sync(lambda c, t=table: inspect(c).get_columns(t))
            for table in (HELD, STORED, RESPONDERS)
        }
        if engine.dialect.name == "postgresql":
            defaults = (
                await conn.execute(
                    text(
                        "SELECT table_name, column_name FROM information_schema.columns "
                        f"WHERE table_name IN ('{HELD}', '{STORED}', '{RESPONDERS}') AND column_default IS NOT NULL"
                    )
                )
            ).all()
            assert defaults == []  # no sequence (serial id) and no default timestamp on any of them
        else:
            for table in (HELD, STORED, RESPONDERS):
                # WITHOUT ROWID: no hidden sequential rowid that would line rows up with each other.
                with pytest.raises(Exception, match="rowid"):
                    await conn.execute(text(f"SELECT rowid FROM {table}"))
    assert {c["name"] for c in columns[HELD]} == {"id", "poll_id", "answers"}
    assert {c["name"] for c in columns[STORED]} == {"id", "poll_id", "answers"}
    assert {c["name"] for c in columns[RESPONDERS]} == {"poll_id", "participant_id"}
    assert not any(isinstance(c["type"], DateTime) for cols in columns.values() for c in cols)


async def test_no_transaction_id_order_or_key_links_an_answer_to_who_gave_it(
    engine: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    postgres = engine.dialect.name == "postgresql"
    store = SqlStore(engine)
    cohort = await make_cohort(store, 6)
    people = cohort.people
    poll = await make_poll(store, cohort)
    await polls.run_due(jobs(store), NOW)
    for n in range(4):  # four answer, one asking to be contacted (an alert naming them, queued in their turn)
        await answer(store, poll, people[n], {**said(n), **({"contact_me": "Yes"} if n == 1 else {})})
    await polls.run_due(jobs(store), DAY7)  # reminders for the two who have not answered
    assert [m.status for m in await messages(store, people[4], REMINDER)] == [OutboxStatus.PENDING]
    assert len(await messages(store, cohort.facilitator, CONTACT)) == 1

    held = await rows_in_physical_order(engine, HELD)
    # "Please contact me" is acted on, not stored. On PostgreSQL the rows lie in content order: the
    # reverse of the order people answered in, so position says nothing about who.
    assert_stored_as(engine, held, [said(n) for n in (3, 2, 1, 0)])
    assert await rows_in_physical_order(engine, STORED) == []  # 4 waiting: too few to move
    if postgres:
        # Every waiting row carries the same transaction id, shared with no row that names a person.
        assert len({r.xmin for r in held}) == 1
        assert held[0].xmin not in await person_xmins(engine, people, cohort.facilitator)

    await answer(store, poll, people[4], said(4))  # withdraws their reminder in the "has responded" transaction
    assert [m.status for m in await messages(store, people[4], REMINDER)] == [OutboxStatus.CANCELLED]
    held_before_move = await rows_in_physical_order(engine, HELD)
    await polls.run_due(jobs(store), DAY7)  # 5 waiting: the job moves them
    stored = await rows_in_physical_order(engine, STORED)
    assert await rows_in_physical_order(engine, HELD) == []
    assert_stored_as(engine, stored, [said(n) for n in (4, 3, 2, 1, 0)])
    if postgres:
        assert len({r.xmin for r in stored}) == 1
        linked = await person_xmins(engine, people, cohort.facilitator) | {r.xmin for r in held_before_move}
        assert stored[0].xmin not in linked

    await answer(store, poll, people[5], said(5))
    linked = await person_xmins(engine, people, cohort.facilitator) if postgres else set()
    await polls.close_poll(store, poll.id, DAY7 + timedelta(hours=1), DELIVERY)  # closing moves the last one
    stored = await rows_in_physical_order(engine, STORED)
    assert_stored_as(engine, stored, [said(n) for n in (5, 4, 3, 2, 1, 0)])
    if postgres:
        # One transaction id for the whole poll: the batches (and who fell in which) cannot be told apart.
        # (Closing also writes everyone's closing message in that transaction: rows for all, naming no one.)
        assert len({r.xmin for r in stored}) == 1
        assert stored[0].xmin not in linked | await xmins(engine, f"SELECT xmin::text FROM {RESPONDERS}")
    else:
        async with engine.connect() as conn:
            keys = [r[0] for r in (await conn.execute(text(f"SELECT id FROM {STORED}"))).all()]
        # SQLite keeps these rows in key order, and every key is random: storage order carries nothing.
        assert keys == sorted(keys) and all(uuid.UUID(k).version == 4 for k in keys)

    # Nothing our code logs names the people or repeats what they wrote (drivers' SQL debug is off in bot.py).
    logged = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith(QUIETED))
    assert SECRET not in logged and "Person 0" not in logged


async def test_reminders_still_skip_everyone_who_responded(engine: AsyncEngine) -> None:
    store = SqlStore(engine)
    cohort = await make_cohort(store, 3)
    poll = await make_poll(store, cohort)
    await polls.run_due(jobs(store), NOW)
    for n in range(2):
        await answer(store, poll, cohort.people[n], said(n))
    await polls.run_due(jobs(store), DAY7)
    reminded = {p for p in cohort.people if await messages(store, p, REMINDER)}
    assert reminded == {cohort.people[2]}


def _to(revision: str, down: bool = False) -> Callable[[Connection], None]:
    """Migrate the connection's database up (or down) to `revision`."""

    def run(connection: Connection) -> None:
        config = alembic_config(str(connection.engine.url))
        config.attributes["connection"] = connection
        if down:
            command.downgrade(config, revision)
        else:
            command.upgrade(config, revision)
        connection.commit()

    return run


async def test_migrating_rewrites_answers_stored_before_and_going_back_keeps_held_ones(empty_database_url: str) -> None:
    engine = create_engine(empty_database_url)
    try:
        # People and the poll are made by today's code at the newest schema, then taken back to BEFORE.
        async with engine.connect() as conn:
            await conn.run_sync(_to("head"))
        store = SqlStore(engine)
        cohort = await make_cohort(store, 3)
        poll = await make_poll(store, cohort)
        async with engine.connect() as conn:
            await conn.run_sync(_to(BEFORE, down=True))
        old_keys = []
        for n in range(3):  # as the code before this revision stored them: one transaction per answer
            async with engine.begin() as conn:
                old_keys.append(str(uuid.uuid4()))
                await conn.execute(
                    text(f"INSERT INTO {STORED} (id, poll_id, answers) VALUES (:id, :poll, :answers)"),
                    {"id": old_keys[-1], "poll": poll.id, "answers": json.dumps(said(n))},
                )
        await migrate(engine)
        stored = await rows_in_physical_order(engine, STORED)
        assert_stored_as(engine, stored, [said(n) for n in (2, 1, 0)])
        async with engine.connect() as conn:
            keys = {r[0] for r in (await conn.execute(text(f"SELECT id FROM {STORED}"))).all()}
        assert not keys & set(old_keys)  # no key survives from the order they were written in
        if engine.dialect.name == "postgresql":
            assert len({r.xmin for r in stored}) == 1

        await answer(store, poll, cohort.people[0], said(3))  # waits in the holding area
        async with engine.connect() as conn:
            await conn.run_sync(_to(BEFORE, down=True))
            tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
        assert HELD not in tables
        assert_stored_as(engine, await rows_in_physical_order(engine, STORED), [said(n) for n in (3, 2, 1, 0)])
    finally:
        await engine.dispose()
