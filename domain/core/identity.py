"""Who is talking: participants are created on first contact and their address kept fresh."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from domain.core.model import ConversationRef, Participant, Role
from domain.core.ports import Store, UnitOfWork


@dataclass(frozen=True)
class Identity:
    """A person as a channel identifies them."""

    channel_id: str
    user_id: str
    name: str = ""
    aad_object_id: str = ""


async def register(store: Store, identity: Identity, ref: ConversationRef | None, now: datetime) -> Participant:
    """Upsert the participant and, when given, where to reach them.

    A personal (1:1) conversation is the address we want; a team-channel reference is
    kept only until we have a personal one (the sender opens a 1:1 chat from it).
    """
    async with store.transaction() as uow:
        person = await uow.participants.upsert_identity(
            identity.channel_id, identity.user_id, identity.name, identity.aad_object_id, now
        )
        if ref is not None:
            existing = await uow.conversations.get(person.id)
            if ref.conversation_type == "personal" or existing is None or existing.conversation_type != "personal":
                await uow.conversations.upsert(replace(ref, participant_id=person.id), now)
            if ref.conversation_type == "personal" and person.unreachable_at is not None:
                await uow.participants.mark_reachable(person.id)
                person.unreachable_at = None
        return person


@dataclass(frozen=True)
class FacilitatorDirectory:
    """Who facilitates: granted the role in chat, or named in FACILITATORS (id, AAD object id or email)."""

    configured: frozenset[str] = frozenset()

    def includes(self, person: Participant) -> bool:
        """Whether this person is a facilitator."""
        return is_facilitator(person, self.configured)

    async def ids(self, uow: UnitOfWork) -> list[int]:
        """Every facilitator's participant id, inside the caller's unit of work."""
        return await facilitator_ids(uow, self.configured)


def is_facilitator(person: Participant, configured: frozenset[str]) -> bool:
    """Facilitator by role (granted in chat) or named in FACILITATORS (id, AAD object id or email)."""
    if person.role == Role.FACILITATOR:
        return True
    names = {person.user_id.lower(), person.aad_object_id.lower(), person.email.lower()} - {""}
    return bool(names & configured)


async def facilitator_ids(uow: UnitOfWork, configured: frozenset[str]) -> list[int]:
    """Everyone who facilitates: granted the role in chat or named in FACILITATORS."""
    return [p.id for p in await uow.participants.list_all() if is_facilitator(p, configured)]
