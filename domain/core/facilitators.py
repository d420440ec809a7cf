"""Who facilitates: people granted the role in chat, and people named in FACILITATORS.

A FACILITATORS entry (an email, an Entra object id, or in development a chat user id) is
resolved once to the first person (by id) it names in the home tenant, and *pinned* to
them: their participant row, tenant and Entra object id. Pins are written on that
person's turn, when Teams tells their email, and at start-up; reads before then resolve
the same way. From then on the entry means that person only, so someone who later takes
the same email in another directory (or in another organisation's tenant) never becomes
a facilitator. A pin is revoked, never moved, when the role is removed in chat.
Facilitators from a tenant outside ALLOWED_TENANT_IDS are never recognised, whichever way
they got the role. Slack people are keyed `<workspace>:<user>` and let in only from the
workspaces in ALLOWED_SLACK_TEAM_IDS (at the Slack endpoint), so the Teams tenant rule
does not apply to them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from domain.core.audit import record_event
from domain.core.model import Participant, Role
from domain.core.pins import FacilitatorPin
from domain.core.ports import UnitOfWork

SLACK = "slack"  # the channel id Slack people arrive under (channels/slack/inbound.py)


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
        """The FACILITATORS entries that name this person, if they are in the home tenant. A Slack person's
        user id is `<workspace>:<user>`, exact in any mode; other chat user ids count in development only."""
        if not self._at_home(person):
            return frozenset()
        own = {person.email.lower(), person.aad_object_id.lower()}
        if self.user_ids or person.channel_id == SLACK:
            own.add(person.user_id.lower())
        return frozenset((own - {""}) & self.configured)

    def by_role(self, person: Participant) -> bool:
        """Granted the role in chat, and in an allowed tenant."""
        in_list = not self.tenants or person.tenant_id in self.tenants
        return person.role == Role.FACILITATOR and (in_list or person.channel_id == SLACK)

    def holds(self, pin: FacilitatorPin, person: Participant) -> bool:
        """Whether this pin makes this person a facilitator: still configured, not revoked, in the home
        tenant, and the very person (row, tenant and Entra object id) it was pinned to."""
        return (
            pin.entry in self.configured
            and pin.revoked_at is None
            and self._at_home(person)
            and (pin.participant_id, pin.tenant_id, pin.aad_object_id)
            == (person.id, person.tenant_id, person.aad_object_id)
        )

    def _at_home(self, person: Participant) -> bool:
        """Where entries may name someone: the home tenant. Slack people are let in by ALLOWED_SLACK_TEAM_IDS at
        the Slack endpoint (their ids carry the workspace), so no Teams tenant applies to them."""
        return person.channel_id == SLACK or not self.home_tenant or person.tenant_id == self.home_tenant

    async def is_facilitator(self, uow: UnitOfWork, person: Participant) -> bool:
        """Whether this person facilitates now (reads only)."""
        held, stored = await self._held(uow, person)
        if held:
            return True
        return person.id in {p.id for p in (await self._first_named(uow, stored, self.names(person))).values()}

    async def recognise(self, uow: UnitOfWork, person: Participant, now: datetime) -> bool:
        """`is_facilitator`, first pinning the entries that name this person and are not pinned yet."""
        held, stored = await self._held(uow, person)
        if held:
            return True
        if not await self._write(uow, await self._first_named(uow, stored, self.names(person)), now):
            return False
        return any(self.holds(pin, person) for pin in await self._pins(uow))  # re-read: a racing turn may have won

    async def recognised(self, uow: UnitOfWork, person: Participant) -> bool | None:
        """What `recognise` answers when it would pin nothing (reads only, safe in a read-only transaction);
        None when an entry naming this person waits to be pinned (then `recognise` in a write)."""
        held, stored = await self._held(uow, person)
        if held:
            return True
        return None if await self._first_named(uow, stored, self.names(person)) else False

    async def _held(self, uow: UnitOfWork, person: Participant) -> tuple[bool, list[FacilitatorPin]]:
        """Whether this person facilitates by role or by a pin already stored; and the stored pins."""
        if self.by_role(person):
            return True, []
        stored = await self._pins(uow)
        return any(self.holds(pin, person) for pin in stored), stored

    async def pin(self, uow: UnitOfWork, people: Iterable[Participant], now: datetime) -> list[int]:
        """Pin the entries naming any of `people` that are not pinned yet; returns who was pinned."""
        if not self.configured:
            return []
        entries = frozenset().union(*(self.names(person) for person in people))
        return await self._write(uow, await self._first_named(uow, await self._pins(uow), entries), now)

    async def settle(self, uow: UnitOfWork, now: datetime) -> list[int]:
        """Pin every entry that names someone and is not pinned yet (start-up, and before a removal, so the
        removal revokes a real pin); returns who was pinned."""
        if not self.configured:
            return []
        return await self._write(uow, await self._first_named(uow, await self._pins(uow), self.configured), now)

    async def ids(self, uow: UnitOfWork) -> list[int]:
        """Every facilitator's participant id (reads only; safe in a read-only transaction)."""
        stored = await self._pins(uow)
        first = await self._first_named(uow, stored, self.configured)
        wanted = set(await uow.participants.facilitator_ids()) | {pin.participant_id for pin in stored}
        people = await uow.participants.get_many(sorted(wanted))
        held = {pid for pid, p in people.items() if self.by_role(p) or any(self.holds(pin, p) for pin in stored)}
        return sorted(held | {person.id for person in first.values()})

    async def _pins(self, uow: UnitOfWork) -> list[FacilitatorPin]:
        return await uow.facilitator_pins.pins(self.configured) if self.configured else []

    async def _first_named(
        self, uow: UnitOfWork, stored: list[FacilitatorPin], entries: frozenset[str]
    ) -> dict[str, Participant]:
        """Whom each of `entries` not pinned yet resolves to: the first person (by id) it names in the home
        tenant. Reads only: what the next write will pin (and, until then, who facilitates)."""
        waiting = set(entries & self.configured) - {pin.entry for pin in stored}
        first: dict[str, Participant] = {}
        if waiting:
            for person in await uow.participants.named_by(waiting):  # by id
                for entry in self.names(person) & waiting:
                    first.setdefault(entry, person)
        return first

    async def _write(self, uow: UnitOfWork, first: dict[str, Participant], now: datetime) -> list[int]:
        """Store these pins (an entry a racing transaction pinned first is left as it is); the configuration
        granted the role, so each newly pinned person is audited as granted by the companion."""
        pinned: list[int] = []
        for entry, person in sorted(first.items()):
            pin = FacilitatorPin(entry, person.id, person.tenant_id, person.aad_object_id, now)
            if await uow.facilitator_pins.add(pin) and person.id not in pinned:
                pinned.append(person.id)
                if not self.by_role(person):
                    await record_event(uow, None, "grant_facilitator", person.id, now)
        return pinned
