"""OutboxStore on a real database (SQLite, and PostgreSQL when configured): claims and leases."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from domain.core.model import OutboxStatus
from storage.outbox_outcomes import Finish
from storage.outbox_store import OutboxStore
from tests.scheduling.seed import BOT_ID, START, TENANT, add_message, add_person, outbox_row, participant_row

URL = "https://smba.example/amer/"
LATER = START + timedelta(minutes=5)


async def test_claim_takes_due_rows_in_order_and_leases_them(engine: AsyncEngine) -> None:
    person = await add_person(engine, 1, URL)
    late = await add_message(engine, person, "k-late", START - timedelta(minutes=1))
    early = await add_message(engine, person, "k-early", START - timedelta(minutes=2))
    await add_message(engine, person, "k-future", START + timedelta(seconds=1))
    claimed = await OutboxStore(engine).claim(START, 10, "owner-a", 60)
    assert [c.id for c in claimed] == [early, late]
    row = await outbox_row(engine, early)
    assert (row.status, row.lease_owner, row.attempts) == ("sending", "owner-a", 1)
    assert row.lease_until == START + timedelta(seconds=60)


async def test_claim_respects_the_limit_and_never_hands_out_a_leased_row(engine: AsyncEngine) -> None:
    person = await add_person(engine, 1, URL)
    for n in range(5):
        await add_message(engine, person, f"k{n}")
    store = OutboxStore(engine)
    first = await store.claim(START, 3, "owner-a", 60)
    second = await store.claim(START, 3, "owner-b", 60)
    third = await store.claim(START, 3, "owner-c", 60)
    assert (len(first), len(second), third) == (3, 2, [])
    assert not {c.id for c in first} & {c.id for c in second}


async def test_concurrent_claims_are_disjoint(engine: AsyncEngine) -> None:
    person = await add_person(engine, 1, URL)
    for n in range(40):
        await add_message(engine, person, f"k{n}")
    store = OutboxStore(engine)
    batches = await asyncio.gather(*(store.claim(START, 7, f"owner-{n}", 60) for n in range(8)))
    ids = [c.id for batch in batches for c in batch]
    assert len(ids) == len(set(ids)) == 40


async def test_claim_joins_the_conversation_reference_and_channel(engine: AsyncEngine) -> None:
    with_ref = await add_person(engine, 1, URL)
    without_ref = await add_person(engine, 2, None, channel_id="slack")
    await add_message(engine, with_ref, "a", payload={"text": "hi"})
    await add_message(engine, without_ref, "b")
    first, second = await OutboxStore(engine).claim(START, 10, "owner-a", 60)
    assert first.payload == {"text": "hi"} and first.channel_id == "msteams"
    assert first.ref is not None
    assert (first.ref.service_url, first.ref.bot_id, first.ref.tenant_id) == (URL, BOT_ID, TENANT)
    assert (second.ref, second.channel_id) == (None, "slack")


async def test_an_expired_lease_is_claimed_again(engine: AsyncEngine) -> None:
    person = await add_person(engine, 1, URL)
    row_id = await add_message(engine, person, "k")
    store = OutboxStore(engine)
    await store.claim(START, 10, "owner-a", 60)
    assert await store.claim(START + timedelta(seconds=60), 10, "owner-b", 60) == []
    [again] = await store.claim(START + timedelta(seconds=61), 10, "owner-b", 60)
    assert (again.id, again.attempts) == (row_id, 2)


async def test_a_stale_owner_cannot_overwrite_the_new_owner(engine: AsyncEngine) -> None:
    person = await add_person(engine, 1, URL)
    row_id = await add_message(engine, person, "k")
    store = OutboxStore(engine)
    await store.claim(START, 10, "owner-a", 60)
    await store.claim(START + timedelta(seconds=61), 10, "owner-b", 60)
    assert not await store.mark_sent(row_id, "owner-a", LATER, "act-a")
    assert not await store.mark_dead(row_id, "owner-a", "http 400")
    assert not await store.reschedule(row_id, "owner-a", LATER, "http 503")
    assert not await store.mark_unreachable(row_id, "owner-a", LATER, "http 404")
    assert (await participant_row(engine, person)).unreachable_at is None
    assert await store.mark_sent(row_id, "owner-b", LATER, "act-b")
    row = await outbox_row(engine, row_id)
    assert (row.status, row.activity_id, row.sent_at, row.lease_owner) == ("sent", "act-b", LATER, "")
    assert not await store.mark_sent(row_id, "owner-b", LATER, "again")  # finished rows stay finished


async def test_reschedule_and_release(engine: AsyncEngine) -> None:
    person = await add_person(engine, 1, URL)
    row_id = await add_message(engine, person, "k")
    store = OutboxStore(engine)
    await store.claim(START, 10, "owner-a", 60)
    assert await store.reschedule(row_id, "owner-a", LATER, "http 503")
    row = await outbox_row(engine, row_id)
    assert (row.status, row.due_at, row.last_error, row.attempts) == ("pending", LATER, "http 503", 1)
    await store.claim(LATER, 10, "owner-a", 60)
    assert await store.release(row_id, "owner-a", LATER + timedelta(seconds=30))
    row = await outbox_row(engine, row_id)
    assert (row.status, row.attempts, row.due_at) == ("pending", 1, LATER + timedelta(seconds=30))


async def test_unreachable_flags_the_participant(engine: AsyncEngine) -> None:
    person = await add_person(engine, 1, URL)
    row_id = await add_message(engine, person, "k")
    store = OutboxStore(engine)
    await store.claim(START, 10, "owner-a", 60)
    assert await store.mark_unreachable(row_id, "owner-a", LATER, "http 404")
    assert (await outbox_row(engine, row_id)).status == "unreachable"
    assert (await participant_row(engine, person)).unreachable_at == LATER


async def test_errors_are_truncated_to_the_column(engine: AsyncEngine) -> None:
    person = await add_person(engine, 1, URL)
    row_id = await add_message(engine, person, "k")
    store = OutboxStore(engine)
    await store.claim(START, 10, "owner-a", 60)
    assert await store.mark_dead(row_id, "owner-a", "x" * 500)
    assert len((await outbox_row(engine, row_id)).last_error) == 200


async def test_summary_and_cancel(engine: AsyncEngine) -> None:
    person = await add_person(engine, 1, URL)
    for key in ("a", "b", "c"):
        await add_message(engine, person, key)
    store = OutboxStore(engine)
    [claimed] = await store.claim(START, 1, "owner-a", 60)
    assert claimed.idempotency_key == "a"
    assert await store.cancel(["a", "b", "missing"]) == 1  # "a" is being sent: left alone
    assert await store.cancel([]) == 0
    assert await store.summary() == {"sending": 1, "cancelled": 1, "pending": 1}
    soon = START + timedelta(seconds=30)  # "a" is still leased
    assert [c.idempotency_key for c in await store.claim(soon, 10, "owner-a", 60)] == ["c"]


async def test_many_outcomes_are_recorded_together_and_only_while_leased(engine: AsyncEngine) -> None:
    person, other = await add_person(engine, 1, URL), await add_person(engine, 2, URL)
    ids = [await add_message(engine, person if n < 7 else other, f"k{n}") for n in range(9)]
    store = OutboxStore(engine)
    await store.claim(START, 8, "owner-a", 60)  # k8 stays pending: not leased to owner-a
    retry_at = [LATER, LATER + timedelta(seconds=7)]
    finishes = [
        *(Finish(ids[n], OutboxStatus.SENT, activity_id=f"act-{n}") for n in range(3)),
        Finish(ids[3], OutboxStatus.PENDING, "http 503", due_at=retry_at[0]),
        Finish(ids[4], OutboxStatus.PENDING, "timeout", due_at=retry_at[1]),
        Finish(ids[5], OutboxStatus.DEAD, "http 400"),
        Finish(ids[6], OutboxStatus.DEAD, "render: TypeError"),
        Finish(ids[7], OutboxStatus.UNREACHABLE, "http 404"),
        Finish(ids[8], OutboxStatus.SENT, activity_id="never"),
    ]
    assert await store.finish("owner-a", LATER, finishes) == set(ids[:8])
    rows = [await outbox_row(engine, row_id) for row_id in ids]
    assert [(r.status, r.activity_id, r.sent_at) for r in rows[:3]] == [("sent", f"act-{n}", LATER) for n in range(3)]
    assert [(r.status, r.due_at, r.last_error) for r in rows[3:5]] == [
        ("pending", retry_at[0], "http 503"),
        ("pending", retry_at[1], "timeout"),
    ]
    assert [(r.status, r.last_error) for r in rows[5:7]] == [("dead", "http 400"), ("dead", "render: TypeError")]
    assert (rows[7].status, rows[8].status) == ("unreachable", "pending")
    assert {r.lease_owner for r in rows} == {""}
    assert (await participant_row(engine, other)).unreachable_at == LATER
    assert (await participant_row(engine, person)).unreachable_at is None


async def test_first_due_at_is_set_by_the_first_claim_and_kept_through_retries(engine: AsyncEngine) -> None:
    row_id = await add_message(engine, await add_person(engine, 1, URL), "k", START - timedelta(minutes=3))
    store = OutboxStore(engine)
    [first] = await store.claim(START, 10, "owner-a", 60)
    assert first.first_due_at == START - timedelta(minutes=3)
    await store.reschedule(row_id, "owner-a", LATER, "http 503")
    [again] = await store.claim(LATER, 10, "owner-a", 60)
    assert (again.due_at, again.first_due_at, again.attempts) == (LATER, START - timedelta(minutes=3), 2)


async def test_a_restarted_worker_takes_back_only_its_own_rows(engine: AsyncEngine) -> None:
    person = await add_person(engine, 1, URL)
    mine = [await add_message(engine, person, f"mine{n}") for n in range(3)]
    theirs = await add_message(engine, person, "theirs")
    store = OutboxStore(engine)
    await store.claim(START, 3, "worker-1", 300)
    await store.claim(START, 3, "worker-2", 300)
    assert await store.reclaim_own("worker-1") == 3
    again = await store.claim(START + timedelta(seconds=1), 10, "worker-1", 300)  # at once: no lease to wait out
    assert sorted(c.id for c in again) == mine
    assert [c.attempts for c in again] == [2, 2, 2]  # the interrupted attempt may have gone out: it counts
    assert (await outbox_row(engine, theirs)).lease_owner == "worker-2"


async def test_leases_are_extended_and_rows_released_in_one_update(engine: AsyncEngine) -> None:
    person = await add_person(engine, 1, URL)
    ids = [await add_message(engine, person, f"k{n}") for n in range(3)]
    store = OutboxStore(engine)
    await store.claim(START, 3, "owner-a", 60)
    far = START + timedelta(hours=1)
    assert await store.extend_leases(ids, "owner-a", far) == set(ids)
    assert await store.extend_leases(ids, "owner-b", far + timedelta(hours=1)) == set()
    assert {(await outbox_row(engine, row_id)).lease_until for row_id in ids} == {far}
    assert await store.release_many(ids[:2], "owner-a", LATER) == set(ids[:2])
    released = await outbox_row(engine, ids[0])
    assert (released.status, released.attempts, released.due_at, released.lease_owner) == ("pending", 0, LATER, "")


async def test_next_due_is_the_earliest_due_time_or_lease_expiry(engine: AsyncEngine) -> None:
    store = OutboxStore(engine)
    assert await store.next_due() is None
    person = await add_person(engine, 1, URL)
    await add_message(engine, person, "soon", START)
    await add_message(engine, person, "later", LATER)
    assert await store.next_due() == START
    await store.claim(START, 1, "owner-a", 60)  # "soon" is now leased until START + 60 s
    assert await store.next_due() == START + timedelta(seconds=60)
