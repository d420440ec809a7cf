"""Dashboard data: sign-in links and sessions, and what each page shows (counts already suppressed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import Enum

from domain.health.model import Health

LINK_LIFETIME = timedelta(minutes=10)  # PLP_DASHBOARD_LINK_MINUTES
IDLE_TIMEOUT = timedelta(minutes=30)  # PLP_DASHBOARD_IDLE_MINUTES
MAX_SESSION = timedelta(hours=12)  # a session ends this long after sign-in, however busy
TOUCH_EVERY = timedelta(minutes=1)  # `last_seen_at` is written at most this often (the idle clock's grain)


class Refusal(str, Enum):
    """Why a sign-in link or a session lets nobody in (each has its own page and status)."""

    INVALID_LINK = "invalid_link"  # altered, cut short, or not a dashboard link
    EXPIRED_LINK = "expired_link"
    USED_LINK = "used_link"
    NOT_FACILITATOR = "not_facilitator"
    NO_SESSION = "no_session"  # no cookie, an unknown one, or signed out
    TIMED_OUT = "timed_out"  # idle too long, or past the longest session


@dataclass(frozen=True)
class SignInLink:
    """The `dashboard` command's answer: a link that works once, until `expires_at`."""

    url: str
    expires_at: datetime
    queued: bool = False


@dataclass(frozen=True)
class SessionRecord:
    """A stored session (its id is the SHA-256 of the cookie, never the cookie)."""

    id: str
    participant_id: int
    csrf_token: str
    created_at: datetime
    last_seen_at: datetime
    ended_at: datetime | None = None


@dataclass(frozen=True)
class Viewer:
    """The facilitator a page is for: checked on every request."""

    participant_id: int
    name: str
    time_zone: str
    csrf_token: str


@dataclass(frozen=True)
class SignedIn:
    """A new session: the cookie value to set (shown once, stored only as a digest) and who it is for."""

    cookie: str
    viewer: Viewer


@dataclass(frozen=True)
class Cell:
    """One count as a page shows it: the number, or (suppressed) the note in its place."""

    label: str
    count: int | None
    note: str = ""
    key: str = ""  # a filter value the label links to ("" for none)

    @property
    def shown(self) -> str:
        return self.note if self.count is None else str(self.count)


@dataclass(frozen=True)
class CohortSummary:
    """One cohort on the overview: people by status and pairs by state, each suppressed."""

    id: int
    name: str
    join_code: str
    start_date: date
    people: tuple[Cell, ...]  # paired, paused, waiting: they add up to `enrolled`
    enrolled: Cell
    pairs: tuple[Cell, ...]  # active, paused, ended
    unreachable: Cell


@dataclass(frozen=True)
class PairRow:
    """One partnership on the partnerships page (names, never groups or private answers)."""

    id: int
    cohort_id: int
    cohort: str
    names: tuple[str, str]
    health: Health
    last_met: date | None
    aims_agreed: bool
    prompts_sent: int
    prompts_total: int
    phase: str  # the phase of the latest guide prompt sent ("" before the first)


@dataclass(frozen=True)
class PairFilter:
    """What the partnerships page is narrowed to (from its query string)."""

    cohort_id: int | None = None
    health: Health | None = None
    name: str = ""


@dataclass(frozen=True)
class Partnerships:
    """The partnerships page: the rows matching the filter, and the health counts over every pair."""

    rows: tuple[PairRow, ...]
    health: tuple[Cell, ...]
    cohorts: tuple[tuple[int, str], ...]
    chosen: PairFilter = field(default_factory=PairFilter)


@dataclass(frozen=True)
class Series:
    """A chart's data: labelled counts (suppressed), and the total when showing it is safe."""

    title: str
    cells: tuple[Cell, ...]
    total: Cell | None = None


@dataclass(frozen=True)
class Unreachable:
    """Someone the companion could not reach (their chat was removed or blocked)."""

    participant_id: int
    name: str
    cohort: str
    since: datetime
