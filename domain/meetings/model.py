"""Meetings between learning partners: the data, and what the meeting services hand back."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum

from domain.core.model import Participant


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


class Done(str, Enum):
    """What a meeting service did for the person who asked (chooses the words they are told)."""

    PROPOSED = "proposed"
    BOOKED = "booked"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    WITHDRAWN = "withdrawn"
    ANSWERED = "answered"
    LOGGED = "logged"
    NOTED = "noted"


@dataclass(frozen=True)
class MeetingResult:
    """What a meeting service did, with the data its words need, and whether to wake the dispatcher."""

    done: Done
    meeting: Meeting | None  # None only for a note about no particular meeting
    partner: Participant | None = None  # the other partner, when the reply names or invites them
    time_zone: str = ""  # the asker's zone, for times in the reply
    calendar_url: str = ""  # the asker's own calendar link ("" when there is none)
    answer: Answer | None = None  # the asker's own "did you meet?" answer
    queued: bool = False


@dataclass(frozen=True)
class Overview:
    """One person's meetings: coming up, suggestions waiting, the recent log, and their own note count."""

    me: Participant
    partner: Participant
    upcoming: list[Meeting]
    waiting: list[Meeting]
    past: list[Meeting]
    notes: int


@dataclass(frozen=True)
class CalendarEntry:
    """A meeting for the signed .ics route, with the two partners who may fetch it."""

    meeting: Meeting
    partners: tuple[int, int]
    names: tuple[str, str] = ("", "")  # the partners' names, in the same order
