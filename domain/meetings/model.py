"""Meetings between learning partners: the data (rules live in domain/meetings.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum


class MeetingStatus(str, Enum):
    PROPOSED = "proposed"  # waiting for the other partner (or either, for an automatic proposal)
    CONFIRMED = "confirmed"  # in both diaries
    DECLINED = "declined"
    CANCELLED = "cancelled"


class MeetingFormat(str, Enum):
    TEAMS = "teams"
    IN_PERSON = "in_person"
    PHONE = "phone"


class Outcome(str, Enum):
    """What the pair says happened (reconciled from both answers)."""

    UNKNOWN = ""
    MET = "met"
    NOT_MET = "not_met"
    MOVED = "moved"


class Answer(str, Enum):
    """One partner's answer to "did you meet?"."""

    MET = "met"
    MOVED = "moved"
    NOT_MET = "not_met"
    SKIP = "skip"


@dataclass
class Meeting:
    """A meeting proposal or a booked meeting. Times are aware UTC."""

    id: int
    partnership_id: int
    proposed_by: int | None  # None: proposed by the companion (recurring rhythm); either may accept
    status: MeetingStatus
    options: list[datetime]  # proposed start times
    start_at: datetime | None  # the agreed start, once confirmed
    duration_minutes: int
    format: MeetingFormat
    place: str = ""
    agenda: str = ""
    rhythm_weeks: int = 0  # 0: no recurring rhythm
    uid: str = ""  # iCalendar UID, stable across reschedules
    sequence: int = 0  # iCalendar SEQUENCE, +1 on every change to a booked meeting
    outcome: Outcome = Outcome.UNKNOWN
    logged_only: bool = False  # "we met" for a meeting arranged outside the companion
    created_at: datetime | None = None
    updated_at: datetime | None = None
    answers: dict[int, Answer] = field(default_factory=dict)

    @property
    def end_at(self) -> datetime | None:
        return self.start_at + timedelta(minutes=self.duration_minutes) if self.start_at else None


@dataclass(frozen=True)
class Reflection:
    """A private note: visible to its author only."""

    id: int
    participant_id: int
    meeting_id: int | None
    text: str
    created_at: datetime
