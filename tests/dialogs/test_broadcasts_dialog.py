"""Broadcasts through the real bot on a real database: compose, link button, audience,
preview, send now or later, cancel, the status list and "Resend to failed".

Fran facilitates (named in FACILITATORS); six people are enrolled in Spring, two of them BME colleagues.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.broadcasts.materialise import drain
from domain.core.model import Group, OutboxMessage
from domain.core.reply import Reply
from storage.store import SqlStore
from storage.tables import OutboxRow
from tests.dialogs.chat import NOW, Chat, make_bot

FAC = frozenset({"fac-1"})
GROUPS = (Group.SENIOR_LEADER,) * 4 + (Group.BME_COLLEAGUE,) * 2


@pytest.fixture
async def people(engine: AsyncEngine) -> list[int]:
    """Six enrolled people (ids returned) and Fran."""
    async with SqlStore(engine).transaction() as uow:
        cohort = await uow.cohorts.create("Spring 2027", "SPRING", date(2027, 3, 1), 12, ["a"], NOW)
        await uow.participants.upsert_identity("test", "fac-1", "Fran", "", NOW)
        ids = []
        for n, group in enumerate(GROUPS):
            person = await uow.participants.upsert_identity("test", f"u-{n}", f"Person {n}", "", NOW)
            await uow.participants.save_enrolment(
                person.id, cohort.id, group, [], "monthly", "online", "Europe/London", NOW
            )
            ids.append(person.id)
    return ids


async def _materialise(engine: AsyncEngine) -> None:
    """What the background does after a confirm: insert the outbox rows."""
    await drain(SqlStore(engine), NOW)


async def _broadcast_rows(engine: AsyncEngine, ids: list[int]) -> list[OutboxMessage]:
    async with SqlStore(engine).transaction() as uow:
        return [m for pid in ids for m in await uow.outbox.list_for(pid) if m.kind == "broadcast"]


async def test_compose_preview_and_send_now_queues_a_row_each_and_wakes_the_dispatcher(
    engine: AsyncEngine, people: list[int]
) -> None:
    wakes: list[int] = []
    fran = Chat(make_bot(engine, FAC, wakes=wakes), "fac-1", "Fran")
    assert "What would you like to say" in await fran.last("broadcast")
    assert "link button" in await fran.last("Launch on **Monday**")
    await fran.say("Add a link")
    retry = await fran.say("Book http://example.org/book")
    assert len(retry) == 1  # one clear message that says what to fix, not an error and then the question
    assert "couldn't find a web link" in retry[0] and "button title" in retry[0] and "use https://" in retry[0]
    assert "Who should get it" in await fran.last("Book your place example.org/book")  # a bare address
    preview = await fran.say("Everyone")
    assert "From the programme team" in preview[0] and "Launch on **Monday**" in preview[0]
    assert "Book your place: https://example.org/book" in preview[0]  # the button, as text here
    assert "everyone enrolled: 6 people" in preview[-1] and wakes == []
    assert "Send it to 6 people now?" in await fran.last("Send now")
    assert "On its way" in await fran.last("yes")
    await _materialise(engine)
    rows = await _broadcast_rows(engine, people)
    assert sorted(r.participant_id for r in rows) == people and wakes == [1]
    assert Reply.from_dict(rows[0].payload).text == "Launch on **Monday**"


async def test_a_small_group_count_is_suppressed(engine: AsyncEngine, people: list[int]) -> None:
    fran = Chat(make_bot(engine, FAC), "fac-1", "Fran")
    for text in ("broadcast", "Hello", "No link", "A group"):
        await fran.say(text)
    preview = await fran.last("Bme colleagues")
    assert "BME colleagues: fewer than 5 people." in preview and "2 people" not in preview
    assert "Send it to fewer than 5 people now?" in await fran.last("Send now")
    await fran.say("yes")
    await _materialise(engine)
    assert sorted(r.participant_id for r in await _broadcast_rows(engine, people)) == people[4:]


async def test_schedule_then_cancel_sends_nothing(engine: AsyncEngine, people: list[int]) -> None:
    fran = Chat(make_bot(engine, FAC), "fac-1", "Fran")
    for text in ("broadcast", "Hello", "No link", "A cohort", "Spring 2027", "At a set time"):
        await fran.say(text)
    assert "Tuesday 2 March 2027, 14:00?" in await fran.last("tomorrow 2pm")
    assert "Scheduled (broadcast #1)" in await fran.last("yes")
    assert await _broadcast_rows(engine, people) == []
    async with SqlStore(engine).transaction() as uow:
        [waiting] = await uow.broadcasts.unfinished()
    assert waiting.send_at == datetime(2027, 3, 2, 14, 0, tzinfo=UTC)
    assert "#1, Tuesday 2 March" in await fran.last("cancel broadcast")
    assert "Cancelled" in await fran.last("1")
    assert "No broadcast is waiting" in await fran.last("cancel broadcast")


async def test_status_list_and_resend_to_failed(engine: AsyncEngine, people: list[int]) -> None:
    wakes: list[int] = []
    fran = Chat(make_bot(engine, FAC, wakes=wakes), "fac-1", "Fran")
    assert "No broadcasts yet" in await fran.last("broadcasts")
    for text in ("broadcast", "Hello all", "No link", "Everyone", "Send now", "yes"):
        await fran.say(text)
    await _materialise(engine)
    async with engine.begin() as conn:
        await conn.execute(update(OutboxRow).values(status="sent"))
        await conn.execute(update(OutboxRow).where(OutboxRow.participant_id == people[0]).values(status="dead"))
        await conn.execute(update(OutboxRow).where(OutboxRow.participant_id == people[1]).values(status="unreachable"))
    status = await fran.last("broadcasts")
    for line in (
        "Sent: 4",
        "Failed: 1",
        "Unreachable: 1",
        "Pending: 0",
        "Could not be reached: Person 1",
        "Resend to failed: type `broadcast resend 1`",
    ):
        assert line in status
    assert "again to 1 person" in await fran.last("broadcast resend 1") and wakes == [1, 1]
    await _materialise(engine)
    keys = sorted(r.idempotency_key for r in await _broadcast_rows(engine, people[:2]))
    assert keys == [f"broadcast:1:{people[0]}:1", f"broadcast:1:{people[0]}:2", f"broadcast:1:{people[1]}:1"]
    assert "Nobody is waiting" in await fran.last("broadcast resend 1")


async def test_partners_cannot_broadcast(engine: AsyncEngine, people: list[int]) -> None:
    person = Chat(make_bot(engine, FAC), "u-0", "Person 0")
    for command in ("broadcast", "broadcasts", "cancel broadcast", "broadcast resend 1"):
        assert "facilitators do" in await person.last(command)
