"""The health job (`run_due`) on the real store: the ladder, pauses that end, and people who
cannot be reached being flagged to facilitators once."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from domain.cohorts.service import CohortDraft, create_cohort
from domain.core.clock import FixedClock
from domain.core.facilitators import FacilitatorDirectory
from domain.core.identity import Identity, register
from domain.core.jobs import JobContext, JobSettings
from domain.core.model import OutboxMessage
from domain.core.timing import WorkingHours
from domain.enrolment.service import EnrolmentDraft, save_enrolment
from domain.guide.content import load_guide
from domain.health.service import run_due
from storage.store import SqlStore

START = date(2027, 3, 1)
HOURS = WorkingHours()
FAC = FacilitatorDirectory(frozenset({"29:fran"}))
GUIDE = load_guide()


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


async def _setup(store: SqlStore) -> tuple[int, int, int, int]:
    made = at(START, 8)
    cohort = await create_cohort(store, CohortDraft("C", START, 12, ("a", "b", "c")), made, random.Random(4))
    ids = []
    for name in ("Asha", "Ben"):
        person = await register(store, Identity("msteams", f"29:{name.lower()}", name), None, made)
        await save_enrolment(
            store,
            person.id,
            EnrolmentDraft(cohort.id, "C", ["a", "b", "c"], ["x", "y", "z"], "both", "4w", "online", "Europe/London"),
            made,
        )
        ids.append(person.id)
    fran = await register(store, Identity("msteams", "29:fran", "Fran"), None, made)
    async with store.transaction() as uow:
        partnership = await uow.partnerships.create(cohort.id, ids[0], ids[1], START, made)
    return partnership.id, ids[0], ids[1], fran.id


def _ctx(store: SqlStore) -> JobContext:
    """The job context the scheduler would pass, with these working hours and facilitators."""
    return JobContext(store, FixedClock(at(START)), GUIDE, JobSettings(hours=HOURS), facilitators=FAC)


async def _kinds(store: SqlStore, person: int) -> list[str]:
    async with store.transaction() as uow:
        rows: list[OutboxMessage] = await uow.outbox.list_for(person)
    return [r.kind for r in rows]


async def test_ladder_one_step_a_week_and_only_once(engine: AsyncEngine) -> None:
    store = SqlStore(engine)
    _, a, b, fran = await _setup(store)
    four_weeks = START + timedelta(weeks=4)
    assert await run_due(_ctx(store), at(four_weeks - timedelta(days=1))) == 0
    assert await run_due(_ctx(store), at(four_weeks)) == 2
    assert await run_due(_ctx(store), at(four_weeks + timedelta(days=6))) == 0
    assert await run_due(_ctx(store), at(four_weeks + timedelta(days=7))) == 2
    assert await run_due(_ctx(store), at(four_weeks + timedelta(days=14))) == 1
    assert await run_due(_ctx(store), at(four_weeks + timedelta(days=21))) == 0
    assert await _kinds(store, a) == await _kinds(store, b) == ["nudge", "private_checkin"]
    assert await _kinds(store, fran) == ["facilitator_alert"]


async def test_a_paused_partnership_is_left_alone_and_resumes_when_the_pause_ends(engine: AsyncEngine) -> None:
    store = SqlStore(engine)
    pid, a, b, _ = await _setup(store)
    async with store.transaction() as uow:
        await uow.partnerships.pause(pid, START + timedelta(weeks=5), "clinical_pressure")
    assert await run_due(_ctx(store), at(START + timedelta(weeks=4))) == 0
    assert await run_due(_ctx(store), at(START + timedelta(weeks=5))) == 2  # "welcome back", no nudge
    async with store.transaction() as uow:
        partnership = await uow.partnerships.get(pid)
    assert partnership is not None and partnership.status.value == "active"
    assert (await _kinds(store, a))[0] == (await _kinds(store, b))[0] == "resumed"


async def test_unreachable_people_are_flagged_to_facilitators_once(engine: AsyncEngine) -> None:
    store = SqlStore(engine)
    _, a, _, fran = await _setup(store)
    now = at(START + timedelta(days=2))
    async with store.transaction() as uow:
        await uow.participants.mark_unreachable(a, now)
    await run_due(_ctx(store), now)
    await run_due(_ctx(store), now + timedelta(days=1))
    assert await _kinds(store, fran) == ["facilitator_alert"]
    assert await _kinds(store, a) == []
