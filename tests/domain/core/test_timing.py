"""Timing rules with fixed dates: working hours by local time zone (including both UK
daylight-saving changes), partnership weeks, lengths and local dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from domain.core.timing import (
    WorkingHours,
    length_weeks,
    local_date,
    next_delivery_time,
    parse_working_hours,
    partnership_week,
)

UTC = UTC
EVERY_DAY = frozenset(range(7))


def utc(*parts: int) -> datetime:
    """An aware UTC datetime from year, month, day, hour, minute, second."""
    return datetime(*parts, tzinfo=UTC)


# (case, zone, now, expected); default hours 09:00-17:00, Monday to Friday.
DELIVERY = [
    # Europe/London in winter (GMT = UTC). 2027-01-13 is a Wednesday.
    ("within hours", "Europe/London", utc(2027, 1, 13, 10), utc(2027, 1, 13, 10)),
    ("exactly at start", "Europe/London", utc(2027, 1, 13, 9), utc(2027, 1, 13, 9)),
    ("a second before start", "Europe/London", utc(2027, 1, 13, 8, 59, 59), utc(2027, 1, 13, 9)),
    ("a second before end", "Europe/London", utc(2027, 1, 13, 16, 59, 59), utc(2027, 1, 13, 16, 59, 59)),
    ("exactly at end", "Europe/London", utc(2027, 1, 13, 17), utc(2027, 1, 14, 9)),
    ("after hours", "Europe/London", utc(2027, 1, 13, 22), utc(2027, 1, 14, 9)),
    ("midnight", "Europe/London", utc(2027, 1, 14, 0), utc(2027, 1, 14, 9)),
    ("friday evening", "Europe/London", utc(2027, 1, 15, 18), utc(2027, 1, 18, 9)),
    ("saturday noon", "Europe/London", utc(2027, 1, 16, 12), utc(2027, 1, 18, 9)),
    ("sunday late", "Europe/London", utc(2027, 1, 17, 23, 59), utc(2027, 1, 18, 9)),
    # Europe/London in summer (BST = UTC+1).
    ("summer within", "Europe/London", utc(2027, 7, 14, 8, 30), utc(2027, 7, 14, 8, 30)),
    ("summer before start", "Europe/London", utc(2027, 7, 14, 7, 59), utc(2027, 7, 14, 8)),
    ("summer at end", "Europe/London", utc(2027, 7, 14, 16), utc(2027, 7, 15, 8)),
    # Clocks go forward on Sunday 2027-03-28: Friday is GMT, Monday is BST.
    ("friday before spring change", "Europe/London", utc(2027, 3, 26, 18), utc(2027, 3, 29, 8)),
    ("saturday night before spring change", "Europe/London", utc(2027, 3, 27, 23, 30), utc(2027, 3, 29, 8)),
    ("during the spring change", "Europe/London", utc(2027, 3, 28, 1, 30), utc(2027, 3, 29, 8)),
    # Clocks go back on Sunday 2027-10-31: Friday is BST, Monday is GMT.
    ("friday before autumn change", "Europe/London", utc(2027, 10, 29, 17), utc(2027, 11, 1, 9)),
    ("repeated hour of autumn change", "Europe/London", utc(2027, 10, 31, 0, 30), utc(2027, 11, 1, 9)),
    ("friday within, autumn", "Europe/London", utc(2027, 10, 29, 15, 59), utc(2027, 10, 29, 15, 59)),
    # Asia/Kolkata is UTC+05:30 all year: the local weekday can differ from the UTC one.
    ("kolkata at start", "Asia/Kolkata", utc(2027, 1, 13, 3, 30), utc(2027, 1, 13, 3, 30)),
    ("kolkata before start", "Asia/Kolkata", utc(2027, 1, 13, 3, 29), utc(2027, 1, 13, 3, 30)),
    ("kolkata at end", "Asia/Kolkata", utc(2027, 1, 13, 11, 30), utc(2027, 1, 14, 3, 30)),
    ("kolkata: utc friday is local saturday", "Asia/Kolkata", utc(2027, 1, 15, 20), utc(2027, 1, 18, 3, 30)),
    ("kolkata: utc sunday is local monday", "Asia/Kolkata", utc(2027, 1, 17, 22), utc(2027, 1, 18, 3, 30)),
    ("kolkata: utc thursday night is friday", "Asia/Kolkata", utc(2027, 1, 14, 19), utc(2027, 1, 15, 3, 30)),
    # America/New_York: EST (UTC-5), EDT (UTC-4) from 2027-03-14 to 2027-11-07.
    ("new york before start", "America/New_York", utc(2027, 1, 18, 13, 59), utc(2027, 1, 18, 14)),
    ("new york at end", "America/New_York", utc(2027, 1, 18, 22), utc(2027, 1, 19, 14)),
    ("new york: utc saturday is local friday night", "America/New_York", utc(2027, 1, 16, 3), utc(2027, 1, 18, 14)),
    ("new york: utc tuesday is local monday night", "America/New_York", utc(2027, 1, 19, 2), utc(2027, 1, 19, 14)),
    ("new york over spring change", "America/New_York", utc(2027, 3, 12, 23), utc(2027, 3, 15, 13)),
    ("new york over autumn change", "America/New_York", utc(2027, 11, 5, 22), utc(2027, 11, 8, 14)),
    # Unknown or malformed zone names fall back to Europe/London (BST in July).
    ("unknown zone", "Mars/Olympus_Mons", utc(2027, 7, 14, 7, 30), utc(2027, 7, 14, 8)),
    ("empty zone", "", utc(2027, 7, 14, 7, 30), utc(2027, 7, 14, 8)),
    ("malformed zone", "../etc/passwd", utc(2027, 7, 14, 7, 30), utc(2027, 7, 14, 8)),
]


@pytest.mark.parametrize(
    ("zone", "now", "expected"), [case[1:] for case in DELIVERY], ids=[case[0] for case in DELIVERY]
)
def test_next_delivery_time(zone: str, now: datetime, expected: datetime) -> None:
    result = next_delivery_time(now, zone, WorkingHours())
    assert result == expected
    assert result.utcoffset() == timedelta(0)


# (case, zone, hours, now, expected) for non-default hours and the DST edges of a start time.
EDGES = [
    # 01:30 does not exist in London on 2027-03-28 (01:00 GMT jumps to 02:00 BST): the
    # first valid instant is 02:00 BST, which is 01:00 UTC.
    (
        "start in spring gap",
        "Europe/London",
        WorkingHours(time(1, 30), time(17), EVERY_DAY),
        utc(2027, 3, 27, 20),
        utc(2027, 3, 28, 1),
    ),
    # 01:30 happens twice on 2027-10-31: first as BST (00:30 UTC), then as GMT (01:30 UTC).
    (
        "start in repeated hour, first time",
        "Europe/London",
        WorkingHours(time(1, 30), time(17), EVERY_DAY),
        utc(2027, 10, 30, 20),
        utc(2027, 10, 31, 0, 30),
    ),
    (
        "start in repeated hour, second time",
        "Europe/London",
        WorkingHours(time(1, 30), time(17), EVERY_DAY),
        utc(2027, 10, 31, 1, 5),
        utc(2027, 10, 31, 1, 30),
    ),
    # Havana moves its clocks at midnight: 00:00 on 2027-03-14 never happens (01:00 CDT does).
    (
        "midnight start in gap",
        "America/Havana",
        WorkingHours(time(0), time(17), EVERY_DAY),
        utc(2027, 3, 13, 23),
        utc(2027, 3, 14, 5),
    ),
    (
        "weekend-only hours",
        "Europe/London",
        WorkingHours(time(9), time(17), frozenset({5, 6})),
        utc(2027, 1, 13, 10),
        utc(2027, 1, 16, 9),
    ),
    (
        "one weekday, a week later",
        "Europe/London",
        WorkingHours(time(9), time(17), frozenset({2})),
        utc(2027, 1, 13, 17),
        utc(2027, 1, 20, 9),
    ),
    (
        "half-hour hours",
        "Europe/London",
        WorkingHours(time(8, 30), time(16, 30)),
        utc(2027, 1, 13, 16, 30),
        utc(2027, 1, 14, 8, 30),
    ),
]


@pytest.mark.parametrize(
    ("zone", "hours", "now", "expected"), [case[1:] for case in EDGES], ids=[case[0] for case in EDGES]
)
def test_next_delivery_time_edges(zone: str, hours: WorkingHours, now: datetime, expected: datetime) -> None:
    assert next_delivery_time(now, zone, hours) == expected


def test_next_delivery_time_refuses_naive_now() -> None:
    with pytest.raises(ValueError, match="aware"):
        next_delivery_time(datetime(2027, 1, 13, 10), "Europe/London", WorkingHours())


def test_next_delivery_time_returns_utc_for_non_utc_input() -> None:
    within = datetime(2027, 1, 13, 15, 30, tzinfo=timezone(timedelta(hours=5, minutes=30)))  # 10:00 UTC
    result = next_delivery_time(within, "Europe/London", WorkingHours())
    assert (result, result.utcoffset()) == (utc(2027, 1, 13, 10), timedelta(0))


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("09:00-17:00", time(9), time(17)),
        ("9-17", time(9), time(17)),
        ("08:30-16:30", time(8, 30), time(16, 30)),
        (" 8:30 - 16:30 ", time(8, 30), time(16, 30)),
        ("7–19", time(7), time(19)),
        ("00:00-23:59", time(0), time(23, 59)),
    ],
)
def test_parse_working_hours(text: str, start: time, end: time) -> None:
    assert parse_working_hours(text) == WorkingHours(start, end, frozenset({0, 1, 2, 3, 4}))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "should look like 09:00-17:00"),
        ("9", "should look like 09:00-17:00"),
        ("nine to five", "should look like 09:00-17:00"),
        ("9:00-17:00-18:00", "should look like 09:00-17:00"),
        ("9:5-17", "should look like 09:00-17:00"),
        ("17-9", "must start before they end"),
        ("09:00-09:00", "must start before they end"),
        ("25-26", "does not exist"),
        ("09:60-17:00", "does not exist"),
        ("9-24", "does not exist"),
    ],
)
def test_parse_working_hours_rejects(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as caught:
        parse_working_hours(text)
    assert repr(text) in str(caught.value)


@pytest.mark.parametrize(
    "fields",
    [
        {"start": time(17), "end": time(9)},
        {"start": time(9), "end": time(9)},
        {"weekdays": frozenset()},
        {"weekdays": frozenset({0, 7})},
    ],
)
def test_working_hours_rejects_impossible_values(fields: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        WorkingHours(**fields)


def test_working_hours_defaults() -> None:
    assert WorkingHours() == WorkingHours(time(9), time(17), frozenset({0, 1, 2, 3, 4}))


START = date(2027, 1, 11)


@pytest.mark.parametrize(
    ("today", "week"),
    [
        (START, 0),
        (START + timedelta(days=6), 0),
        (START + timedelta(days=7), 1),
        (START + timedelta(days=13), 1),
        (START + timedelta(days=14), 2),
        (START - timedelta(days=1), -1),
        (START - timedelta(days=7), -1),
        (START - timedelta(days=8), -2),
        (START - timedelta(days=14), -2),
        (START + timedelta(days=364), 52),
    ],
)
def test_partnership_week(today: date, week: int) -> None:
    assert partnership_week(START, today) == week


@pytest.mark.parametrize(("months", "weeks"), [(12, 52), (15, 65), (13, 56), (14, 61), (6, 26), (1, 4)])
def test_length_weeks(months: int, weeks: int) -> None:
    assert length_weeks(months) == weeks


@pytest.mark.parametrize(
    ("now", "zone", "expected"),
    [
        (utc(2027, 1, 13, 23, 30), "Europe/London", date(2027, 1, 13)),
        (utc(2027, 7, 14, 23, 30), "Europe/London", date(2027, 7, 15)),
        (utc(2027, 3, 28, 0, 30), "Europe/London", date(2027, 3, 28)),
        (utc(2027, 1, 13, 18, 30), "Asia/Kolkata", date(2027, 1, 14)),
        (utc(2027, 1, 13, 18, 29), "Asia/Kolkata", date(2027, 1, 13)),
        (utc(2027, 1, 14, 4, 59), "America/New_York", date(2027, 1, 13)),
        (utc(2027, 1, 14, 5), "America/New_York", date(2027, 1, 14)),
        (utc(2027, 7, 14, 23, 30), "Nowhere/Special", date(2027, 7, 15)),
    ],
)
def test_local_date(now: datetime, zone: str, expected: date) -> None:
    assert local_date(now, zone) == expected


def test_local_date_refuses_naive_now() -> None:
    with pytest.raises(ValueError, match="aware"):
        local_date(datetime(2027, 1, 13, 10), "Europe/London")
