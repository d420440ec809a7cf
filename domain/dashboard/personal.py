"""A facilitator's dashboard sign-ins: when each session started, was last used and ended."""

from __future__ import annotations

from datetime import datetime

from domain.core.personal import Exported, when
from domain.core.ports import UnitOfWork


class DashboardData:
    section = "Your dashboard sign-ins"
    tables = ("dashboard_link_uses", "dashboard_sessions")

    async def export(self, uow: UnitOfWork, participant_id: int) -> Exported:
        sessions = await uow.dashboard.sessions_of(participant_id)
        shown = [
            {"signed in": when(s.created_at), "last used": when(s.last_seen_at), "signed out": when(s.ended_at)}
            for s in sessions
        ]
        return {"sessions": shown} if sessions else {}

    async def traces(self, uow: UnitOfWork, participant_id: int) -> list[str]:
        return []

    async def erase(self, uow: UnitOfWork, participant_id: int, now: datetime) -> None:
        await uow.dashboard.forget_participant(participant_id)

    async def purge_before(self, uow: UnitOfWork, cutoff: datetime) -> int:
        return await uow.dashboard.prune(cutoff, cutoff)
