"""Anonymous answers on their way: held apart from "has responded", moved by the job once 5 wait or at
close, and never lost silently when holding them fails (both backends, real database)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.polls import service as polls
from domain.polls.model import Outcome
from storage.store import SqlStore
from tests.domain.poll_fixtures import CHECKIN, DELIVERY, NOW, answer, jobs, make_cohort, make_poll, named

LATER = NOW + timedelta(hours=1)


async def stored_and_held(store: SqlStore, poll_id: int) -> tuple[int, int]:
    """How many anonymous answers are in the poll's answers, and how many still wait."""
    async with store.reading() as uow:
        return len(await uow.polls.responses(poll_id)), (await uow.polls.held_counts()).get(poll_id, 0)


async def test_answers_wait_until_5_then_the_job_moves_them_and_closing_moves_the_rest(store: SqlStore) -> None:
    cohort = await make_cohort(store, 7)
    poll = await make_poll(store, cohort)
    for person in cohort.people[:4]:
        assert await answer(store, poll, person, {"met": "1"}) == Outcome.SAVED
    await polls.run_due(jobs(store), LATER)
    assert await stored_and_held(store, poll.id) == (0, 4)  # 4 waiting: too few to move
    await answer(store, poll, cohort.people[4], {"met": "2"})
    assert await stored_and_held(store, poll.id) == (0, 5)  # the turn itself never moves them
    await polls.run_due(jobs(store), LATER)
    assert await stored_and_held(store, poll.id) == (5, 0)
    await answer(store, poll, cohort.people[5], {"met": "3"})
    await polls.run_due(jobs(store), LATER)
    assert await stored_and_held(store, poll.id) == (5, 1)
    found = await polls.results_for(store, poll.id)
    assert found is not None and found.results is None  # open: no results yet
    await polls.close_poll(store, poll.id, LATER, DELIVERY)
    assert await stored_and_held(store, poll.id) == (6, 0)
    async with store.reading() as uow:
        assert sorted(a["met"] for a in await uow.polls.responses(poll.id)) == ["1", "1", "1", "1", "2", "3"]
        assert await uow.polls.response_count(poll.id) == 6


async def test_the_job_closing_a_poll_moves_what_still_waits(store: SqlStore) -> None:
    cohort = await make_cohort(store, 2)
    poll = await make_poll(store, cohort)
    await polls.run_due(jobs(store), NOW)
    await answer(store, poll, cohort.people[0], {"met": "1"})
    await polls.run_due(jobs(store), poll.closes_at)
    assert await stored_and_held(store, poll.id) == (1, 0)
    found = await polls.results_for(store, poll.id)
    assert found is not None and found.results is not None and found.results[0].suppressed  # 1 of fewer than 5


async def test_named_answers_are_not_held(store: SqlStore) -> None:
    cohort = await make_cohort(store, 1)
    poll = await make_poll(store, cohort, named(CHECKIN), anonymous=False)
    await answer(store, poll, cohort.people[0], {"met": "1"})
    assert await stored_and_held(store, poll.id) == (1, 0)


async def test_when_holding_the_answers_fails_the_person_can_answer_again(store: SqlStore, engine: AsyncEngine) -> None:
    cohort = await make_cohort(store, 1)
    poll = await make_poll(store, cohort)
    person = cohort.people[0]
    await _break_holding(engine)
    with pytest.raises(Exception, match="holding area unavailable"):
        await answer(store, poll, person, {"met": "1"})
    async with store.reading() as uow:
        assert await uow.polls.responders(poll.id) == set()  # "has responded" withdrawn, not left dangling
    await _mend_holding(engine)
    assert await answer(store, poll, person, {"met": "1"}) == Outcome.SAVED
    assert await answer(store, poll, person, {"met": "2"}) == Outcome.ALREADY
    assert await stored_and_held(store, poll.id) == (0, 1)


async def _break_holding(engine: AsyncEngine) -> None:
    """Make every insert into the holding area fail inside the database (a fault, not a fake)."""
    async with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            await conn.execute(
                text(
                    "CREATE TRIGGER refuse_held BEFORE INSERT ON poll_held_answers "
                    "BEGIN SELECT RAISE(ABORT, 'holding area unavailable'); END"
                )
            )
            return
        await conn.execute(
            text(
                "CREATE FUNCTION refuse_held() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'holding area unavailable'; END $$"
            )
        )
        await conn.execute(
            text(
                "CREATE TRIGGER refuse_held BEFORE INSERT ON poll_held_answers "
                "FOR EACH ROW EXECUTE FUNCTION refuse_held()"
            )
        )


async def _mend_holding(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        suffix = "" if engine.dialect.name == "sqlite" else " ON poll_held_answers"
        await conn.execute(text(f"DROP TRIGGER refuse_held{suffix}"))
