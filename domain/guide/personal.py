"""Guide prompts the person saved for later (which prompts a partnership was sent is not personal)."""

from __future__ import annotations

from datetime import datetime

from domain.core.personal import Exported
from domain.core.ports import UnitOfWork


class GuideData:
    section = "Guide prompts you saved"
    tables = ("guide_saved",)

    async def export(self, uow: UnitOfWork, participant_id: int) -> Exported:
        saved = await uow.guide.saved(participant_id)
        return {"saved prompts": saved} if saved else {}

    async def traces(self, uow: UnitOfWork, participant_id: int) -> list[str]:
        return []

    async def erase(self, uow: UnitOfWork, participant_id: int, now: datetime) -> None:
        await uow.guide.forget_saved(participant_id)

    async def purge_before(self, uow: UnitOfWork, cutoff: datetime) -> int:
        return 0
