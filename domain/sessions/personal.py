"""Group sessions: the person's invitations and RSVPs (and, for facilitators, sessions they made)."""

from __future__ import annotations

from datetime import datetime

from domain.core.personal import Exported, when
from domain.core.ports import UnitOfWork


class SessionsData:
    section = "Group sessions"
    tables = ("group_sessions", "session_invites")

    async def export(self, uow: UnitOfWork, participant_id: int) -> Exported:
        invitations = await uow.sessions.invitations_of(participant_id)
        made = [s for s in await uow.sessions.list_all() if s.created_by == participant_id]
        if not (invitations or made):
            return {}
        return {
            "invitations": [
                {"session": s.title, "starts": when(s.starts_at), "your answer": i.answer or "no answer"}
                for s, i in invitations
            ],
            "sessions you set up": [{"session": s.title, "starts": when(s.starts_at)} for s in made],
        }

    async def traces(self, uow: UnitOfWork, participant_id: int) -> list[str]:
        return []

    async def erase(self, uow: UnitOfWork, participant_id: int, now: datetime) -> None:
        await uow.sessions.forget_participant(participant_id)

    async def purge_before(self, uow: UnitOfWork, cutoff: datetime) -> int:
        return await uow.sessions.forget_started_before(cutoff)
