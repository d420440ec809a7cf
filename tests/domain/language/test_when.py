"""Meeting times typed naturally: every accepted and refused form as a table row.

`NOW` is Wednesday 3 March 2027, 10:00 UTC (10:00 in London, still on GMT). London moves
to BST at 01:00 UTC on Sunday 28 March 2027 and back at 01:00 UTC on Sunday 31 October;
New York moves on 14 March and 7 November 2027; Kolkata has no daylight saving.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from domain.language.recognize import AnswerError
from domain.language.show import format_time
from domain.language.when import HalfAnswer, parse_times, times_from_form

LONDON, KOLKATA, NEW_YORK = "Europe/London", "Asia/Kolkata", "America/New_York"
EXAMPLE = "Try something like 'next Tuesday 2pm' or '2027-03-09 14:00'."


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """An aware UTC instant, to keep the tables short."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


NOW = utc(2027, 3, 3, 10)
TUE_2PM = utc(2027, 3, 9, 14)
MAR_12_2PM = utc(2027, 3, 12, 14)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # weekdays, with and without next/this, names and abbreviations, time before or after
        ("next Tuesday 2pm", TUE_2PM),
        ("Tuesday 2pm", TUE_2PM),
        ("this Tuesday 2pm", TUE_2PM),
        ("tue 2pm", TUE_2PM),
        ("Tues 2pm", TUE_2PM),
        ("TUESDAY 2PM", TUE_2PM),
        ("Tuesday at 2pm", TUE_2PM),
        ("Tuesday @ 2pm", TUE_2PM),
        ("on Tuesday at 2 pm", TUE_2PM),
        ("Tuesday 2 p.m.", TUE_2PM),
        ("2pm Tuesday", TUE_2PM),
        ("2pm on Tuesday", TUE_2PM),
        ("Tuesday 2pm.", TUE_2PM),
        ("  tuesday    2pm  ", TUE_2PM),
        ("Tuesday 14:00", TUE_2PM),
        ("Tuesday 14.00", TUE_2PM),
        ("Tuesday at 14", TUE_2PM),
        ("Tue 2:00pm", TUE_2PM),
        ("Tuesday 2.00pm", TUE_2PM),
        ("Tue 14:30", utc(2027, 3, 9, 14, 30)),
        ("Thursday 9am", utc(2027, 3, 4, 9)),
        ("thu 9am", utc(2027, 3, 4, 9)),
        ("thurs 9am", utc(2027, 3, 4, 9)),
        ("Mon 9am", utc(2027, 3, 8, 9)),
        ("weds 11am", utc(2027, 3, 3, 11)),
        ("Sunday 9am", utc(2027, 3, 7, 9)),
        # today's weekday counts only while the time is ahead; "next" never means today
        ("Wed 11am", utc(2027, 3, 3, 11)),
        ("Wednesday 9am", utc(2027, 3, 10, 9)),
        ("Wednesday 10am", utc(2027, 3, 10, 10)),
        ("next Wednesday 11am", utc(2027, 3, 10, 11)),
        ("Monday week 10am", utc(2027, 3, 15, 10)),
        ("Wednesday week 11am", utc(2027, 3, 17, 11)),
        ("Tuesday next week 2pm", TUE_2PM),
        ("next week Friday 9am", utc(2027, 3, 12, 9)),
        ("next week Wednesday 11am", utc(2027, 3, 10, 11)),
        # today, tomorrow, and bare times (today if still ahead, else tomorrow)
        ("today 4pm", utc(2027, 3, 3, 16)),
        ("4pm today", utc(2027, 3, 3, 16)),
        ("today 10:01", utc(2027, 3, 3, 10, 1)),
        ("4pm", utc(2027, 3, 3, 16)),
        ("9am", utc(2027, 3, 4, 9)),
        ("10am", utc(2027, 3, 4, 10)),
        ("tomorrow at 10", utc(2027, 3, 4, 10)),
        ("tomorrow 10:30", utc(2027, 3, 4, 10, 30)),
        ("Tomorrow 9:30", utc(2027, 3, 4, 9, 30)),
        ("tomorrow 09:30", utc(2027, 3, 4, 9, 30)),
        ("tmrw 9am", utc(2027, 3, 4, 9)),
        # an unpadded hour from 1 to 6 without am/pm is afternoon; padded or 7+ is as written
        ("tomorrow at 3", utc(2027, 3, 4, 15)),
        ("tomorrow 3:30", utc(2027, 3, 4, 15, 30)),
        ("tomorrow 03:30", utc(2027, 3, 4, 3, 30)),
        ("tomorrow at 7", utc(2027, 3, 4, 7)),
        ("tomorrow at 15", utc(2027, 3, 4, 15)),
        ("tomorrow 3am", utc(2027, 3, 4, 3)),
        ("tomorrow 0:30", utc(2027, 3, 4, 0, 30)),
        # noon and midnight
        ("tomorrow noon", utc(2027, 3, 4, 12)),
        ("tomorrow at midday", utc(2027, 3, 4, 12)),
        ("12 noon tomorrow", utc(2027, 3, 4, 12)),
        ("tomorrow 12pm", utc(2027, 3, 4, 12)),
        ("tomorrow 12:30pm", utc(2027, 3, 4, 12, 30)),
        ("tomorrow 12am", utc(2027, 3, 4, 0)),
        # day and month in words, either order, optional ordinal and year
        ("12 March 2pm", MAR_12_2PM),
        ("12th March 2pm", MAR_12_2PM),
        ("12 Mar 2pm", MAR_12_2PM),
        ("March 12 2pm", MAR_12_2PM),
        ("Mar 12th at 2pm", MAR_12_2PM),
        ("12 March 2027 2pm", MAR_12_2PM),
        ("March 12, 2027 2pm", MAR_12_2PM),
        ("2pm 12 March", MAR_12_2PM),
        ("2pm on the 12th of March", MAR_12_2PM),
        ("Friday 12 March 2pm", MAR_12_2PM),
        ("3 March 4pm", utc(2027, 3, 3, 16)),
        ("2 March 2pm", utc(2028, 3, 2, 14)),  # already gone this year, so next year's
        ("29 Feb 10am", utc(2028, 2, 29, 10)),  # the next 29 February
        ("1 April 9am", utc(2027, 4, 1, 8)),  # BST by then
        # numeric dates, UK order (day first)
        ("12/3 14:00", MAR_12_2PM),
        ("12/03 14:00", MAR_12_2PM),
        ("12/3/2027 14:00", MAR_12_2PM),
        ("12/3/27 2pm", MAR_12_2PM),
        ("12.3.2027 14:00", MAR_12_2PM),
        ("1/4 9am", utc(2027, 4, 1, 8)),
        ("2027-03-09 14:00", TUE_2PM),
        ("2027-03-09T14:00", TUE_2PM),
        ("2027-03-09T14:00:00", TUE_2PM),
        ("2027-3-9 2pm", TUE_2PM),
        ("Tuesday 2027-03-09 14:00", TUE_2PM),
        # relative days
        ("in 3 days at 9am", utc(2027, 3, 6, 9)),
        ("in 1 day 9am", utc(2027, 3, 4, 9)),
        ("in 2 weeks 10am", utc(2027, 3, 17, 10)),
        ("in a week at noon", utc(2027, 3, 10, 12)),
        ("in two weeks 10am", utc(2027, 3, 17, 10)),
        # what format_time shows can be typed back, and what older cards showed still reads
        ("Tuesday 9 March 2027, 14:00", TUE_2PM),
        ("Tuesday 9 March, 2:00pm (Europe/London)", TUE_2PM),
        ("Tue 9 Mar, 2:00pm", TUE_2PM),
        # a year ahead is the limit, inclusive
        ("2028-03-03 10:00", utc(2028, 3, 3, 10)),
    ],
)
def test_parse_times_reads_one_option_in_every_accepted_form(text: str, expected: datetime) -> None:
    assert parse_times(text, NOW, LONDON) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tue 2pm; Thu 9am", [utc(2027, 3, 4, 9), TUE_2PM]),
        ("Tue 2pm\nThu 9am", [utc(2027, 3, 4, 9), TUE_2PM]),
        ("Tue 2pm or Thu 9am", [utc(2027, 3, 4, 9), TUE_2PM]),
        ("Tue 2pm, Thu 9am", [utc(2027, 3, 4, 9), TUE_2PM]),
        ("Tue 2pm and Thu 9am", [utc(2027, 3, 4, 9), TUE_2PM]),
        ("either Tue 2pm or Thu 9am", [utc(2027, 3, 4, 9), TUE_2PM]),
        ("Thu 9am;; Tue 2pm;", [utc(2027, 3, 4, 9), TUE_2PM]),
        ("12/3 2pm, 2027-03-09 14:00 or tomorrow 9am", [utc(2027, 3, 4, 9), TUE_2PM, MAR_12_2PM]),
        # a time alone shares the day before it (or, leading the list, the day after it)
        ("Tue 2pm or 4pm", [TUE_2PM, utc(2027, 3, 9, 16)]),
        ("Tue 2pm, 4pm, 5pm", [TUE_2PM, utc(2027, 3, 9, 16), utc(2027, 3, 9, 17)]),
        ("2pm or 4pm tomorrow", [utc(2027, 3, 4, 14), utc(2027, 3, 4, 16)]),
        ("2pm or 3pm", [utc(2027, 3, 3, 14), utc(2027, 3, 3, 15)]),
        # a day alone shares the time after it
        ("Tue or Wed 2pm", [utc(2027, 3, 3, 14), TUE_2PM]),
        ("Mon, Tue or Thu 9am", [utc(2027, 3, 4, 9), utc(2027, 3, 8, 9), utc(2027, 3, 9, 9)]),
        ("Tuesday 9 March, 2pm", [TUE_2PM]),
        ("12/3, 14:00", [MAR_12_2PM]),
        # the same instant twice counts once
        ("Tue 2pm or Tuesday 14:00", [TUE_2PM]),
        (
            "tomorrow 9am; tomorrow 10am; tomorrow 11am; tomorrow noon; tomorrow 1pm",
            [utc(2027, 3, 4, hour) for hour in (9, 10, 11, 12, 13)],
        ),
        (
            "9am; 10am; 11am; noon; 1pm; 1pm",
            [utc(2027, 3, 4, 9)] + [utc(2027, 3, 3, h) for h in (11, 12, 13)] + [utc(2027, 3, 4, 10)],
        ),
    ],
)
def test_parse_times_reads_several_options_sorted_and_de_duplicated(text: str, expected: list[datetime]) -> None:
    assert parse_times(text, NOW, LONDON) == sorted(expected)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "I couldn't read that time."),
        ("   ", "I couldn't read that time."),
        (" ; or , ", "I couldn't read that time."),
        ("blah", "I couldn't read that time."),
        ("sometime next week", "I couldn't read that time."),
        ("tomorrow morning", "I couldn't read that time."),
        ("next week 2pm", "I couldn't read that time."),
        ("at", "I couldn't read that time."),
        ("Tuesday 25pm", "I couldn't read that time."),
        ("13pm tomorrow", "I couldn't read that time."),
        ("tomorrow 2:75pm", "I couldn't read that time."),
        ("tomorrow 24:00", "I couldn't read that time."),
        ("tomorrow 10", "I couldn't read that time."),
        ("32/3 2pm", "I couldn't read that time."),
        ("12/13 2pm", "I couldn't read that time."),
        ("31 June 2pm", "I couldn't read that time."),
        ("2027-02-30 10:00", "I couldn't read that time."),
        ("in many days 2pm", "I couldn't read that time."),
        ("12.3 2pm", "I couldn't read that time."),
        ("next Tuesday week 2pm", "I couldn't read that time."),
        ("blah or Tue 2pm", "I couldn't read option 1."),
        ("Tue 2pm or blah", "I couldn't read option 2."),
        ("Tue 2pm or at", "I couldn't read option 2."),
        ("today 9am", "Wednesday 3 March 2027, 09:00 has already passed."),
        ("today 10am", "Wednesday 3 March 2027, 10:00 has already passed."),
        ("2027-03-01 14:00", "Monday 1 March 2027, 14:00 has already passed."),
        ("12/3/2026 9am", "Thursday 12 March 2026, 09:00 has already passed."),
        ("Tue 2pm or today 9am", "Wednesday 3 March 2027, 09:00 has already passed."),
        ("Tue 2pm Thu 3pm", "I found two days or two times in one option."),
        ("tomorrow 2pm 3pm", "I found two days or two times in one option."),
        ("today tomorrow 2pm", "I found two days or two times in one option."),
    ],
)
def test_parse_times_refuses_unreadable_day_only_past_and_muddled_answers_with_an_example(
    text: str, message: str
) -> None:
    with pytest.raises(AnswerError) as caught:
        parse_times(text, NOW, LONDON)
    assert str(caught.value).startswith(message)
    assert str(caught.value).endswith(EXAMPLE)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2028-03-03 10:01", "Friday 3 March 2028 is more than a year away."),
        ("2028-06-01 10:00", "Thursday 1 June 2028 is more than a year away."),
        ("in 53 weeks 9am", "Wednesday 8 March 2028 is more than a year away."),
        ("Tue 2pm or 2029-01-01 9am", "Monday 1 January 2029 is more than a year away."),
        ("Wednesday 9 March 2pm", "Tuesday 9 March 2027 is not a Wednesday. Could you check the day?"),
        ("Tue 2pm tomorrow", "Thursday 4 March 2027 is not a Tuesday."),
        ("9am; 10am; 11am; noon; 1pm; 2pm", "That's 6 times; please offer up to 5"),
    ],
)
def test_parse_times_refuses_far_off_mismatched_and_too_many_options(text: str, message: str) -> None:
    with pytest.raises(AnswerError) as caught:
        parse_times(text, NOW, LONDON)
    assert str(caught.value).startswith(message)
    assert str(caught.value).endswith(EXAMPLE)


