"""Pairing data: why partnerships end, suggested pairs, and what the pairing reads return."""

from __future__ import annotations

from dataclasses import dataclass

from domain.core.model import Cohort, Participant, Partnership

END_REASONS = {
    "left_trust": "A partner left the trust",
    "completed": "The partnership has run its course",
    "not_working": "It wasn't working out",
    "left_programme": "A partner left the programme",
    "other": "Another reason",
}


class PairingError(ValueError):
    """A pairing that cannot be made; the message is safe to show the facilitator."""


@dataclass(frozen=True)
class Suggestion:
    """A possible pair for a facilitator to consider (never acted on automatically)."""

    first: Participant
    second: Participant
    reason: str


@dataclass(frozen=True)
class CohortSuggestions:
    """The suggested pairs in one cohort."""

    cohort: Cohort
    suggestions: list[Suggestion]


@dataclass(frozen=True)
class PairProposal:
    """The two people a facilitator is about to pair."""

    first: Participant
    second: Participant


@dataclass(frozen=True)
class ByNumbers:
    """Two people typed by their numbers in a cohort (`pair 1 2`): found, or the cohorts to choose from when
    the numbers could be in more than one (`cohorts` empty and `found` None: no such numbers)."""

    found: PairProposal | None = None
    cohorts: tuple[Cohort, ...] = ()


@dataclass(frozen=True)
class CurrentPair:
    """A current partnership with its two people (None when a record is missing)."""

    partnership: Partnership
    first: Participant | None
    second: Participant | None
