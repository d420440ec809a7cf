"""The two people of a partnership, as the partner-facing services need them."""

from __future__ import annotations

from domain.core.model import Participant, Partnership
from domain.core.ports import UnitOfWork


async def locked_pair(
    uow: UnitOfWork, participant_id: int, not_paired: Exception
) -> tuple[Partnership, Participant, Participant]:
    """The person's current partnership (locked for this transaction), them, and their partner."""
    partnership = await uow.partnerships.current_for(participant_id)
    if partnership is None:
        raise not_paired
    # Why: both partners acting at the same moment must see each other's change.
    await uow.partnerships.lock(partnership.id)
    return (partnership, *await pair_people(uow, partnership, participant_id))


async def pair_people(
    uow: UnitOfWork, partnership: Partnership, participant_id: int
) -> tuple[Participant, Participant]:
    """The person and their partner."""
    me = await uow.participants.get(participant_id)
    partner = await uow.participants.get(partnership.other(participant_id))
    assert me is not None and partner is not None  # partnerships reference existing participants
    return me, partner