@pytest.mark.parametrize(
    ("text", "now", "expected"),
    [
        # spring forward, 28 March 2027: 01:00-02:00 local does not exist; the gap ends at 01:00 UTC
        ("28 March 12:59am", NOW, utc(2027, 3, 28, 0, 59)),
        ("28 March 1am", NOW, utc(2027, 3, 28, 1)),
        ("28 March 1:30am", NOW, utc(2027, 3, 28, 1)),
        ("2027-03-28 01:59", NOW, utc(2027, 3, 28, 1)),
        ("28 March 2am", NOW, utc(2027, 3, 28, 1)),
        ("28 March 3am", NOW, utc(2027, 3, 28, 2)),
        ("28 March 9am", NOW, utc(2027, 3, 28, 8)),
        ("27 March 9am", NOW, utc(2027, 3, 27, 9)),
        ("tomorrow 1:30am", utc(2027, 3, 27, 20), utc(2027, 3, 28, 1)),
        ("Sunday 1:30am", utc(2027, 3, 27, 20), utc(2027, 3, 28, 1)),
        ("Monday 9am", utc(2027, 3, 27, 20), utc(2027, 3, 29, 8)),
        ("in 1 week 9am", utc(2027, 3, 24, 12), utc(2027, 3, 31, 8)),
        # fall back, 31 October 2027: 01:00-02:00 local happens twice; the first occurrence is BST
        ("31 Oct 12:30am", NOW, utc(2027, 10, 30, 23, 30)),
        ("31 Oct 1am", NOW, utc(2027, 10, 31, 0)),
        ("31 October 1:30am", NOW, utc(2027, 10, 31, 0, 30)),
        ("31 Oct 2am", NOW, utc(2027, 10, 31, 2)),
        ("30 Oct 9am", NOW, utc(2027, 10, 30, 8)),
        ("1 Nov 9am", NOW, utc(2027, 11, 1, 9)),
        # between the two occurrences the second one, still ahead, is meant
        ("1:30am", utc(2027, 10, 31, 0, 45), utc(2027, 10, 31, 1, 30)),
        ("today 1:30am", utc(2027, 10, 31, 0, 45), utc(2027, 10, 31, 1, 30)),
        ("Sunday 1:30am", utc(2027, 10, 31, 0, 45), utc(2027, 10, 31, 1, 30)),
    ],
)
def test_london_daylight_saving_gaps_move_forward_and_repeats_take_the_first_ahead(
    text: str, now: datetime, expected: datetime
) -> None:
    assert parse_times(text, now, LONDON) == [expected]


