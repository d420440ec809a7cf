"""The storage seam for group check-in sessions (UnitOfWork.sessions; storage/repo_sessions.py implements it)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from domain.core.model import Participant
from domain.sessions.model import GroupSession, Invite


class SessionsPersonal(Protocol):
    async def invitations_of(self, participant_id: int) -> list[tuple[GroupSession, Invite]]:
        """Every session the person was invited to, with their RSVP, by start time."""
        ...

    async def forget_participant(self, participant_id: int) -> int:
        """Delete the person's invitations and RSVPs; sessions they created no longer name them."""
        ...

    async def forget_started_before(self, cutoff: datetime) -> int:
        """Delete the invitations and RSVPs of sessions that started before `cutoff`; how many."""
        ...


class SessionsRepo(SessionsPersonal, Protocol):
    """Sessions and their invitees' RSVPs."""

    async def create(
        self,
        cohort_id: int,
        title: str,
        starts_at: datetime,
        minutes: int,
        link: str,
        created_by: int | None,
        now: datetime,
    ) -> GroupSession: ...
    async def get(self, session_id: int) -> GroupSession | None: ...
    async def list_all(self) -> list[GroupSession]:
        """Every session, cancelled ones included, soonest start first."""
        ...

    async def upcoming(self, now: datetime) -> list[GroupSession]:
        """Sessions not cancelled that start after `now`, soonest first."""
        ...

    async def cancel(self, session_id: int, now: datetime) -> bool:
        """Mark the session cancelled; False when it was already cancelled."""
        ...

    async def invite(self, session_id: int, participant_ids: Sequence[int], now: datetime) -> list[int]:
        """Invite people not invited yet; return the ids newly invited."""
        ...

    async def uninvited(self, session: GroupSession) -> list[Participant]:
        """People enrolled in the session's cohort and not invited yet, in id order."""
        ...

    async def mark_reminded(self, session_id: int, label: str) -> None:
        """Record that the reminder `label` has been queued for everyone it was due to."""
        ...

    async def invites(self, session_id: int) -> list[Invite]:
        """Every invitee of the session, in participant id order."""
        ...

    async def answer(self, session_id: int, participant_id: int, answer: str, now: datetime) -> bool:
        """Record (or change) an RSVP; False when the person was not invited."""
        ...
