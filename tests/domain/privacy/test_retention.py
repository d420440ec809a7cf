"""The retention purge on SQLite and PostgreSQL: people whose cohort ended more than
PLP_RETENTION_MONTHS ago (or who never enrolled and fell silent that long) are erased quietly;
records of what ended long ago are forgotten; abandoned conversations expire; everyone else
and everything current stays."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.core.clock import FixedClock
from domain.core.facilitators import FacilitatorDirectory
from domain.core.identity import Identity, register
from domain.core.jobs import JobContext, JobSettings
from domain.core.model import ConversationRef, Group, NewOutboxMessage, OutboxStatus
from domain.core.personal import FORMER_NAME
from domain.guide.content import load_guide
from domain.privacy import service as privacy
from domain.privacy.rules import cohort_end, months_later, past_retention, retention_cutoff
from storage.outbox_store import OutboxStore
from storage.sql_storage import SqlStorage
from storage.store import SqlStore
from storage.tables import BotStateRow, OutboxRow

NOW = datetime(2027, 3, 1, 2, 0, tzinfo=UTC)
LONG_AGO = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
FACILITATORS = FacilitatorDirectory(frozenset({"fac-old"}))


def context(store: SqlStore, months: int = 12, days: int = 30) -> JobContext:
    settings = JobSettings(retention_months=months, dialog_state_days=days)
    return JobContext(store, FixedClock(NOW), load_guide(), settings, facilitators=FACILITATORS)


def test_cohort_end_and_cutoff() -> None:
    assert months_later(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert months_later(date(2027, 3, 31), -1) == date(2027, 2, 28)
    assert retention_cutoff(NOW, 12) == datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
    assert retention_cutoff(datetime(2028, 2, 29, tzinfo=UTC), 12) == datetime(2027, 2, 28, tzinfo=UTC)


def test_which_cohorts_are_past_retention() -> None:
    from domain.core.model import Cohort

    ended = Cohort(1, "Old", "OLD", date(2025, 1, 1), 12, [])  # ended 1 January 2026
    just = Cohort(2, "Just", "JUST", date(2025, 3, 1), 12, [])  # ended 1 March 2026: exactly 12 months ago
    running = Cohort(3, "Now", "NOW", date(2026, 6, 1), 12, [])
    assert cohort_end(ended) == date(2026, 1, 1)
    assert past_retention([ended, just, running], retention_cutoff(NOW, 12)) == [1, 2]
    assert past_retention([ended, just, running], retention_cutoff(NOW, 15)) == []


async def _person(store: SqlStore, key: str, at: datetime, cohort: int | None = None, chat: bool = True) -> int:
    ref = ConversationRef(0, "msteams", "https://smba.test/", f"a:{key}", f"29:{key}", "28:bot") if chat else None
    person = await register(store, Identity("msteams", key, f"Name {key}", ""), ref, at)
    if cohort is not None:
        async with store.transaction() as uow:
            await uow.participants.save_enrolment(
                person.id, cohort, Group.BOTH, [], "4w", "online", "Europe/London", at
            )
    return person.id


async def test_people_past_retention_are_erased_quietly_and_others_stay(engine: AsyncEngine) -> None:
    store = SqlStore(engine)
    async with store.transaction() as uow:
        old = await uow.cohorts.create("Old", "OLD", date(2025, 1, 1), 12, ["q"], LONG_AGO)
        current = await uow.cohorts.create("Now", "NOW", date(2026, 9, 1), 12, ["q"], LONG_AGO)
    ana, ben = await _person(store, "ana", LONG_AGO, old.id), await _person(store, "ben", LONG_AGO, old.id)
    cat = await _person(store, "cat", LONG_AGO, current.id)  # enrolled long ago in a cohort still running
    silent = await _person(store, "silent", LONG_AGO, chat=False)  # never enrolled, never heard from since
    chatty = await _person(store, "chatty", LONG_AGO)
    await register(store, Identity("msteams", "chatty", "Name chatty", ""), None, NOW - timedelta(days=3))
    async with store.transaction() as uow:  # a conversation refreshed recently
        ref = await uow.conversations.get(chatty)
        assert ref is not None
        await uow.conversations.upsert(ref, NOW - timedelta(days=3))
    facilitator = await _person(store, "fac-old", LONG_AGO)
    async with store.transaction() as uow:
        partnership = await uow.partnerships.create(old.id, ana, ben, date(2025, 1, 6), LONG_AGO)

    purged = await privacy.purge(context(store), NOW)

    assert purged.people == 3
    async with store.reading() as uow:
        people = await uow.participants.get_many([ana, ben, cat, silent, chatty, facilitator])
        pair = await uow.partnerships.get(partnership.id)
        notes = [m for pid in (ana, ben) for m in await uow.outbox.list_for(pid)]
        audit = await uow.audit.recent(10)
    assert {pid for pid, p in people.items() if p.erased_at is not None} == {ana, ben, silent}
    assert all(people[pid].name == FORMER_NAME for pid in (ana, ben, silent))
    assert people[cat].name == "Name cat" and people[chatty].name == "Name chatty"
    assert people[facilitator].erased_at is None  # facilitators stay while they facilitate
    assert pair is not None and pair.status.value == "ended" and notes == []  # ended quietly: nobody told
    assert sorted((e.actor_id, e.action, e.subject_id) for e in audit) == [
        (None, "purge", ana),
        (None, "purge", ben),
        (None, "purge", silent),
    ]
    assert (await privacy.purge(context(store), NOW)).people == 0  # nothing left to do


async def test_finished_messages_and_abandoned_conversations_go(engine: AsyncEngine) -> None:
    store = SqlStore(engine)
    person = await _person(store, "dee", NOW - timedelta(days=5))  # someone current
    async with store.transaction() as uow:
        for key, at in (("old", NOW - timedelta(days=400)), ("recent", NOW - timedelta(days=2))):
            message = NewOutboxMessage(key, "note", person, {"text": f"words {key}"}, at)
            await uow.outbox.enqueue([message], at)
        await uow.outbox.enqueue([NewOutboxMessage("waiting", "note", person, {"text": "soon"}, NOW)], NOW)
    async with engine.begin() as conn:  # the two older ones went out (sending clears the words)
        sent = update(OutboxRow).where(OutboxRow.idempotency_key != "waiting").values(status="sent", payload={})
        await conn.execute(sent)
    storage = SqlStorage(engine, FixedClock(NOW - timedelta(days=31)))
    await storage.write({"msteams/conversations/a:gone": {"DialogState": {"draft": "half"}}})
    await SqlStorage(engine, FixedClock(NOW - timedelta(days=29))).write({"msteams/conversations/a:kept": {"x": 1}})

    purged = await privacy.purge(context(store), NOW)

    async with engine.connect() as conn:
        rows = {
            k: (s, p)
            for k, s, p in await conn.execute(select(OutboxRow.idempotency_key, OutboxRow.status, OutboxRow.payload))
        }
        keys = set(await conn.scalars(select(BotStateRow.key)))
    assert rows == {"recent": ("sent", {}), "waiting": ("pending", {"text": "soon"})}
    assert keys == {"msteams/conversations/a:kept"}
    assert (purged.records, purged.people) == (2, 0)  # one old message, one abandoned conversation


async def test_a_sent_or_failed_message_keeps_no_payload(engine: AsyncEngine) -> None:
    store = SqlStore(engine)
    person = await _person(store, "eve", NOW)
    async with store.transaction() as uow:
        await uow.outbox.enqueue(
            [NewOutboxMessage(f"m{n}", "note", person, {"text": "private"}, NOW) for n in range(3)], NOW
        )
    outbox = OutboxStore(engine)
    first, second, third = await outbox.claim(NOW, 10, "me", 60)
    assert await outbox.mark_sent(first.id, "me", NOW, "activity-1")
    assert await outbox.mark_dead(second.id, "me", "gave up")
    assert await outbox.reschedule(third.id, "me", NOW + timedelta(minutes=5), "busy")
    async with store.reading() as uow:
        stored = {m.idempotency_key: (m.status, m.payload) for m in await uow.outbox.list_for(person)}
    assert stored == {
        "m0": (OutboxStatus.SENT, {}),
        "m1": (OutboxStatus.DEAD, {}),
        "m2": (OutboxStatus.PENDING, {"text": "private"}),  # still to be sent: its words are needed
    }


async def test_answers_to_polls_closed_before_the_cutoff_go(engine: AsyncEngine) -> None:
    from domain.polls.content import load_poll_templates
    from domain.polls.model import PollDraft
    from storage.tables_polls import PollAnonymousAnswerRow, PollHeldAnswerRow, PollNamedAnswerRow, PollRow

    store = SqlStore(engine)
    async with store.transaction() as uow:
        cohort = await uow.cohorts.create("Now", "NOW", date(2026, 9, 1), 12, ["q"], LONG_AGO)
    fay = await _person(store, "fay", LONG_AGO, cohort.id)
    template = load_poll_templates()["quarterly_checkin"]
    async with store.transaction() as uow:
        ids = []
        for opens in (LONG_AGO, NOW - timedelta(days=10)):
            poll = await uow.polls.create(
                PollDraft(cohort.id, template, False, opens, None), opens + timedelta(days=14), opens
            )
            await uow.polls.save_named(poll.id, fay, {"comments": f"named {opens.year}"}, opens)
            ids.append(poll.id)
    async with engine.begin() as conn:
        await conn.execute(insert(PollAnonymousAnswerRow).values(id="a" * 36, poll_id=ids[0], answers={"c": "x"}))
        await conn.execute(insert(PollHeldAnswerRow).values(id="b" * 36, poll_id=ids[0], answers={"c": "y"}))
    await privacy.purge(context(store), NOW)
    async with engine.connect() as conn:
        named = list(await conn.scalars(select(PollNamedAnswerRow.poll_id)))
        anonymous = list(await conn.scalars(select(PollAnonymousAnswerRow.poll_id)))
        anonymous += list(await conn.scalars(select(PollHeldAnswerRow.poll_id)))
        polls = list(await conn.scalars(select(PollRow.id)))
    assert (named, anonymous, sorted(polls)) == ([ids[1]], [], sorted(ids))  # the polls themselves stay
