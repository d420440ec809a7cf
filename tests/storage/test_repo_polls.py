"""Polls repository on the real database (both backends), and anonymity checked in the tables themselves."""

from __future__ import annotations

import json
import logging
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.polls import service as polls
from domain.polls.model import PollDraft
from domain.polls.outbox import REMINDER
from storage.store import SqlStore
from storage.tables_polls import PollAnonymousAnswerRow, PollNamedAnswerRow, PollResponderRow, PollRow
from tests.domain.poll_fixtures import CHECKIN, NOW, answer, jobs, make_cohort, make_poll

QUIETED = ("aiosqlite", "sqlalchemy", "asyncpg")
SECRET = "My partner and I disagreed about the rota"


@pytest.fixture
def store(engine: AsyncEngine) -> SqlStore:
    return SqlStore(engine)


async def test_a_poll_round_trips_with_its_template_snapshot(store: SqlStore) -> None:
    cohort = await make_cohort(store, 1)
    poll = await polls.create_poll(store, PollDraft(cohort.id, CHECKIN, False, NOW, cohort.facilitator), NOW)
    async with store.transaction() as uow:
        found = await uow.polls.get(poll.id)
        await uow.polls.mark_invited(poll.id, NOW)
        await uow.polls.mark_reminded(poll.id, (7,))
        assert [p.id for p in await uow.polls.unfinished()] == [poll.id]
        await uow.polls.close(poll.id, NOW + timedelta(days=1), NOW + timedelta(days=1))
        assert await uow.polls.unfinished() == []
        again = await uow.polls.get(poll.id)
        with pytest.raises(LookupError):
            await uow.polls.mark_invited(poll.id + 50, NOW)
    assert found is not None and found.template == CHECKIN and not found.anonymous
    assert found.closes_at == NOW + timedelta(days=14) and found.created_by == cohort.facilitator
    assert again is not None and again.invited_at == NOW and again.reminded == (7,)
    assert again.closed_at == NOW + timedelta(days=1)


async def test_has_responded_is_one_row_per_person(store: SqlStore) -> None:
    cohort = await make_cohort(store, 2)
    poll = await make_poll(store, cohort)
    async with store.transaction() as uow:
        assert await uow.polls.save_anonymous(poll.id, cohort.people[0], {"met": "1"}) is True
        assert await uow.polls.save_anonymous(poll.id, cohort.people[0], {"met": "2"}) is False
        assert await uow.polls.responders(poll.id) == {cohort.people[0]}
        assert await uow.polls.response_count(poll.id) == 1


async def test_anonymous_answers_have_no_link_to_the_person(
    store: SqlStore, engine: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    cohort = await make_cohort(store, 3)
    poll = await make_poll(store, cohort)
    await polls.run_due(jobs(store), NOW)
    for person in cohort.people[:2]:
        await answer(store, poll, person, {"met": "2", "comments": SECRET})
    async with engine.connect() as conn:
        columns = await conn.run_sync(
            lambda c: {col["name"] for col in inspect(c).get_columns(PollAnonymousAnswerRow.__tablename__)}
        )
        responder_columns = await conn.run_sync(
            lambda c: {col["name"] for col in inspect(c).get_columns(PollResponderRow.__tablename__)}
        )
        rows = (await conn.execute(text("SELECT id, poll_id, answers FROM poll_anonymous_answers"))).all()
        named = (await conn.execute(text("SELECT count(*) FROM poll_named_answers"))).scalar()
    # Only a random key, the poll and the answers: no person, no time, nothing sequential.
    assert columns == {"id", "poll_id", "answers"}
    assert responder_columns == {"poll_id", "participant_id"}
    assert named == 0 and len(rows) == 2
    assert all(uuid.UUID(row.id).version == 4 for row in rows)
    stored = [json.loads(row.answers) if isinstance(row.answers, str) else row.answers for row in rows]
    assert stored == [{"met": "2", "comments": SECRET}] * 2  # exactly what was sent, nothing added
    if engine.dialect.name == "sqlite":
        # WITHOUT ROWID: no hidden sequential rowid that would line answers up with has-responded rows.
        async with engine.connect() as conn:
            for table in (PollAnonymousAnswerRow.__tablename__, PollResponderRow.__tablename__):
                with pytest.raises(Exception, match="rowid"):
                    await conn.execute(text(f"SELECT rowid FROM {table}"))
    # Nothing our code logs names the people or repeats what they wrote (drivers' SQL debug is off in bot.py).
    logged = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith(QUIETED))
    assert SECRET not in logged and "Person 0" not in logged
    # Reminders still skip the two who answered.
    await polls.run_due(jobs(store), NOW + timedelta(days=7, hours=1))
    async with store.transaction() as uow:
        reminded = {m.participant_id for p in cohort.people for m in await uow.outbox.list_for(p) if m.kind == REMINDER}
    assert reminded == {cohort.people[2]}


async def test_named_answers_are_replaced_not_added(store: SqlStore) -> None:
    cohort = await make_cohort(store, 1)
    poll = await make_poll(store, cohort, anonymous=False)
    async with store.transaction() as uow:
        await uow.polls.save_named(poll.id, cohort.people[0], {"met": "1"}, NOW)
        await uow.polls.save_named(poll.id, cohort.people[0], {"met": "3"}, NOW + timedelta(hours=1))
        responses = await uow.polls.responses(poll.id)
    assert [(r.answers, r.participant_id, r.name) for r in responses] == [({"met": "3"}, cohort.people[0], "Person 0")]


async def test_migration_matches_the_tables(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        for table in (PollRow, PollResponderRow, PollNamedAnswerRow, PollAnonymousAnswerRow):
            found = await conn.run_sync(
                lambda c, t=table: {col["name"] for col in inspect(c).get_columns(t.__tablename__)}
            )
            assert found == set(table.__table__.columns.keys())
