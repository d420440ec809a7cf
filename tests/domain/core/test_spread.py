"""Spreading scheduled messages over each person's own working window: stable per person,
always inside the window (daylight saving included), never before `now`."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import UTC, datetime, time, timedelta

import pytest

from domain.core.spread import next_working_day_slot, place_in_window, spread_delivery_time, working_window
from domain.core.timing import WorkingHours, local_date, zone

HOURS = WorkingHours()  # 09:00-17:00, Monday to Friday
EVERY_DAY = WorkingHours(time(0), time(4), frozenset(range(7)))  # a window that contains the clock changes


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def seconds(at: datetime) -> datetime:
    """Due times are whole seconds."""
    return at.replace(microsecond=0)


def inside(at: datetime, time_zone: str, hours: WorkingHours) -> bool:
    """Whether `at` falls within the working window of its own local day."""
    window = working_window(local_date(at, time_zone), time_zone, hours)
    return window is not None and window[0] <= at < window[1]


def test_each_person_has_a_fixed_place_and_neighbours_are_far_apart() -> None:
    places = [place_in_window(pid) for pid in range(1, 1001)]
    assert places == [place_in_window(pid) for pid in range(1, 1001)]  # the same every time
    assert all(0 <= p < 1 for p in places)
    assert min(abs(a - b) for a, b in itertools.pairwise(places)) > 0.2
    # A thousand people over an eight-hour window: every hour gets its share, none a crowd.
    per_hour = Counter(int(p * 8) for p in places)
    assert sorted(per_hour) == list(range(8)) and max(per_hour.values()) <= 130


def test_planned_before_the_window_each_person_gets_their_own_point_of_it() -> None:
    monday_early = utc(2027, 1, 18, 6)  # London is on GMT
    due = {pid: spread_delivery_time(monday_early, "Europe/London", HOURS, pid) for pid in range(1, 201)}
    for pid, at in due.items():
        assert at == seconds(utc(2027, 1, 18, 9) + timedelta(hours=8) * place_in_window(pid))
    assert len(set(due.values())) == 200  # nobody shares an instant, so nothing stampedes at 09:00
    later_that_morning = utc(2027, 1, 18, 8, 45)
    assert all(spread_delivery_time(later_that_morning, "Europe/London", HOURS, p) == at for p, at in due.items())


def test_planned_inside_the_window_the_rest_of_the_day_is_used() -> None:
    noon = utc(2027, 1, 18, 12)
    for pid in range(1, 300):
        at = spread_delivery_time(noon, "Europe/London", HOURS, pid)
        own = utc(2027, 1, 18, 9) + timedelta(hours=8) * place_in_window(pid)
        assert at == seconds(own if own >= noon else noon + timedelta(hours=5) * place_in_window(pid))
        assert noon <= at < utc(2027, 1, 18, 17)


@pytest.mark.parametrize(
    ("now", "day"),
    [
        (utc(2027, 1, 18, 17), utc(2027, 1, 19, 9)),  # at the end: tomorrow
        (utc(2027, 1, 22, 18), utc(2027, 1, 25, 9)),  # Friday evening: Monday
        (utc(2027, 1, 23, 12), utc(2027, 1, 25, 9)),  # Saturday
    ],
)
def test_after_the_window_it_is_the_persons_point_of_the_next_working_day(now: datetime, day: datetime) -> None:
    for pid in (1, 2, 3, 500):
        assert spread_delivery_time(now, "Europe/London", HOURS, pid) == seconds(
            day + timedelta(hours=8) * place_in_window(pid)
        )


def test_next_working_day_slot_skips_the_weekend_in_the_persons_zone() -> None:
    friday = local_date(utc(2027, 1, 22, 12), "Asia/Kolkata")
    at = next_working_day_slot(friday, "Asia/Kolkata", HOURS, 7)
    assert at.astimezone(zone("Asia/Kolkata")).date().isoformat() == "2027-01-25"
    assert inside(at, "Asia/Kolkata", HOURS)


@pytest.mark.parametrize(
    ("time_zone", "start"),
    [
        ("Europe/London", utc(2027, 3, 22)),  # clocks go forward on Sunday 28 March
        ("Europe/London", utc(2027, 10, 25)),  # and back on Sunday 31 October
        ("America/New_York", utc(2027, 3, 8)),
        ("Asia/Kolkata", utc(2027, 3, 22)),
        ("Australia/Sydney", utc(2027, 3, 29)),  # back on Sunday 4 April
    ],
)
def test_always_inside_a_working_window_and_never_before_now(time_zone: str, start: datetime) -> None:
    for step in range(0, 14 * 24 * 4, 7):  # a fortnight around the change, every 1 h 45 min
        now = start + timedelta(minutes=15 * step)
        for pid in (1, 2, 3, 10, 77, 1234):
            for hours in (HOURS, EVERY_DAY):
                at = spread_delivery_time(now, time_zone, hours, pid)
                assert at >= now and at.utcoffset() == timedelta(0)
                assert inside(at, time_zone, hours), (time_zone, now, pid)


def test_a_window_the_clocks_change_in_is_an_hour_shorter_or_longer() -> None:
    spring, autumn = utc(2027, 3, 28).date(), utc(2027, 10, 31).date()
    for day, length in ((spring, timedelta(hours=3)), (autumn, timedelta(hours=5))):
        window = working_window(day, "Europe/London", EVERY_DAY)
        assert window is not None and window[1] - window[0] == length
