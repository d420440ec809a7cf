"""The one parser for a day typed or picked (launch dates and the like): every accepted and refused form."""

from __future__ import annotations

from datetime import date

import pytest

from domain.language.recognize import AnswerError
from domain.language.show import format_date
from domain.language.when import parse_day

TODAY = date(2027, 3, 1)  # a Monday


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("today", TODAY, TODAY),
        ("Today.", TODAY, TODAY),
        ("Tomorrow", TODAY, date(2027, 3, 2)),
        ("tomorrow", date(2027, 2, 28), date(2027, 3, 1)),
        ("tomorrow", date(2027, 12, 31), date(2028, 1, 1)),
        ("next Monday", TODAY, date(2027, 3, 8)),
        ("Monday", TODAY, TODAY),
        ("this Friday", TODAY, date(2027, 3, 5)),
        ("Wednesday week", TODAY, date(2027, 3, 10)),
        ("in 2 weeks", TODAY, date(2027, 3, 15)),
        ("1 March", TODAY, TODAY),
        ("1 March", date(2027, 3, 2), date(2028, 3, 1)),  # without a year: the next one to come
        ("12th of April", TODAY, date(2027, 4, 12)),
        ("March 1 2027", TODAY, date(2027, 3, 1)),
        ("2027-03-15", TODAY, date(2027, 3, 15)),
        (" 2027-3-5 ", TODAY, date(2027, 3, 5)),
        ("15/3/2027", TODAY, date(2027, 3, 15)),
        ("15.03.2027", TODAY, date(2027, 3, 15)),
        ("15/3/27", TODAY, date(2027, 3, 15)),
        ("29/2/2028", TODAY, date(2028, 2, 29)),
        ("1 March 2027", TODAY, date(2027, 3, 1)),
        ("1st March 2027", TODAY, date(2027, 3, 1)),
        ("22nd Sep 2027", TODAY, date(2027, 9, 22)),
        ("3 sept 2027", TODAY, date(2027, 9, 3)),
        ("1 Mar, 2027", TODAY, date(2027, 3, 1)),
        ("31 DECEMBER 2027", TODAY, date(2027, 12, 31)),
        ("Monday 8 March 2027", TODAY, date(2027, 3, 8)),  # what format_date shows can be typed back
        ("next Monday 2pm", TODAY, date(2027, 3, 8)),  # a time given with it is not needed, so ignored
    ],
)
def test_parse_day_reads_days_as_meetings_do(text: str, today: date, expected: date) -> None:
    assert parse_day(text, today) == expected


@pytest.mark.parametrize(
    "text",
    ["", "next week", "2027-02-30", "31/04/2027", "29/2/2027", "3/15/2027", "2027/03/01", "1 Smarch 2027", "yesterday"],
)
def test_parse_day_refuses_what_it_cannot_read_with_examples(text: str) -> None:
    with pytest.raises(AnswerError, match=r"couldn't read that date\. Try something like 'next Monday', '1 March'"):
        parse_day(text, TODAY)


def test_parse_day_refuses_a_mistyped_year_rather_than_reading_the_year_202() -> None:
    with pytest.raises(AnswerError):
        parse_day("1/3/202", TODAY)


def test_parse_day_refuses_a_date_whose_weekday_does_not_match() -> None:
    with pytest.raises(AnswerError, match="Monday 1 March 2027 is not a Tuesday"):
        parse_day("Tuesday 1 March 2027", TODAY)


@pytest.mark.parametrize("day", [date(2027, 3, 1), date(2027, 12, 31), date(2028, 2, 29)])
def test_every_shown_day_reads_back_as_itself(day: date) -> None:
    assert parse_day(format_date(day), TODAY) == day
