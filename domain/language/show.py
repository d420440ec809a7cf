"""How dates, times and counts are shown to people: one formatter for every card and message.

Every date and time the companion shows goes through here, so a person reads the same shape
everywhere: "Monday 1 March 2027, 14:00" for a moment (in the reader's time zone) and
"Monday 1 March 2027" for a day. Pure functions; `at` must be timezone-aware.
"""

from __future__ import annotations

from datetime import date, datetime

from domain.core.timing import zone

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def format_time(at: datetime, time_zone: str) -> str:
    """A moment in the reader's zone: "Monday 1 March 2027, 14:00"."""
    local = aware(at).astimezone(zone(time_zone))
    return f"{format_date(local.date())}, {local:%H:%M}"


def format_clock(at: datetime, time_zone: str) -> str:
    """The time of day alone, in the reader's zone, on the 24-hour clock: "14:00"."""
    return f"{aware(at).astimezone(zone(time_zone)):%H:%M}"


def format_date(day: date) -> str:
    """A day alone: "Monday 1 March 2027"."""
    return f"{DAY_NAMES[day.weekday()]} {day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def format_day_of(at: datetime, time_zone: str) -> str:
    """The day a moment falls on in the reader's zone: "Monday 1 March 2027"."""
    return format_date(aware(at).astimezone(zone(time_zone)).date())


def counted(count: int, singular: str, plural: str = "") -> str:
    """A count with its noun agreeing: "1 line", "2 lines", "0 people" (give `plural` when not +s)."""
    return f"{count} {singular if count == 1 else plural or singular + 's'}"


def aware(at: datetime) -> datetime:
    """Refuse naive datetimes: a naive value would silently be read as server-local time."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("datetimes must be timezone-aware (UTC)")
    return at
