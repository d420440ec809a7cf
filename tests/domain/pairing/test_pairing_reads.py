"""What the pairing dialogs read through the pairing service, on the real store."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.enrolment.model import EnrolmentDraft
from domain.enrolment.service import save_enrolment
from domain.pairing.service import (
    cohorts_to_pair,
    current_pairs,
    end_partnership,
    pair,
    proposal,
    suggestions,
    unpaired_in,
)
from domain.pairing.wording import suggestion_replies
from storage.store import SqlStore

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
QUESTIONS = ["A", "B", "C"]


@pytest.fixture
def store(engine: AsyncEngine) -> SqlStore:
    return SqlStore(engine)


async def _cohort(store: SqlStore, name: str, code: str, people: dict[str, str]) -> tuple[int, dict[str, int]]:
    """A cohort with `people` (name -> group) enrolled in it."""
    async with store.transaction() as uow:
        cohort = await uow.cohorts.create(name, code, date(2027, 4, 1), 12, QUESTIONS, NOW)
        ids = {n: (await uow.participants.upsert_identity("msteams", f"29:{n}", n, "", NOW)).id for n in people}
    for person, group in people.items():
        draft = EnrolmentDraft(cohort.id, name, QUESTIONS, ["a", "b", "c"], group, "4w", "online")
        await save_enrolment(store, ids[person], draft, NOW)
    return cohort.id, ids


async def test_only_cohorts_with_two_unpaired_people_can_be_paired_in(store: SqlStore) -> None:
    spring, ids = await _cohort(store, "Spring", "SPRING", {"Ada": "bme_colleague", "Sam": "senior_leader"})
    await _cohort(store, "Autumn", "AUTUMN", {"Kim": "both"})
    assert [r.cohort.id for r in await cohorts_to_pair(store)] == [spring]
    assert [p.name for p in await unpaired_in(store, spring)] == ["Ada", "Sam"]
    await pair(store, ids["Ada"], ids["Sam"], NOW)
    assert await cohorts_to_pair(store) == [] and await unpaired_in(store, spring) == []


async def test_suggestions_per_cohort(store: SqlStore) -> None:
    await _cohort(store, "Spring", "SPRING", {"Ada": "bme_colleague", "Sam": "senior_leader"})
    await _cohort(store, "Autumn", "AUTUMN", {"Kim": "both"})
    spring, autumn = await suggestions(store)
    assert [(s.first.name, s.second.name) for s in spring.suggestions] == [("Sam", "Ada")]
    assert (autumn.cohort.name, autumn.suggestions) == ("Autumn", [])


def test_suggestion_replies_without_cohorts_say_how_to_start() -> None:
    (reply,) = suggestion_replies([])
    assert reply.text == "There are no cohorts yet. Type **create cohort** to set one up."


async def test_proposal_names_both_people_or_nobody(store: SqlStore) -> None:
    _, ids = await _cohort(store, "Spring", "SPRING", {"Ada": "bme_colleague", "Sam": "senior_leader"})
    found = await proposal(store, ids["Ada"], ids["Sam"])
    assert found is not None and (found.first.name, found.second.name) == ("Ada", "Sam")
    assert await proposal(store, ids["Ada"], 9999) is None


async def test_current_pairs_leave_out_ended_partnerships(store: SqlStore) -> None:
    _, ids = await _cohort(
        store, "Spring", "SPRING", {"Ada": "bme_colleague", "Sam": "senior_leader", "Kim": "both", "Lee": "both"}
    )
    first = await pair(store, ids["Ada"], ids["Sam"], NOW)
    second = await pair(store, ids["Kim"], ids["Lee"], NOW)
    await end_partnership(store, first.id, "completed", NOW)
    (current,) = await current_pairs(store)
    assert current.partnership.id == second.id
    assert (current.first and current.first.name, current.second and current.second.name) == ("Kim", "Lee")
