"""Polls repository on the real database (both backends); anonymity is checked in test_poll_anonymity.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.polls import service as polls
from domain.polls.model import PollDraft
from storage.store import SqlStore
from storage.tables_polls import (
    PollAnonymousAnswerRow,
    PollHeldAnswerRow,
    PollNamedAnswerRow,
    PollResponderRow,
    PollRow,
)
from tests.domain.poll_fixtures import CHECKIN, NOW, make_cohort, make_poll


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
        assert await uow.polls.mark_responded(poll.id, cohort.people[0]) is True
        assert await uow.polls.mark_responded(poll.id, cohort.people[0]) is False
        assert await uow.polls.responders(poll.id) == {cohort.people[0]}
        assert await uow.polls.response_count(poll.id) == 1


async def test_named_answers_are_replaced_not_added(store: SqlStore) -> None:
    cohort = await make_cohort(store, 1)
    poll = await make_poll(store, cohort, anonymous=False)
    async with store.transaction() as uow:
        await uow.polls.save_named(poll.id, cohort.people[0], {"met": "1"}, NOW)
        await uow.polls.save_named(poll.id, cohort.people[0], {"met": "3"}, NOW + timedelta(hours=1))
        responses = await uow.polls.responses(poll.id)
        assert await uow.polls.held_counts() == {}
    assert responses == [{"met": "3"}]


async def test_migration_matches_the_tables(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        for table in (PollRow, PollResponderRow, PollNamedAnswerRow, PollAnonymousAnswerRow, PollHeldAnswerRow):
            found = await conn.run_sync(
                lambda c, t=table: {col["name"] for col in inspect(c).get_columns(t.__tablename__)}
            )
            assert found == set(table.__table__.columns.keys())