def test_a_repeated_time_whose_both_occurrences_have_gone_is_past() -> None:
    with pytest.raises(AnswerError, match="Sunday 31 October 2027, 01:30 has already passed"):
        parse_times("today 1:30am", utc(2027, 10, 31, 1, 45), LONDON)


@pytest.mark.parametrize(
    ("text", "time_zone", "now", "expected"),
    [
        # Kolkata is UTC+05:30 all year: NOW is 15:30 there
        ("tomorrow 9am", KOLKATA, NOW, utc(2027, 3, 4, 3, 30)),
        ("today 4pm", KOLKATA, NOW, utc(2027, 3, 3, 10, 30)),
        ("3pm", KOLKATA, NOW, utc(2027, 3, 4, 9, 30)),
        ("Tue 2pm", KOLKATA, NOW, utc(2027, 3, 9, 8, 30)),
        ("2027-03-28 01:30", KOLKATA, NOW, utc(2027, 3, 27, 20)),
        ("today 9am", KOLKATA, utc(2027, 3, 3, 20), utc(2027, 3, 4, 3, 30)),  # already 4 March there
        ("Thursday 9am", KOLKATA, utc(2027, 3, 3, 20), utc(2027, 3, 4, 3, 30)),
        # New York is UTC-5 until 14 March 2027 (02:00-03:00 skipped), UTC-4 until 7 November
        ("today 9am", NEW_YORK, NOW, utc(2027, 3, 3, 14)),
        ("tomorrow 9am", NEW_YORK, NOW, utc(2027, 3, 4, 14)),
        ("15 March 9am", NEW_YORK, NOW, utc(2027, 3, 15, 13)),
        ("14 March 2:30am", NEW_YORK, NOW, utc(2027, 3, 14, 7)),
        ("14 March 3am", NEW_YORK, NOW, utc(2027, 3, 14, 7)),
        ("7 Nov 1:30am", NEW_YORK, NOW, utc(2027, 11, 7, 5, 30)),
        ("today 11pm", NEW_YORK, utc(2027, 3, 3, 3), utc(2027, 3, 3, 4)),  # still 2 March there
        ("tomorrow 9am", NEW_YORK, utc(2027, 3, 3, 3), utc(2027, 3, 3, 14)),
        # an unknown or empty zone is read as Europe/London
        ("tomorrow 9am", "Mars/Olympus_Mons", NOW, utc(2027, 3, 4, 9)),
        ("1 April 9am", "", NOW, utc(2027, 4, 1, 8)),
    ],
)
def test_times_are_read_in_the_persons_own_zone(text: str, time_zone: str, now: datetime, expected: datetime) -> None:
    assert parse_times(text, now, time_zone) == [expected]


