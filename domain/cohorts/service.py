"""Cohorts: validation, join codes and creation (facilitators only; checked by the caller)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime

from domain.core.model import Cohort
from domain.core.ports import Store

MIN_MONTHS, MAX_MONTHS = 12, 15
# No 0/O, 1/I/L: codes are read aloud in launch sessions and typed on phones.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


class CohortError(ValueError):
    """A cohort request that cannot be met; the message is safe to show the facilitator."""


@dataclass(frozen=True)
class CohortDraft:
    name: str
    start_date: date
    length_months: int
    profile_questions: tuple[str, ...]


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


async def create_cohort(store: Store, draft: CohortDraft, now: datetime, rng: random.Random) -> Cohort:
    """Create the cohort with a join code not used before."""
    draft = validate(draft)
    async with store.transaction() as uow:
        code = new_join_code(rng)
        while await uow.cohorts.by_join_code(code) is not None:
            code = new_join_code(rng)
        return await uow.cohorts.create(
            draft.name, code, draft.start_date, draft.length_months, list(draft.profile_questions), now
        )


async def list_cohorts(store: Store) -> list[Cohort]:
    """Every cohort, for a facilitator choosing one."""
    async with store.transaction() as uow:
        return await uow.cohorts.list_all()
