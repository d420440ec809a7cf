"""Broadcast rules on the real database: audiences, send now or later, batches, cancel,
per-recipient status from the outbox, resend to failed only, and small-group suppression."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.broadcasts import audience as audiences
from domain.broadcasts import rules
from domain.broadcasts import service as broadcasts
from domain.broadcasts.materialise import drain
from domain.broadcasts.model import Audience, AudienceKind, BroadcastStatus, Draft, Summary
from domain.broadcasts.wording import count_words, message_reply, status_reply
from domain.core.clock import FixedClock
from domain.core.facilitators import FacilitatorDirectory
from domain.core.jobs import JobContext
from domain.core.model import Group, OutboxMessage, OutboxStatus
from domain.core.reply import Action, Reply
from domain.guide.content import load_guide
from storage.store import SqlStore
from storage.tables import OutboxRow

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
EVERYONE = Audience(AudienceKind.EVERYONE)
FAC = FacilitatorDirectory(frozenset({"fac"}))
GUIDE = load_guide()


@dataclass
class People:
    spring: int
    autumn: int
    ids: dict[str, int]


async def _seed(store: SqlStore) -> People:
    """Spring: Ada (senior leader) + Ben (BME) started today; Cat (both) + Dan (BME) started 5 weeks ago;
    Eve + Fay (senior leaders) paused. Autumn: Gus (both) unpaired. Hal never enrolled."""
    async with store.transaction() as uow:
        spring = await uow.cohorts.create("Spring", "SPRING", date(2027, 1, 4), 12, ["a"], NOW)
        autumn = await uow.cohorts.create("Autumn", "AUTUMN", date(2027, 1, 4), 12, ["a"], NOW)
        groups = {
            "ada": Group.SENIOR_LEADER,
            "ben": Group.BME_COLLEAGUE,
            "cat": Group.BOTH,
            "dan": Group.BME_COLLEAGUE,
            "eve": Group.SENIOR_LEADER,
            "fay": Group.SENIOR_LEADER,
            "gus": Group.BOTH,
        }
        ids = {}
        for key in (*groups, "hal"):
            ids[key] = (await uow.participants.upsert_identity("test", f"u-{key}", key.title(), "", NOW)).id
            if key in groups:
                cohort = autumn if key == "gus" else spring
                await uow.participants.save_enrolment(
                    ids[key], cohort.id, groups[key], [], "monthly", "online", "Europe/London", NOW
                )
        for a, b, started in (
            ("ada", "ben", NOW.date()),
            ("cat", "dan", (NOW - timedelta(weeks=5)).date()),
            ("eve", "fay", NOW.date()),
        ):
            pair = await uow.partnerships.create(spring.id, ids[a], ids[b], started, NOW)
        await uow.partnerships.pause(pair.id, None, "leave")
    return People(spring.id, autumn.id, ids)


@pytest.fixture
async def people(store: SqlStore) -> People:
    return await _seed(store)


def _ctx(store: SqlStore) -> JobContext:
    return JobContext(store, FixedClock(NOW), GUIDE, facilitators=FAC)


def _names(people: People, ids: list[int]) -> list[str]:
    return sorted(k for k, v in people.ids.items() if v in ids)


@pytest.mark.parametrize(
    "audience, expected",
    [
        (EVERYONE, ["ada", "ben", "cat", "dan", "eve", "fay", "gus"]),
        (Audience(AudienceKind.GROUP, "senior_leader"), ["ada", "cat", "eve", "fay", "gus"]),
        (Audience(AudienceKind.GROUP, "bme_colleague"), ["ben", "cat", "dan", "gus"]),
        (Audience(AudienceKind.GROUP, "both"), ["cat", "gus"]),
        (Audience(AudienceKind.HEALTH, "active"), ["ada", "ben"]),
        (Audience(AudienceKind.HEALTH, "quiet"), ["cat", "dan"]),
        (Audience(AudienceKind.HEALTH, "paused"), ["eve", "fay"]),
        (Audience(AudienceKind.HEALTH, "inactive"), []),
    ],
)
async def test_each_audience_covers_the_right_enrolled_people(
    store: SqlStore, people: People, audience: Audience, expected: list[str]
) -> None:
    async with store.transaction() as uow:
        assert _names(people, await audiences.recipients(uow, audience, NOW)) == expected


@pytest.mark.parametrize(
    "audience",
    [
        EVERYONE,
        Audience(AudienceKind.GROUP, "bme_colleague"),
        Audience(AudienceKind.HEALTH, "quiet"),
        Audience(AudienceKind.HEALTH, "paused"),
        Audience(AudienceKind.COHORT, "not-a-cohort"),
    ],
)
async def test_an_audience_read_window_by_window_is_the_same_whatever_the_window(
    store: SqlStore, people: People, audience: Audience
) -> None:
    async with store.transaction() as uow:
        whole = await audiences.recipients(uow, audience, NOW)
        assert await audiences.recipients(uow, audience, NOW, batch=1) == whole
        assert await audiences.recipients(uow, audience, NOW, batch=2) == whole
        assert await audiences.count(uow, audience, NOW) == len(whole)


async def test_a_cohort_audience_is_that_cohort_only(store: SqlStore, people: People) -> None:
    async with store.transaction() as uow:
        found = await audiences.recipients(uow, Audience(AudienceKind.COHORT, str(people.autumn)), NOW)
    assert _names(people, found) == ["gus"]


async def _rows(store: SqlStore, people: People) -> list[OutboxMessage]:
    async with store.transaction() as uow:
        return [m for pid in people.ids.values() for m in await uow.outbox.list_for(pid)]


async def test_send_now_queues_one_row_per_recipient_in_batches_due_now(store: SqlStore, people: People) -> None:
    draft = Draft("Launch **Monday**", EVERYONE, "Book", "https://example.org/book")
    async with store.transaction() as uow:
        made = await uow.broadcasts.create(draft, people.ids["hal"], NOW, NOW)
    assert await drain(store, NOW, batch=2) == 7
    rows = await _rows(store, people)
    assert sorted(r.idempotency_key for r in rows) == sorted(
        f"broadcast:{made.id}:{people.ids[k]}:1" for k in ("ada", "ben", "cat", "dan", "eve", "fay", "gus")
    )
    assert {(r.kind, r.due_at) for r in rows} == {("broadcast", NOW)}  # not held for working hours
    assert Reply.from_dict(rows[0].payload) == message_reply(draft)
    assert message_reply(draft).actions == (Action("Book", "open_url", url="https://example.org/book"),)
    assert await drain(store, NOW) == 0  # already sent: nothing twice
    async with store.transaction() as uow:
        done = await uow.broadcasts.get(made.id)
    assert done is not None and (done.status, done.recipients, done.sent_at) == (BroadcastStatus.SENT, 7, NOW)


async def test_a_scheduled_broadcast_waits_for_its_time_then_goes_once(
    store: SqlStore, engine: AsyncEngine, people: People
) -> None:
    at = NOW + timedelta(hours=3)
    quiet = Audience(AudienceKind.HEALTH, "quiet")
    made = (await broadcasts.create(store, Draft("Hi", quiet), None, at, NOW)).broadcast
    assert await _rows(store, people) == []
    assert await broadcasts.run_due(_ctx(store), at - timedelta(seconds=1)) == 0
    assert await broadcasts.run_due(_ctx(store), at) == 2
    assert await broadcasts.run_due(_ctx(store), at + timedelta(hours=1)) == 0
    assert {r.participant_id for r in await _rows(store, people)} == {people.ids["cat"], people.ids["dan"]}
    for row in await _rows(store, people):
        await _set_status(engine, row.idempotency_key, OutboxStatus.SENT)
    assert not (await broadcasts.cancel(store, made.id)).stopped  # gone out: too late to cancel


async def test_an_interrupted_send_is_finished_by_the_job_without_duplicates(store: SqlStore, people: People) -> None:
    async with store.transaction() as uow:
        await uow.broadcasts.create(Draft("Hi", EVERYONE), None, NOW, NOW, BroadcastStatus.SENDING)
        # ... and the process stopped here: the next run resumes at once (no staleness wait)
    assert await broadcasts.run_due(_ctx(store), NOW + timedelta(seconds=5)) == 7
    assert await broadcasts.run_due(_ctx(store), NOW + timedelta(minutes=30)) == 0


async def test_cancel_stops_a_scheduled_broadcast(store: SqlStore, people: People) -> None:
    made = (await broadcasts.create(store, Draft("Hi", EVERYONE), None, NOW + timedelta(days=1), NOW)).broadcast
    assert (await broadcasts.cancel(store, made.id)).stopped
    assert await broadcasts.run_due(_ctx(store), NOW + timedelta(days=2)) == 0
    assert await _rows(store, people) == []


async def _set_status(engine: AsyncEngine, key: str, status: OutboxStatus) -> None:
    async with engine.begin() as conn:
        await conn.execute(update(OutboxRow).where(OutboxRow.idempotency_key == key).values(status=status.value))


async def test_status_and_resend_to_failed_only(store: SqlStore, engine: AsyncEngine, people: People) -> None:
    made = (await broadcasts.create(store, Draft("Hi", EVERYONE), None, NOW, NOW)).broadcast
    await broadcasts.run_due(_ctx(store), NOW)  # the background inserts the rows
    key = {k: f"broadcast:{made.id}:{v}:1" for k, v in people.ids.items()}
    for name, status in (
        ("ada", OutboxStatus.SENT),
        ("ben", OutboxStatus.SENT),
        ("cat", OutboxStatus.DEAD),
        ("dan", OutboxStatus.DEAD),
        ("eve", OutboxStatus.UNREACHABLE),
        ("fay", OutboxStatus.SENDING),
    ):
        await _set_status(engine, key[name], status)
    [(broadcast, summary)] = (await broadcasts.status_report(store)).rows
    assert summary == Summary(pending=2, sent=2, failed=2, unreachable=1, unreachable_names=("Eve",))
    card = status_reply(broadcast, summary, [], "Europe/London")
    assert card.actions[0].data == {"command": f"broadcast resend {made.id}"} and "Eve" in card.text

    assert (await broadcasts.resend_failed(store, made.id)).count == 2
    await broadcasts.run_due(_ctx(store), NOW + timedelta(hours=1))  # the background inserts the next attempts
    assert (await broadcasts.resend_failed(store, made.id)).count == 0  # nobody failed now
    second = sorted(r.idempotency_key for r in await _rows(store, people) if r.idempotency_key.endswith(":2"))
    assert second == sorted(f"broadcast:{made.id}:{people.ids[name]}:2" for name in ("cat", "dan"))
    [(_, after)] = (await broadcasts.status_report(store)).rows
    assert (after.pending, after.failed, after.unreachable) == (4, 0, 1)  # latest attempt counts
    with pytest.raises(rules.BroadcastError):
        await broadcasts.resend_failed(store, made.id + 1)


async def test_small_group_counts_and_names_are_suppressed(
    store: SqlStore, engine: AsyncEngine, people: People
) -> None:
    both = Audience(AudienceKind.GROUP, "both")
    assert count_words(2, both) == "fewer than 5 people" and count_words(5, both) == "5 people"
    assert count_words(2, EVERYONE) == "2 people"
    made = (await broadcasts.create(store, Draft("Hi", both), None, NOW, NOW)).broadcast
    await broadcasts.run_due(_ctx(store), NOW)  # the background inserts the rows
    await _set_status(engine, f"broadcast:{made.id}:{people.ids['cat']}:1", OutboxStatus.UNREACHABLE)
    [(broadcast, summary)] = (await broadcasts.status_report(store)).rows
    card = status_reply(broadcast, summary, [], "Europe/London")
    facts = {f.title: f.value for f in card.facts}
    assert (facts["Pending"], facts["Unreachable"], facts["Sent"]) == ("fewer than 5", "fewer than 5", "0")
    assert "Cat" not in card.text and "could not be reached" in card.text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Book your place https://example.org/book", ("Book your place", "https://example.org/book")),
        ("Join https://teams.microsoft.com/l/x", ("Join", "https://teams.microsoft.com/l/x")),
        ("Book your place example.org/x", ("Book your place", "https://example.org/x")),  # bare address
        ("example.org/x", ("Open the link", "https://example.org/x")),  # the link alone
        ("https://example.org/book", ("Open the link", "https://example.org/book")),
    ],
)
def test_a_link_is_a_title_then_an_https_url(text: str, expected: tuple[str, str]) -> None:
    assert rules.check_link(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Book http://example.org/book",
        "Book javascript:alert(1)",
        "Book here",
        "Book https://",
        "x" * 81 + " https://example.org",
    ],
)
def test_a_bad_link_is_refused_kindly(text: str) -> None:
    with pytest.raises(rules.BroadcastError):
        rules.check_link(text)
