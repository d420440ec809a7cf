"""Who facilitates: people granted the role in chat, and people named in FACILITATORS.

A FACILITATORS entry (an email, an Entra object id, or in development a chat user id) is
resolved once, the first time it names someone in the home tenant, and *pinned* to that
person: their participant row, tenant and Entra object id. From then on the entry means
that person only, so someone who later takes the same email in another directory (or in
another organisation's tenant) never becomes a facilitator. A pin is revoked, never moved,
when the role is removed in chat. Facilitators from a tenant outside ALLOWED_TENANT_IDS are
never recognised, whichever way they got the role.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from domain.core.audit import record_event
from domain.core.model import Participant, Role
from domain.core.pins import FacilitatorPin
from domain.core.ports import UnitOfWork


@dataclass(frozen=True)
class FacilitatorDirectory:
    """The facilitator rule for one deployment: FACILITATORS entries, the allowed tenants (the first is
    home) and whether chat user ids may name people (development only)."""

    configured: frozenset[str] = frozenset()
    tenants: tuple[str, ...] = ()
    user_ids: bool = True

    @property
    def home_tenant(self) -> str:
        """Where FACILITATORS entries are resolved; '' (no allow-list) means the first tenant they name someone in."""
        return self.tenants[0] if self.tenants else ""

    def names(self, person: Participant) -> frozenset[str]:
        """The FACILITATORS entries that name this person, if they are in the home tenant."""
        if self.home_tenant and person.tenant_id != self.home_tenant:
            return frozenset()
        own = {person.email.lower(), person.aad_object_id.lower()}
        if self.user_ids:
            own.add(person.user_id.lower())
        return frozenset((own - {""}) & self.configured)

    def by_role(self, person: Participant) -> bool:
        """Granted the role in chat, and in an allowed tenant."""
        return person.role == Role.FACILITATOR and (not self.tenants or person.tenant_id in self.tenants)

    def holds(self, pin: FacilitatorPin, person: Participant) -> bool:
        """Whether this pin makes this person a facilitator: still configured, not revoked, in the home
        tenant, and the very person (row, tenant and Entra object id) it was pinned to."""
        return (
            pin.entry in self.configured
            and pin.revoked_at is None
            and (not self.home_tenant or pin.tenant_id == self.home_tenant)
            and (pin.participant_id, pin.tenant_id, pin.aad_object_id)
            == (person.id, person.tenant_id, person.aad_object_id)
        )

    async def is_facilitator(self, uow: UnitOfWork, person: Participant) -> bool:
        """Whether this person facilitates now (reads only)."""
        if self.by_role(person):
            return True
        if not self.configured:
            return False
        return any(self.holds(pin, person) for pin in await self._pins(uow))

    async def recognise(self, uow: UnitOfWork, person: Participant, now: datetime) -> bool:
        """`is_facilitator`, first pinning any FACILITATORS entry that names this person for the first time."""
        if self.by_role(person):
            return True
        if not self.configured:
            return False
        pins = await self._pins(uow)
        if any(self.holds(pin, person) for pin in pins):
            return True
        if not await self.pin(uow, [person], now, {pin.entry for pin in pins}):
            return False
        return any(self.holds(pin, person) for pin in await self._pins(uow))  # re-read: a racing turn may have won

    async def pin(
        self, uow: UnitOfWork, people: Iterable[Participant], now: datetime, taken: set[str] | None = None
    ) -> list[int]:
        """Pin each entry not pinned yet to the first of `people` (by id) it names; the role grant is audited
        (by the companion: the configuration granted it). Returns who was pinned."""
        if taken is None:
            taken = {pin.entry for pin in await self._pins(uow)}
        pinned: list[int] = []
        for person in sorted(people, key=lambda p: p.id):
            for entry in sorted(self.names(person) - taken):
                taken.add(entry)
                pin = FacilitatorPin(entry, person.id, person.tenant_id, person.aad_object_id, now)
                if await uow.facilitator_pins.add(pin):
                    if person.id not in pinned and not self.by_role(person):
                        await record_event(uow, None, "grant_facilitator", person.id, now)
                    pinned.append(person.id)
        return pinned

    async def ids(self, uow: UnitOfWork) -> list[int]:
        """Every facilitator's participant id (reads only; safe in a read-only transaction)."""
        pins = await self._pins(uow)
        wanted = set(await uow.participants.facilitator_ids()) | {pin.participant_id for pin in pins}
        people = await uow.participants.get_many(sorted(wanted))
        return sorted(
            pid for pid, person in people.items() if self.by_role(person) or any(self.holds(p, person) for p in pins)
        )

    async def _pins(self, uow: UnitOfWork) -> list[FacilitatorPin]:
        return await uow.facilitator_pins.pins(self.configured) if self.configured else []
