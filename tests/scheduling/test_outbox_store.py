"""OutboxStore on a real database (SQLite, and PostgreSQL when configured): claims and leases."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

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
