"""The audit trail's shape and its one writer: who did what to whom, by id only.

An entry never holds a name, an email or anything typed: an actor id (None for the
companion itself), an action word, a subject id and a time. That is what lets an entry
outlive the erasure of the person it names ("participant #12 erased at ...").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

# The actions recorded; `record_event` refuses anything else so no free text slips in.
ACTIONS = frozenset(
    {
        "grant_facilitator",
        "remove_facilitator",
        "export_own_data",
        "erase_participant",
        "export_poll",
        "purge",
        "open_dashboard",
    }
)


@dataclass(frozen=True)
class AuditEntry:
    """One recorded action."""

    id: int
    at: datetime
    actor_id: int | None
    action: str
    subject_id: int | None


class AuditRepo(Protocol):
    """The audit trail (storage/repo_audit.py)."""

    async def add(self, actor_id: int | None, action: str, subject_id: int | None, now: datetime) -> None: ...
    async def recent(self, limit: int) -> list[AuditEntry]:
        """The newest `limit` entries, newest first."""
        ...

    async def about(self, participant_id: int) -> list[AuditEntry]:
        """Entries the person did or that were done to them, oldest first (their `my data` page)."""
        ...


class HasAudit(Protocol):
    """Any unit of work that carries the audit trail."""

    audit: AuditRepo


async def record_event(uow: HasAudit, actor_id: int | None, action: str, subject_id: int | None, now: datetime) -> None:
    """Record one action inside the caller's transaction (so it is kept exactly when the action is)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    await uow.audit.add(actor_id, action, subject_id, now)
