"""Enrolment: answer cleaning, time zones, completeness table, and the services on the real store."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.core.model import Group, ProfileAnswer
from domain.enrolment.model import MAX_ANSWER_LENGTH, DraftOpened, EnrolmentDraft, EnrolmentError
from domain.enrolment.rules import clean_answer, is_complete, parse_time_zone, with_answer
from domain.enrolment.service import open_draft, profile_draft, record_consent, save_enrolment
from storage.store import SqlStore

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=20)
QUESTIONS = ["What should your partner know?", "What do you hope to learn?", "How do you like to meet?"]
ANSWERS = ["I run the night shift team.", "How others see the service.", "Walks, early mornings."]


def _complete(cohort_id: int = 1) -> EnrolmentDraft:
    return EnrolmentDraft(
        cohort_id,
        "Spring 2027",
        list(QUESTIONS),
        list(ANSWERS),
        group="bme_colleague",
        rhythm="4w",
        format="online",
        time_zone="Asia/Kolkata",
    )


@pytest.fixture
def store(engine: AsyncEngine) -> SqlStore:
    return SqlStore(engine)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A short answer", "A short answer"),
        ("  padded \n", "padded"),
        ("x" * MAX_ANSWER_LENGTH, "x" * MAX_ANSWER_LENGTH),
        (" " + "x" * MAX_ANSWER_LENGTH + " ", "x" * MAX_ANSWER_LENGTH),
        ("Line one\nline two", "Line one\nline two"),
    ],
)
def test_clean_answer_trims(text: str, expected: str) -> None:
    assert clean_answer(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "a few words"),
        (" \n\t ", "a few words"),
        ("x" * (MAX_ANSWER_LENGTH + 1), "under 1000 characters"),
    ],
)
def test_clean_answer_refuses_empty_and_overlong(text: str, message: str) -> None:
    with pytest.raises(EnrolmentError, match=message):
        clean_answer(text)


def test_with_answer_fills_in_order_and_leaves_the_original_alone() -> None:
    empty = EnrolmentDraft(1, "Spring 2027", list(QUESTIONS))
    first = with_answer(empty, 0, "  One  ")
    third = with_answer(first, 2, "Three")
    changed = with_answer(third, 0, "Uno")
    assert (empty.answers, first.answers, third.answers, changed.answers) == (
        [],
        ["One"],
        ["One", "", "Three"],
        ["Uno", "", "Three"],
    )


def test_with_answer_refuses_a_blank_answer() -> None:
    with pytest.raises(EnrolmentError):
        with_answer(EnrolmentDraft(1, "Spring 2027", list(QUESTIONS)), 0, "   ")


def test_draft_survives_a_round_trip_through_dialog_state() -> None:
    draft = _complete()
    assert EnrolmentDraft.from_dict(draft.to_dict()) == draft
    assert draft.to_dict()["answers"] == ANSWERS


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("London", "Europe/London"),
        ("uk", "Europe/London"),
        ("GMT", "Europe/London"),
        ("bst", "Europe/London"),
        ("England", "Europe/London"),
        ("utc", "UTC"),
        ("Europe/London", "Europe/London"),
        (" europe/london ", "Europe/London"),
        ("Asia/Kolkata", "Asia/Kolkata"),
        ("asia/kolkata", "Asia/Kolkata"),
        ("America/New York", "America/New_York"),
        ("europe/isle of man", "Europe/Isle_of_Man"),
    ],
)
def test_parse_time_zone_gives_the_iana_name(typed: str, expected: str) -> None:
    assert parse_time_zone(typed) == expected


@pytest.mark.parametrize("typed", ["", "   ", "Mars/Olympus", "Europe", "New York", "../etc/passwd", "+05:30"])
def test_parse_time_zone_refuses_unknown_names(typed: str) -> None:
    with pytest.raises(EnrolmentError, match="time zone"):
        parse_time_zone(typed)


def test_a_complete_draft_is_complete() -> None:
    assert is_complete(_complete())


@pytest.mark.parametrize(
    "change",
    [
        {"group": ""},
        {"group": "mentor"},
        {"rhythm": ""},
        {"rhythm": "weekly"},
        {"format": ""},
        {"format": "phone"},
        {"answers": ANSWERS[:2]},
        {"answers": [*ANSWERS, "extra"]},
        {"answers": [ANSWERS[0], "  ", ANSWERS[2]]},
        {"time_zone": "Mars/Olympus"},
        {"time_zone": ""},
        {"time_zone": "../etc/passwd"},
        {"time_zone": "Europe"},  # a tz directory, not a zone: must be "incomplete", not an OSError
    ],
)
def test_a_draft_with_a_missing_or_invalid_field_is_incomplete(change: dict[str, object]) -> None:
    assert is_complete(replace(_complete(), **change)) is False


async def _new_person(store: SqlStore) -> tuple[int, int]:
    async with store.transaction() as uow:
        cohort = await uow.cohorts.create("Spring 2027", "K7TQ3M", date(2027, 4, 1), 12, QUESTIONS, NOW)
        person = await uow.participants.upsert_identity("msteams", "29:ada", "Ada", "aad-ada", NOW)
    return cohort.id, person.id


async def test_save_enrolment_stores_choices_and_answers(store: SqlStore) -> None:
    cohort_id, person_id = await _new_person(store)
    await save_enrolment(store, person_id, _complete(cohort_id), NOW)
    async with store.transaction() as uow:
        person = await uow.participants.get(person_id)
        profile = await uow.participants.profile(person_id)
    assert person is not None and person.is_enrolled
    assert (
        person.cohort_id,
        person.group,
        person.meeting_rhythm,
        person.meeting_format,
        person.time_zone,
        person.enrolled_at,
    ) == (cohort_id, Group.BME_COLLEAGUE, "4w", "online", "Asia/Kolkata", NOW)
    assert profile == [ProfileAnswer(q, a) for q, a in zip(QUESTIONS, ANSWERS, strict=False)]


async def test_editing_an_enrolment_replaces_answers_and_keeps_the_first_enrolment_time(store: SqlStore) -> None:
    cohort_id, person_id = await _new_person(store)
    await save_enrolment(store, person_id, _complete(cohort_id), NOW)
    edited = replace(_complete(cohort_id), group="both", format="mix", answers=["New one", "New two", "New three"])
    await save_enrolment(store, person_id, edited, LATER)
    async with store.transaction() as uow:
        person = await uow.participants.get(person_id)
        profile = await uow.participants.profile(person_id)
    assert person is not None
    assert (person.group, person.meeting_format, person.enrolled_at) == (Group.BOTH, "mix", NOW)
    assert [a.answer for a in profile] == ["New one", "New two", "New three"]


async def test_an_incomplete_draft_is_refused_and_nothing_is_saved(store: SqlStore) -> None:
    cohort_id, person_id = await _new_person(store)
    with pytest.raises(EnrolmentError, match="missing"):
        await save_enrolment(store, person_id, replace(_complete(cohort_id), rhythm=""), NOW)
    async with store.transaction() as uow:
        person = await uow.participants.get(person_id)
        profile = await uow.participants.profile(person_id)
    assert person is not None and not person.is_enrolled and person.group is None
    assert profile == []


async def test_open_draft_finds_the_cohort_from_a_typed_code(store: SqlStore) -> None:
    cohort_id, _ = await _new_person(store)
    opened = await open_draft(store, " k7tq-3m ", "Asia/Kolkata")
    assert opened == DraftOpened(
        "K7TQ3M", EnrolmentDraft(cohort_id, "Spring 2027", QUESTIONS, time_zone="Asia/Kolkata")
    )


async def test_open_draft_for_an_unknown_code_gives_the_code_as_read(store: SqlStore) -> None:
    await _new_person(store)
    assert await open_draft(store, "nope-99", "Europe/London") == DraftOpened("NOPE99", None)


@pytest.mark.parametrize("accepted", [True, False])
async def test_record_consent_notes_the_decision(store: SqlStore, accepted: bool) -> None:
    _, person_id = await _new_person(store)
    await record_consent(store, person_id, accepted, NOW)
    async with store.transaction() as uow:
        person = await uow.participants.get(person_id)
    assert person is not None
    assert (person.consent_at, person.consent_declined_at) == ((NOW, None) if accepted else (None, NOW))


async def test_profile_draft_reopens_what_was_saved(store: SqlStore) -> None:
    cohort_id, person_id = await _new_person(store)
    await save_enrolment(store, person_id, _complete(cohort_id), NOW)
    async with store.transaction() as uow:
        person = await uow.participants.get(person_id)
    assert person is not None
    assert await profile_draft(store, person) == _complete(cohort_id)
