"""Broadcasts a facilitator wrote. The announcement itself is the programme's record: erasing its
author removes their name from it, not the message everyone received."""

from __future__ import annotations

from datetime import datetime

from domain.core.personal import Exported, when
from domain.core.ports import UnitOfWork


class BroadcastsData:
    section = "Announcements you sent"
    tables = ("broadcasts",)

    async def export(self, uow: UnitOfWork, participant_id: int) -> Exported:
        written = await uow.broadcasts.created_by(participant_id)
        return {"announcements": [{"sent": when(b.send_at), "text": b.draft.text} for b in written]} if written else {}

    async def traces(self, uow: UnitOfWork, participant_id: int) -> list[str]:
        return []

    async def erase(self, uow: UnitOfWork, participant_id: int, now: datetime) -> None:
        await uow.broadcasts.forget_author(participant_id)

    async def purge_before(self, uow: UnitOfWork, cutoff: datetime) -> int:
        return 0
