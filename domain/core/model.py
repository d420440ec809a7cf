"""Programme entities as plain dataclasses (storage maps rows to and from these)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from domain.core.budget import is_budgeted

SMALL_GROUP_MIN = 5  # counts about fewer people than this are never shown: a small group could identify someone


class Role(str, Enum):
    PARTNER = "partner"
    FACILITATOR = "facilitator"


class Group(str, Enum):
    """Programme group. BME_COLLEAGUE reveals ethnicity: special category data."""

    SENIOR_LEADER = "senior_leader"
    BME_COLLEAGUE = "bme_colleague"
    BOTH = "both"


# How each group is named to the person choosing it and to facilitators (never to a partner).
GROUP_TITLES = {
    Group.SENIOR_LEADER.value: "Senior leader",
    Group.BME_COLLEAGUE.value: "Black and minority ethnic colleague",
    Group.BOTH.value: "Both",
}


class PartnershipStatus(str, Enum):
    ACTIVE = "active"
    PAUSED = "paused"
    ENDED = "ended"


class OutboxStatus(str, Enum):
    PLANNED = "planned"  # counts against a daily budget: not sent until the budget pass promotes it
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    DEAD = "dead"
    UNREACHABLE = "unreachable"
    CANCELLED = "cancelled"


@dataclass
class Cohort:
    id: int
    name: str
    join_code: str
    start_date: date
    length_months: int
    profile_questions: list[str]
    created_at: datetime | None = None
    quiet_weeks: int = 4  # weeks without a meeting before a pair counts as quiet
    inactive_weeks: int = 8  # ... and as inactive


@dataclass
class Participant:
    """A person known to the companion (installed it, enrolled, or facilitates)."""

    id: int
    channel_id: str
    user_id: str
    name: str = ""
    aad_object_id: str = ""
    email: str = ""
    role: Role = Role.PARTNER
    cohort_id: int | None = None
    group: Group | None = None
    consent_at: datetime | None = None
    consent_declined_at: datetime | None = None
    meeting_rhythm: str = ""
    meeting_format: str = ""
    time_zone: str = "Europe/London"
    enrolled_at: datetime | None = None
    unreachable_at: datetime | None = None
    unreachable_alerted_at: datetime | None = None  # facilitators were told (cleared when reachable again)
    tenant_id: str = ""  # the Teams (Entra ID) tenant of their first message; '' outside Teams
    erased_at: datetime | None = None  # their data was erased: the record stays, naming nobody
    number: int | None = None  # within the cohort: #1 is its first participant (the id is internal)

    @property
    def label(self) -> str:
        """How facilitators see and type the person's number: "#3" (their number in their cohort)."""
        return f"#{self.number}" if self.number is not None else ""

    @property
    def is_enrolled(self) -> bool:
        return self.enrolled_at is not None and self.cohort_id is not None


@dataclass
class ProfileAnswer:
    question: str
    answer: str


@dataclass
class Partnership:
    id: int
    cohort_id: int
    partner_a_id: int
    partner_b_id: int
    status: PartnershipStatus = PartnershipStatus.ACTIVE
    started_on: date | None = None
    ended_at: datetime | None = None
    end_reason: str = ""
    paused_until: date | None = None  # None: paused until someone resumes it
    resumed_on: date | None = None  # the quiet-pair clock restarts here after a pause
    pause_reason: str = ""  # private to facilitators: never shown to the partner

    def other(self, participant_id: int) -> int:
        """The partner of `participant_id` in this partnership."""
        return self.partner_b_id if participant_id == self.partner_a_id else self.partner_a_id


@dataclass
class ConversationRef:
    """Where to reach a person proactively (one per participant, upserted every turn)."""

    participant_id: int
    channel_id: str
    service_url: str
    conversation_id: str
    user_id: str
    bot_id: str
    bot_name: str = ""
    tenant_id: str = ""
    conversation_type: str = "personal"


@dataclass
class OutboxMessage:
    """A proactive message waiting to be sent (or sent, or given up on)."""

    id: int
    idempotency_key: str
    kind: str
    participant_id: int
    payload: dict[str, Any]
    due_at: datetime
    status: OutboxStatus = OutboxStatus.PENDING
    attempts: int = 0
    last_error: str = ""
    sent_at: datetime | None = None


@dataclass(frozen=True)
class NewOutboxMessage:
    """What a domain rule asks to be sent; the idempotency key makes re-runs harmless."""

    idempotency_key: str
    kind: str
    participant_id: int
    payload: dict[str, Any]
    due_at: datetime
    at_once: bool = False  # asked for now by a facilitator: pending at once, still counted in the day's budget
    within_budget: bool = False  # the day's budget was decided as it was queued (core/budget_queue.py): pending

    @property
    def budgeted(self) -> bool:
        """Held as planned until the daily budget pass promotes it (unprompted kinds not asked for now and
        not already given a place in their day's budget)."""
        return is_budgeted(self.kind) and not (self.at_once or self.within_budget)


@dataclass(frozen=True)
class NudgeRecord:
    """One nudge step sent about a partnership (participant_id None: the facilitator alert)."""

    step: int
    participant_id: int | None
    sent_at: datetime


@dataclass(frozen=True)
class CheckinRecord:
    """One partner's private check-in answer ("fine", "not_working" or "contact")."""

    participant_id: int
    answer: str
    created_at: datetime


def outbox_key(kind: str, subject: str | int, recipient: int, occurrence: str | int = 0) -> str:
    """Unique key per (kind, subject, recipient, occurrence), as DESIGN.md requires."""
    return f"{kind}:{subject}:{recipient}:{occurrence}"
