"""The personal data the shared core keeps: the conversation with the bot (where to reach the
person, and their half-answered questions), messages queued to them, and the audit trail."""

from __future__ import annotations

from datetime import datetime

from domain.core.model import OutboxStatus
from domain.core.personal import Exported, when
from domain.core.ports import UnitOfWork
from domain.core.reply import Reply, unmarked

QUEUED = (OutboxStatus.PLANNED, OutboxStatus.PENDING, OutboxStatus.SENDING)


class ConversationData:
    """Where the bot reaches the person, and the state of a conversation in progress."""

    section = "Your conversation with the companion"
    tables = ("conversation_refs", "bot_state")

    async def export(self, uow: UnitOfWork, participant_id: int) -> Exported:
        ref = await uow.conversations.get(participant_id)
        if ref is None:
            return {}
        in_progress = await uow.dialog_state.has_conversation(ref.conversation_id)
        return {"channel": ref.channel_id, "chat": ref.conversation_type, "a conversation in progress": in_progress}

    async def traces(self, uow: UnitOfWork, participant_id: int) -> list[str]:
        return []

    async def erase(self, uow: UnitOfWork, participant_id: int, now: datetime) -> None:
        ref = await uow.conversations.get(participant_id)
        if ref is not None:
            await uow.dialog_state.forget_conversation(ref.conversation_id)
        await uow.conversations.forget(participant_id)

    async def purge_before(self, uow: UnitOfWork, cutoff: datetime) -> int:
        # Conversations abandoned for PLP_DIALOG_STATE_DAYS go sooner (domain/privacy/service.py).
        return await uow.dialog_state.forget_idle(cutoff)


class OutboxData:
    """Messages to the person: those still queued word for word; sent ones keep no text."""

    section = "Messages to you"
    tables = ("outbox",)

    async def export(self, uow: UnitOfWork, participant_id: int) -> Exported:
        messages = await uow.outbox.list_for(participant_id)
        queued = [
            {"kind": m.kind, "due": when(m.due_at), "message": _words(m.payload)}
            for m in messages
            if m.status in QUEUED
        ]
        sent = [{"kind": m.kind, "sent": when(m.sent_at)} for m in messages if m.status is OutboxStatus.SENT]
        return {"queued": queued, "sent": sent} if messages else {}

    async def traces(self, uow: UnitOfWork, participant_id: int) -> list[str]:
        return []

    async def erase(self, uow: UnitOfWork, participant_id: int, now: datetime) -> None:
        await uow.outbox.forget_recipient(participant_id)

    async def purge_before(self, uow: UnitOfWork, cutoff: datetime) -> int:
        return await uow.outbox.purge_finished(cutoff)


class AuditData:
    """Audit entries naming the person by id: kept on erasure (they hold ids, actions and times only)."""

    section = "Recorded actions"
    tables = ("audit_log",)

    async def export(self, uow: UnitOfWork, participant_id: int) -> Exported:
        entries = await uow.audit.about(participant_id)
        return {"entries": [{"at": when(e.at), "action": e.action} for e in entries]} if entries else {}

    async def traces(self, uow: UnitOfWork, participant_id: int) -> list[str]:
        return []

    async def erase(self, uow: UnitOfWork, participant_id: int, now: datetime) -> None:
        """Nothing: an entry names nobody but by number, and must outlive the erasure it records."""

    async def purge_before(self, uow: UnitOfWork, cutoff: datetime) -> int:
        return 0


class FacilitatorPinData:
    """FACILITATORS entries pinned to the person: on erasure revoked, never moved to someone else."""

    section = "Your facilitator role"
    tables = ("facilitator_pins",)

    async def export(self, uow: UnitOfWork, participant_id: int) -> Exported:
        pins = await uow.facilitator_pins.held_by(participant_id)
        shown = [{"named by": p.entry, "since": when(p.pinned_at), "ended": when(p.revoked_at)} for p in pins]
        return {"FACILITATORS entries": shown} if pins else {}

    async def traces(self, uow: UnitOfWork, participant_id: int) -> list[str]:
        return []

    async def erase(self, uow: UnitOfWork, participant_id: int, now: datetime) -> None:
        """Revoke: the entry then names nobody (a revoked pin is never moved to another person). The
        tenant and Entra object id it recorded are cleared; the entry (FACILITATORS' own value) stays."""
        await uow.facilitator_pins.revoke_erased(participant_id, now)

    async def purge_before(self, uow: UnitOfWork, cutoff: datetime) -> int:
        return 0


def _words(payload: dict[str, object]) -> str:
    """A queued message's title and text, as the person will read it."""
    if not payload:
        return ""
    reply = Reply.from_dict(dict(payload))
    # Shown as plain text (the page escapes it): the marks around what people typed are dropped.
    return unmarked("\n".join(part for part in (reply.title, reply.text) if part))
