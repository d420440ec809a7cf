"""Meetings repository (implements domain.core.ports.MeetingsRepo).

Agendas, places, answers and reflections are free text or private: nothing here logs them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.meetings.model import Answer, Meeting, MeetingFormat, MeetingStatus, Outcome, Reflection
from storage.repo_common import missing, one_of, session_insert
from storage.tables import MeetingAnswerRow, MeetingRow, ReflectionRow

# The longest meeting the domain books; lets "ended in a window" filter on start_at in SQL.
LONGEST_MEETING = timedelta(minutes=240)
CONFIRMED = MeetingStatus.CONFIRMED.value
ID_CHUNK = 500
COLUMNS = tuple(MeetingRow.__table__.columns)


def to_meeting(row: Any, answers: dict[int, Answer] | None = None) -> Meeting:
    """Map a MeetingRow, or a plain row of its columns (and its answers), to the domain dataclass."""
    return Meeting(
        id=row.id,
        partnership_id=row.partnership_id,
        proposed_by=row.proposed_by,
        status=MeetingStatus(row.status),
        options=[_instant(o) for o in row.options],
        start_at=row.start_at,
        duration_minutes=row.duration_minutes,
        format=MeetingFormat(row.format),
        place=row.place,
        agenda=row.agenda,
        rhythm_weeks=row.rhythm_weeks,
        uid=row.uid,
        sequence=row.sequence,
        outcome=Outcome(row.outcome),
        logged_only=row.logged_only,
        created_at=row.created_at,
        updated_at=row.updated_at,
        answers=dict(answers or {}),
    )


def _instant(text: str) -> datetime:
    """An option stored as ISO text, back as aware UTC."""
    value = datetime.fromisoformat(text)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _options(options: Sequence[datetime]) -> list[str]:
    """Options as ISO UTC text for the JSON column (naive datetimes are refused)."""
    if any(o.tzinfo is None for o in options):
        raise ValueError("naive datetime given to the database; pass timezone-aware UTC")
    return [o.astimezone(UTC).isoformat() for o in options]


def _to_reflection(row: ReflectionRow) -> Reflection:
    return Reflection(row.id, row.participant_id, row.meeting_id, row.text, row.created_at)


class SqlMeetingsRepo:
    """Meetings in `meetings`, answers in `meeting_answers`, private notes in `reflections`."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def create(self, draft: Meeting, now: datetime) -> Meeting:
        """Insert `draft` (its id is ignored) and return it as stored."""
        row = MeetingRow(partnership_id=draft.partnership_id, proposed_by=draft.proposed_by, created_at=now)
        self._copy(draft, row)
        row.updated_at = now
        self._session.add(row)
        await self._session.flush()
        return to_meeting(row)

    async def get(self, meeting_id: int) -> Meeting | None:
        """The meeting with this id and its answers, or None."""
        found = await self._meetings(select(MeetingRow).where(MeetingRow.id == meeting_id))
        return found[0] if found else None

    async def update(self, meeting: Meeting) -> None:
        """Write the changeable fields of `meeting` (status, times, details, sequence, outcome)."""
        row = await self._session.get(MeetingRow, meeting.id)
        if row is None:
            raise missing("meeting", meeting.id)
        self._copy(meeting, row)
        if meeting.updated_at is not None:
            row.updated_at = meeting.updated_at
        await self._session.flush()

    async def for_partnership(self, partnership_id: int) -> list[Meeting]:
        """Every meeting of the partnership, newest first."""
        return await self._meetings(
            select(MeetingRow).where(MeetingRow.partnership_id == partnership_id).order_by(MeetingRow.id.desc())
        )

    async def upcoming(self, partnership_id: int, now: datetime) -> list[Meeting]:
        """Confirmed meetings starting at or after `now`, soonest first."""
        return await self._meetings(
            select(MeetingRow)
            .where(
                MeetingRow.partnership_id == partnership_id, MeetingRow.status == CONFIRMED, MeetingRow.start_at >= now
            )
            .order_by(MeetingRow.start_at, MeetingRow.id)
        )

    async def ended_between(self, since: datetime, until: datetime) -> list[Meeting]:
        """Confirmed meetings (of any pair) whose end is in (since, until], earliest end first."""
        found = await self._meetings(
            select(MeetingRow)
            .where(
                MeetingRow.status == CONFIRMED,
                MeetingRow.start_at > since - LONGEST_MEETING,
                MeetingRow.start_at <= until,
            )
            .order_by(MeetingRow.start_at, MeetingRow.id)
        )
        ended = [m for m in found if m.end_at is not None and since < m.end_at <= until]
        return sorted(ended, key=lambda m: (m.end_at, m.id))

    async def open_or_since(self, partnership_ids: Sequence[int], since: datetime) -> dict[int, list[Meeting]]:
        """Per partnership, its meetings still proposed or starting or created at or after `since`,
        newest first (a year of history stays in the database), without the private answers."""
        recent = or_(
            MeetingRow.status == MeetingStatus.PROPOSED.value,
            MeetingRow.start_at >= since,
            MeetingRow.created_at >= since,
        )
        found: dict[int, list[Meeting]] = {}
        for start in range(0, len(partnership_ids), ID_CHUNK):
            chunk = list(partnership_ids[start : start + ID_CHUNK])
            statement = (
                select(*COLUMNS)
                .where(one_of(self._session, MeetingRow.partnership_id, chunk), recent)
                .order_by(MeetingRow.id.desc())
            )
            for row in await self._session.execute(statement):
                found.setdefault(row.partnership_id, []).append(to_meeting(row))
        return found

    async def create_all(self, drafts: Sequence[Meeting], now: datetime) -> list[Meeting]:
        """Insert the drafts (ids ignored) with one flush, and return them as stored, in order."""
        rows = []
        for draft in drafts:
            row = MeetingRow(partnership_id=draft.partnership_id, proposed_by=draft.proposed_by, created_at=now)
            self._copy(draft, row)
            row.updated_at = now
            rows.append(row)
        self._session.add_all(rows)
        await self._session.flush()
        return [to_meeting(row) for row in rows]

    async def save_answer(self, meeting_id: int, participant_id: int, answer: Answer, now: datetime) -> None:
        """Insert or replace this person's answer to "did you meet?"."""
        upsert = session_insert(self._session, MeetingAnswerRow)
        await self._session.execute(
            upsert.values(
                meeting_id=meeting_id,
                participant_id=participant_id,
                answer=answer.value,
                answered_at=now,
            ).on_conflict_do_update(
                index_elements=[MeetingAnswerRow.meeting_id, MeetingAnswerRow.participant_id],
                set_={"answer": answer.value, "answered_at": now},
            )
        )

    async def answers(self, meeting_id: int) -> dict[int, Answer]:
        """Each partner's answer for the meeting, by participant id."""
        return (await self._answers([meeting_id])).get(meeting_id, {})

    async def add_reflection(self, participant_id: int, meeting_id: int | None, text: str, now: datetime) -> Reflection:
        """Store a private note by `participant_id`, optionally about one meeting."""
        row = ReflectionRow(participant_id=participant_id, meeting_id=meeting_id, text=text, created_at=now)
        self._session.add(row)
        await self._session.flush()
        return _to_reflection(row)

    async def reflections(self, participant_id: int) -> list[Reflection]:
        """The notes this person wrote (nobody else's), newest first."""
        statement = (
            select(ReflectionRow)
            .where(ReflectionRow.participant_id == participant_id)
            .order_by(ReflectionRow.created_at.desc(), ReflectionRow.id.desc())
        )
        return [_to_reflection(row) for row in await self._session.scalars(statement)]

    @staticmethod
    def _copy(meeting: Meeting, row: MeetingRow) -> None:
        """The fields a meeting may change after it is created."""
        row.status, row.options, row.start_at = meeting.status.value, _options(meeting.options), meeting.start_at
        row.duration_minutes, row.format, row.place = meeting.duration_minutes, meeting.format.value, meeting.place
        row.agenda, row.rhythm_weeks, row.uid = meeting.agenda, meeting.rhythm_weeks, meeting.uid
        row.sequence, row.outcome, row.logged_only = meeting.sequence, meeting.outcome.value, meeting.logged_only

    async def _meetings(self, statement: Any) -> list[Meeting]:
        # Plain columns, not ORM entities: nothing is tracked, and thousands of rows stay cheap.
        rows = (await self._session.execute(statement.with_only_columns(*COLUMNS))).all()
        answers = await self._answers([row.id for row in rows])
        return [to_meeting(row, answers.get(row.id)) for row in rows]

    async def _answers(self, meeting_ids: list[int]) -> dict[int, dict[int, Answer]]:
        by_meeting: dict[int, dict[int, Answer]] = {}
        # Chunks keep a long list (every pair's meetings in a window) under bind-parameter limits.
        for start in range(0, len(meeting_ids), ID_CHUNK):
            chunk = meeting_ids[start : start + ID_CHUNK]
            statement = (
                select(MeetingAnswerRow)
                .where(MeetingAnswerRow.meeting_id.in_(chunk))
                .execution_options(populate_existing=True)
            )
            for row in await self._session.scalars(statement):
                by_meeting.setdefault(row.meeting_id, {})[row.participant_id] = Answer(row.answer)
        return by_meeting
