"""The bulk reads and writes scheduled work needs of `meetings` (mixed into SqlMeetingsRepo)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.meetings.model import Meeting, MeetingStatus, Outcome
from storage.meeting_rows import COLUMNS, MEETINGS, new_row, to_meeting
from storage.repo_common import id_chunks, one_of
from storage.tables import MeetingRow


class MeetingsInBulkSql:
    """Plain columns in and out: no ORM objects for thousands of rows."""

    _session: AsyncSession

    async def open_or_since(self, partnership_ids: Sequence[int], since: datetime) -> dict[int, list[Meeting]]:
        """Per partnership, its meetings still proposed or starting or created at or after `since`,
        newest first (a year of history stays in the database), without the private answers."""
        recent = or_(
            MeetingRow.status == MeetingStatus.PROPOSED.value,
            MeetingRow.start_at >= since,
            MeetingRow.created_at >= since,
        )
        found: dict[int, list[Meeting]] = {}
        for chunk in id_chunks(partnership_ids):
            statement = (
                select(*COLUMNS)
                .where(one_of(self._session, MeetingRow.partnership_id, chunk), recent)
                .order_by(MeetingRow.id.desc())
            )
            for row in (await self._session.execute(statement)).all():
                found.setdefault(row.partnership_id, []).append(to_meeting(row))
        return found

    async def met_starts(self, partnership_ids: Sequence[int]) -> dict[int, list[datetime]]:
        """Per partnership, when the pair met (outcome met, or logged themselves), earliest first: two columns."""
        met = or_(MeetingRow.outcome == Outcome.MET.value, MeetingRow.logged_only.is_(True))
        found: dict[int, list[datetime]] = {}
        for chunk in id_chunks(partnership_ids):
            statement = (
                select(MeetingRow.partnership_id, MeetingRow.start_at)
                .where(one_of(self._session, MeetingRow.partnership_id, chunk), met, MeetingRow.start_at.is_not(None))
                .order_by(MeetingRow.start_at, MeetingRow.id)
            )
            for partnership_id, start_at in (await self._session.execute(statement)).all():
                found.setdefault(partnership_id, []).append(start_at)
        return found

    async def create_all(self, drafts: Sequence[Meeting], now: datetime) -> list[Meeting]:
        """Insert the drafts (ids ignored; uids distinct) with one executemany, and return them as stored.

        Read back by uid and creation time rather than RETURNING: SQLite cannot promise RETURNING's
        row order for a multi-row INSERT, and SQLAlchemy would then insert one row at a time.
        """
        if len({draft.uid for draft in drafts}) != len(drafts):
            raise ValueError("meetings created together need distinct uids")
        if not drafts:
            return []
        await self._session.execute(insert(MEETINGS), [new_row(draft, now) for draft in drafts])
        by_uid: dict[str, Meeting] = {}
        for chunk in id_chunks([draft.uid for draft in drafts]):
            statement = (
                select(*COLUMNS)
                .where(one_of(self._session, MeetingRow.uid, chunk), MeetingRow.created_at == now)
                .order_by(MeetingRow.id)  # a moved meeting keeps its uid: the newest row is ours
            )
            by_uid.update((row.uid, to_meeting(row)) for row in (await self._session.execute(statement)).all())
        return [by_uid[draft.uid] for draft in drafts]
