"""Meetings repository (implements domain.core.ports.MeetingsRepo).

Agendas, places, answers and reflections are free text or private: nothing here logs them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from domain.meetings.model import Answer, Meeting, MeetingStatus, Reflection
from storage.meeting_rows import COLUMNS, options_text, to_meeting
from storage.repo_common import missing, session_insert
from storage.repo_meetings_bulk import MeetingsInBulkSql
from storage.tables import MeetingAnswerRow, MeetingRow, ReflectionRow

# The longest meeting the domain books; lets "ended in a window" filter on start_at in SQL.
LONGEST_MEETING = timedelta(minutes=240)
CONFIRMED = MeetingStatus.CONFIRMED.value


def _to_follow() -> tuple[Any, ...]:
    """A next meeting could follow: a rhythm, not logged afterwards, no proposal open in the pair and no
    booking there starting later (what domain/meetings/rules.py `is_later` says first, narrowed in SQL)."""
    other = aliased(MeetingRow)
    later = select(other.id).where(
        other.partnership_id == MeetingRow.partnership_id,
        other.id != MeetingRow.id,
        or_(
            other.status == MeetingStatus.PROPOSED.value,
            and_(other.status == CONFIRMED, other.start_at > MeetingRow.start_at),
        ),
    )
    return (MeetingRow.rhythm_weeks > 0, MeetingRow.logged_only.is_(False), ~later.exists())


ID_CHUNK = 500


def _to_reflection(row: ReflectionRow) -> Reflection:
    return Reflection(row.id, row.participant_id, row.meeting_id, row.text, row.created_at)


class SqlMeetingsRepo(MeetingsInBulkSql):
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

    async def ended_between(self, since: datetime, until: datetime, *, to_follow: bool = False) -> list[Meeting]:
        """Confirmed meetings (of any pair) whose end is in (since, until], earliest end first, without the
        private answers (scheduled work reads every pair's meetings of the last days); `to_follow`: only
        those with a rhythm, not logged afterwards, and nothing open or booked later in their partnership."""
        statement = (
            select(*COLUMNS)
            .where(
                MeetingRow.status == CONFIRMED,
                MeetingRow.start_at > since - LONGEST_MEETING,
                MeetingRow.start_at <= until,
                *(_to_follow() if to_follow else ()),
            )
            .order_by(MeetingRow.start_at, MeetingRow.id)
        )
        found = [to_meeting(row) for row in (await self._session.execute(statement)).all()]
        ended = [m for m in found if m.end_at is not None and since < m.end_at <= until]
        return sorted(ended, key=lambda m: (m.end_at, m.id))

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
        row.status, row.options, row.start_at = meeting.status.value, options_text(meeting.options), meeting.start_at
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
