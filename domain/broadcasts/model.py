"""Broadcast data: drafts, stored broadcasts, deliveries and what the services report.

Who a broadcast reached is not stored here: each recipient has outbox rows keyed
`broadcast:<id>:<participant>:<attempt>`, inserted in the background batch by batch
(`materialised_through` is the cursor), and `BroadcastRepo.summary` counts their status.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from domain.core.model import Cohort, OutboxStatus, Partnership


class AudienceKind(str, Enum):
    """Who a broadcast goes to; the value (cohort id, group, health state) says which ones."""

    EVERYONE = "everyone"
    COHORT = "cohort"
    GROUP = "group"
    HEALTH = "health"


class BroadcastStatus(str, Enum):
    SCHEDULED = "scheduled"
    SENDING = "sending"  # outbox rows being inserted in the background, batch by batch
    SENT = "sent"  # every recipient has a row; delivery status is in the outbox
    RESENDING = "resending"  # next attempts for failed deliveries being inserted, batch by batch
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
    recipients: int = 0  # rows inserted so far (first attempts)
    sent_at: datetime | None = None  # when every recipient had a row
    materialised_through: int = 0  # the cursor: the last participant id this phase has looked at


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
    def of(cls, counts: Mapping[OutboxStatus, int], unreachable_names: Sequence[str] = ()) -> Summary:
        """Add per-status counts into the four buckets facilitators see (plus cancelled)."""
        buckets = {bucket: 0 for bucket in BUCKETS.values()}
        for status, count in counts.items():
            buckets[BUCKETS[status]] += count
        return cls(**buckets, unreachable_names=tuple(unreachable_names))


@dataclass(frozen=True)
class AudiencePreview:
    """How many people an audience covers now, and the cohorts (to name a cohort audience)."""

    count: int
    cohorts: tuple[Cohort, ...]


@dataclass(frozen=True)
class Selection:
    """Enrolled people an audience covers, as storage can query them: one cohort, some groups, or all."""

    cohort_id: int | None = None
    groups: frozenset[str] = frozenset()  # Group values; empty means any group
    nobody: bool = False  # e.g. a cohort audience naming no cohort


@dataclass(frozen=True)
class PairFacts:
    """What a health audience needs about one current partnership, read in bulk."""

    partnership: Partnership
    quiet_weeks: int
    inactive_weeks: int
    last_activity: datetime | None
    has_upcoming: bool


@dataclass(frozen=True)
class Window:
    """One batch of an audience: the recipients in it and the last participant id it covered."""

    recipients: tuple[int, ...]
    through: int
    done: bool


@dataclass(frozen=True)
class Created:
    """A stored broadcast; `queued` when it is due now (the background inserts its rows at once)."""

    broadcast: Broadcast
    queued: bool


@dataclass(frozen=True)
class Cancelled:
    """Whether a broadcast was stopped, and whether some of it had already gone out."""

    stopped: bool
    underway: bool = False


@dataclass(frozen=True)
class Resent:
    """How many recipients whose delivery failed get it again (their rows are inserted in the background)."""

    count: int
    queued: bool


@dataclass(frozen=True)
class StatusReport:
    """Recent broadcasts with each one's delivery summary, and the cohorts to name their audiences."""

    rows: tuple[tuple[Broadcast, Summary], ...]
    cohorts: tuple[Cohort, ...]
