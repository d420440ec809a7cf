"""A year of programme history for `bench_jobs.py`, inserted in bulk into a migrated database.

Deterministic for a given size: N active partnerships (plus 5 % paused and 5 % ended) in
twelve Monday cohorts launched 4 to 48 weeks before `NOW`, so every active pair starts a new
guide week at the tick. Each pair has its delivered guide prompts, a meeting about every four
weeks with both "did you meet?" answers, the outbox rows all that sent, aims at their stage,
a poll per cohort on its reminder day, a session per second cohort starting tomorrow, and one
pair in ten quiet (no meeting for five to nine weeks, some already nudged).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.guide.content import load_guide
from domain.polls.content import load_poll_templates
from storage.tables import (
    AimHopesRow,
    AimRatingRow,
    CohortRow,
    ConversationRefRow,
    GuideProgressRow,
    MeetingAnswerRow,
    MeetingRow,
    NudgeRow,
    OutboxRow,
    ParticipantRow,
    PartnershipRow,
    SharedAimsRow,
)
from storage.tables_polls import PollResponderRow, PollRow
from storage.tables_sessions import GroupSessionRow, SessionInviteRow

NOW = datetime(2027, 11, 8, 6, 0, tzinfo=UTC)  # a Monday, before London's working day
COHORT_WEEKS = (4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48)
ZONES = ("Europe/London",) * 18 + ("Asia/Kolkata", "America/New_York")
FACILITATORS = ("29:fac-1", "29:fac-2", "29:fac-3")
BATCH = 5000
SENT = {"text": "sent"}
GUIDE = load_guide()


def _cohort(k: int) -> int:
    return k % len(COHORT_WEEKS) + 1


def _start(k: int) -> date:
    return NOW.date() - timedelta(weeks=COHORT_WEEKS[_cohort(k) - 1])


def _status(k: int, active: int) -> str:
    if k <= active:
        return "active"
    return "paused" if (k - active) % 2 else "ended"


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _sent(key: str, kind: str, person: int, when: datetime) -> dict[str, Any]:
    return {
        "idempotency_key": key,
        "kind": kind,
        "participant_id": person,
        "payload": SENT,
        "due_at": when,
        "status": "sent",
        "attempts": 1,
        "created_at": when,
        "sent_at": when,
    }


class Seeder:
    """Rows for `active` active partnerships (ids 1..total), inserted in batches."""

    def __init__(self, active: int) -> None:
        self.active = active
        self.total = active + 2 * max(1, active // 20)
        self.meeting_id = 0

    async def seed(self, engine: AsyncEngine) -> None:
        """Insert everything, parents before children."""
        for table, rows in (
            (CohortRow, self.cohorts()),
            (ParticipantRow, self.participants()),
            (ConversationRefRow, self.conversations()),
            (PartnershipRow, self.partnerships()),
            (GuideProgressRow, self.progress()),
        ):
            await _insert(engine, table, rows)
        for kind in ("meetings", "answers", "outbox", "aims", "rest"):
            for table, rows in self.history(kind):
                await _insert(engine, table, rows)

    def cohorts(self) -> Iterator[dict[str, Any]]:
        for c, weeks in enumerate(COHORT_WEEKS, start=1):
            start = NOW.date() - timedelta(weeks=weeks)
            yield {
                "id": c,
                "name": f"Cohort {c}",
                "join_code": f"BENCH{c}",
                "start_date": start,
                "length_months": 15 if c % 4 == 0 else 12,
                "profile_questions": ["a", "b", "c"],
                "created_at": _at(start) - timedelta(weeks=2),
            }

    def participants(self) -> Iterator[dict[str, Any]]:
        made = NOW - timedelta(days=400)
        for pid in range(1, 2 * self.total + 1):
            k = (pid + 1) // 2
            yield {
                "id": pid,
                "channel_id": "msteams",
                "user_id": f"29:p-{pid}",
                "name": f"Person {pid}",
                "cohort_id": _cohort(k),
                "grp": "senior_leader" if pid % 2 else "bme_colleague",
                "consent_at": made,
                "time_zone": ZONES[pid % len(ZONES)],
                "enrolled_at": made,
                "created_at": made,
            }
        for n, user in enumerate(FACILITATORS, start=2 * self.total + 1):
            yield {
                "id": n,
                "channel_id": "msteams",
                "user_id": user,
                "name": f"Fac {n}",
                "cohort_id": None,
                "grp": None,
                "consent_at": None,
                "time_zone": "Europe/London",
                "enrolled_at": None,
                "created_at": made,
            }

    def conversations(self) -> Iterator[dict[str, Any]]:
        for pid in range(1, 2 * self.total + len(FACILITATORS) + 1):
            yield {
                "participant_id": pid,
                "channel_id": "msteams",
                "service_url": "https://smba.example/uk/",
                "conversation_id": f"a:p-{pid}",
                "user_id": f"29:p-{pid}",
                "bot_id": "28:bench-bot",
                "updated_at": NOW - timedelta(days=30),
            }

    def partnerships(self) -> Iterator[dict[str, Any]]:
        for k in range(1, self.total + 1):
            status = _status(k, self.active)
            yield {
                "id": k,
                "cohort_id": _cohort(k),
                "partner_a_id": 2 * k - 1,
                "partner_b_id": 2 * k,
                "status": status,
                "started_on": _start(k),
                "ended_at": NOW - timedelta(days=20) if status == "ended" else None,
                "end_reason": "left" if status == "ended" else "",
                "created_at": _at(_start(k), 8),
                "paused_until": NOW.date() + timedelta(days=30) if status == "paused" else None,
                "pause_reason": "leave" if status == "paused" else "",
            }

    def progress(self) -> Iterator[dict[str, Any]]:
        for k, prompt, when in self._delivered():
            yield {"partnership_id": k, "prompt_id": prompt, "queued_at": when}

    def _delivered(self) -> Iterator[tuple[int, str, datetime]]:
        """Every prompt of a week before this one, queued at the start of its week."""
        for k in range(1, self.total + 1):
            weeks = (NOW.date() - _start(k)).days // 7
            for prompt in GUIDE.prompts:
                if prompt.week < weeks:
                    yield k, prompt.id, _at(_start(k) + timedelta(weeks=max(prompt.week, 0)), 6)

    def _meetings(self, k: int) -> Iterator[tuple[datetime, int]]:
        """(start, rhythm) of each meeting: every four weeks; quiet pairs stopped five to nine weeks ago."""
        start = _at(_start(k) + timedelta(weeks=2), 14)
        last = NOW - timedelta(weeks=5 + k % 5) if k % 10 == 3 else NOW
        rhythm = 4 if k % 3 == 0 else 0
        while start < last:
            yield start, rhythm
            start += timedelta(weeks=4)
        if k % 10 == 5:
            yield NOW - timedelta(hours=20), 4  # just ended: the next one is proposed
        if k % 10 in (1, 2):
            yield NOW + timedelta(days=3, hours=8), rhythm  # booked ahead

    def history(self, kind: str) -> Iterator[tuple[Any, Iterator[dict[str, Any]]]]:
        """The history tables in groups, each a generator over every partnership."""
        if kind == "meetings":
            yield MeetingRow, self._meeting_rows()
        elif kind == "answers":
            yield MeetingAnswerRow, self._answer_rows()
        elif kind == "outbox":
            yield OutboxRow, self._outbox_rows()
        elif kind == "aims":
            yield AimHopesRow, self._hopes()
            yield SharedAimsRow, self._aims()
            yield AimRatingRow, self._ratings()
        else:
            yield NudgeRow, self._nudges()
            yield PollRow, self._polls()
            yield PollResponderRow, self._responders()
            yield GroupSessionRow, self._sessions()
            yield SessionInviteRow, self._invites()

    def _each_meeting(self) -> Iterator[tuple[int, int, datetime, int]]:
        mid = 0
        for k in range(1, self.total + 1):
            for start, rhythm in self._meetings(k):
                mid += 1
                yield mid, k, start, rhythm

    def _meeting_rows(self) -> Iterator[dict[str, Any]]:
        for mid, k, start, rhythm in self._each_meeting():
            yield {
                "id": mid,
                "partnership_id": k,
                "proposed_by": 2 * k - 1,
                "status": "confirmed",
                "options": [start.isoformat()],
                "start_at": start,
                "duration_minutes": 60,
                "format": "teams",
                "rhythm_weeks": rhythm,
                "uid": uuid.UUID(int=mid).hex,
                "outcome": "met" if start < NOW - timedelta(days=1) else "",
                "created_at": start - timedelta(days=7),
                "updated_at": start - timedelta(days=7),
            }

    def _answer_rows(self) -> Iterator[dict[str, Any]]:
        for mid, k, start, _ in self._each_meeting():
            if start < NOW - timedelta(days=1):
                for person in (2 * k - 1, 2 * k):
                    yield {"meeting_id": mid, "participant_id": person, "answer": "met", "answered_at": start}

    def _outbox_rows(self) -> Iterator[dict[str, Any]]:
        for k, prompt, when in self._delivered():
            for person in (2 * k - 1, 2 * k):
                yield _sent(f"guide:{k}:{person}:{prompt}", "guide_prompt", person, when)
        for mid, k, start, _ in self._each_meeting():
            if start < NOW:
                for person in (2 * k - 1, 2 * k):
                    yield _sent(f"did_you_meet:{mid}:{person}:0", "did_you_meet", person, start + timedelta(hours=1))
        for k in range(1, self.total + 1):
            for person in (2 * k - 1, 2 * k):
                yield _sent(
                    f"aims_invite:{k}:{person}:start", "aims_invite", person, _at(_start(k) + timedelta(weeks=3))
                )
                yield _sent(f"poll_invite:{_cohort(k)}:{person}:0", "poll_invite", person, NOW - timedelta(days=7))

    def _hopes(self) -> Iterator[dict[str, Any]]:
        for k in range(1, self.total + 1):
            if k % 5:
                for person in (2 * k - 1, 2 * k):
                    when = _at(_start(k) + timedelta(weeks=4))
                    yield {
                        "partnership_id": k,
                        "participant_id": person,
                        "learn": "l",
                        "offer": "o",
                        "updated_at": when,
                    }

    def _aims(self) -> Iterator[dict[str, Any]]:
        for k in range(1, self.total + 1):
            if k % 5 in (1, 2, 3):
                when = _at(_start(k) + timedelta(weeks=6))
                yield {
                    "id": k,
                    "partnership_id": k,
                    "aims": ["one", "two"],
                    "proposed_by": 2 * k - 1,
                    "status": "agreed",
                    "proposed_at": when,
                    "agreed_at": when,
                    "shared_with_team": [],
                }

    def _ratings(self) -> Iterator[dict[str, Any]]:
        for k in range(1, self.total + 1):
            if k % 5 in (1, 2) and COHORT_WEEKS[_cohort(k) - 1] >= 28:
                for person in (2 * k - 1, 2 * k):
                    yield {
                        "partnership_id": k,
                        "participant_id": person,
                        "stage": "mid",
                        "ratings": [3, 3],
                        "created_at": NOW,
                    }

    def _nudges(self) -> Iterator[dict[str, Any]]:
        for k in range(1, self.active + 1):
            if k % 20 == 3:
                for person in (2 * k - 1, 2 * k):
                    yield {"partnership_id": k, "participant_id": person, "step": 1, "sent_at": NOW - timedelta(days=8)}

    def _polls(self) -> Iterator[dict[str, Any]]:
        template = load_poll_templates()["quarterly_checkin"]
        opened = NOW - timedelta(days=7, hours=1)
        for c in range(1, len(COHORT_WEEKS) + 1):
            yield {
                "id": c,
                "cohort_id": c,
                "template_id": template.id,
                "definition": template.to_dict(),
                "anonymous": True,
                "opens_at": opened,
                "closes_at": opened + timedelta(days=template.open_days),
                "created_at": opened,
                "invited_at": opened,
                "reminded": [],
            }

    def _responders(self) -> Iterator[dict[str, Any]]:
        for pid in range(1, 2 * self.total + 1):
            if pid % 5 in (0, 1, 2):
                yield {"poll_id": _cohort((pid + 1) // 2), "participant_id": pid}

    def _sessions(self) -> Iterator[dict[str, Any]]:
        for c in range(1, len(COHORT_WEEKS) + 1, 2):
            yield {
                "id": c,
                "cohort_id": c,
                "title": "Group check-in",
                "starts_at": NOW + timedelta(hours=23),
                "minutes": 60,
                "created_at": NOW - timedelta(days=5),
            }

    def _invites(self) -> Iterator[dict[str, Any]]:
        for pid in range(1, 2 * self.total + 1):
            cohort = _cohort((pid + 1) // 2)
            if cohort % 2:
                yield {"session_id": cohort, "participant_id": pid, "answer": "", "invited_at": NOW - timedelta(days=5)}


SEQUENCED = ("cohorts", "participants", "partnerships", "meetings", "shared_aims", "polls", "group_sessions")


async def fix_sequences(engine: AsyncEngine) -> None:
    """PostgreSQL: move each id sequence past the ids inserted explicitly (SQLite needs nothing)."""
    if engine.dialect.name != "postgresql":
        return
    async with engine.begin() as conn:
        for table in SEQUENCED:
            await conn.execute(
                text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
            )
        await conn.execute(text("ANALYZE"))


async def _insert(engine: AsyncEngine, table: Any, rows: Iterator[dict[str, Any]]) -> None:
    """executemany in batches, one transaction per batch."""
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            await _flush(engine, table, batch)
            batch = []
    if batch:
        await _flush(engine, table, batch)


async def _flush(engine: AsyncEngine, table: Any, batch: list[dict[str, Any]]) -> None:
    async with engine.begin() as conn:
        await conn.execute(insert(table), batch)
