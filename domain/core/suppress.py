"""Small counts hidden: the one rule every aggregate facilitators see follows (chat, dashboard, CSV).

A count about 1-4 people (or things) is never shown: "fewer than 5" stands in its place. When
the counts split a total that is shown too (single-choice answers, people by status, pairs by
health), one hidden cell could be worked out as the total minus the others, so the next
smallest shown count is hidden as well.
"""

from __future__ import annotations

from collections.abc import Mapping

from domain.core.model import SMALL_GROUP_MIN

FEWER = f"fewer than {SMALL_GROUP_MIN}"
HIDDEN = "hidden so a small group can't be worked out"


def suppress(counts: Mapping[str, int], exclusive: bool) -> dict[str, str | None]:
    """For each count, None when it may be shown, else the note to show instead.

    `exclusive`: the counts add up to a total that is shown (each thing in exactly one cell).
    """
    notes: dict[str, str | None] = {k: (FEWER if 0 < n < SMALL_GROUP_MIN else None) for k, n in counts.items()}
    hidden = [k for k, note in notes.items() if note]
    visible = sorted((n, k) for k, n in counts.items() if notes[k] is None and n > 0)
    if exclusive and len(hidden) == 1 and visible:
        # With only one cell hidden, total minus the others would give it away.
        notes[visible[0][1]] = HIDDEN
    return notes


def shown_count(count: int) -> int | None:
    """One count on its own: itself, or None when it is about 1-4."""
    return None if 0 < count < SMALL_GROUP_MIN else count