def test_today_past_in_kolkata_is_refused_though_still_ahead_in_london() -> None:
    assert parse_times("today 3pm", NOW, LONDON) == [utc(2027, 3, 3, 15)]
    with pytest.raises(AnswerError, match="Wednesday 3 March 2027, 15:00 has already passed"):
        parse_times("today 3pm", NOW, KOLKATA)


@pytest.mark.parametrize(
    ("date_text", "time_text", "time_zone", "expected"),
    [
        ("2027-03-09", "14:00", LONDON, TUE_2PM),
        (" 2027-03-09 ", " 14:00 ", LONDON, TUE_2PM),
        ("2027-03-09", "14:00", KOLKATA, utc(2027, 3, 9, 8, 30)),
        ("2027-03-09", "14:00", NEW_YORK, utc(2027, 3, 9, 19)),
        ("2027-03-09", "02:00", LONDON, utc(2027, 3, 9, 2)),
        ("2027-03-28", "01:30", LONDON, utc(2027, 3, 28, 1)),
        ("2027-10-31", "01:30", LONDON, utc(2027, 10, 31, 0, 30)),
        ("9 March", "2pm", LONDON, TUE_2PM),
        ("9/3/2027", "2:00pm", LONDON, TUE_2PM),
        ("tomorrow", "09:00", LONDON, utc(2027, 3, 4, 9)),
        ("Tuesday", "14:00", LONDON, TUE_2PM),
    ],
)
def test_times_from_form_reads_a_card_date_and_time(
    date_text: str, time_text: str, time_zone: str, expected: datetime
) -> None:
    assert times_from_form(date_text, time_text, NOW, time_zone) == [expected]


