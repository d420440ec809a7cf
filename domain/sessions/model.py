"""Group check-in sessions: the entities, what a facilitator drafts, and what the services report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

ANSWERS = ("yes", "maybe", "no")
NO_ANSWER = ""  # invited, not answered yet


@dataclass(frozen=True)
class GroupSession:
    """A facilitator-run check-in for one cohort; `link` is "" when none was given."""

    id: int
    cohort_id: int
    title: str
    starts_at: datetime
    minutes: int
    link: str = ""
    created_by: int | None = None
    created_at: datetime | None = None
    cancelled_at: datetime | None = None
    reminded: str = ""  # the label of the latest reminder queued ("day", "hour"), "" before the first

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.minutes)


@dataclass(frozen=True)
class Invite:
    """One invitee and their RSVP ("yes", "maybe", "no", or "" for no answer yet)."""

    session_id: int
    participant_id: int
    answer: str = NO_ANSWER
    invited_at: datetime | None = None
    answered_at: datetime | None = None


@dataclass(frozen=True)
class SessionDraft:
    """What the facilitator chose; `starts_at` is aware UTC."""

    cohort_id: int
    title: str
    starts_at: datetime
    minutes: int
    link: str = ""


@dataclass(frozen=True)
class SessionCounts:
    """Attendance answers for one session (about attendance only, so shown at any size)."""

    yes: int = 0
    maybe: int = 0
    no: int = 0
    no_answer: int = 0


@dataclass(frozen=True)
class Created:
    """A new session and how many of its cohort were invited; `queued` when any invitation was."""

    session_id: int
    cohort_name: str
    invited: int
    queued: bool


@dataclass(frozen=True)
class Answered:
    """An RSVP recorded: the answer now and the one before ("" when this is the first)."""

    answer: str
    previous: str
    queued: bool = False


@dataclass(frozen=True)
class Cancelled:
    """A cancelled session: invitees being told, and pending reminders withdrawn."""

    session_id: int
    told: int
    withdrawn: int
    queued: bool
