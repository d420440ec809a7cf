"""Contract tests for SqlMeetingsRepo and OutboxRepo.cancel_pending (SQLite, and PostgreSQL
when TEST_DATABASE_URL is set). Reads happen in a new transaction, so they prove persistence."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from domain.core.model import NewOutboxMessage, OutboxStatus
from domain.meetings.model import Answer, Meeting, MeetingFormat, MeetingStatus, Outcome
from storage.store import SqlStore
from tests.storage.pairs import partnership_of_two

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
START = datetime(2027, 3, 2, 14, 0, tzinfo=UTC)
CONFIRMED, PROPOSED, CANCELLED = MeetingStatus.CONFIRMED, MeetingStatus.PROPOSED, MeetingStatus.CANCELLED


async def _partnership(store: SqlStore, code: str = "MEET") -> tuple[int, int, int]:
    return await partnership_of_two(store, code)


def _draft(
    partnership_id: int,
    status: MeetingStatus = CONFIRMED,
    start: datetime | None = START,
    minutes: int = 60,
    **fields: object,
) -> Meeting:
    return Meeting(
        id=0,
        partnership_id=partnership_id,
        proposed_by=None,
        status=status,
        options=[start or START],
        start_at=start if status is CONFIRMED else None,
        duration_minutes=minutes,
        format=MeetingFormat.TEAMS,
        uid=f"uid-{start}",
        **fields,
    )


async def _create(store: SqlStore, *drafts: Meeting) -> list[Meeting]:
    async with store.transaction() as uow:
        return [await uow.meetings.create(d, NOW) for d in drafts]


async def test_create_and_get_round_trip_every_field(store: SqlStore) -> None:
    pid, a, _ = await _partnership(store)
    options = [START, START + timedelta(days=1, minutes=30)]
    draft = Meeting(
        id=0,
        partnership_id=pid,
        proposed_by=a,
        status=PROPOSED,
        options=options,
        start_at=None,
        duration_minutes=45,
        format=MeetingFormat.IN_PERSON,
        place="Ward 7",
        agenda="Insight visit",
        rhythm_weeks=4,
        uid="abc123",
        sequence=2,
    )
    (created,) = await _create(store, draft)
    assert created.id > 0
    async with store.transaction() as uow:
        found = await uow.meetings.get(created.id)
        assert await uow.meetings.get(created.id + 100) is None
    assert found == replace(draft, id=created.id, created_at=NOW, updated_at=NOW) == created
    assert all(o.tzinfo is not None for o in found.options)


async def test_update_writes_the_changeable_fields(store: SqlStore) -> None:
    pid, _a, _ = await _partnership(store)
    (created,) = await _create(store, _draft(pid, PROPOSED))
    later = NOW + timedelta(hours=2)
    changed = replace(
        created,
        status=CONFIRMED,
        options=[START, START + timedelta(hours=3)],
        start_at=START,
        duration_minutes=90,
        format=MeetingFormat.PHONE,
        place="x",
        agenda="y",
        rhythm_weeks=2,
        uid="new",
        sequence=3,
        outcome=Outcome.MOVED,
        logged_only=True,
        updated_at=later,
    )
    async with store.transaction() as uow:
        await uow.meetings.update(changed)
    async with store.transaction() as uow:
        assert await uow.meetings.get(created.id) == replace(changed, created_at=NOW)
        with pytest.raises(LookupError):
            await uow.meetings.update(replace(changed, id=created.id + 100))


async def test_naive_times_are_refused(store: SqlStore) -> None:
    pid, _, _ = await _partnership(store)
    with pytest.raises(ValueError, match="naive"):
        await _create(store, replace(_draft(pid, PROPOSED), options=[datetime(2027, 3, 2, 14)]))


async def test_for_partnership_is_newest_first_and_upcoming_is_booked_and_ahead(store: SqlStore) -> None:
    pid, _, _ = await _partnership(store)
    other, _, _ = await _partnership(store, "OTHER")
    soon, later, past = START, START + timedelta(days=3), NOW - timedelta(days=1)
    made = await _create(
        store,
        _draft(pid, start=later),
        _draft(pid, start=soon),
        _draft(pid, start=past),
        _draft(pid, PROPOSED, start=soon + timedelta(hours=5)),
        _draft(pid, CANCELLED, start=soon),
        _draft(other, start=soon),
    )
    async with store.transaction() as uow:
        assert [m.id for m in await uow.meetings.for_partnership(pid)] == [m.id for m in reversed(made[:5])]
        assert [m.id for m in await uow.meetings.upcoming(pid, NOW)] == [made[1].id, made[0].id]
        assert [m.id for m in await uow.meetings.upcoming(pid, soon)] == [made[1].id, made[0].id]  # start == now
        assert await uow.meetings.upcoming(pid + 100, NOW) == []


async def test_ended_between_finds_booked_meetings_whose_end_is_in_the_window(store: SqlStore) -> None:
    pid, _, _ = await _partnership(store)
    other, _, _ = await _partnership(store, "OTHER")
    since, until = START, START + timedelta(hours=6)
    made = await _create(
        store,
        _draft(pid, start=since - timedelta(hours=1)),  # ends exactly at since: out
        _draft(pid, start=since - timedelta(hours=3), minutes=240),  # long, ends inside: in
        _draft(other, start=since + timedelta(hours=1)),  # other pair: in
        _draft(pid, start=until - timedelta(minutes=60)),  # ends exactly at until: in
        _draft(pid, start=until - timedelta(minutes=30)),  # ends after until: out
        _draft(pid, CANCELLED, start=since + timedelta(hours=1)),
        _draft(pid, PROPOSED, start=since + timedelta(hours=1)),
    )
    async with store.transaction() as uow:
        assert [m.id for m in await uow.meetings.ended_between(since, until)] == [made[1].id, made[2].id, made[3].id]


async def test_answers_are_per_person_replaced_on_change_and_loaded_with_the_meeting(store: SqlStore) -> None:
    pid, a, b = await _partnership(store)
    first, second = await _create(store, _draft(pid), _draft(pid, start=START + timedelta(days=7)))
    async with store.transaction() as uow:
        await uow.meetings.save_answer(first.id, a, Answer.NOT_MET, NOW)
        await uow.meetings.save_answer(first.id, b, Answer.MET, NOW)
    async with store.transaction() as uow:
        await uow.meetings.save_answer(first.id, a, Answer.MOVED, NOW + timedelta(hours=1))
    async with store.transaction() as uow:
        assert await uow.meetings.answers(first.id) == {a: Answer.MOVED, b: Answer.MET}
        assert await uow.meetings.answers(second.id) == {}
        assert (await uow.meetings.get(first.id)).answers == {a: Answer.MOVED, b: Answer.MET}
        assert [m.answers for m in await uow.meetings.for_partnership(pid)] == [{}, {a: Answer.MOVED, b: Answer.MET}]


async def test_reflections_belong_to_their_author_only(store: SqlStore) -> None:
    pid, a, b = await _partnership(store)
    (meeting,) = await _create(store, _draft(pid))
    async with store.transaction() as uow:
        first = await uow.meetings.add_reflection(a, meeting.id, "first", NOW)
        await uow.meetings.add_reflection(b, meeting.id, "partner's", NOW)
        second = await uow.meetings.add_reflection(a, None, "second", NOW + timedelta(hours=1))
    async with store.transaction() as uow:
        mine = await uow.meetings.reflections(a)
        assert mine == [second, first]
        assert (first.meeting_id, first.text, first.created_at, second.meeting_id) == (meeting.id, "first", NOW, None)
        assert [r.text for r in await uow.meetings.reflections(b)] == ["partner's"]


async def test_cancel_pending_cancels_only_pending_rows_with_the_exact_prefix(store: SqlStore) -> None:
    _, a, b = await _partnership(store)
    keys = [
        "reminder:1:1:0-60",
        "reminder:1:2:0-1440",
        "did_you_meet:1:1:0",
        "reminder:12:1:0-60",
        "didXyouXmeet:1:1:0",
        "Reminder:1:1:0-60",
        "did_you_meet:1:2:0",
    ]
    async with store.transaction() as uow:
        await uow.outbox.enqueue([NewOutboxMessage(k, "meeting_reminder", a, {"text": k}, START) for k in keys], NOW)
        await uow.outbox.enqueue([NewOutboxMessage("reminder:1:9:sent", "meeting_reminder", b, {}, START)], NOW)
    async with store.transaction() as uow:
        # A row already sent stays sent.
        await uow.session.execute(text("UPDATE outbox SET status = 'sent' WHERE idempotency_key = 'reminder:1:9:sent'"))
    async with store.transaction() as uow:
        assert await uow.outbox.cancel_pending("reminder:1:") == 2
        assert await uow.outbox.cancel_pending("did_you_meet:1:") == 2
        assert await uow.outbox.cancel_pending("reminder:1:") == 0
        with pytest.raises(ValueError):
            await uow.outbox.cancel_pending("")
    async with store.transaction() as uow:
        status = {m.idempotency_key: m.status for p in (a, b) for m in await uow.outbox.list_for(p)}
    assert {k for k, s in status.items() if s is OutboxStatus.CANCELLED} == {
        "reminder:1:1:0-60",
        "reminder:1:2:0-1440",
        "did_you_meet:1:1:0",
        "did_you_meet:1:2:0",
    }
    assert status["reminder:1:9:sent"] is OutboxStatus.SENT
    # "_" is no wildcard, ids are not prefixes of longer ids, and case matters.
    for untouched in ("didXyouXmeet:1:1:0", "reminder:12:1:0-60", "Reminder:1:1:0-60"):
        assert status[untouched] is OutboxStatus.PENDING


async def test_ended_meetings_to_follow_have_a_rhythm_and_nothing_open_or_booked_later_in_the_pair(
    store: SqlStore,
) -> None:
    since, until = START, START + timedelta(hours=6)
    ids = [(await _partnership(store, code))[0] for code in ("FOLLOW", "NORHYTHM", "LOGGED", "OPEN", "LATER")]
    at = since + timedelta(hours=1)
    made = await _create(
        store,
        _draft(ids[0], start=at, rhythm_weeks=4),  # to follow
        _draft(ids[1], start=at),  # no rhythm
        _draft(ids[2], start=at, rhythm_weeks=4, logged_only=True),  # logged afterwards
        _draft(ids[3], start=at, rhythm_weeks=4),
        _draft(ids[3], PROPOSED, start=at + timedelta(days=20)),  # a proposal open in the pair
        _draft(ids[4], start=at, rhythm_weeks=4),
        _draft(ids[4], start=at + timedelta(days=28), rhythm_weeks=4),  # booked later in the pair
    )
    async with store.transaction() as uow:
        assert len(await uow.meetings.ended_between(since, until)) == 5
        assert [m.id for m in await uow.meetings.ended_between(since, until, to_follow=True)] == [made[0].id]
