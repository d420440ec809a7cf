"""Partnership health: the person's private check-in answers and the nudges sent to them."""

from __future__ import annotations

from datetime import datetime

from domain.core.personal import Exported, when
from domain.core.ports import UnitOfWork

# Messages about one partnership's health, to partners and to facilitators (keyed by partnership).
PARTNERSHIP_KINDS = ("nudge", "private_checkin", "paused", "resumed", "leaving_support", "facilitator_alert")
# Alerts to facilitators about one person (keyed "<reason>-<participant id>").
PERSON_ALERTS = ("contact", "new-partner", "unreachable")


class HealthData:
    section = "Check-ins and nudges"
    tables = ("nudges", "checkins")

    async def export(self, uow: UnitOfWork, participant_id: int) -> Exported:
        partnerships = [p.id for p in await uow.partnerships.all_for(participant_id)]
        checkins = [
            c for pid in partnerships for c in await uow.health.checkins(pid) if c.participant_id == participant_id
        ]
        nudged = await uow.health.nudges_for(partnerships) if partnerships else {}
        nudges = [n for records in nudged.values() for n in records if n.participant_id == participant_id]
        if not (checkins or nudges):
            return {}
        return {
            "your check-in answers": [{"answered": when(c.created_at), "answer": c.answer} for c in checkins],
            "nudges sent to you": [{"sent": when(n.sent_at), "step": n.step} for n in nudges],
        }

    async def traces(self, uow: UnitOfWork, participant_id: int) -> list[str]:
        return []

    async def erase(self, uow: UnitOfWork, participant_id: int, now: datetime) -> None:
        """Their answers and nudges go; messages and facilitator alerts about them are withdrawn."""
        prefixes = [f"facilitator_alert:{reason}-{participant_id}:" for reason in PERSON_ALERTS]
        for partnership in await uow.partnerships.all_for(participant_id):
            prefixes += [f"{kind}:{partnership.id}:" for kind in PARTNERSHIP_KINDS]
        await uow.outbox.withdraw(prefixes)
        await uow.health.forget_participant(participant_id)

    async def purge_before(self, uow: UnitOfWork, cutoff: datetime) -> int:
        return await uow.health.forget_ended_before(cutoff)
