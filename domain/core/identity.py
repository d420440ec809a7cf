"""Who is talking and who facilitates: participants are created on first contact and their
address kept fresh; facilitators are configured or granted the role in chat."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from urllib.parse import quote

from domain.core.audit import record_event
from domain.core.model import ConversationRef, NewOutboxMessage, Participant, Role, outbox_key
from domain.core.ports import Store, UnitOfWork
from domain.core.wording import facilitator_welcome


@dataclass(frozen=True)
class Identity:
    """A person as a channel identifies them."""

    channel_id: str
    user_id: str
    name: str = ""
    aad_object_id: str = ""


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


async def record_email(store: Store, participant_id: int, email: str) -> None:
    """Keep the email Teams told us (facilitators may be configured by email)."""
    async with store.transaction() as uow:
        await uow.participants.set_email(participant_id, email)


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
    """Everyone who facilitates: granted the role in chat or named in FACILITATORS (`is_facilitator`, in SQL)."""
    return await uow.participants.facilitator_ids(configured)


@dataclass(frozen=True)
class Candidates:
    """People who could be made facilitators, and the one the request named (if it named one)."""

    people: list[Participant]
    named: Participant | None


@dataclass(frozen=True)
class Granted:
    """The facilitator role was granted; the welcome note is queued for them."""

    participant_id: int
    queued: bool = True


def find_person(people: list[Participant], wanted: str) -> Participant | None:
    """Match '#12', an email address or a unique name (case-insensitive)."""
    wanted = wanted.strip().lower()
    if not wanted:
        return None
    if wanted.startswith("#") and wanted[1:].isdigit():
        return next((p for p in people if p.id == int(wanted[1:])), None)
    matches = [p for p in people if wanted in (p.email.lower(), p.name.lower(), p.aad_object_id.lower())]
    return matches[0] if len(matches) == 1 else None


async def facilitator_candidates(store: Store, wanted: str) -> Candidates:
    """Everyone not yet granted the role, and whoever `wanted` ('#12', email or name) names."""
    async with store.transaction() as uow:
        people = [p for p in await uow.participants.list_all() if p.role != Role.FACILITATOR and not p.erased_at]
    return Candidates(people, find_person(people, wanted))


async def grant_facilitator(store: Store, participant_id: int, now: datetime, granted_by: int | None = None) -> Granted:
    """Grant the facilitator role, queue them a welcome listing what they can now do, and audit it."""
    note = facilitator_welcome().to_dict()
    key = outbox_key("facilitator_added", participant_id, participant_id)
    async with store.transaction() as uow:
        await uow.participants.set_role(participant_id, Role.FACILITATOR)
        await uow.outbox.enqueue([NewOutboxMessage(key, "facilitator_added", participant_id, note, now)], now)
        await record_event(uow, granted_by, "grant_facilitator", participant_id, now)
    return Granted(participant_id)
