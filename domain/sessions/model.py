"""Group check-in sessions: the entities and the repository Protocol (storage/repo_sessions.py implements it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

ANSWERS = ("yes", "maybe", "no")
NO_ANSWER = ""  # invited, not answered yet


@dataclass(frozen=True)
class GroupSession:
    """A facilitator-run check-in for one cohort; `link` is "" when none was given."""

    id: int
    cohort_id: int
    title: str
    starts_at: datetime
    minutes: int
    link: str = ""
    created_by: int | None = None
    created_at: datetime | None = None
    cancelled_at: datetime | None = None

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)


@dataclass(frozen=True)
class Invite:
    """One invitee and their RSVP ("yes", "maybe", "no", or "" for no answer yet)."""

    session_id: int
    participant_id: int
    answer: str = NO_ANSWER
    invited_at: datetime | None = None
    answered_at: datetime | None = None


class SessionsRepo(Protocol):
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

    async def invites(self, session_id: int) -> list[Invite]:
        """Every invitee of the session, in participant id order."""
        ...

    async def answer(self, session_id: int, participant_id: int, answer: str, now: datetime) -> bool:
        """Record (or change) an RSVP; False when the person was not invited."""
        ...
