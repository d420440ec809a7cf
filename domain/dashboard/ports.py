"""The dashboard's storage seam (UnitOfWork.dashboard; storage/repo_dashboard.py implements it)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from domain.dashboard.model import SessionRecord


class DashboardRepo(Protocol):
    async def use_link(self, link_id: str, participant_id: int, now: datetime, expires_at: datetime) -> bool:
        """Record the sign-in link as used; False (nothing changes) when it had been used already."""
        ...

    async def link_used(self, link_id: str) -> bool: ...
    async def open_session(self, record: SessionRecord) -> None: ...
    async def session(self, session_id: str) -> SessionRecord | None: ...
    async def touch(self, session_id: str, now: datetime) -> None:
        """The session was used at `now` (the idle timeout counts from here)."""
        ...

    async def end_session(self, session_id: str, now: datetime) -> None: ...
    async def sessions_of(self, participant_id: int) -> list[SessionRecord]:
        """Every session of the person, oldest first (their `my data` page)."""
        ...

    async def forget_participant(self, participant_id: int) -> int:
        """Delete the person's sessions and used links; how many rows."""
        ...

    async def prune(self, sessions_before: datetime, links_before: datetime) -> int:
        """Delete sessions last used before `sessions_before` (or ended then) and used links that expired before
        `links_before`; how many rows."""
        ...
