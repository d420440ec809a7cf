"""The personal-data side of the sessions, polls and broadcasts repositories: each extended with
what export, erasure and the retention purge need (storage/repositories.py binds these classes)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, select, update

from domain.broadcasts.model import Broadcast
from domain.polls.model import Answers, Poll
from domain.sessions.model import GroupSession, Invite
from storage.repo_broadcasts import SqlBroadcastRepo, to_broadcast
from storage.repo_common import changed
from storage.repo_polls import SqlPollsRepo, to_poll
from storage.repo_sessions import SqlSessionsRepo, to_session
from storage.tables_broadcasts import BroadcastRow
from storage.tables_polls import (
    PollAnonymousAnswerRow,
    PollHeldAnswerRow,
    PollNamedAnswerRow,
    PollResponderRow,
    PollRow,
)
from storage.tables_sessions import GroupSessionRow, SessionInviteRow


class SqlSessionsData(SqlSessionsRepo):
    async def invitations_of(self, participant_id: int) -> list[tuple[GroupSession, Invite]]:
        """The person's invitations with their RSVP, by start time."""
        statement = (
            select(GroupSessionRow, SessionInviteRow)
            .join(SessionInviteRow, SessionInviteRow.session_id == GroupSessionRow.id)
            .where(SessionInviteRow.participant_id == participant_id)
            .order_by(GroupSessionRow.starts_at, GroupSessionRow.id)
        )
        rows = (await self._session.execute(statement)).all()
        return [
            (to_session(s), Invite(i.session_id, i.participant_id, i.answer, i.invited_at, i.answered_at))
            for s, i in rows
        ]

    async def forget_participant(self, participant_id: int) -> int:
        """Delete the person's invitations; sessions they created no longer name them."""
        return await changed(
            self._session,
            delete(SessionInviteRow).where(SessionInviteRow.participant_id == participant_id),
            update(GroupSessionRow).where(GroupSessionRow.created_by == participant_id).values(created_by=None),
        )

    async def forget_started_before(self, cutoff: datetime) -> int:
        """Delete invitations and RSVPs of sessions that started before `cutoff`."""
        started = select(GroupSessionRow.id).where(GroupSessionRow.starts_at < cutoff)
        return await changed(self._session, delete(SessionInviteRow).where(SessionInviteRow.session_id.in_(started)))


class SqlPollsData(SqlPollsRepo):
    async def named_of(self, participant_id: int) -> list[tuple[Poll, Answers]]:
        """The person's named answers, by poll id."""
        statement = (
            select(PollRow, PollNamedAnswerRow.answers)
            .join(PollNamedAnswerRow, PollNamedAnswerRow.poll_id == PollRow.id)
            .where(PollNamedAnswerRow.participant_id == participant_id)
            .order_by(PollRow.id)
        )
        return [(to_poll(poll), dict(answers)) for poll, answers in (await self._session.execute(statement)).all()]

    async def responded(self, participant_id: int) -> list[Poll]:
        """Polls the person responded to, by id."""
        statement = (
            select(PollRow)
            .join(PollResponderRow, PollResponderRow.poll_id == PollRow.id)
            .where(PollResponderRow.participant_id == participant_id)
            .order_by(PollRow.id)
        )
        return [to_poll(row) for row in await self._session.scalars(statement)]

    async def forget_participant(self, participant_id: int) -> int:
        """Named answers and has-responded records deleted; anonymous answers stay (they name nobody)."""
        return await changed(
            self._session,
            delete(PollNamedAnswerRow).where(PollNamedAnswerRow.participant_id == participant_id),
            delete(PollResponderRow).where(PollResponderRow.participant_id == participant_id),
            update(PollRow).where(PollRow.created_by == participant_id).values(created_by=None),
        )

    async def forget_closed_before(self, cutoff: datetime) -> int:
        """Every answer and has-responded record of polls closed before `cutoff`."""
        closed = select(PollRow.id).where(
            or_(PollRow.closed_at < cutoff, PollRow.closes_at < cutoff)  # closed early, or on schedule
        )
        return await changed(
            self._session,
            delete(PollNamedAnswerRow).where(PollNamedAnswerRow.poll_id.in_(closed)),
            delete(PollAnonymousAnswerRow).where(PollAnonymousAnswerRow.poll_id.in_(closed)),
            delete(PollHeldAnswerRow).where(PollHeldAnswerRow.poll_id.in_(closed)),
            delete(PollResponderRow).where(PollResponderRow.poll_id.in_(closed)),
        )


class SqlBroadcastData(SqlBroadcastRepo):
    async def created_by(self, participant_id: int) -> list[Broadcast]:
        """Broadcasts the person wrote, oldest first."""
        statement = select(BroadcastRow).where(BroadcastRow.created_by == participant_id).order_by(BroadcastRow.id)
        return [to_broadcast(row) for row in await self._session.scalars(statement)]

    async def forget_author(self, participant_id: int) -> int:
        """Broadcasts the person wrote no longer name them."""
        statement = update(BroadcastRow).where(BroadcastRow.created_by == participant_id).values(created_by=None)
        return await changed(self._session, statement)
