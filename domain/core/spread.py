"""Spread, don't stampede: each person's place in their own working window.

Scheduled messages used to be due at the window's start, so a tick that planned for
everyone made every message due at 09:00. Instead each person has a fixed fraction of
the window, taken from their participant id (Fibonacci hashing spreads consecutive ids
evenly), and their unprompted messages arrive at that point of their local working day.
Pure functions of `now`; aware UTC in and out; daylight saving through `zoneinfo`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from domain.core.timing import WorkingHours, instants, zone

_GOLDEN = 0x9E3779B97F4A7C15  # 2**64 / golden ratio: consecutive ids land far apart
_SPAN = 2**64


def place_in_window(participant_id: int) -> float:
    """This person's fraction of the working window, in [0, 1), the same every day."""
    return (participant_id * _GOLDEN % _SPAN) / _SPAN


@lru_cache(maxsize=4096)
def working_window(day: date, time_zone: str, hours: WorkingHours) -> tuple[datetime, datetime] | None:
    """The UTC instants the working day `day` starts and ends in `time_zone`; None if not a working day."""
    if day.weekday() not in hours.weekdays:
        return None
    tz = zone(time_zone)
    # The earliest instant showing the start, the latest showing the end: on a day whose
    # clocks change inside the window, the window is simply an hour longer or shorter.
    start = min(instants(datetime.combine(day, hours.start), tz))
    end = max(instants(datetime.combine(day, hours.end), tz))
    return (start, end) if start < end else None


def spread_delivery_time(now: datetime, time_zone: str, hours: WorkingHours, participant_id: int) -> datetime:
    """When a message planned at `now` reaches this person, inside their next working window.

    Their own point of the window when it is still ahead; if `now` is already past it,
    the same fraction of what is left of today's window (so late planning spreads too).
    """
    fraction = place_in_window(participant_id)
    start, end = next_window(now, time_zone, hours)
    slot = start + (end - start) * fraction
    at = slot if slot >= now else now + (end - now) * fraction
    # Whole seconds read better in the outbox; never earlier than now.
    return max(at.replace(microsecond=0), now).astimezone(UTC)


@lru_cache(maxsize=1024)
def next_window(now: datetime, time_zone: str, hours: WorkingHours) -> tuple[datetime, datetime]:
    """The first working window in `time_zone`, from the local day of `now` on, that has not ended at `now`
    (the same for everyone a tick plans for in one zone: worked out once)."""
    today = now.astimezone(zone(time_zone)).date()
    for offset in range(9):  # a working weekday always comes within eight days
        window = working_window(today + timedelta(days=offset), time_zone, hours)
        if window is not None and window[1] > now:
            return window
    raise AssertionError("unreachable: a working weekday occurs within eight days")


def next_working_day_slot(after: date, time_zone: str, hours: WorkingHours, participant_id: int) -> datetime:
    """This person's point of the first working window on a day after `after` (their local date)."""
    day = after + timedelta(days=1)
    midnight = min(instants(datetime.combine(day, datetime.min.time()), zone(time_zone)))
    return spread_delivery_time(midnight, time_zone, hours, participant_id)
