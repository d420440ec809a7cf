"""A FACILITATORS entry pinned to one person, and where pins are kept (domain/core/facilitators.py uses them)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class FacilitatorPin:
    """One FACILITATORS entry, resolved to one person in one tenant."""

    entry: str
    participant_id: int
    tenant_id: str
    aad_object_id: str
    pinned_at: datetime
    revoked_at: datetime | None = None


class FacilitatorPinRepo(Protocol):
    """Pinned FACILITATORS entries (storage/repo_facilitator_pins.py)."""

    async def pins(self, entries: Collection[str]) -> list[FacilitatorPin]:
        """The pins of these entries (revoked ones included), by entry."""
        ...

    async def add(self, pin: FacilitatorPin) -> bool:
        """Pin an entry; False (and nothing changes) when it was pinned already, e.g. by a racing turn."""
        ...

    async def revoke_held_by(self, participant_id: int, now: datetime) -> int:
        """Revoke every pin this person holds; how many there were."""
        ...

    async def lock_roles(self) -> None:
        """Serialise role changes until the transaction ends (so two removals cannot leave nobody)."""
        ...
