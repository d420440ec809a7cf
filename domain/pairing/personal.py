"""Partnerships: who the person was paired with, and when. Pause and end reasons stay out of the
export: a partner's reason for pausing is kept from the other partner."""

from __future__ import annotations

from datetime import datetime

from domain.core.model import PartnershipStatus
from domain.core.personal import FORMER_NAME, Exported, when
from domain.core.ports import UnitOfWork
from domain.pairing.service import close_partnership

ERASED_REASON = "left_programme"


class PairingData:
    """The person's partnerships (the rows stay, naming a former participant, for the partner's history)."""

    section = "Your learning partnerships"
    tables = ("partnerships",)

    async def export(self, uow: UnitOfWork, participant_id: int) -> Exported:
        partnerships = await uow.partnerships.all_for(participant_id)
        if not partnerships:
            return {}
        others = await uow.participants.get_many([p.other(participant_id) for p in partnerships])
        rows = []
        for p in partnerships:
            partner = others.get(p.other(participant_id))
            rows.append(
                {
                    "partner": partner.name if partner is not None else FORMER_NAME,
                    "status": p.status.value,
                    "started": p.started_on.isoformat() if p.started_on else "",
                    "ended": when(p.ended_at),
                }
            )
        return {"partnerships": rows}

    async def traces(self, uow: UnitOfWork, participant_id: int) -> list[str]:
        return []

    async def erase(self, uow: UnitOfWork, participant_id: int, now: datetime) -> None:
        """A partnership still current ends quietly; introductions not yet sent are withdrawn."""
        for partnership in await uow.partnerships.all_for(participant_id):
            if partnership.status is not PartnershipStatus.ENDED:
                await close_partnership(uow, partnership.id, ERASED_REASON, now, notify=())
            await uow.outbox.withdraw([f"intro:{partnership.id}:"])

    async def purge_before(self, uow: UnitOfWork, cutoff: datetime) -> int:
        """Nothing by date: a partnership row holds ids, dates and a status only."""
        return 0
