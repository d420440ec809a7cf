"""Granting and removing the facilitator role in chat (`add facilitator`, `remove facilitator`).

Both are audited by id only. A removal never leaves the programme without a facilitator,
and revokes any FACILITATORS pin the person held, so the configuration no longer makes
them one either (`add facilitator` gives the role back).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.core.audit import record_event
from domain.core.facilitators import FacilitatorDirectory
from domain.core.model import NewOutboxMessage, Participant, Role, outbox_key
from domain.core.ports import Store
from domain.core.wording import facilitator_role_ended, facilitator_welcome


class RoleError(ValueError):
    """A role change that cannot happen; the message is the kind reply."""


@dataclass(frozen=True)
class Candidates:
    """People a role change could apply to, and the one the request named (if it named one)."""

    people: list[Participant]
    named: Participant | None


@dataclass(frozen=True)
class Granted:
    """The facilitator role was granted; the welcome note is queued for them."""

    participant_id: int
    queued: bool = True


@dataclass(frozen=True)
class Removed:
    """The facilitator role was removed."""

    participant_id: int
    themselves: bool  # they removed their own role (told in the chat, no note queued)
    configured: bool  # they were named in FACILITATORS: that entry no longer counts for them
    queued: bool


LAST_FACILITATOR = (
    "I can't remove the last facilitator: someone needs to look after the programme. "
    "Add another facilitator first (**add facilitator**), then try again."
)
NOT_A_FACILITATOR = "They aren't a facilitator at the moment, so there's nothing to remove."


def find_person(people: list[Participant], wanted: str) -> Participant | None:
    """Match '#12', an email address or a unique name (case-insensitive)."""
    wanted = wanted.strip().lower()
    if not wanted:
        return None
    if wanted.startswith("#") and wanted[1:].isdigit():
        return next((p for p in people if p.id == int(wanted[1:])), None)
    matches = [p for p in people if wanted in (p.email.lower(), p.name.lower(), p.aad_object_id.lower())]
    return matches[0] if len(matches) == 1 else None


async def facilitator_candidates(
    store: Store, wanted: str, facilitators: FacilitatorDirectory | None = None
) -> Candidates:
    """Everyone who does not facilitate yet, and whoever `wanted` ('#12', email or name) names."""
    async with store.reading() as uow:
        current = set(await (facilitators or FacilitatorDirectory()).ids(uow))
        people = [p for p in await uow.participants.list_all() if p.role != Role.FACILITATOR and p.id not in current]
    return Candidates(people, find_person(people, wanted))


async def current_facilitators(store: Store, wanted: str, facilitators: FacilitatorDirectory) -> Candidates:
    """Everyone who facilitates now, and whoever `wanted` ('#12', email or name) names."""
    async with store.reading() as uow:
        people = list((await uow.participants.get_many(await facilitators.ids(uow))).values())
    people.sort(key=lambda p: p.id)
    return Candidates(people, find_person(people, wanted))


async def grant_facilitator(store: Store, participant_id: int, now: datetime, granted_by: int | None = None) -> Granted:
    """Grant the facilitator role, queue them a welcome listing what they can now do, and audit it."""
    note = facilitator_welcome().to_dict()
    # Why the time: a role given back after a removal welcomes them again.
    key = outbox_key("facilitator_added", participant_id, participant_id, now.isoformat())
    async with store.transaction() as uow:
        await uow.participants.set_role(participant_id, Role.FACILITATOR)
        await uow.outbox.enqueue([NewOutboxMessage(key, "facilitator_added", participant_id, note, now)], now)
        await record_event(uow, granted_by, "grant_facilitator", participant_id, now)
    return Granted(participant_id)


async def remove_facilitator(
    store: Store, facilitators: FacilitatorDirectory, participant_id: int, removed_by: int | None, now: datetime
) -> Removed:
    """Remove the role (and revoke their FACILITATORS pins); tell them kindly unless they removed it themselves.

    Raises `RoleError` when they are not a facilitator or are the last one (checked in the same
    transaction as the change, so two facilitators removing each other cannot leave nobody).
    """
    async with store.transaction() as uow:
        await uow.facilitator_pins.lock_roles()
        await facilitators.settle(uow, now)  # an entry naming them but not pinned yet is pinned, then revoked
        current = await facilitators.ids(uow)
        if participant_id not in current:
            raise RoleError(NOT_A_FACILITATOR)
        if current == [participant_id]:
            raise RoleError(LAST_FACILITATOR)
        await uow.participants.set_role(participant_id, Role.PARTNER)
        configured = await uow.facilitator_pins.revoke_held_by(participant_id, now) > 0
        themselves = removed_by == participant_id
        if not themselves:
            key = outbox_key("facilitator_removed", participant_id, participant_id, now.isoformat())
            note = facilitator_role_ended().to_dict()
            await uow.outbox.enqueue([NewOutboxMessage(key, "facilitator_removed", participant_id, note, now)], now)
        await record_event(uow, removed_by, "remove_facilitator", participant_id, now)
    return Removed(participant_id, themselves, configured, queued=not themselves)