@pytest.mark.parametrize(
    ("date_text", "time_text", "message"),
    [
        ("", "", "Please choose a date and a time."),
        ("", "14:00", "I have 14:00; which day?"),
        ("  ", "2pm", "I have 14:00; which day?"),
        ("2027-03-09", "", "I have Tuesday 9 March 2027; what time?"),
        ("soon", "14:00", "I couldn't read that date. Try something like '2027-03-09'."),
        ("2027-03-09 14:00", "14:00", "I couldn't read that date."),
        ("14:00", "14:00", "I couldn't read that date."),
        ("2027-02-30", "14:00", "I couldn't read that date."),
        ("2027-03-09", "later", "I couldn't read that time. Try something like '14:00' or '2pm'."),
        ("2027-03-09", "tomorrow 2pm", "I couldn't read that time."),
        ("2027-03-09", "25:00", "I couldn't read that time."),
        ("2027-03-01", "14:00", "Monday 1 March 2027, 14:00 has already passed."),
        ("2028-06-01", "10:00", "Thursday 1 June 2028 is more than a year away."),
    ],
)
def test_times_from_form_refuses_missing_unreadable_past_and_far_off_values(
    date_text: str, time_text: str, message: str
) -> None:
    with pytest.raises(AnswerError) as caught:
        times_from_form(date_text, time_text, NOW, LONDON)
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize(
    ("at", "time_zone", "shown"),
    [
        (TUE_2PM, LONDON, "Tuesday 9 March 2027, 14:00"),
        (utc(2027, 3, 9, 9, 30), LONDON, "Tuesday 9 March 2027, 09:30"),
        (utc(2027, 3, 9, 12), LONDON, "Tuesday 9 March 2027, 12:00"),
        (utc(2027, 3, 9, 0, 5), LONDON, "Tuesday 9 March 2027, 00:05"),
        (utc(2027, 3, 9, 23, 59), LONDON, "Tuesday 9 March 2027, 23:59"),
        (utc(2027, 6, 1, 13), LONDON, "Tuesday 1 June 2027, 14:00"),
        (utc(2027, 3, 28, 1), LONDON, "Sunday 28 March 2027, 02:00"),
        (utc(2027, 9, 30, 8, 45), LONDON, "Thursday 30 September 2027, 09:45"),
        (TUE_2PM, KOLKATA, "Tuesday 9 March 2027, 19:30"),
        (utc(2027, 3, 9, 20), KOLKATA, "Wednesday 10 March 2027, 01:30"),
        (utc(2027, 3, 9, 3), NEW_YORK, "Monday 8 March 2027, 22:00"),
        (utc(2027, 3, 15, 13), NEW_YORK, "Monday 15 March 2027, 09:00"),
        (utc(2027, 12, 31, 23, 30), NEW_YORK, "Friday 31 December 2027, 18:30"),
        (utc(2027, 12, 31, 23, 30), KOLKATA, "Saturday 1 January 2028, 05:00"),
        (TUE_2PM, "Mars/Olympus_Mons", "Tuesday 9 March 2027, 14:00"),
        (datetime(2027, 3, 9, 20, 30, tzinfo=ZoneInfo(KOLKATA)), LONDON, "Tuesday 9 March 2027, 15:00"),
    ],
)
def test_format_time_shows_one_shape_in_the_readers_zone(at: datetime, time_zone: str, shown: str) -> None:
    assert format_time(at, time_zone) == shown


