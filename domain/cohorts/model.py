"""Cohort data: drafts, limits, and the roster snapshot facilitators look at."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from domain.aims.model import AimsStatus
from domain.core.model import Cohort, Participant, Partnership, PartnershipStatus

MIN_MONTHS, MAX_MONTHS = 12, 15
# No 0/O, 1/I/L: codes are read aloud in launch sessions and typed on phones.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
MAX_QUIET_WEEKS = 26


class CohortError(ValueError):
    """A cohort request that cannot be met; the message is safe to show the facilitator."""


@dataclass(frozen=True)
class CohortDraft:
    """What a facilitator asks for when creating a cohort."""

    name: str
    start_date: date
    length_months: int
    profile_questions: tuple[str, ...]


@dataclass(frozen=True)
class Thresholds:
    """The outcome of `quiet weeks`: the cohort changed (None when the request was unclear)."""

    cohort: Cohort | None
    quiet_weeks: int
    inactive_weeks: int
    cohorts: list[Cohort]


@dataclass(frozen=True)
class Roster:
    """A snapshot of one cohort."""

    cohort: Cohort
    participants: list[Participant]
    partnerships: list[Partnership]
    aims: dict[int, AimsStatus] = field(default_factory=dict)

    def current_partner_of(self, participant_id: int) -> Participant | None:
        """The person's partner in a current (active or paused) partnership."""
        for p in self.partnerships:
            if p.status != PartnershipStatus.ENDED and participant_id in (p.partner_a_id, p.partner_b_id):
                return self.by_id(p.other(participant_id))
        return None

    def by_id(self, participant_id: int) -> Participant | None:
        """The participant with this id, if they are in the cohort."""
        return next((p for p in self.participants if p.id == participant_id), None)

    def unpaired(self) -> list[Participant]:
        """Enrolled people without a current partner."""
        return [p for p in self.participants if p.is_enrolled and self.current_partner_of(p.id) is None]

    def current(self) -> list[Partnership]:
        """Active and paused partnerships."""
        return [p for p in self.partnerships if p.status != PartnershipStatus.ENDED]
