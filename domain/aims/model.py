"""Mutual aims: the data, constants and service results (no storage, no rules, no wording).

Partners are equals: nothing one person wrote privately reaches the other until both
have written theirs. Hopes, aims and ratings are free text or private: never logged.
Facilitators see only whether aims are agreed, and their content only if both share.
Rules live in domain.aims.rules, cards in domain.aims.wording, use cases in domain.aims.service.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.core.model import Participant, Partnership

PROPOSED, AGREED, SUPERSEDED = "proposed", "agreed", "superseded"
STAGES = {"mid": "mid-point review", "end": "end-of-partnership review"}
PROGRESS = ("Not started yet", "Some progress", "Good progress", "Achieved")  # stored as 1..4
NOT_PAIRED = (
    "Mutual aims start once you're paired with a learning partner. The programme team "
    "will introduce you both here, and then you can note your hopes."
)
NOTHING_TO_SHARE = "There's nothing to share yet: sharing is for aims you've both agreed."


class AimsError(ValueError):
    """A request that cannot go ahead; the message is kind and safe to show the person."""


@dataclass(frozen=True)
class Hopes:
    """One partner's private hopes for the partnership."""

    participant_id: int
    learn: str
    offer: str


@dataclass(frozen=True)
class SharedAims:
    """A proposal of two or three shared aims: proposed, then agreed or superseded."""

    id: int
    partnership_id: int
    aims: tuple[str, ...]
    proposed_by: int
    status: str
    proposed_at: datetime
    agreed_at: datetime | None = None
    shared_with_team: tuple[int, ...] = ()


@dataclass(frozen=True)
class AimsProgress:
    """How far a partnership has got: hopes noted, aims agreed, ratings given per review stage."""

    hopes_noted: int = 0
    agreed: bool = False
    rated: tuple[tuple[str, int], ...] = ()  # (stage, how many partners rated it)

    def ratings_at(self, stage: str) -> int:
        """How many partners rated progress at `stage`."""
        return dict(self.rated).get(stage, 0)


@dataclass(frozen=True)
class AimRating:
    """One partner's private progress ratings (1..4 per aim) at a review stage."""

    participant_id: int
    stage: str
    ratings: tuple[int, ...]


@dataclass(frozen=True)
class AimsStatus:
    """What facilitators may see; `aims` is None unless both partners chose to share."""

    agreed: bool
    agreed_at: datetime | None = None
    shared: bool = False
    aims: list[str] | None = None


@dataclass(frozen=True)
class AimsView:
    """Everything `aims` shows one person about their current partnership."""

    partnership: Partnership
    me: Participant
    partner: Participant
    hopes: tuple[Hopes, ...]
    proposal: SharedAims | None
    agreed: SharedAims | None
    ratings: tuple[AimRating, ...] = ()

    def hopes_of(self, participant_id: int) -> Hopes | None:
        """That person's hopes, or None."""
        return next((h for h in self.hopes if h.participant_id == participant_id), None)

    def stage_awaiting_me(self) -> str | None:
        """A review stage the partner has rated and this person has not."""
        rated = {(r.stage, r.participant_id) for r in self.ratings}
        return next((s for s in STAGES if (s, self.partner.id) in rated and (s, self.me.id) not in rated), None)


# --- what the services return (worded by domain.aims.wording) ---------------------------


@dataclass(frozen=True)
class HopesSaved:
    """Hopes noted; `people` and `hopes` are filled only once both are in (the partner's copy queued)."""

    partner: Participant
    people: tuple[Participant, ...] = ()  # partnership order, so both see the same card
    hopes: tuple[Hopes, ...] = ()
    queued: bool = False


@dataclass(frozen=True)
class AimsProposed:
    """Suggested aims sent to the partner to accept or change."""

    partner: Participant
    queued: bool = True


@dataclass(frozen=True)
class AimsAgreed:
    """The partner's proposal, now agreed (the partner's copy queued)."""

    agreed: SharedAims
    queued: bool = True
    time_zone: str = "Europe/London"  # of the person who accepted, to show the date in


@dataclass(frozen=True)
class ProgressRated:
    """Ratings kept; `people` and `ratings` are filled only once both have rated (the partner's copy queued)."""

    stage: str
    agreed: SharedAims
    partner: Participant
    people: tuple[Participant, ...] = ()  # partnership order
    ratings: tuple[AimRating, ...] = ()
    queued: bool = False


@dataclass(frozen=True)
class SharingChosen:
    """This person chose to share the agreed aims; the team sees them once `both_shared`."""

    partner: Participant
    both_shared: bool
    queued: bool = False
