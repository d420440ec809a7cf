"""Group check-in sessions repository (implements domain.sessions.ports.SessionsRepo)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.core.model import Participant
from domain.sessions.model import ANSWERS, GroupSession, Invite
from storage.participant_rows import COLUMNS, to_participant
from storage.repo_common import rows_affected, session_insert
from storage.tables import ParticipantRow
from storage.tables_sessions import GroupSessionRow, SessionInviteRow


def to_session(row: GroupSessionRow) -> GroupSession:
    return GroupSession(
        row.id,
        row.cohort_id,
        row.title,
        row.starts_at,
        row.minutes,
        row.link,
        row.created_by,
        row.created_at,
        row.cancelled_at,
        row.reminded,
    )


class SqlSessionsRepo:
    """Sessions in `group_sessions`, invitees and their RSVPs in `session_invites`."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def create(
        self,
        cohort_id: int,
        title: str,
        starts_at: datetime,
        minutes: int,
        link: str,
        created_by: int | None,
        now: datetime,
    ) -> GroupSession:
        """Store a new session."""
        row = GroupSessionRow(
            cohort_id=cohort_id,
            title=title,
            starts_at=starts_at,
            minutes=minutes,
            link=link,
            created_by=created_by,
            created_at=now,
        )
        self._session.add(row)
        await self._session.flush()
        return to_session(row)

    async def get(self, session_id: int) -> GroupSession | None:
        row = await self._session.get(GroupSessionRow, session_id)
        return to_session(row) if row is not None else None

    async def list_all(self) -> list[GroupSession]:
        """Every session, cancelled ones included, soonest start first."""
        rows = await self._session.scalars(
            select(GroupSessionRow).order_by(GroupSessionRow.starts_at, GroupSessionRow.id)
        )
        return [to_session(row) for row in rows]

    async def upcoming(self, now: datetime) -> list[GroupSession]:
        """Sessions not cancelled that start after `now`, soonest first."""
        rows = await self._session.scalars(
            select(GroupSessionRow)
            .where(GroupSessionRow.starts_at > now, GroupSessionRow.cancelled_at.is_(None))
            .order_by(GroupSessionRow.starts_at, GroupSessionRow.id)
        )
        return [to_session(row) for row in rows]

    async def cancel(self, session_id: int, now: datetime) -> bool:
        """Mark the session cancelled; False when it was already cancelled (or does not exist)."""
        result = await self._session.execute(
            update(GroupSessionRow)
            .where(GroupSessionRow.id == session_id, GroupSessionRow.cancelled_at.is_(None))
            .values(cancelled_at=now)
        )
        return rows_affected(result) == 1

    async def invite(self, session_id: int, participant_ids: Sequence[int], now: datetime) -> list[int]:
        """Invite people not invited yet, in one statement (a concurrent invite of the same person is
        ignored); the ids newly invited."""
        if not participant_ids:
            return []
        statement = (
            session_insert(self._session, SessionInviteRow.__table__)
            .on_conflict_do_nothing()
            .returning(SessionInviteRow.participant_id)
        )
        rows = [
            {"session_id": session_id, "participant_id": pid, "answer": "", "invited_at": now}
            for pid in sorted(set(participant_ids))
        ]
        return sorted(await self._session.scalars(statement, rows))

    async def uninvited(self, session: GroupSession) -> list[Participant]:
        """People enrolled in the session's cohort and not invited yet, in id order."""
        invited = exists().where(
            SessionInviteRow.session_id == session.id, SessionInviteRow.participant_id == ParticipantRow.id
        )
        statement = (
            select(*COLUMNS)
            .where(ParticipantRow.cohort_id == session.cohort_id, ParticipantRow.enrolled_at.is_not(None), ~invited)
            .order_by(ParticipantRow.id)
        )
        return [to_participant(row) for row in await self._session.execute(statement)]

    async def mark_reminded(self, session_id: int, label: str) -> None:
        """Record that the reminder `label` has been queued for everyone it was due to."""
        await self._session.execute(
            update(GroupSessionRow).where(GroupSessionRow.id == session_id).values(reminded=label)
        )

    async def invites(self, session_id: int) -> list[Invite]:
        """Every invitee of the session, in participant id order."""
        statement = (
            select(
                SessionInviteRow.session_id,
                SessionInviteRow.participant_id,
                SessionInviteRow.answer,
                SessionInviteRow.invited_at,
                SessionInviteRow.answered_at,
            )
            .where(SessionInviteRow.session_id == session_id)
            .order_by(SessionInviteRow.participant_id)
        )
        # Plain columns: a cohort-wide session has thousands of invitees.
        return [Invite(*row) for row in (await self._session.execute(statement)).all()]

    async def answer(self, session_id: int, participant_id: int, answer: str, now: datetime) -> bool:
        """Record (or change) an RSVP; False when the person was not invited."""
        if answer not in ANSWERS:
            raise ValueError(f"an RSVP must be one of {ANSWERS}")
        result = await self._session.execute(
            update(SessionInviteRow)
            .where(SessionInviteRow.session_id == session_id, SessionInviteRow.participant_id == participant_id)
            .values(answer=answer, answered_at=now)
        )
        return rows_affected(result) == 1
