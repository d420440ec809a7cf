"""Guide delivery (run_due) on the real store: both partners, own local times, capped, once."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.cohorts.service import CohortDraft, create_cohort
from domain.core.clock import FixedClock
from domain.core.identity import Identity, register
from domain.core.jobs import JobContext, JobSettings
from domain.core.reply import Reply
from domain.core.spread import spread_delivery_time
from domain.core.timing import WorkingHours
from domain.enrolment.service import EnrolmentDraft, save_enrolment
from domain.guide.content import load_guide
from domain.guide.service import run_due
from storage.store import SqlStore

GUIDE = load_guide()
START = date(2027, 3, 1)
POLICY = JobSettings(WorkingHours(time(9), time(17)), guide_max_per_week=2)
UNCAPPED = JobSettings(WorkingHours(), guide_max_per_week=50)


def _ctx(store: SqlStore, settings: JobSettings = POLICY) -> JobContext:
    return JobContext(store, FixedClock(datetime(2027, 3, 1, tzinfo=UTC)), GUIDE, settings)


async def _pair(
    store: SqlStore, months: int = 12, zones: tuple[str, str] = ("Europe/London", "Asia/Kolkata")
) -> list[int]:
    made = datetime(2027, 3, 1, 8, tzinfo=UTC)
    cohort = await create_cohort(store, CohortDraft("C", START, months, ("a", "b", "c")), made, random.Random(2))
    ids = []
    for name, zone in zip(("A", "B"), zones, strict=False):
        person = await register(store, Identity("msteams", f"29:{name}", name), None, made)
        await save_enrolment(
            store,
            person.id,
            EnrolmentDraft(cohort.id, "C", ["a", "b", "c"], ["x", "y", "z"], "both", "4w", "online", zone),
            made,
        )
        ids.append(person.id)
    async with store.transaction() as uow:
        await uow.partnerships.create(cohort.id, ids[0], ids[1], START, made)
    return ids


async def _rows(store: SqlStore, person: int):
    async with store.transaction() as uow:
        return [m for m in await uow.outbox.list_for(person) if m.kind == "guide_prompt"]


async def test_each_partner_gets_the_same_prompts_timed_for_their_own_working_hours(engine: AsyncEngine) -> None:
    store = SqlStore(engine)
    a, b = await _pair(store)
    now = datetime(2027, 3, 8, 6, 0, tzinfo=UTC)  # 06:00 London, 11:30 Kolkata
    assert await run_due(_ctx(store), now) == 4
    rows_a, rows_b = await _rows(store, a), await _rows(store, b)
    assert [r.payload for r in rows_a] == [r.payload for r in rows_b]
    # Each at their own point of their own working day: A's London day has not begun, B's has.
    assert {r.due_at for r in rows_a} == {spread_delivery_time(now, "Europe/London", POLICY.hours, a)}
    assert {r.due_at for r in rows_b} == {spread_delivery_time(now, "Asia/Kolkata", POLICY.hours, b)}
    london_day = (datetime(2027, 3, 8, 9, 0, tzinfo=UTC), datetime(2027, 3, 8, 17, 0, tzinfo=UTC))
    kolkata_rest_of_day = (now, datetime(2027, 3, 8, 11, 30, tzinfo=UTC))
    assert london_day[0] < rows_a[0].due_at < london_day[1]
    assert kolkata_rest_of_day[0] <= rows_b[0].due_at < kolkata_rest_of_day[1]
    assert await run_due(_ctx(store), now) == 0


async def test_at_most_max_per_week_and_the_rest_follow_next_week(engine: AsyncEngine) -> None:
    store = SqlStore(engine)
    a, _ = await _pair(store)
    await run_due(_ctx(store), datetime(2027, 3, 8, 10, tzinfo=UTC))
    await run_due(_ctx(store), datetime(2027, 3, 10, 10, tzinfo=UTC))
    assert len(await _rows(store, a)) == 2
    await run_due(_ctx(store), datetime(2027, 3, 15, 10, tzinfo=UTC))
    assert len(await _rows(store, a)) == 4


@pytest.mark.parametrize(("months", "extension_sent"), [(12, False), (15, True)])
async def test_extension_prompts_only_for_fifteen_month_cohorts(
    engine: AsyncEngine, months: int, extension_sent: bool
) -> None:
    store = SqlStore(engine)
    a, _ = await _pair(store, months)
    last = GUIDE.prompt("P7-6")  # week 65, the end of the extension
    assert last is not None
    await run_due(_ctx(store, UNCAPPED), datetime(2028, 5, 29, 10, tzinfo=UTC))  # week 65
    texts = "\n".join(Reply.from_dict(r.payload).text for r in await _rows(store, a))
    assert (last.text in texts) is extension_sent


async def test_sensitive_prompts_offer_skip_save_and_support(engine: AsyncEngine) -> None:
    store = SqlStore(engine)
    a, _ = await _pair(store)
    await run_due(_ctx(store, UNCAPPED), datetime(2027, 5, 17, 10, tzinfo=UTC))  # week 11
    replies = [Reply.from_dict(r.payload) for r in await _rows(store, a)]
    sensitive = [r for r in replies if "ethnicity mattering" in r.text]
    assert sensitive, [r.text for r in replies]
    commands = {act.data.get("command") for act in sensitive[0].actions}
    assert {"guide skip P3-2", "guide save P3-2", "support"} <= commands
