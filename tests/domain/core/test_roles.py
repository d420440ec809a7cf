"""Removing the facilitator role (and giving it back), on the real store: never the last one, a kind
note to the person, their FACILITATORS pin revoked, and every change in the audit trail."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.core.facilitators import FacilitatorDirectory
from domain.core.identity import Identity, recognise, register
from domain.core.model import Participant, Role
from domain.core.reply import Reply
from domain.core.roles import (
    LAST_FACILITATOR,
    NOT_A_FACILITATOR,
    Removed,
    RoleError,
    current_facilitators,
    facilitator_candidates,
    grant_facilitator,
    remove_facilitator,
)
from storage.store import SqlStore

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)
HOME = "00000000-0000-4000-8000-0000000000a1"
DIRECTORY = FacilitatorDirectory(frozenset({"aad-fran"}), (HOME,), user_ids=False)


@pytest.fixture
def store(engine: AsyncEngine) -> SqlStore:
    return SqlStore(engine)


async def _person(store: SqlStore, key: str) -> Participant:
    return await register(store, Identity("msteams", f"29:{key}", key.title(), f"aad-{key}", HOME), None, NOW)


async def _trail(store: SqlStore) -> list[tuple[int | None, str, int | None]]:
    async with store.reading() as uow:
        return [(e.actor_id, e.action, e.subject_id) for e in reversed(await uow.audit.recent(20))]


async def _kinds(store: SqlStore, person: Participant) -> list[str]:
    async with store.reading() as uow:
        return [m.kind for m in await uow.outbox.list_for(person.id)]


async def test_removing_someone_tells_them_kindly_and_is_audited(store: SqlStore) -> None:
    fran, sam = await _person(store, "fran"), await _person(store, "sam")
    await grant_facilitator(store, fran.id, NOW)
    await grant_facilitator(store, sam.id, NOW, fran.id)
    removed = await remove_facilitator(store, DIRECTORY, sam.id, fran.id, LATER)
    assert (removed.participant_id, removed.themselves, removed.configured, removed.queued) == (
        sam.id,
        False,
        False,
        True,
    )
    async with store.reading() as uow:
        stored = await uow.participants.get(sam.id)
        note = (await uow.outbox.list_for(sam.id))[-1]
        assert stored is not None and stored.role == Role.PARTNER
        assert await DIRECTORY.ids(uow) == [fran.id]
    assert (note.kind, Reply.from_dict(note.payload).title) == (
        "facilitator_removed",
        "Your facilitator role has ended",
    )
    assert await _trail(store) == [
        (None, "grant_facilitator", fran.id),
        (fran.id, "grant_facilitator", sam.id),
        (fran.id, "remove_facilitator", sam.id),
    ]


async def test_the_last_facilitator_is_never_removed(store: SqlStore) -> None:
    fran = await _person(store, "fran")
    assert await recognise(store, DIRECTORY, fran.id, NOW)  # named in FACILITATORS: pinned
    with pytest.raises(RoleError) as refused:
        await remove_facilitator(store, DIRECTORY, fran.id, fran.id, LATER)
    assert str(refused.value) == LAST_FACILITATOR
    assert await recognise(store, DIRECTORY, fran.id, LATER)
    assert await _trail(store) == [(None, "grant_facilitator", fran.id)]


async def test_someone_who_does_not_facilitate_cannot_be_removed(store: SqlStore) -> None:
    fran, sam, ola = await _person(store, "fran"), await _person(store, "sam"), await _person(store, "ola")
    for person in (fran, sam):
        await grant_facilitator(store, person.id, NOW)
    with pytest.raises(RoleError) as refused:
        await remove_facilitator(store, DIRECTORY, ola.id, fran.id, LATER)
    assert str(refused.value) == NOT_A_FACILITATOR
    assert [action for _, action, _ in await _trail(store)] == ["grant_facilitator", "grant_facilitator"]


async def test_removing_your_own_role_queues_no_note(store: SqlStore) -> None:
    fran, sam = await _person(store, "fran"), await _person(store, "sam")
    for person in (fran, sam):
        await grant_facilitator(store, person.id, NOW)
    removed = await remove_facilitator(store, DIRECTORY, sam.id, sam.id, LATER)
    assert (removed.themselves, removed.queued) == (True, False)
    assert await _kinds(store, sam) == ["facilitator_added"]
    assert (await _trail(store))[-1] == (sam.id, "remove_facilitator", sam.id)


async def test_removing_a_configured_facilitator_revokes_the_pin_and_a_grant_gives_the_role_back(
    store: SqlStore,
) -> None:
    fran, sam = await _person(store, "fran"), await _person(store, "sam")
    assert await recognise(store, DIRECTORY, fran.id, NOW)
    await grant_facilitator(store, sam.id, NOW, fran.id)
    removed = await remove_facilitator(store, DIRECTORY, fran.id, sam.id, LATER)
    assert removed.configured is True
    assert await recognise(store, DIRECTORY, fran.id, LATER) is False  # FACILITATORS still names her
    async with store.reading() as uow:
        (pin,) = await uow.facilitator_pins.pins({"aad-fran"})
    assert (pin.participant_id, pin.revoked_at) == (fran.id, LATER)

    assert [p.id for p in (await facilitator_candidates(store, "", DIRECTORY)).people] == [fran.id]
    await grant_facilitator(store, fran.id, LATER + timedelta(minutes=1), sam.id)
    assert await recognise(store, DIRECTORY, fran.id, LATER) is True
    assert await _kinds(store, fran) == ["facilitator_removed", "facilitator_added"]  # welcomed back


async def test_removing_a_configured_facilitator_whose_pin_was_not_written_yet_sticks(store: SqlStore) -> None:
    fran, sam = await _person(store, "fran"), await _person(store, "sam")  # registered: no pin written yet
    await grant_facilitator(store, sam.id, NOW)
    async with store.reading() as uow:
        assert await DIRECTORY.ids(uow) == [fran.id, sam.id]  # FACILITATORS names Fran all the same
    removed = await remove_facilitator(store, DIRECTORY, fran.id, sam.id, LATER)
    assert removed.configured is True
    async with store.reading() as uow:
        assert await DIRECTORY.ids(uow) == [sam.id]
    assert await recognise(store, DIRECTORY, fran.id, LATER) is False
    assert (await _trail(store))[-2:] == [(None, "grant_facilitator", fran.id), (sam.id, "remove_facilitator", fran.id)]


async def test_current_facilitators_lists_pinned_and_granted_people(store: SqlStore) -> None:
    fran, sam, ola = await _person(store, "fran"), await _person(store, "sam"), await _person(store, "ola")
    assert await recognise(store, DIRECTORY, fran.id, NOW)
    await grant_facilitator(store, sam.id, NOW, fran.id)
    found = await current_facilitators(store, "sam", DIRECTORY)
    assert ([p.id for p in found.people], found.named) == ([fran.id, sam.id], found.people[1])
    assert ola.id not in [p.id for p in (await current_facilitators(store, "", DIRECTORY)).people]
    assert [p.id for p in (await facilitator_candidates(store, "", DIRECTORY)).people] == [ola.id]


async def test_two_facilitators_removing_each_other_at_once_leave_one(engine: AsyncEngine, store: SqlStore) -> None:
    fran, sam = await _person(store, "fran"), await _person(store, "sam")
    for person in (fran, sam):
        await grant_facilitator(store, person.id, NOW)
    chat_only = FacilitatorDirectory(frozenset(), (HOME,), user_ids=False)  # no pin writes to queue them by chance
    both = [
        remove_facilitator(store, chat_only, sam.id, fran.id, LATER),
        remove_facilitator(store, chat_only, fran.id, sam.id, LATER),
    ]
    if engine.dialect.name == "postgresql":
        outcomes = await _both_held_at_their_writes(engine, both, [fran.id, sam.id])
    else:  # SQLite: one writer at a time (BEGIN IMMEDIATE), so they cannot overlap
        outcomes = await asyncio.gather(*both, return_exceptions=True)
    refusals = [o for o in outcomes if isinstance(o, RoleError)]
    assert len(refusals) == 1 and str(refusals[0]) == LAST_FACILITATOR, outcomes
    async with store.reading() as uow:
        assert len(await chat_only.ids(uow)) == 1


async def _both_held_at_their_writes(
    engine: AsyncEngine, removals: list[Coroutine[Any, Any, Removed]], people: list[int]
) -> list[Removed | BaseException]:
    """PostgreSQL: hold both people's rows locked until both removals wait on a lock (each at its write,
    or one at the role lock), then let them go; without the role lock both would have read two facilitators."""
    async with engine.connect() as blocker, engine.connect() as watcher:
        await blocker.execute(
            text("SELECT id FROM participants WHERE id IN (:a, :b) FOR UPDATE"), {"a": people[0], "b": people[1]}
        )
        running = asyncio.gather(*removals, return_exceptions=True)
        waiting = text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        for _ in range(1000):  # polls the server's view of who waits (no clock involved)
            count = (await watcher.execute(waiting)).scalar_one()
            await watcher.rollback()  # the activity view is a snapshot per transaction: take a fresh one
            if count >= 2:
                break
            await asyncio.sleep(0.01)
        else:
            raise AssertionError("the two removals never both waited")
        await blocker.rollback()
        return await running
