"""Contract tests for SqlHealthRepo and the health additions to the partnership, participant and
cohort repositories (SQLite, and PostgreSQL when TEST_DATABASE_URL is set). Reads happen in a new
transaction, so they prove persistence."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import column, insert, table
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.types import JSON, Date

from domain.core.model import CheckinRecord, NudgeRecord, PartnershipStatus
from domain.health.model import NUDGE, Health
from domain.health.rules import assess, next_step
from domain.meetings.model import Meeting, MeetingFormat, MeetingStatus, Outcome
from storage.base import UTCDateTime
from storage.store import SqlStore

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
HOUR, DAY, WEEK = timedelta(hours=1), timedelta(days=1), timedelta(weeks=1)


@pytest.fixture
def store(engine: AsyncEngine) -> SqlStore:
    return SqlStore(engine)


async def _partnership(store: SqlStore, code: str = "HEALTH") -> tuple[int, int, int]:
    async with store.transaction() as uow:
        cohort = await uow.cohorts.create("Spring", code, date(2027, 1, 4), 12, ["a", "b", "c"], NOW)
        a = await uow.participants.upsert_identity("msteams", f"29:a-{code}", "Ada", "", NOW)
        b = await uow.participants.upsert_identity("msteams", f"29:b-{code}", "Sam", "", NOW)
        partnership = await uow.partnerships.create(cohort.id, a.id, b.id, date(2027, 1, 4), NOW)
    return partnership.id, a.id, b.id


async def _meeting(
    store: SqlStore,
    partnership_id: int,
    created: datetime,
    status: MeetingStatus,
    start: datetime,
    outcome: Outcome = Outcome.UNKNOWN,
    logged_only: bool = False,
) -> None:
    async with store.transaction() as uow:
        await uow.meetings.create(
            Meeting(
                id=0,
                partnership_id=partnership_id,
                proposed_by=None,
                status=status,
                options=[start],
                start_at=start if status is MeetingStatus.CONFIRMED else None,
                duration_minutes=60,
                format=MeetingFormat.TEAMS,
                uid=f"uid-{start}",
                outcome=outcome,
                logged_only=logged_only,
            ),
            created,
        )


async def test_nudges_since_are_oldest_first_from_since_inclusive_for_that_pair_only(store: SqlStore) -> None:
    pid, a, b = await _partnership(store)
    other, c, _ = await _partnership(store, "OTHER")
    async with store.transaction() as uow:
        await uow.health.record_nudge(pid, None, 3, NOW + 2 * WEEK)
        await uow.health.record_nudge(pid, a, 1, NOW - DAY)
        await uow.health.record_nudge(pid, b, 1, NOW)
        await uow.health.record_nudge(pid, a, 2, NOW + WEEK)
        await uow.health.record_nudge(other, c, 1, NOW + WEEK)
    async with store.transaction() as uow:
        assert await uow.health.nudges_since(pid, NOW) == [
            NudgeRecord(1, b, NOW),
            NudgeRecord(2, a, NOW + WEEK),
            NudgeRecord(3, None, NOW + 2 * WEEK),
        ]
        assert await uow.health.nudges_since(pid, NOW + 2 * WEEK + HOUR) == []
        assert await uow.health.nudges_since(other, NOW - WEEK) == [NudgeRecord(1, c, NOW + WEEK)]


async def test_only_the_three_ladder_steps_can_be_recorded(store: SqlStore) -> None:
    pid, a, _ = await _partnership(store)
    for step in (0, 4):
        with pytest.raises(ValueError):
            async with store.transaction() as uow:
                await uow.health.record_nudge(pid, a, step, NOW)
    async with store.transaction() as uow:
        assert await uow.health.nudges_since(pid, NOW - WEEK) == []


async def test_checkins_are_kept_per_person_oldest_first(store: SqlStore) -> None:
    pid, a, b = await _partnership(store)
    other, c, _ = await _partnership(store, "OTHER")
    async with store.transaction() as uow:
        await uow.health.save_checkin(pid, b, "not_working", NOW + HOUR)
        await uow.health.save_checkin(pid, a, "fine", NOW)
        await uow.health.save_checkin(pid, b, "contact", NOW + DAY)
        await uow.health.save_checkin(other, c, "fine", NOW)
    async with store.transaction() as uow:
        assert await uow.health.checkins(pid) == [
            CheckinRecord(a, "fine", NOW),
            CheckinRecord(b, "not_working", NOW + HOUR),
            CheckinRecord(b, "contact", NOW + DAY),
        ]
        assert await uow.health.checkins(pid + 100) == []
        with pytest.raises(ValueError):
            await uow.health.save_checkin(pid, a, "fed up", NOW)


async def test_last_activity_is_the_latest_met_start_or_any_creation(store: SqlStore) -> None:
    pid, _, _ = await _partnership(store)
    other, _, _ = await _partnership(store, "OTHER")
    confirmed, cancelled = MeetingStatus.CONFIRMED, MeetingStatus.CANCELLED
    async with store.transaction() as uow:
        assert await uow.health.last_activity(pid) is None
    # A proposal counts from when it was made, even if it came to nothing.
    await _meeting(store, pid, NOW, cancelled, NOW + 3 * WEEK)
    async with store.transaction() as uow:
        assert await uow.health.last_activity(pid) == NOW
    # A booking ahead counts when it was made, not when it starts...
    await _meeting(store, pid, NOW + DAY, confirmed, NOW + 2 * WEEK)
    async with store.transaction() as uow:
        assert await uow.health.last_activity(pid) == NOW + DAY
    # ...but once the pair says they met, its start counts.
    await _meeting(store, pid, NOW + 2 * DAY, confirmed, NOW + WEEK, outcome=Outcome.MET)
    # A meeting logged afterwards counts from its start too (here: earlier than the other met one).
    await _meeting(store, pid, NOW + 2 * DAY, confirmed, NOW + 3 * DAY, logged_only=True)
    await _meeting(store, other, NOW + 9 * WEEK, confirmed, NOW + 10 * WEEK, outcome=Outcome.MET)
    async with store.transaction() as uow:
        found = await uow.health.last_activity(pid)
    assert found == NOW + WEEK and found.tzinfo is not None


async def test_only_pairs_idle_since_the_cutoff_with_nothing_booked_are_read(store: SqlStore) -> None:
    never, _, _ = await _partnership(store, "NEVER")  # no meetings at all
    long_ago, _, _ = await _partnership(store, "LONG")
    recent, _, _ = await _partnership(store, "RECENT")
    booked, _, _ = await _partnership(store, "BOOKED")
    confirmed = MeetingStatus.CONFIRMED
    await _meeting(store, long_ago, NOW - 6 * WEEK, confirmed, NOW - 5 * WEEK, outcome=Outcome.MET)
    await _meeting(store, recent, NOW - 6 * WEEK, confirmed, NOW - 2 * WEEK, outcome=Outcome.MET)
    await _meeting(store, booked, NOW - 6 * WEEK, confirmed, NOW + WEEK)  # booked long ago, ahead of now
    cutoff = NOW - 4 * WEEK
    async with store.transaction() as uow:
        idle = await uow.health.idle_since([never, long_ago, recent, booked], cutoff, NOW)
        full = await uow.health.activity([never, long_ago, recent, booked], NOW)
    assert set(idle) == {never, long_ago}
    assert idle[long_ago].last == full[long_ago].last == NOW - 5 * WEEK and not idle[long_ago].has_upcoming
    assert idle[never].last is None
    assert full[recent].last == NOW - 2 * WEEK and full[booked].has_upcoming  # the ones left out, and why


async def test_has_upcoming_means_a_confirmed_meeting_from_now_on(store: SqlStore) -> None:
    pid, _, _ = await _partnership(store)
    other, _, _ = await _partnership(store, "OTHER")
    start = NOW + WEEK
    await _meeting(store, pid, NOW, MeetingStatus.CONFIRMED, NOW - HOUR)
    await _meeting(store, pid, NOW, MeetingStatus.PROPOSED, start + DAY)
    await _meeting(store, pid, NOW, MeetingStatus.CANCELLED, start + DAY)
    await _meeting(store, other, NOW, MeetingStatus.CONFIRMED, start + 2 * DAY)
    async with store.transaction() as uow:
        assert not await uow.health.has_upcoming(pid, NOW)
    await _meeting(store, pid, NOW, MeetingStatus.CONFIRMED, start)
    async with store.transaction() as uow:
        assert await uow.health.has_upcoming(pid, NOW)
        assert await uow.health.has_upcoming(pid, start)  # starting right now still counts
        assert not await uow.health.has_upcoming(pid, start + timedelta(seconds=1))


async def test_a_meeting_after_the_nudges_starts_the_ladder_again(store: SqlStore) -> None:
    pid, a, b = await _partnership(store)
    quiet = datetime(2027, 2, 8, tzinfo=UTC)
    async with store.transaction() as uow:
        for person in (a, b):
            await uow.health.record_nudge(pid, person, 1, quiet)
    await _meeting(store, pid, quiet + DAY, MeetingStatus.CONFIRMED, quiet + DAY, logged_only=True)
    later = quiet + DAY + 5 * WEEK
    async with store.transaction() as uow:
        partnership = await uow.partnerships.get(pid)
        since = await uow.health.last_activity(pid)
        assert partnership is not None and since == quiet + DAY
        health = assess(partnership, since, await uow.health.has_upcoming(pid, later), later)
        assert health is Health.QUIET
        assert next_step(health, await uow.health.nudges_since(pid, since), later) == NUDGE


async def test_pause_and_resume(store: SqlStore) -> None:
    pid, a, _ = await _partnership(store)
    async with store.transaction() as uow:
        await uow.partnerships.pause(pid, date(2027, 5, 3), "leave")
    async with store.transaction() as uow:
        paused = await uow.partnerships.get(pid)
        assert paused is not None
        assert (paused.status, paused.paused_until, paused.pause_reason) == (
            PartnershipStatus.PAUSED,
            date(2027, 5, 3),
            "leave",
        )
        assert await uow.partnerships.list_active() == []
        current = await uow.partnerships.current_for(a)
        assert current is not None and current.id == pid
        await uow.partnerships.pause(pid, None, "clinical_pressure")
    async with store.transaction() as uow:
        again = await uow.partnerships.get(pid)
        assert again is not None and (again.paused_until, again.pause_reason) == (None, "clinical_pressure")
        await uow.partnerships.resume(pid, date(2027, 4, 20))
    async with store.transaction() as uow:
        resumed = await uow.partnerships.get(pid)
        assert resumed is not None
        assert (resumed.status, resumed.paused_until, resumed.pause_reason, resumed.resumed_on) == (
            PartnershipStatus.ACTIVE,
            None,
            "",
            date(2027, 4, 20),
        )
        assert [p.id for p in await uow.partnerships.list_active()] == [pid]


async def test_pause_refuses_long_reasons_missing_and_ended_partnerships(store: SqlStore) -> None:
    pid, _, _ = await _partnership(store)
    async with store.transaction() as uow:
        with pytest.raises(ValueError):
            await uow.partnerships.pause(pid, None, "x" * 33)
        with pytest.raises(LookupError):
            await uow.partnerships.pause(pid + 100, None, "leave")
        with pytest.raises(LookupError):
            await uow.partnerships.resume(pid + 100, date(2027, 4, 20))
        await uow.partnerships.end(pid, "left the trust", NOW)
        with pytest.raises(ValueError):
            await uow.partnerships.pause(pid, None, "leave")
        with pytest.raises(ValueError):
            await uow.partnerships.resume(pid, date(2027, 4, 20))
    async with store.transaction() as uow:
        ended = await uow.partnerships.get(pid)
        assert ended is not None and ended.status is PartnershipStatus.ENDED


async def test_unreachable_people_are_alerted_once_until_reachable_again(store: SqlStore) -> None:
    _, a, b = await _partnership(store)
    async with store.transaction() as uow:
        assert await uow.participants.unreachable_unalerted() == []
        await uow.participants.mark_unreachable(b, NOW)
        await uow.participants.mark_unreachable(a, NOW)
    async with store.transaction() as uow:
        assert [p.id for p in await uow.participants.unreachable_unalerted()] == [a, b]
        await uow.participants.mark_unreachable_alerted(a, NOW + HOUR)
    async with store.transaction() as uow:
        assert [p.id for p in await uow.participants.unreachable_unalerted()] == [b]
        alerted = await uow.participants.get(a)
        assert alerted is not None and alerted.unreachable_alerted_at == NOW + HOUR
        with pytest.raises(LookupError):
            await uow.participants.mark_unreachable_alerted(b + 100, NOW)
        await uow.participants.mark_reachable(a)
    async with store.transaction() as uow:
        back = await uow.participants.get(a)
        assert back is not None and (back.unreachable_at, back.unreachable_alerted_at) == (None, None)
        await uow.participants.mark_unreachable(a, NOW + WEEK)
    async with store.transaction() as uow:
        assert [p.id for p in await uow.participants.unreachable_unalerted()] == [a, b]


async def test_cohort_thresholds_default_to_four_and_eight_and_can_change(store: SqlStore) -> None:
    async with store.transaction() as uow:
        cohort = await uow.cohorts.create("Spring", "PLP", date(2027, 1, 4), 12, ["a", "b", "c"], NOW)
        assert (cohort.quiet_weeks, cohort.inactive_weeks) == (4, 8)
        await uow.cohorts.set_thresholds(cohort.id, 3, 6)
    async with store.transaction() as uow:
        changed = await uow.cohorts.get(cohort.id)
        assert changed is not None and (changed.quiet_weeks, changed.inactive_weeks) == (3, 6)
        for quiet, inactive in ((0, 4), (4, 4), (5, 4), (-1, 2)):
            with pytest.raises(ValueError):
                await uow.cohorts.set_thresholds(cohort.id, quiet, inactive)
        with pytest.raises(LookupError):
            await uow.cohorts.set_thresholds(cohort.id + 100, 3, 6)
    async with store.transaction() as uow:
        kept = await uow.cohorts.get(cohort.id)
        assert kept is not None and (kept.quiet_weeks, kept.inactive_weeks) == (3, 6)


async def test_rows_written_without_the_new_columns_get_the_database_defaults(
    store: SqlStore, engine: AsyncEngine
) -> None:
    """Rows that existed before migration 0004 (written here without the new columns) read as the defaults."""
    _, a, b = await _partnership(store)
    cohorts = table(
        "cohorts",
        column("id"),
        column("name"),
        column("join_code"),
        column("start_date", Date()),
        column("length_months"),
        column("profile_questions", JSON()),
        column("created_at", UTCDateTime()),
    )
    partnerships = table(
        "partnerships",
        column("id"),
        column("cohort_id"),
        column("partner_a_id"),
        column("partner_b_id"),
        column("status"),
        column("started_on", Date()),
        column("end_reason"),
        column("created_at", UTCDateTime()),
    )
    async with engine.begin() as conn:
        await conn.execute(
            insert(cohorts).values(
                id=900,
                name="Old",
                join_code="OLD",
                start_date=date(2026, 1, 5),
                length_months=12,
                profile_questions=[],
                created_at=NOW,
            )
        )
        await conn.execute(
            insert(partnerships).values(
                id=900,
                cohort_id=900,
                partner_a_id=a,
                partner_b_id=b,
                status="active",
                started_on=date(2026, 1, 5),
                end_reason="",
                created_at=NOW,
            )
        )
    async with store.transaction() as uow:
        old = await uow.cohorts.get(900)
        pair = await uow.partnerships.get(900)
    assert old is not None and (old.quiet_weeks, old.inactive_weeks) == (4, 8)
    assert pair is not None and (pair.paused_until, pair.pause_reason) == (None, "")
