"""Cohorts: validation tables, join codes from a seeded Random, creation and thresholds on the real store."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.cohorts.model import CODE_ALPHABET, CODE_LENGTH, CohortDraft, CohortError
from domain.cohorts.rules import new_join_code, normalise_code, thresholds_fit, validate
from domain.cohorts.service import cohort_named, create_cohort, list_cohorts, set_thresholds
from storage.store import SqlStore

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
START = date(2027, 4, 1)
QUESTIONS = ("What should your partner know?", "What do you hope to learn?", "How do you like to meet?")


def _draft(name: str = "Spring 2027", months: int = 12, questions: tuple[str, ...] = QUESTIONS) -> CohortDraft:
    return CohortDraft(name, START, months, questions)


@pytest.fixture
def store(engine: AsyncEngine) -> SqlStore:
    return SqlStore(engine)


@pytest.mark.parametrize(
    ("draft", "expected"),
    [
        (_draft(), _draft()),
        (_draft(name="  Spring \t 2027\n"), _draft(name="Spring 2027")),
        (_draft(name="x" * 200), _draft(name="x" * 200)),
        (_draft(months=15), _draft(months=15)),
        (_draft(questions=(" One? ", "Two?\n", "\tThree?")), _draft(questions=("One?", "Two?", "Three?"))),
    ],
)
def test_validate_accepts_and_tidies(draft: CohortDraft, expected: CohortDraft) -> None:
    assert validate(draft) == expected


@pytest.mark.parametrize(
    ("draft", "message"),
    [
        (_draft(name=""), "name"),
        (_draft(name=" \n "), "name"),
        (_draft(name="x" * 201), "name"),
        (_draft(months=11), "12 to 15 months"),
        (_draft(months=16), "12 to 15 months"),
        (_draft(months=0), "12 to 15 months"),
        (_draft(questions=QUESTIONS[:2]), "exactly three"),
        (_draft(questions=(*QUESTIONS, "Four?")), "exactly three"),
        (_draft(questions=()), "exactly three"),
        (_draft(questions=("One?", "  ", "Three?")), "exactly three"),
    ],
)
def test_validate_refuses_with_a_message_for_the_facilitator(draft: CohortDraft, message: str) -> None:
    with pytest.raises(CohortError, match=message):
        validate(draft)


def test_join_codes_are_six_unambiguous_characters() -> None:
    rng = random.Random(2027)
    codes = [new_join_code(rng) for _ in range(2000)]
    assert all(len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET) for code in codes)
    assert not set("".join(codes)) & set("0O1IL")
    assert len(set(codes)) > 1990  # random, not a counter or a constant


def test_join_codes_are_reproducible_from_the_seed() -> None:
    first, again, other = random.Random(7), random.Random(7), random.Random(8)
    sequence = [new_join_code(first) for _ in range(5)]
    assert sequence == [new_join_code(again) for _ in range(5)]
    assert sequence != [new_join_code(other) for _ in range(5)]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("K7TQ3M", "K7TQ3M"),
        ("k7tq3m", "K7TQ3M"),
        (" k7tq-3m ", "K7TQ3M"),
        ("K7 TQ 3M", "K7TQ3M"),
        ("join: K7TQ3M.", "JOINK7TQ3M"),
        ("", ""),
    ],
)
def test_normalise_code(typed: str, expected: str) -> None:
    assert normalise_code(typed) == expected


async def test_create_cohort_stores_the_tidied_draft_with_a_fresh_code(store: SqlStore) -> None:
    expected_code = new_join_code(random.Random(1))
    cohort = await create_cohort(store, _draft(name=" Spring  2027 ", months=14), NOW, random.Random(1))
    assert (cohort.name, cohort.join_code, cohort.start_date, cohort.length_months) == (
        "Spring 2027",
        expected_code,
        START,
        14,
    )
    async with store.transaction() as uow:
        stored = await uow.cohorts.get(cohort.id)
    assert stored is not None
    assert (stored.name, stored.join_code, stored.profile_questions, stored.created_at) == (
        "Spring 2027",
        expected_code,
        list(QUESTIONS),
        NOW,
    )


async def test_create_cohort_skips_a_code_already_in_use(store: SqlStore) -> None:
    sequence = random.Random(42)
    taken, next_free = new_join_code(sequence), new_join_code(sequence)
    async with store.transaction() as uow:
        await uow.cohorts.create("Autumn 2026", taken, date(2026, 10, 1), 12, list(QUESTIONS), NOW)
    cohort = await create_cohort(store, _draft(), NOW, random.Random(42))
    assert cohort.join_code == next_free != taken


async def test_a_typed_code_finds_the_cohort_after_normalising(store: SqlStore) -> None:
    cohort = await create_cohort(store, _draft(), NOW, random.Random(3))
    typed = f" {cohort.join_code[:3].lower()}-{cohort.join_code[3:].lower()} "
    async with store.transaction() as uow:
        found = await uow.cohorts.by_join_code(normalise_code(typed))
    assert found is not None and found.id == cohort.id


async def test_create_cohort_refuses_an_invalid_draft_and_stores_nothing(store: SqlStore) -> None:
    with pytest.raises(CohortError):
        await create_cohort(store, _draft(months=18), NOW, random.Random(1))
    async with store.transaction() as uow:
        assert await uow.cohorts.list_all() == []


@pytest.mark.parametrize(
    ("weeks", "fits"),
    [
        ([4, 8], True),
        ([1, 26], True),
        ([8, 4], False),
        ([4, 4], False),
        ([0, 8], False),
        ([4, 27], False),
        ([4], False),
        ([], False),
    ],
)
def test_thresholds_fit_quiet_before_inactive_within_half_a_year(weeks: list[int], fits: bool) -> None:
    assert thresholds_fit(weeks) is fits


async def test_set_thresholds_changes_the_cohort_a_typed_code_names(store: SqlStore) -> None:
    cohort = await create_cohort(store, _draft(), NOW, random.Random(3))
    outcome = await set_thresholds(store, cohort.join_code.lower(), [3, 6])
    assert outcome.cohort is not None and (outcome.cohort.id, outcome.quiet_weeks, outcome.inactive_weeks) == (
        cohort.id,
        3,
        6,
    )
    async with store.transaction() as uow:
        stored = await uow.cohorts.get(cohort.id)
    assert stored is not None and (stored.quiet_weeks, stored.inactive_weeks) == (3, 6)


@pytest.mark.parametrize(("code", "weeks"), [("", [3, 6]), ("NOPE99", [3, 6]), (None, [6, 3]), (None, [3])])
async def test_set_thresholds_leaves_everything_alone_when_the_request_is_unclear(
    store: SqlStore, code: str | None, weeks: list[int]
) -> None:
    cohort = await create_cohort(store, _draft(), NOW, random.Random(3))
    outcome = await set_thresholds(store, cohort.join_code if code is None else code, weeks)
    assert outcome.cohort is None and [c.id for c in outcome.cohorts] == [cohort.id]
    async with store.transaction() as uow:
        stored = await uow.cohorts.get(cohort.id)
    assert stored is not None and (stored.quiet_weeks, stored.inactive_weeks) == (4, 8)


async def test_cohort_named_creates_the_cohort_once_and_then_finds_it(store: SqlStore) -> None:
    first = await cohort_named(store, _draft(name="Try-it demo cohort"), NOW, random.Random(1))
    again = await cohort_named(store, _draft(name=" Try-it  demo cohort "), NOW, random.Random(2))
    assert again.id == first.id and again.join_code == first.join_code
    assert [c.name for c in await list_cohorts(store)] == ["Try-it demo cohort"]


async def test_cohort_named_leaves_other_cohorts_alone(store: SqlStore) -> None:
    other = await create_cohort(store, _draft(name="Spring 2027"), NOW, random.Random(1))
    demo = await cohort_named(store, _draft(name="Try-it demo cohort"), NOW, random.Random(1))
    assert demo.id != other.id and demo.join_code != other.join_code
    assert sorted(c.name for c in await list_cohorts(store)) == ["Spring 2027", "Try-it demo cohort"]