@pytest.mark.parametrize("time_zone", [LONDON, KOLKATA, NEW_YORK])
@pytest.mark.parametrize("at", [TUE_2PM, utc(2027, 3, 28, 1), utc(2027, 7, 4, 23, 15), utc(2028, 2, 29, 12)])
def test_what_is_shown_can_be_typed_back(at: datetime, time_zone: str) -> None:
    assert parse_times(format_time(at, time_zone), NOW, time_zone) == [at]


@pytest.mark.parametrize(
    ("text", "message", "days"),
    [
        ("Tuesday", "I have Tuesday 9 March 2027; what time?", ("2027-03-09",)),
        ("tomorrow", "I have Thursday 4 March 2027; what time?", ("2027-03-04",)),
        ("12 March", "I have Friday 12 March 2027; what time?", ("2027-03-12",)),
        ("next Monday", "I have Monday 8 March 2027; what time?", ("2027-03-08",)),
        (
            "Tuesday or Wednesday",
            "I have Wednesday 3 March 2027 and Tuesday 9 March 2027; what time?",
            ("2027-03-03", "2027-03-09"),
        ),
    ],
)
def test_a_day_without_a_time_is_half_an_answer_that_says_what_it_has(
    text: str, message: str, days: tuple[str, ...]
) -> None:
    with pytest.raises(HalfAnswer) as caught:
        parse_times(text, NOW, LONDON)
    assert str(caught.value) == message
    assert caught.value.reask is False  # the message is itself the question
    assert tuple(caught.value.held()["days"]) == days


