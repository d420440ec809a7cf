"""Broadcast data: drafts, stored broadcasts, deliveries and what the services report.

Who a broadcast reached is not stored here: each recipient has outbox rows keyed
`broadcast:<id>:<participant>:<attempt>`, and `BroadcastRepo.deliveries` reads their status back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from domain.core.model import Cohort, OutboxStatus


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


BUCKETS = {
    OutboxStatus.PENDING: "pending",
    OutboxStatus.SENDING: "pending",
    OutboxStatus.SENT: "sent",
    OutboxStatus.DEAD: "failed",
    OutboxStatus.UNREACHABLE: "unreachable",
    OutboxStatus.CANCELLED: "cancelled",
}


@dataclass(frozen=True)
class Summary:
    """Per-recipient delivery status of one broadcast (each person's latest attempt)."""

    pending: int = 0
    sent: int = 0
    failed: int = 0
    unreachable: int = 0
    cancelled: int = 0
    unreachable_names: tuple[str, ...] = ()

    @classmethod
    def of(cls, statuses: Sequence[OutboxStatus], unreachable_names: Sequence[str] = ()) -> Summary:
        """Count statuses into the four buckets facilitators see (plus cancelled)."""
        counts = {bucket: 0 for bucket in BUCKETS.values()}
        for status in statuses:
            counts[BUCKETS[status]] += 1
        return cls(**counts, unreachable_names=tuple(unreachable_names))


@dataclass(frozen=True)
class AudiencePreview:
    """How many people an audience covers now, and the cohorts (to name a cohort audience)."""

    count: int
    cohorts: tuple[Cohort, ...]


@dataclass(frozen=True)
class Created:
    """A stored broadcast; `queued` when it was due now and its outbox rows are in."""

    broadcast: Broadcast
    queued: bool


@dataclass(frozen=True)
class Resent:
    """How many recipients whose delivery failed get it again."""

    count: int
    queued: bool


@dataclass(frozen=True)
class StatusReport:
    """Recent broadcasts with each one's delivery summary, and the cohorts to name their audiences."""

    rows: tuple[tuple[Broadcast, Summary], ...]
    cohorts: tuple[Cohort, ...]
