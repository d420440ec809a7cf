"""The one way dates, times and counts are shown: the same shape on every card and message."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from domain.language.show import counted, format_clock, format_date, format_day_of


@pytest.mark.parametrize(
    ("day", "shown"),
    [
        (date(2027, 3, 1), "Monday 1 March 2027"),
        (date(2027, 12, 31), "Friday 31 December 2027"),
        (date(2028, 2, 29), "Tuesday 29 February 2028"),
    ],
)
def test_a_day_alone_is_weekday_day_month_year(day: date, shown: str) -> None:
    assert format_date(day) == shown


def test_the_day_of_a_moment_and_its_clock_are_the_readers_own() -> None:
    late = datetime(2027, 3, 1, 23, 30, tzinfo=UTC)
    assert format_day_of(late, "Europe/London") == "Monday 1 March 2027"
    assert format_day_of(late, "Asia/Kolkata") == "Tuesday 2 March 2027"
    assert format_clock(late, "Asia/Kolkata") == "05:00"
    assert format_clock(late, "America/New_York") == "18:30"


@pytest.mark.parametrize(
    ("count", "singular", "plural", "shown"),
    [
        (0, "line", "", "0 lines"),
        (1, "line", "", "1 line"),
        (2, "line", "", "2 lines"),
        (1, "person", "people", "1 person"),
        (12, "person", "people", "12 people"),
    ],
)
def test_counts_agree_with_their_noun(count: int, singular: str, plural: str, shown: str) -> None:
    assert counted(count, singular, plural) == shown
