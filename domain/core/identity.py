"""Who is talking: participants are created on first contact, their address and tenant kept,
and whether they facilitate decided in the same transaction (domain/core/facilitators.py)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from urllib.parse import quote

from domain.core.facilitators import FacilitatorDirectory
from domain.core.model import ConversationRef, Participant
from domain.core.ports import Store


@dataclass(frozen=True)
class Identity:
    """A person as a channel identifies them."""

    channel_id: str
    user_id: str
    name: str = ""
    aad_object_id: str = ""
    tenant_id: str = ""


@dataclass(frozen=True)
class Arrival:
    """Who wrote, and whether they facilitate."""

    person: Participant
    is_facilitator: bool


TEAMS_CHAT = "https://teams.microsoft.com/l/chat/0/0"
SLACK_CHAT = "https://slack.com/app_redirect"


def chat_link(person: Participant, viewer: Participant | None = None) -> str:
    """A link that opens a one-to-one chat with `person` where `viewer` can follow it; '' when none.

    Identity knows how each channel addresses people: a Teams chat by email or AAD id, a Slack
    DM by workspace and user id (only for a viewer in the same workspace). People on two
    different platforms get no link: neither could open the other's.
    """
    if viewer is not None and viewer.channel_id != person.channel_id:
        return ""
    if person.channel_id == "slack":
        workspace, _, user = person.user_id.rpartition(":")
        if not (workspace and user) or (viewer is not None and viewer.user_id.rpartition(":")[0] != workspace):
            return ""
        return f"{SLACK_CHAT}?team={quote(workspace)}&channel={quote(user)}"
    if person.email:
        return f"{TEAMS_CHAT}?users={quote(person.email)}"
    if person.aad_object_id:
        return f"{TEAMS_CHAT}?users={quote('8:orgid:' + person.aad_object_id)}"
    return ""


async def register(store: Store, identity: Identity, ref: ConversationRef | None, now: datetime) -> Participant:
    """Upsert the participant and, when given, where to reach them (`arrive` without the facilitator check)."""
    return (await arrive(store, identity, ref, now, None)).person


async def arrive(
    store: Store,
    identity: Identity,
    ref: ConversationRef | None,
    now: datetime,
    facilitators: FacilitatorDirectory | None,
) -> Arrival:
    """Upsert the participant and, when given, where to reach them; recognise a facilitator (pinning a
    FACILITATORS entry that names them for the first time), all in one transaction.

    A personal (1:1) conversation is the address we want; a team-channel reference is
    kept only until we have a personal one (the sender opens a 1:1 chat from it).

    Most turns come from someone already known, at the address already stored: that is
    settled by reading alone (`_settled`), so an ordinary turn takes no write lock here.
    """
    settled = await _settled(store, identity, ref, facilitators)
    if settled is not None:
        return settled
    async with store.transaction() as uow:
        person = await uow.participants.upsert_identity(
            identity.channel_id, identity.user_id, identity.name, identity.aad_object_id, now, identity.tenant_id
        )
        if ref is not None:
            existing = await uow.conversations.get(person.id)
            if ref.conversation_type == "personal" or existing is None or existing.conversation_type != "personal":
                await uow.conversations.upsert(replace(ref, participant_id=person.id), now)
            if ref.conversation_type == "personal" and person.unreachable_at is not None:
                await uow.participants.mark_reachable(person.id)
                person.unreachable_at = None
        leads = facilitators is not None and await facilitators.recognise(uow, person, now)
        return Arrival(person, leads)


async def _settled(
    store: Store, identity: Identity, ref: ConversationRef | None, facilitators: FacilitatorDirectory | None
) -> Arrival | None:
    """The arrival when `arrive`'s write would change nothing (read only); None when it would."""
    async with store.reading() as uow:
        person = await uow.participants.find_by_user(identity.channel_id, identity.user_id)
        if person is None or _identity_changes(person, identity):
            return None
        if ref is not None:
            existing = await uow.conversations.get(person.id)
            if _ref_changes(replace(ref, participant_id=person.id), existing):
                return None
            if ref.conversation_type == "personal" and person.unreachable_at is not None:
                return None
        leads = await facilitators.recognised(uow, person) if facilitators is not None else False
        return None if leads is None else Arrival(person, leads)


def _identity_changes(person: Participant, identity: Identity) -> bool:
    """Whether `upsert_identity` would change the stored person: a new non-empty name or Entra id, or
    a first tenant."""
    return (
        identity.name not in ("", person.name)
        or identity.aad_object_id not in ("", person.aad_object_id)
        or (not person.tenant_id and identity.tenant_id != "")
    )


def _ref_changes(ref: ConversationRef, existing: ConversationRef | None) -> bool:
    """Whether `arrive` would store `ref`: a personal address, or any address while no personal one is
    kept, that differs from the stored one."""
    if existing is not None and ref.conversation_type != "personal" and existing.conversation_type == "personal":
        return False  # a team-channel reference never replaces a personal one
    return ref != existing


async def record_email(
    store: Store,
    participant_id: int,
    email: str,
    facilitators: FacilitatorDirectory | None = None,
    now: datetime | None = None,
) -> None:
    """Keep the email Teams told us; a FACILITATORS email naming this person for the first time is pinned."""
    async with store.transaction() as uow:
        await uow.participants.set_email(participant_id, email)
        person = await uow.participants.get(participant_id)
        if facilitators is not None and now is not None and person is not None:
            await facilitators.pin(uow, [person], now)


async def recognise(store: Store, facilitators: FacilitatorDirectory, participant_id: int, now: datetime) -> bool:
    """Whether this person facilitates now (pinning a FACILITATORS entry that names them for the first time)."""
    async with store.transaction() as uow:
        person = await uow.participants.get(participant_id)
        return person is not None and await facilitators.recognise(uow, person, now)


async def pin_configured(store: Store, facilitators: FacilitatorDirectory, now: datetime) -> int:
    """At start-up: pin every FACILITATORS entry that names someone already known; how many people."""
    if not facilitators.configured:
        return 0
    async with store.transaction() as uow:
        return len(await facilitators.settle(uow, now))
