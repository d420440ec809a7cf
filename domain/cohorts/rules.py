"""Cohort rules: what a valid cohort and join code are, and sensible quiet thresholds."""

from __future__ import annotations

import random

from domain.cohorts.model import (
    CODE_ALPHABET,
    CODE_LENGTH,
    MAX_MONTHS,
    MAX_QUIET_WEEKS,
    MIN_MONTHS,
    CohortDraft,
    CohortError,
)


def validate(draft: CohortDraft) -> CohortDraft:
    """Check name, length (12-15 months) and the three questions; return a tidied draft."""
    name = " ".join(draft.name.split())
    if not name or len(name) > 200:
        raise CohortError("A cohort needs a name of up to 200 characters.")
    if not MIN_MONTHS <= draft.length_months <= MAX_MONTHS:
        raise CohortError(f"Partnerships last {MIN_MONTHS} to {MAX_MONTHS} months.")
    questions = tuple(q.strip() for q in draft.profile_questions)
    if len(questions) != 3 or not all(questions):
        raise CohortError("A cohort needs exactly three matching-profile questions.")
    return CohortDraft(name, draft.start_date, draft.length_months, questions)


def new_join_code(rng: random.Random) -> str:
    """A short, unambiguous join code such as `K7TQ3M`."""
    return "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """What a person typed, as a code: upper case, no spaces or dashes."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def thresholds_fit(weeks: list[int]) -> bool:
    """Two numbers, quiet before inactive, both within half a year."""
    return len(weeks) == 2 and 0 < weeks[0] < weeks[1] <= MAX_QUIET_WEEKS
