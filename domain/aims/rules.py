"""Mutual aims: pure decisions on the data (who may answer, what counts as aims or ratings,
what facilitators may see). No store, no Reply; refusals are kind `AimsError`s."""

from __future__ import annotations

from collections.abc import Sequence

from domain.aims.model import PROGRESS, PROPOSED, STAGES, AimsError, AimsStatus, SharedAims
from domain.core.model import Participant, Partnership
from domain.core.timing import length_weeks
from domain.language.lists import split_items

AIMS_START_WEEK = 3  # aims come after a few first meetings, not at the launch
AIMS_END_WEEKS_BEFORE_CLOSE = 4


def in_order(partnership: Partnership, *people: Participant) -> list[Participant]:
    """The two partners in partnership order, so both see the same card."""
    by_id = {p.id: p for p in people}
    return [by_id[partnership.partner_a_id], by_id[partnership.partner_b_id]]


def both_in(ids: Sequence[int], partnership: Partnership) -> bool:
    """True when both partners appear in `ids` (hopes noted, stage rated, chose to share)."""
    return {partnership.partner_a_id, partnership.partner_b_id} <= set(ids)


def parse_aims(text: str) -> list[str]:
    """Two or three aims: one per line, or on one line separated by ";" (bullets and numbering dropped)."""
    aims = split_items(text)
    if not 2 <= len(aims) <= 3:
        found = "one aim" if len(aims) == 1 else f"{len(aims)} aims"
        raise AimsError(f"I found {found}; please write two or three: one per line, or on one line separated by **;**.")
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


def aims_stage_due(week: int, length_months: int) -> str | None:
    """The mutual-aims stage for this week: "start", "mid", "end", or None before week 3."""
    if week < AIMS_START_WEEK:
        return None
    last_week = length_weeks(length_months)
    if week >= last_week - AIMS_END_WEEKS_BEFORE_CLOSE:
        return "end"
    if week >= last_week // 2:
        return "mid"
    return "start"
