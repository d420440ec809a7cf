"""Mutual aims: the data, constants and pure rules (no storage, no wording of cards).

Partners are equals: nothing one person wrote privately reaches the other until both
have written theirs. Hopes, aims and ratings are free text or private: never logged.
Facilitators see only whether aims are agreed, and their content only if both share.
Cards live in domain.aims.wording and the services that use the store in domain.aims.service.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from domain.core.model import Participant, Partnership
from domain.core.reply import Reply

PROPOSED, AGREED, SUPERSEDED = "proposed", "agreed", "superseded"
STAGES = {"mid": "mid-point review", "end": "end-of-partnership review"}
PROGRESS = ("Not started yet", "Some progress", "Good progress", "Achieved")  # stored as 1..4
NOT_PAIRED = (
    "Mutual aims start once you're paired with a learning partner. The programme team "
    "will introduce you both here, and then you can note your hopes."
)
NOTHING_TO_SHARE = "There's nothing to share yet: sharing is for aims you've both agreed."
_NUMBERING = re.compile(r"^(?:\d+[.)]|[-*•])\s*")


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
class Outcome:
    """The reply for the person in the chat; `queued` means call `wake_dispatcher()`."""

    reply: Reply
    queued: bool = False


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


def in_order(partnership: Partnership, *people: Participant) -> list[Participant]:
    """The two partners in partnership order, so both see the same card."""
    by_id = {p.id: p for p in people}
    return [by_id[partnership.partner_a_id], by_id[partnership.partner_b_id]]


def both_in(ids: Sequence[int], partnership: Partnership) -> bool:
    """True when both partners appear in `ids` (hopes noted, stage rated, chose to share)."""
    return {partnership.partner_a_id, partnership.partner_b_id} <= set(ids)


def parse_aims(text: str) -> list[str]:
    """Two or three aims, one per line (bullets and numbering dropped)."""
    lines = [_NUMBERING.sub("", line.strip()).strip() for line in text.splitlines()]
    aims = [line for line in lines if line]
    if not 2 <= len(aims) <= 3:
        found = "one line" if len(aims) == 1 else f"{len(aims)} lines"
        raise AimsError(f"I found {found}; please write two or three aims, one per line.")
    return aims


def check_response(proposal: SharedAims | None, partnership: Partnership, participant_id: int) -> SharedAims:
    """The proposal this person may accept or change; only the partner who did not propose may."""
    if proposal is None or proposal.partnership_id != partnership.id:
        raise AimsError("I couldn't find those suggested aims. Type **aims** to see where you both are.")
    if proposal.status != PROPOSED:
        raise AimsError(
            "Those suggested aims have since been updated, so that button is out of date. "
            "Type **aims** to see the latest."
        )
    if proposal.proposed_by == participant_id:
        raise AimsError("You suggested these aims, so it's over to your partner to accept them or suggest changes.")
    return proposal


def check_ratings(agreed: SharedAims, stage: str, ratings: Sequence[int]) -> None:
    """One rating from 1 to 4 per agreed aim, at a known stage."""
    if stage not in STAGES:
        raise AimsError(
            "Progress reviews are at the mid-point or at the end: type **aims rate mid** or **aims rate end**."
        )
    if len(ratings) != len(agreed.aims) or not all(1 <= r <= len(PROGRESS) for r in ratings):
        raise AimsError("Please rate each of your shared aims.")


def aims_status_of(agreed: SharedAims | None, partnership: Partnership) -> AimsStatus:
    """The facilitators' view of a partnership's aims: content only when both shared."""
    if agreed is None:
        return AimsStatus(agreed=False)
    shared = both_in(agreed.shared_with_team, partnership)
    return AimsStatus(True, agreed.agreed_at, shared, list(agreed.aims) if shared else None)
