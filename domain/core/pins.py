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

    async def held_by(self, participant_id: int) -> list[FacilitatorPin]:
        """Every pin naming this person (revoked ones included), by entry (their `my data` page)."""
        ...

    async def revoke_held_by(self, participant_id: int, now: datetime) -> int:
        """Revoke every pin this person holds; how many there were."""
        ...

    async def revoke_erased(self, participant_id: int, now: datetime) -> int:
        """Revoke every pin this person holds and clear the tenant and Entra object id it recorded (their
        data is erased); the entry stays, so it never names anyone else. How many there were."""
        ...

    async def lock_roles(self) -> None:
        """Serialise role changes until the transaction ends (so two removals cannot leave nobody)."""
        ...
