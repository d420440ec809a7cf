"""Pairing rules: suggested pairs, a starting point for the facilitators' own judgement."""

from __future__ import annotations

from domain.cohorts.model import Roster
from domain.core.model import Group, Participant
from domain.pairing.model import Suggestion


def suggest_pairs(unpaired: list[Participant]) -> list[Suggestion]:
    """Suggest senior leader + BME colleague pairs, preferring the same meeting format.

    Only a starting point for the facilitators' own judgement, which uses far more than
    these fields; people in both groups can sit on either side.
    """
    # People in both groups go last on each side, so they fill whichever side is short.
    leaders = [p for p in unpaired if p.group == Group.SENIOR_LEADER] + [p for p in unpaired if p.group == Group.BOTH]
    colleagues = [p for p in unpaired if p.group in (Group.BME_COLLEAGUE, Group.BOTH)]
    suggestions: list[Suggestion] = []
    used: set[int] = set()
    for leader in leaders:
        options = [c for c in colleagues if c.id not in used and c.id != leader.id and leader.id not in used]
        if not options:
            continue
        best = max(
            options,
            key=lambda c: (
                c.group == Group.BME_COLLEAGUE,
                c.meeting_format == leader.meeting_format,
                c.meeting_rhythm == leader.meeting_rhythm,
                -c.id,
            ),
        )
        reason = "same meeting preferences" if best.meeting_format == leader.meeting_format else "available"
        suggestions.append(Suggestion(leader, best, reason))
        used.update({leader.id, best.id})
    return suggestions


def can_pair_in(roster: Roster) -> bool:
    """Whether the cohort has at least two enrolled people without a partner."""
    return len(roster.unpaired()) >= 2
