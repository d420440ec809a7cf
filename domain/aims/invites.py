"""Scheduled invitations to the mutual-aims steps: hopes early on, reviews at the
mid-point and near the end. The same wording goes to both partners, and only while
there is something left for the pair to do."""

from __future__ import annotations

from datetime import datetime

from domain.core.model import NewOutboxMessage, Participant, Partnership, outbox_key
from domain.core.ports import UnitOfWork
from domain.core.reply import Action, Reply
from domain.core.timing import WorkingHours, next_delivery_time
from domain.guide.rules import aims_stage_due

ALREADY_DONE = "If you've already done this, thank you: there's nothing more to do."


def invitation(stage: str) -> Reply:
    """The invitation for one stage: warm, brief and optional."""
    if stage == "start":
        return Reply(
            title="What do you each hope for?",
            text=(
                "If it helps, take two minutes to note privately what you hope to learn and what you "
                "hope to offer. You'll both see both once you've each added yours. " + ALREADY_DONE
            ),
            actions=(Action("Add my hopes", data={"command": "aims"}),),
        )
    when = "You're about halfway through" if stage == "mid" else "Your partnership is nearing its end"
    return Reply(
        title="How are your shared aims going?",
        text=(
            f"{when}. If it helps, rate progress on each of your shared aims: just for you at first, "
            f"and you'll both see both once you've each rated. {ALREADY_DONE}"
        ),
        actions=(
            Action("Rate progress", data={"command": f"aims rate {stage}"}),
            Action("See our aims", data={"command": "aims"}),
        ),
    )


async def aims_invites(
    uow: UnitOfWork,
    partnership: Partnership,
    week: int,
    length_months: int,
    partners: list[Participant],
    hours: WorkingHours,
    now: datetime,
) -> list[NewOutboxMessage]:
    """Invitations due now (idempotent keys: one per person and stage)."""
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
            next_delivery_time(now, person.time_zone, hours),
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
