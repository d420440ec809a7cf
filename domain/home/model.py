"""What a home summary holds: plain data, never anyone's programme group."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class CohortCount:
    """One cohort's size for facilitators; None where the count is below the small-group minimum."""

    name: str
    enrolled: int | None
    paired: int | None


@dataclass(frozen=True)
class HomeView:
    """One person's home: who they are paired with, what comes next, and (facilitators) the cohorts."""

    known: bool = False  # the companion has met this person
    enrolled: bool = False
    cohort_name: str = ""
    partner_name: str = ""
    paused: bool = False
    next_meeting: datetime | None = None
    time_zone: str = "Europe/London"
    prompt: str = ""
    is_facilitator: bool = False
    cohorts: tuple[CohortCount, ...] = field(default_factory=tuple)
