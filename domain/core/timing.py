"""Pure timing rules: working hours in a person's own time zone, partnership weeks, lengths.

Every function takes the time it reasons about; `now` values are aware UTC datetimes.
Daylight-saving changes are handled through `zoneinfo`: a start time that falls in a
spring-forward gap moves to the first instant that exists, and a time repeated in the
autumn is taken at its first occurrence still ahead of `now`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

FALLBACK_TIME_ZONE = "Europe/London"
WEEKDAYS = frozenset({0, 1, 2, 3, 4})  # Monday=0
_HOURS = re.compile(r"^\s*(\d{1,2})(?::(\d{2}))?\s*[-–]\s*(\d{1,2})(?::(\d{2}))?\s*$")


@dataclass(frozen=True)
class WorkingHours:
    """When proactive messages may arrive: [start, end) local time on the listed weekdays."""

    start: time = time(9)
    end: time = time(17)
    weekdays: frozenset[int] = WEEKDAYS

    def __post_init__(self) -> None:
        if self.start >= self.end:
            raise ValueError(f"working hours must start before they end (got {self.start:%H:%M}-{self.end:%H:%M})")
        if not self.weekdays or not self.weekdays <= frozenset(range(7)):
            raise ValueError("working weekdays must be a non-empty set of 0 (Monday) to 6 (Sunday)")


def parse_working_hours(text: str) -> WorkingHours:
    """Read "09:00-17:00", "9-17" or "08:30-16:30" as Monday-to-Friday working hours."""
    match = _HOURS.match(text or "")
    if match is None:
        raise ValueError(f"working hours {text!r} should look like 09:00-17:00")
    start = _clock_time(match.group(1), match.group(2), text)
    end = _clock_time(match.group(3), match.group(4), text)
    if start >= end:
        raise ValueError(f"working hours {text!r} must start before they end")
    return WorkingHours(start, end)


def _clock_time(hour: str, minute: str | None, text: str) -> time:
    """One side of a working-hours range, with a message naming the whole input."""
    hours, minutes = int(hour), int(minute or 0)
    if hours > 23 or minutes > 59:
        raise ValueError(f"working hours {text!r} contain a time that does not exist ({hour}:{minute or '00'})")
    return time(hours, minutes)


def zone(time_zone: str) -> ZoneInfo:
    """The named IANA zone, or Europe/London when the name is unknown or malformed."""
    try:
        return ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(FALLBACK_TIME_ZONE)


def local_date(now: datetime, time_zone: str) -> date:
    """The calendar date at `now` in `time_zone`."""
    return _require_aware(now).astimezone(zone(time_zone)).date()


def next_delivery_time(now: datetime, time_zone: str, hours: WorkingHours) -> datetime:
    """`now` if it is within working hours locally, else the next working start (aware UTC)."""
    tz = zone(time_zone)
    local = _require_aware(now).astimezone(tz)
    if local.weekday() in hours.weekdays and hours.start <= local.time() < hours.end:
        return now.astimezone(UTC)
    # Eight days always reach a working weekday again, whichever weekdays are listed.
    for offset in range(8):
        day = local.date() + timedelta(days=offset)
        if day.weekday() not in hours.weekdays:
            continue
        ahead = [instant for instant in instants(datetime.combine(day, hours.start), tz) if instant > now]
        if ahead:
            return min(ahead)
    raise AssertionError("unreachable: a working weekday occurs within eight days")


def instants(wall: datetime, tz: ZoneInfo) -> list[datetime]:
    """The UTC instants showing wall time `wall` in `tz`; in a DST gap, the end of the gap."""
    found = []
    for fold in (0, 1):
        instant = wall.replace(tzinfo=tz, fold=fold).astimezone(UTC)
        if instant.astimezone(tz).replace(tzinfo=None) == wall:
            found.append(instant)
    return found or [_gap_end(wall, tz)]


def _gap_end(wall: datetime, tz: ZoneInfo) -> datetime:
    """The first existing instant after a non-existent wall time (the transition itself)."""
    # fold=1 reads the gap with the later offset (an instant before the change), fold=0
    # with the earlier one (an instant after it); bisect, in whole seconds, to the change.
    before = math.floor(wall.replace(tzinfo=tz, fold=1).timestamp())
    after = math.ceil(wall.replace(tzinfo=tz, fold=0).timestamp())
    offset_after = _offset(after, tz)
    while after - before > 1:
        middle = (before + after) // 2
        if _offset(middle, tz) == offset_after:
            after = middle
        else:
            before = middle
    return datetime.fromtimestamp(after, UTC)


def _offset(seconds: int, tz: ZoneInfo) -> timedelta | None:
    """The UTC offset of `tz` at a POSIX timestamp."""
    return datetime.fromtimestamp(seconds, tz).utcoffset()


def partnership_week(started_on: date, today: date) -> int:
    """Whole weeks since the start: the start day and the six after are week 0."""
    return (today - started_on).days // 7


def length_weeks(months: int) -> int:
    """A partnership length in weeks: 12 months is 52 weeks, 15 months is 65."""
    return round(months * 52 / 12)


def _require_aware(now: datetime) -> datetime:
    """Refuse naive datetimes: every instant in the companion is aware UTC."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware (UTC)")
    return now
