"""Broadcast data and the storage seam for it (UnitOfWork.broadcasts).

Who a broadcast reached is not stored here: each recipient has outbox rows keyed
`broadcast:<id>:<participant>:<attempt>`, and `deliveries` reads their status back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Protocol

from domain.core.model import OutboxStatus


class AudienceKind(str, Enum):
    """Who a broadcast goes to; the value (cohort id, group, health state) says which ones."""

    EVERYONE = "everyone"
    COHORT = "cohort"
    GROUP = "group"
    HEALTH = "health"


class BroadcastStatus(str, Enum):
    SCHEDULED = "scheduled"
    SENDING = "sending"  # outbox rows being inserted (batch by batch)
    SENT = "sent"  # every recipient has a row; delivery status is in the outbox
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Audience:
    """Everyone, one cohort (value: its id), a group (value: a Group) or pairs in a health state."""

    kind: AudienceKind
    value: str = ""


@dataclass(frozen=True)
class Draft:
    """What a facilitator composed: text (light Markdown), an optional link button, the audience."""

    text: str
    audience: Audience
    link_title: str = ""
    link_url: str = ""


@dataclass(frozen=True)
class Broadcast:
    """A stored broadcast."""

    id: int
    draft: Draft
    status: BroadcastStatus
    send_at: datetime
    created_at: datetime
    created_by: int | None = None
    recipients: int = 0
    sent_at: datetime | None = None


@dataclass(frozen=True)
class Delivery:
    """One outbox row of a broadcast: who, which attempt, and how it went."""

    participant_id: int
    attempt: int
    status: OutboxStatus


class BroadcastRepo(Protocol):
    async def create(self, draft: Draft, created_by: int | None, send_at: datetime, now: datetime) -> Broadcast:
        """Store a scheduled broadcast (one due now is sent straight away by the caller)."""
        ...

    async def get(self, broadcast_id: int) -> Broadcast | None: ...
    async def recent(self, limit: int) -> list[Broadcast]:
        """The latest broadcasts, newest first."""
        ...

    async def scheduled(self) -> list[Broadcast]:
        """Broadcasts still waiting for their time, soonest first."""
        ...

    async def due(self, now: datetime, stale_before: datetime) -> list[int]:
        """Scheduled ones due at `now`, and ones left `sending` since before `stale_before` (a crash)."""
        ...

    async def start_sending(self, broadcast_id: int) -> bool:
        """Move scheduled -> sending; False when it was not scheduled (cancelled, or already taken)."""
        ...

    async def finish(self, broadcast_id: int, recipients: int, now: datetime) -> None:
        """Mark sent with the number of recipients."""
        ...

    async def cancel(self, broadcast_id: int) -> bool:
        """Cancel a scheduled broadcast; False when it was not scheduled."""
        ...

    async def deliveries(self, broadcast_id: int) -> list[Delivery]:
        """Every outbox row of the broadcast (all attempts)."""
        ...
