"""Cohort use cases (facilitators only; checked by the caller): create, list, rosters, thresholds."""

from __future__ import annotations

import random
from datetime import datetime

from domain.cohorts.model import CohortDraft, Roster, Thresholds
from domain.cohorts.rules import new_join_code, normalise_code, thresholds_fit, validate
from domain.core.model import Cohort, PartnershipStatus
from domain.core.ports import Store, UnitOfWork


async def create_cohort(store: Store, draft: CohortDraft, now: datetime, rng: random.Random) -> Cohort:
    """Create the cohort with a join code not used before."""
    draft = validate(draft)
    async with store.transaction() as uow:
        return await _create(uow, draft, now, rng)


async def cohort_named(store: Store, draft: CohortDraft, now: datetime, rng: random.Random) -> Cohort:
    """The cohort called `draft.name`, created from `draft` when there is none yet (try-it's demo cohort)."""
    draft = validate(draft)
    async with store.transaction() as uow:
        found = next((c for c in await uow.cohorts.list_all() if c.name == draft.name), None)
        return found if found is not None else await _create(uow, draft, now, rng)


async def _create(uow: UnitOfWork, draft: CohortDraft, now: datetime, rng: random.Random) -> Cohort:
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


async def load_rosters(store: Store) -> list[Roster]:
    """Every cohort with its participants and partnerships, oldest cohort first."""
    async with store.transaction() as uow:
        return [await roster_of(uow, cohort) for cohort in await uow.cohorts.list_all()]


async def roster_of(uow: UnitOfWork, cohort: Cohort) -> Roster:
    """One cohort's roster, inside the caller's unit of work."""
    partnerships = await uow.partnerships.list_for_cohort(cohort.id)
    aims = {p.id: await uow.aims.aims_status(p.id) for p in partnerships if p.status != PartnershipStatus.ENDED}
    return Roster(cohort, await uow.participants.list_in_cohort(cohort.id), partnerships, aims)


async def set_thresholds(store: Store, typed_code: str, weeks: list[int]) -> Thresholds:
    """Set when a cohort's pairs count as quiet and inactive; unchanged when the request doesn't fit."""
    code = normalise_code(typed_code)
    async with store.transaction() as uow:
        cohorts = await uow.cohorts.list_all()
        cohort = next((c for c in cohorts if code and c.join_code == code), None)
        if cohort is None or not thresholds_fit(weeks):
            return Thresholds(None, 0, 0, cohorts)
        await uow.cohorts.set_thresholds(cohort.id, weeks[0], weeks[1])
    return Thresholds(cohort, weeks[0], weeks[1], cohorts)
