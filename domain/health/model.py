"""Partnership health data: how a pair is doing, the nudge ladder's steps, the choices partners
make, and what each use case returns (worded in wording.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

from domain.core.model import Cohort, Partnership

NUDGE, CHECKIN, ALERT = 1, 2, 3
NUDGE_STEPS = (NUDGE, CHECKIN, ALERT)
CHECKIN_ANSWERS = ("fine", "not_working", "contact")
PAUSE_REASONS = ("leave", "clinical_pressure", "other")
AFTER_LEAVING = ("repair", "close", "informal")
FACILITATOR_PAUSE = "facilitator"  # stored as the pause reason when the programme team pauses a pair


class Health(str, Enum):
    """How a partnership is doing, as facilitators see it."""

    ACTIVE = "active"
    QUIET = "quiet"
    INACTIVE = "inactive"
    PAUSED = "paused"
    ENDED = "ended"


@dataclass(frozen=True)
class Activity:
    """What the ladder reads of a pair's meetings: the latest activity and whether one is booked ahead."""

    last: datetime | None = None
    has_upcoming: bool = False


@dataclass(frozen=True)
class Quiet:
    """A partnership the ladder looks at: quiet or inactive since `since`."""

    partnership: Partnership
    cohort: Cohort
    health: Health
    since: datetime


@dataclass(frozen=True)
class HealthRow:
    """One partnership on the facilitators' health report (no group membership, no private answers)."""

    cohort: str
    names: tuple[str, str]
    health: Health
    last_met: date | None
    aims_agreed: bool


@dataclass(frozen=True)
class Paused:
    """A partnership paused until `until` (None: until resumed); `partner_name` is who was told
    when a partner paused it (empty when the programme team did, and both partners were told)."""

    until: date | None
    partner_name: str = ""
    queued: bool = True
    booked: tuple[Booked, ...] = ()  # meetings already booked inside the pause: kept unless cancelled
    time_zone: str = "Europe/London"  # of whoever paused, to show those meetings in


@dataclass(frozen=True)
class Booked:
    """A meeting already booked when a partnership is paused (it is kept; either partner may cancel it)."""

    meeting_id: int
    start_at: datetime


@dataclass(frozen=True)
class Resumed:
    """A resume: whether there was a pause to end, and (when a partner resumed) who was told."""

    was_paused: bool
    partner_name: str = ""
    queued: bool = False


@dataclass(frozen=True)
class CheckinSaved:
    """A private check-in answer kept; `queued` when it asked the programme team to make contact."""

    answer: str
    queued: bool = False


@dataclass(frozen=True)
class AfterLeaving:
    """What the partner who stays chose next, and whether a new partner could be asked for."""

    choice: str
    already_paired: bool = False
    queued: bool = False


@dataclass(frozen=True)
class PartnerLeft:
    """A partnership ended because a partner left the trust: who left and who stays."""

    leaver_name: str
    staying_name: str
    queued: bool = True


@dataclass(frozen=True)
class PairStanding:
    """For checking a partner's card: the partnership it named (None unless the person was in it) and the
    person's current partnership (None when they have none)."""

    named: Partnership | None
    current: Partnership | None
