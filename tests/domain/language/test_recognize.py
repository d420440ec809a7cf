"""Understanding short answers: every accepted and refused form as a table row."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from domain.core.reply import Choice
from domain.language.recognize import AnswerError, match_choice, parse_yes_no, today_in

TODAY = date(2027, 3, 1)
RHYTHMS = (
    Choice("2w", "Every 2 weeks", ("fortnightly",)),
    Choice("4w", "Every 4 weeks", ("monthly",)),
    Choice("together", "We'll decide together"),
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", "2w"),
        (" 3 ", "together"),
        ("2.", "4w"),
        ("Every 2 weeks", "2w"),
        ("EVERY 4 WEEKS!", "4w"),
        ("every   2   weeks", "2w"),
        ("fortnightly", "2w"),
        ("Monthly.", "4w"),
        ("4w", "4w"),
        ("we'll", "together"),
        ("We'll decide together", "together"),
    ],
)
def test_match_choice_accepts_number_title_value_synonym_or_unique_prefix(text: str, expected: str) -> None:
    assert match_choice(text, RHYTHMS) == expected


@pytest.mark.parametrize("text", ["", "   ", "0", "4", "-1", "every", "weekly", "2 weeks please", "²", "①"])
def test_match_choice_refuses_unclear_answers_with_a_kind_message(text: str) -> None:
    with pytest.raises(AnswerError, match="Please pick one of the options"):
        match_choice(text, RHYTHMS)


def test_a_button_press_wins_over_the_typed_text() -> None:
    assert match_choice("Every 2 weeks", RHYTHMS, picked="together") == "together"


def test_a_button_from_an_earlier_question_is_refused() -> None:
    with pytest.raises(AnswerError, match="earlier question"):
        match_choice("1", RHYTHMS, picked="in_person")


@pytest.mark.parametrize(
    "text", ["yes", "Yes!", "Y", "yeah", "yep", "OK.", "okay", "sure", "I agree", "confirm", "Go ahead"]
)
def test_parse_yes_no_understands_yes(text: str) -> None:
    assert parse_yes_no(text) is True


@pytest.mark.parametrize("text", ["no", "No.", "N", "nope", "No, thanks", "decline", "not now"])
def test_parse_yes_no_understands_no(text: str) -> None:
    assert parse_yes_no(text) is False


@pytest.mark.parametrize("text", ["", "maybe", "yes please", "no way", "1"])
def test_parse_yes_no_refuses_anything_else(text: str) -> None:
    with pytest.raises(AnswerError, match="yes or no"):
        parse_yes_no(text)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2027, 3, 1, 0, 0, tzinfo=UTC), date(2027, 3, 1)),
        (datetime(2027, 3, 1, 23, 59, tzinfo=UTC), date(2027, 3, 1)),
    ],
)
def test_today_in_is_the_utc_calendar_day(now: datetime, expected: date) -> None:
    assert today_in(now) == expected
