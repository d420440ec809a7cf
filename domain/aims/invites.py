"""Scheduled invitations to the mutual-aims steps: hopes early on, reviews at the
mid-point and near the end. The same wording goes to both partners, and only while
there is something left for the pair to do. `service.run_due` calls this for each pair.
"""

from __future__ import annotations

from datetime import datetime

from domain.aims.cards import invitation
from domain.aims.rules import aims_stage_due
from domain.core.jobs import JobContext
from domain.core.model import NewOutboxMessage, Participant, Partnership, outbox_key
from domain.core.ports import UnitOfWork
from domain.core.timing import next_delivery_time


async def aims_invites(
    ctx: JobContext,
    uow: UnitOfWork,
    partnership: Partnership,
    partners: list[Participant],
    week: int,
    length_months: int,
    now: datetime,
) -> list[NewOutboxMessage]:
    """Invitations due now, inside the caller's unit of work (idempotent keys: one per person and stage)."""
    stage = aims_stage_due(week, length_months)
    if stage is None or not await _open(uow, partnership.id, stage):
        return []
    payload = invitation(stage).to_dict()
    return [
        NewOutboxMessage(
            outbox_key("aims_invite", partnership.id, person.id, stage),
            "aims_invite",
            person.id,
            payload,
            next_delivery_time(now, person.time_zone, ctx.settings.hours),
        )
        for person in partners
    ]


async def _open(uow: UnitOfWork, partnership_id: int, stage: str) -> bool:
    """Is there still something for the pair to do at this stage?"""
    if stage == "start":
        return len(await uow.aims.hopes(partnership_id)) < 2
    if await uow.aims.agreed(partnership_id) is None:
        return False
    return len(await uow.aims.ratings(partnership_id, stage)) < 2
