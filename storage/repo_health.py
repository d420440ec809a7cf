"""Partnership health repository (implements domain.core.ports.HealthRepo).

Check-in answers are private: never shown to the partner and never logged.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.core.model import CheckinRecord, NudgeRecord
from domain.health.model import CHECKIN_ANSWERS, NUDGE_STEPS, Activity
from domain.meetings.model import MeetingStatus, Outcome
from storage.repo_common import around, id_chunks, one_of
from storage.tables import CheckinRow, MeetingRow, NudgeRow, PartnershipRow

# A met (or logged) meeting's start counts as activity; so does creating any meeting.
_MET = or_(MeetingRow.outcome == Outcome.MET.value, MeetingRow.logged_only.is_(True))


def _moment() -> Any:
    """Per meeting, the later of its creation and (if met or logged) its start: the latest is the activity."""
    return case(
        (_MET & (MeetingRow.start_at > MeetingRow.created_at), MeetingRow.start_at), else_=MeetingRow.created_at
    )


def _ahead(now: datetime) -> Any:
    """A meeting booked at or after `now`."""
    return (MeetingRow.status == MeetingStatus.CONFIRMED.value) & (MeetingRow.start_at >= now)


class SqlHealthRepo:
    """The nudge ladder in `nudges`, private check-ins in `checkins`, activity read from `meetings`."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record_nudge(self, partnership_id: int, participant_id: int | None, step: int, now: datetime) -> None:
        """Note that nudge `step` (1, 2 or 3) was sent to `participant_id` (None: to facilitators)."""
        if step not in NUDGE_STEPS:
            raise ValueError(f"nudge step must be one of {NUDGE_STEPS}")
        self._session.add(
            NudgeRow(partnership_id=partnership_id, participant_id=participant_id, step=step, sent_at=now)
        )
        await self._session.flush()

    async def nudges_since(self, partnership_id: int, since: datetime) -> list[NudgeRecord]:
        """Nudges sent at or after `since`, oldest first."""
        statement = (
            select(NudgeRow.step, NudgeRow.participant_id, NudgeRow.sent_at)
            .where(NudgeRow.partnership_id == partnership_id, NudgeRow.sent_at >= since)
            .order_by(NudgeRow.sent_at, NudgeRow.id)
        )
        return [
            NudgeRecord(step, participant_id, sent_at)
            for step, participant_id, sent_at in (await self._session.execute(statement)).all()
        ]

    async def save_checkin(self, partnership_id: int, participant_id: int, answer: str, now: datetime) -> None:
        """Store a private check-in answer ("fine", "not_working", "contact"); never shown to the partner."""
        if answer not in CHECKIN_ANSWERS:
            raise ValueError(f"check-in answer must be one of {CHECKIN_ANSWERS}")
        self._session.add(
            CheckinRow(partnership_id=partnership_id, participant_id=participant_id, answer=answer, created_at=now)
        )
        await self._session.flush()

    async def checkins(self, partnership_id: int) -> list[CheckinRecord]:
        """Every check-in answer of the partnership, oldest first."""
        statement = (
            select(CheckinRow.participant_id, CheckinRow.answer, CheckinRow.created_at)
            .where(CheckinRow.partnership_id == partnership_id)
            .order_by(CheckinRow.created_at, CheckinRow.id)
        )
        return [
            CheckinRecord(participant_id, answer, created_at)
            for participant_id, answer, created_at in (await self._session.execute(statement)).all()
        ]

    async def last_activity(self, partnership_id: int) -> datetime | None:
        """Latest start of a met (or logged) meeting or creation of any proposal or booking."""
        met = select(func.max(MeetingRow.start_at)).where(
            MeetingRow.partnership_id == partnership_id,
            or_(MeetingRow.outcome == Outcome.MET.value, MeetingRow.logged_only.is_(True)),
        )
        created = select(func.max(MeetingRow.created_at)).where(MeetingRow.partnership_id == partnership_id)
        # max() keeps the column type, so both come back as aware UTC on either backend.
        moments = [await self._session.scalar(statement) for statement in (met, created)]
        found = [moment for moment in moments if moment is not None]
        return max(found) if found else None

    async def has_upcoming(self, partnership_id: int, now: datetime) -> bool:
        """Whether a confirmed meeting starts at or after `now`."""
        statement = (
            select(MeetingRow.id)
            .where(
                MeetingRow.partnership_id == partnership_id,
                MeetingRow.status == MeetingStatus.CONFIRMED.value,
                MeetingRow.start_at >= now,
            )
            .limit(1)
        )
        return (await self._session.scalar(statement)) is not None

    async def activity(self, partnership_ids: Sequence[int], now: datetime) -> dict[int, Activity]:
        """`last_activity` and `has_upcoming` for many partnerships: one grouped query per chunk."""
        ahead, moment = _ahead(now), _moment()
        wanted, found = set(partnership_ids), {}
        for chunk in id_chunks(sorted(wanted)):
            statement = (
                select(MeetingRow.partnership_id, func.max(moment), func.max(case((ahead, 1), else_=0)))
                .where(around(self._session, MeetingRow.partnership_id, chunk))
                .group_by(MeetingRow.partnership_id)
            )
            for pid, last, upcoming in (await self._session.execute(statement)).all():
                if pid in wanted:
                    found[pid] = Activity(last, bool(upcoming))
        return found

    async def idle_since(self, partnership_ids: Sequence[int], since: datetime, now: datetime) -> dict[int, Activity]:
        """`activity` of the partnerships idle since `since` with nothing booked ahead: the partnerships left
        joined to their meetings, the active ones dropped in SQL (a tick reads ten times fewer rows)."""
        last, ahead = func.max(_moment()), func.max(case((_ahead(now), 1), else_=0))
        wanted, found = set(partnership_ids), {}
        for chunk in id_chunks(sorted(wanted)):
            statement = (
                select(PartnershipRow.id, last, ahead)
                .outerjoin(MeetingRow, MeetingRow.partnership_id == PartnershipRow.id)
                .where(around(self._session, PartnershipRow.id, chunk))
                .group_by(PartnershipRow.id)
                .having(or_(last.is_(None), last <= since), func.coalesce(ahead, 0) == 0)
            )
            for pid, moment, _ in (await self._session.execute(statement)).all():
                if pid in wanted:
                    found[pid] = Activity(moment, False)
        return found

    async def nudges_for(self, partnership_ids: Sequence[int]) -> dict[int, list[NudgeRecord]]:
        """Every nudge of each partnership, oldest first (partnerships never nudged are left out)."""
        found: dict[int, list[NudgeRecord]] = {}
        for chunk in id_chunks(partnership_ids):
            statement = (
                select(NudgeRow.partnership_id, NudgeRow.step, NudgeRow.participant_id, NudgeRow.sent_at)
                .where(one_of(self._session, NudgeRow.partnership_id, chunk))
                .order_by(NudgeRow.partnership_id, NudgeRow.sent_at, NudgeRow.id)
            )
            for pid, step, participant_id, sent_at in (await self._session.execute(statement)).all():
                found.setdefault(pid, []).append(NudgeRecord(step, participant_id, sent_at))
        return found

    async def record_nudges(self, nudges: Sequence[tuple[int, int | None, int]], now: datetime) -> None:
        """Note many (partnership id, participant id or None, step) nudges as sent, in one statement."""
        if any(step not in NUDGE_STEPS for _, _, step in nudges):
            raise ValueError(f"nudge step must be one of {NUDGE_STEPS}")
        if nudges:
            rows = [
                {"partnership_id": p, "participant_id": who, "step": step, "sent_at": now} for p, who, step in nudges
            ]
            await self._session.execute(insert(NudgeRow), rows)
