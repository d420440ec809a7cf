"""Contract tests for the SQL repositories and unit of work (SQLite, and PostgreSQL when
TEST_DATABASE_URL is set). Reads happen in a new transaction, so they prove persistence."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.core.model import (
    ConversationRef,
    Group,
    NewOutboxMessage,
    OutboxStatus,
    PartnershipStatus,
    ProfileAnswer,
    Role,
    outbox_key,
)
from storage.store import SqlStore
from storage.tables import PartnershipRow

NOW = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=10)
QUESTIONS = ["What do you hope to learn?", "What can you offer?", "Anything else?"]


@pytest.fixture
def store(engine: AsyncEngine) -> SqlStore:
    return SqlStore(engine)


async def _cohort_id(store: SqlStore, code: str = "PLP-2025") -> int:
    async with store.transaction() as uow:
        cohort = await uow.cohorts.create("Spring 2025", code, date(2025, 4, 1), 12, QUESTIONS, NOW)
    return cohort.id


async def _participant_id(store: SqlStore, user_id: str = "29:ada") -> int:
    async with store.transaction() as uow:
        return (await uow.participants.upsert_identity("msteams", user_id, "Ada", "aad-1", NOW)).id


def _answers(*texts: str) -> list[ProfileAnswer]:
    return [ProfileAnswer(question=f"Q{i}", answer=text) for i, text in enumerate(texts)]


async def test_cohort_create_get_list_and_join_code_ignores_case(store: SqlStore) -> None:
    first = await _cohort_id(store, "plp-2025")
    second = await _cohort_id(store, "AUTUMN")
    async with store.transaction() as uow:
        cohort = await uow.cohorts.get(first)
        assert cohort is not None
        assert (cohort.name, cohort.join_code, cohort.start_date) == ("Spring 2025", "PLP-2025", date(2025, 4, 1))
        assert (cohort.length_months, cohort.profile_questions, cohort.created_at) == (12, QUESTIONS, NOW)
        found = await uow.cohorts.by_join_code(" Plp-2025 ")
        assert found is not None and found.id == first
        assert await uow.cohorts.by_join_code("PLP-2024") is None
        assert await uow.cohorts.get(second + 100) is None
        assert [c.id for c in await uow.cohorts.list_all()] == [first, second]


async def test_upsert_identity_creates_then_refreshes_only_non_empty_values(store: SqlStore) -> None:
    async with store.transaction() as uow:
        created = await uow.participants.upsert_identity("msteams", "29:ada", "Ada", "aad-1", NOW)
    assert (created.name, created.aad_object_id, created.role, created.group) == ("Ada", "aad-1", Role.PARTNER, None)
    async with store.transaction() as uow:
        kept = await uow.participants.upsert_identity("msteams", "29:ada", "", "", LATER)
        renamed = await uow.participants.upsert_identity("msteams", "29:ada", "Ada L.", "aad-2", LATER)
    assert (kept.id, kept.name, kept.aad_object_id) == (created.id, "Ada", "aad-1")
    assert (renamed.id, renamed.name, renamed.aad_object_id) == (created.id, "Ada L.", "aad-2")
    async with store.transaction() as uow:
        found = await uow.participants.find_by_user("msteams", "29:ada")
        assert found is not None and found.name == "Ada L."
        assert await uow.participants.find_by_user("slack", "29:ada") is None
        assert await uow.participants.get(created.id + 100) is None
        assert len(await uow.participants.list_all()) == 1


async def test_concurrent_first_turns_create_one_participant(store: SqlStore) -> None:
    async def first_turn() -> int:
        async with store.transaction() as uow:
            return (await uow.participants.upsert_identity("msteams", "29:bo", "Bo", "", NOW)).id

    ids = await asyncio.gather(*(first_turn() for _ in range(4)))
    assert len(set(ids)) == 1
    async with store.transaction() as uow:
        assert [p.id for p in await uow.participants.list_all()] == [ids[0]]


async def test_email_role_and_unreachable_are_stored(store: SqlStore) -> None:
    pid = await _participant_id(store)
    async with store.transaction() as uow:
        await uow.participants.set_email(pid, "ada@nhs.net")
        await uow.participants.set_role(pid, Role.FACILITATOR)
        await uow.participants.mark_unreachable(pid, LATER)
    async with store.transaction() as uow:
        person = await uow.participants.get(pid)
    assert person is not None
    assert (person.email, person.role, person.unreachable_at) == ("ada@nhs.net", Role.FACILITATOR, LATER)


async def test_changing_a_missing_participant_raises(store: SqlStore) -> None:
    with pytest.raises(LookupError):
        async with store.transaction() as uow:
            await uow.participants.set_email(999, "x@nhs.net")


async def test_consent_decline_stores_only_the_decline(store: SqlStore) -> None:
    pid = await _participant_id(store)
    async with store.transaction() as uow:
        await uow.participants.record_consent(pid, accepted=False, now=NOW)
    async with store.transaction() as uow:
        person = await uow.participants.get(pid)
        assert await uow.participants.profile(pid) == []
    assert person is not None
    assert (person.consent_declined_at, person.consent_at) == (NOW, None)
    assert (person.group, person.cohort_id, person.enrolled_at, person.is_enrolled) == (None, None, None, False)


async def test_consent_accept_and_decline_replace_each_other(store: SqlStore) -> None:
    pid = await _participant_id(store)
    async with store.transaction() as uow:
        await uow.participants.record_consent(pid, accepted=True, now=NOW)
    async with store.transaction() as uow:
        accepted = await uow.participants.get(pid)
        await uow.participants.record_consent(pid, accepted=False, now=LATER)
    async with store.transaction() as uow:
        declined = await uow.participants.get(pid)
    assert accepted is not None and (accepted.consent_at, accepted.consent_declined_at) == (NOW, None)
    assert declined is not None and (declined.consent_at, declined.consent_declined_at) == (None, LATER)


async def test_enrolment_edit_keeps_first_enrolled_at_and_replaces_answers(store: SqlStore) -> None:
    cohort_id, pid = await _cohort_id(store), await _participant_id(store)
    async with store.transaction() as uow:
        await uow.participants.save_enrolment(
            pid, cohort_id, Group.BME_COLLEAGUE, _answers("a", "b", "c"), "monthly", "video", "Europe/London", NOW
        )
    async with store.transaction() as uow:
        first = await uow.participants.get(pid)
        assert await uow.participants.profile(pid) == _answers("a", "b", "c")
        await uow.participants.save_enrolment(
            pid, cohort_id, Group.BOTH, _answers("x", "y"), "fortnightly", "in person", "Europe/Dublin", LATER
        )
    async with store.transaction() as uow:
        edited = await uow.participants.get(pid)
        assert await uow.participants.profile(pid) == _answers("x", "y")
    assert first is not None and (first.group, first.enrolled_at, first.is_enrolled) == (Group.BME_COLLEAGUE, NOW, True)
    assert edited is not None
    assert (edited.group, edited.meeting_rhythm, edited.meeting_format) == (Group.BOTH, "fortnightly", "in person")
    assert (edited.time_zone, edited.cohort_id, edited.enrolled_at) == ("Europe/Dublin", cohort_id, NOW)


async def test_list_in_cohort_returns_only_its_enrolled_participants(store: SqlStore) -> None:
    spring, autumn = await _cohort_id(store, "SPRING"), await _cohort_id(store, "AUTUMN")
    ada, bo, cy = [await _participant_id(store, user) for user in ("29:ada", "29:bo", "29:cy")]
    async with store.transaction() as uow:
        for pid, cohort_id in ((ada, spring), (bo, autumn), (cy, spring)):
            await uow.participants.save_enrolment(
                pid, cohort_id, Group.SENIOR_LEADER, [], "monthly", "video", "Europe/London", NOW
            )
    async with store.transaction() as uow:
        assert [p.id for p in await uow.participants.list_in_cohort(spring)] == [ada, cy]
        assert [p.id for p in await uow.participants.list_in_cohort(autumn)] == [bo]


async def test_partnership_create_get_list_and_current_for(store: SqlStore) -> None:
    cohort_id = await _cohort_id(store)
    ada, bo = await _participant_id(store, "29:ada"), await _participant_id(store, "29:bo")
    async with store.transaction() as uow:
        created = await uow.partnerships.create(cohort_id, ada, bo, date(2025, 4, 7), NOW)
    async with store.transaction() as uow:
        got = await uow.partnerships.get(created.id)
        for_ada, for_bo = await uow.partnerships.current_for(ada), await uow.partnerships.current_for(bo)
        listed = await uow.partnerships.list_for_cohort(cohort_id)
        assert await uow.partnerships.get(created.id + 100) is None
    assert got == created and got.status is PartnershipStatus.ACTIVE and got.started_on == date(2025, 4, 7)
    assert for_ada == for_bo == created and created.other(ada) == bo
    assert listed == [created]


async def test_current_for_includes_paused_and_ignores_ended(store: SqlStore) -> None:
    cohort_id = await _cohort_id(store)
    ada, bo, cy = [await _participant_id(store, user) for user in ("29:ada", "29:bo", "29:cy")]
    async with store.transaction() as uow:
        old = await uow.partnerships.create(cohort_id, ada, bo, date(2025, 4, 7), NOW)
        paused = await uow.partnerships.create(cohort_id, cy, bo, date(2025, 4, 7), NOW)
        await uow.session.execute(
            update(PartnershipRow).where(PartnershipRow.id == paused.id).values(status=PartnershipStatus.PAUSED.value)
        )
    async with store.transaction() as uow:
        await uow.partnerships.end(old.id, "left the trust", LATER)
    async with store.transaction() as uow:
        ended = await uow.partnerships.get(old.id)
        assert await uow.partnerships.current_for(ada) is None
        current = await uow.partnerships.current_for(bo)
        assert len(await uow.partnerships.list_for_cohort(cohort_id)) == 2
    assert ended is not None
    assert (ended.status, ended.ended_at, ended.end_reason) == (PartnershipStatus.ENDED, LATER, "left the trust")
    assert current is not None and (current.id, current.status) == (paused.id, PartnershipStatus.PAUSED)


async def test_ending_a_missing_partnership_raises(store: SqlStore) -> None:
    with pytest.raises(LookupError):
        async with store.transaction() as uow:
            await uow.partnerships.end(999, "gone", NOW)


async def test_conversation_upsert_inserts_then_updates(store: SqlStore) -> None:
    pid = await _participant_id(store)
    ref = ConversationRef(
        pid, "msteams", "https://smba.example/uk/", "a:1", "29:ada", "28:bot", "Companion", "tenant-1"
    )
    moved = ConversationRef(pid, "msteams", "https://smba.example/emea/", "a:2", "29:ada", "28:bot")
    async with store.transaction() as uow:
        assert await uow.conversations.get(pid) is None
        await uow.conversations.upsert(ref, NOW)
        assert await uow.conversations.get(pid) == ref
    async with store.transaction() as uow:
        await uow.conversations.upsert(moved, LATER)
        assert await uow.conversations.get(pid) == moved
    async with store.transaction() as uow:
        assert await uow.conversations.get(pid) == moved


def _message(pid: int, occurrence: int, due: datetime = LATER) -> NewOutboxMessage:
    return NewOutboxMessage(
        outbox_key("nudge", "meeting", pid, occurrence), "nudge", pid, {"text": f"nudge {occurrence}"}, due
    )


async def test_enqueue_is_idempotent_per_key(store: SqlStore) -> None:
    pid = await _participant_id(store)
    async with store.transaction() as uow:
        assert await uow.outbox.enqueue([_message(pid, 1)], NOW) == 1
    async with store.transaction() as uow:
        assert await uow.outbox.enqueue([_message(pid, 1, due=LATER + timedelta(days=1))], NOW) == 0
        assert await uow.outbox.enqueue([], NOW) == 0
    async with store.transaction() as uow:
        [stored] = await uow.outbox.list_for(pid)
    assert (stored.idempotency_key, stored.kind, stored.participant_id) == (f"nudge:meeting:{pid}:1", "nudge", pid)
    # A nudge is unprompted: it waits as planned until the daily budget pass promotes it.
    assert (stored.payload, stored.due_at, stored.status) == ({"text": "nudge 1"}, LATER, OutboxStatus.PLANNED)
    assert (stored.attempts, stored.last_error, stored.sent_at) == (0, "", None)


async def test_enqueue_counts_only_new_keys_and_lists_in_id_order(store: SqlStore) -> None:
    ada, bo = await _participant_id(store, "29:ada"), await _participant_id(store, "29:bo")
    async with store.transaction() as uow:
        await uow.outbox.enqueue([_message(ada, 2)], NOW)
    batch = [_message(ada, 1), _message(ada, 2), _message(bo, 1), _message(ada, 3), _message(ada, 1)]
    async with store.transaction() as uow:
        assert await uow.outbox.enqueue(batch, NOW) == 3
    async with store.transaction() as uow:
        keys = [m.idempotency_key for m in await uow.outbox.list_for(ada)]
        assert [m.participant_id for m in await uow.outbox.list_for(bo)] == [bo]
    assert keys == [outbox_key("nudge", "meeting", ada, n) for n in (2, 1, 3)]


async def test_enqueue_of_a_large_broadcast_counts_every_row(store: SqlStore) -> None:
    pid = await _participant_id(store)
    broadcast = [_message(pid, n) for n in range(2500)]
    async with store.transaction() as uow:
        assert await uow.outbox.enqueue(broadcast, NOW) == 2500
    async with store.transaction() as uow:
        assert await uow.outbox.enqueue([*broadcast, _message(pid, 2500)], NOW) == 1


async def test_transaction_rolls_back_everything_on_error(store: SqlStore) -> None:
    pid = await _participant_id(store)
    with pytest.raises(RuntimeError, match="boom"):
        async with store.transaction() as uow:
            await uow.participants.set_email(pid, "ada@nhs.net")
            await uow.outbox.enqueue([_message(pid, 1)], NOW)
            raise RuntimeError("boom")
    async with store.transaction() as uow:
        person = await uow.participants.get(pid)
        assert await uow.outbox.list_for(pid) == []
    assert person is not None and person.email == ""
