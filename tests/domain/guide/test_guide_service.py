"""The guide on demand on the real store: where a person is in the journey, and saving or
skipping a prompt (kept per person, never for an id the guide lacks)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from domain.core.model import Cohort, Participant, Partnership
from domain.guide.content import load_guide
from domain.guide.model import GuidePlace, PromptSaved, PromptSkipped
from domain.guide.rules import journey_week
from domain.guide.service import place_for, save_for_later, skip_prompt
from storage.store import SqlStore
from tests.domain.meeting_fixtures import Pair

GUIDE = load_guide()
LAUNCH = date(2027, 3, 1)
NOW = datetime(2027, 3, 22, 10, tzinfo=UTC)  # week 3 from the launch
COHORT = Cohort(1, "Spring", "SPRING", LAUNCH, 15, [])


@pytest.mark.parametrize(
    ("partnership", "cohort", "week"),
    [
        (Partnership(1, 1, 1, 2, started_on=date(2027, 3, 15)), COHORT, 1),  # from the pairing
        (Partnership(1, 1, 1, 2), COHORT, 3),  # not started yet: from the cohort's launch
        (None, COHORT, 3),
        (None, None, 0),  # no cohort yet: this week
    ],
)
def test_journey_week_counts_from_the_pairing_else_the_launch(
    partnership: Partnership | None, cohort: Cohort | None, week: int
) -> None:
    assert journey_week(partnership, cohort, NOW.date()) == week


async def _person(store: SqlStore, participant_id: int) -> Participant:
    async with store.transaction() as uow:
        person = await uow.participants.get(participant_id)
    assert person is not None
    return person


async def test_place_has_the_partnership_week_its_prompts_and_my_saved_ones(store: SqlStore, pair: Pair) -> None:
    async with store.transaction() as uow:
        await uow.guide.record(pair.partnership, ["P0-1", "P1-1"], NOW)
    assert await save_for_later(store, GUIDE, pair.ada, "P3-2", NOW) == PromptSaved("P3-2", found=True)
    ada, sam = await _person(store, pair.ada), await _person(store, pair.sam)
    assert await place_for(store, ada, NOW) == GuidePlace(3, 12, ("P0-1", "P1-1"), ("P3-2",))
    assert await place_for(store, sam, NOW) == GuidePlace(3, 12, ("P0-1", "P1-1"), ())


async def test_place_before_joining_a_cohort_is_this_week_of_a_usual_length(store: SqlStore) -> None:
    async with store.transaction() as uow:
        lone = await uow.participants.upsert_identity("test", "u-lone", "Lee", "", NOW)
    assert await place_for(store, lone, NOW) == GuidePlace(0, 12, (), ())


async def test_unknown_prompts_are_not_saved_and_skipping_takes_one_off_the_list(store: SqlStore, pair: Pair) -> None:
    assert await save_for_later(store, GUIDE, pair.ada, "P99-9", NOW) == PromptSaved("P99-9", found=False)
    await save_for_later(store, GUIDE, pair.ada, "P3-2", NOW)
    await save_for_later(store, GUIDE, pair.ada, "T-2", NOW)
    assert await skip_prompt(store, pair.ada, "P3-2") == PromptSkipped("P3-2")
    async with store.transaction() as uow:
        assert await uow.guide.saved(pair.ada) == ["T-2"]