def test_a_time_after_half_an_answer_completes_the_days_it_named() -> None:
    with pytest.raises(HalfAnswer) as caught:
        parse_times("Tuesday or Thursday", NOW, LONDON)
    held = caught.value.held()
    assert parse_times("2pm", NOW, LONDON, held) == [utc(2027, 3, 4, 14), TUE_2PM]
    assert parse_times("14:00", NOW, LONDON, held) == [utc(2027, 3, 4, 14), TUE_2PM]
    # a whole new answer wins over what was held
    assert parse_times("12 March 2pm", NOW, LONDON, held) == [MAR_12_2PM]


def test_a_form_time_without_a_day_is_completed_by_a_day_typed_next() -> None:
    with pytest.raises(HalfAnswer) as caught:
        times_from_form("", "14:00", NOW, LONDON)
    held = caught.value.held()
    assert parse_times("Tuesday", NOW, LONDON, held) == [TUE_2PM]
    assert times_from_form("2027-03-09", "", NOW, LONDON, held) == [TUE_2PM]


def test_a_form_date_without_a_time_is_completed_by_a_time_picked_next() -> None:
    with pytest.raises(HalfAnswer) as caught:
        times_from_form("2027-03-09", "", NOW, LONDON)
    assert times_from_form("", "14:00", NOW, LONDON, caught.value.held()) == [TUE_2PM]


def test_an_option_without_a_time_takes_the_time_named_before_it() -> None:
    assert parse_times("Tue 2pm or Thu", NOW, LONDON) == [utc(2027, 3, 4, 14), TUE_2PM]


def test_naive_datetimes_are_refused_as_a_programming_error() -> None:
    naive = datetime(2027, 3, 3, 10)
    with pytest.raises(ValueError, match="timezone-aware"):
        parse_times("tomorrow 9am", naive, LONDON)
    with pytest.raises(ValueError, match="timezone-aware"):
        times_from_form("2027-03-09", "14:00", naive, LONDON)
    with pytest.raises(ValueError, match="timezone-aware"):
        format_time(naive, LONDON)
