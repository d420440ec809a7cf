"""Mutual aims: the person's private hopes and ratings, and the shared aims of their partnerships.
The partner's hopes and ratings are the partner's: they stay out of this person's export."""

from __future__ import annotations

from datetime import datetime

from domain.core.personal import Exported, when
from domain.core.ports import UnitOfWork


class AimsData:
    section = "Your hopes and shared aims"
    tables = ("aim_hopes", "shared_aims", "aim_ratings")

    async def export(self, uow: UnitOfWork, participant_id: int) -> Exported:
        rows = []
        for partnership in await uow.partnerships.all_for(participant_id):
            hopes = [h for h in await uow.aims.hopes(partnership.id) if h.participant_id == participant_id]
            aims = await uow.aims.proposals(partnership.id)
            ratings = [r for r in await uow.aims.ratings(partnership.id) if r.participant_id == participant_id]
            if not (hopes or aims or ratings):
                continue
            rows.append(
                {
                    "your hopes": [{"to learn": h.learn, "to offer": h.offer} for h in hopes],
                    "shared aims": [
                        {
                            "aims": list(a.aims),
                            "status": a.status,
                            "proposed by you": a.proposed_by == participant_id,
                            "proposed": when(a.proposed_at),
                            "agreed": when(a.agreed_at),
                        }
                        for a in aims
                    ],
                    "your progress ratings": [{"stage": r.stage, "ratings": list(r.ratings)} for r in ratings],
                }
            )
        return {"partnerships": rows} if rows else {}

    async def traces(self, uow: UnitOfWork, participant_id: int) -> list[str]:
        found: list[str] = []
        for partnership in await uow.partnerships.all_for(participant_id):
            for hopes in await uow.aims.hopes(partnership.id):
                if hopes.participant_id == participant_id:
                    found += [hopes.learn, hopes.offer]
            for proposal in await uow.aims.proposals(partnership.id):
                if proposal.proposed_by == participant_id:
                    found += proposal.aims
        return found

    async def erase(self, uow: UnitOfWork, participant_id: int, now: datetime) -> None:
        """Their hopes, ratings and proposals go; invitations and cards about them are withdrawn."""
        prefixes = []
        for partnership in await uow.partnerships.all_for(participant_id):
            kinds = ("aims_hopes_ready", "aims_ratings_ready", "aims_invite")
            prefixes += [f"{kind}:{partnership.id}:" for kind in kinds]
            for proposal in await uow.aims.proposals(partnership.id):
                prefixes += [f"aims_proposed:{proposal.id}:", f"aims_agreed:{proposal.id}:"]
        await uow.outbox.withdraw(prefixes)
        await uow.aims.forget_participant(participant_id)

    async def purge_before(self, uow: UnitOfWork, cutoff: datetime) -> int:
        return await uow.aims.forget_ended_before(cutoff)
