"""Meeting times typed naturally ("next Tuesday 2pm or Thu 9am") and shown in a person's zone.

Pure functions. `now` is aware UTC; day and clock words are read in the person's IANA zone
(an unknown name falls back to Europe/London, as domain.core.timing.zone does) and every result
is aware UTC. A wall time skipped by a spring-forward change moves to the first instant
that exists; a wall time repeated in the autumn is its first occurrence still ahead of `now`.
The individual words (days, dates, clock times) are read by domain.language.when_words.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from domain.core.timing import instants, zone
from domain.language.recognize import AnswerError
from domain.language.when_words import READERS, Parts, normalise

MAX_OPTIONS = 5
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
_SPLIT = re.compile(r"[;\n,&]|\bor\b|\band\b")


def parse_times(text: str, now: datetime, time_zone: str) -> list[datetime]:
    """One to five start times typed naturally, as sorted, de-duplicated aware UTC instants."""
    tz, today = _local(now, time_zone)
    pieces = [piece.split() for piece in _SPLIT.split(normalise(text)) if piece.strip()]
    if not pieces:
        raise AnswerError(f"I couldn't read that time. {_example(today)}")
    parts = [_read(tokens, today, index if len(pieces) > 1 else None) for index, tokens in enumerate(pieces)]
    found = sorted({_resolve(part, today, tz, now) for part in _share(parts, today)})
    if len(found) > MAX_OPTIONS:
        raise AnswerError(
            f"That's {len(found)} times; please offer up to {MAX_OPTIONS} so the choice stays easy. {_example(today)}"
        )
    for at in found:
        _check_window(at, now, tz, today)
    return found


def times_from_form(date_text: str, time_text: str, now: datetime, time_zone: str) -> list[datetime]:
    """The single start time picked on a card form (date "2027-03-09", time "14:00")."""
    tz, today = _local(now, time_zone)
    if not date_text.strip():
        raise AnswerError("Please choose a date for the meeting.")
    if not time_text.strip():
        raise AnswerError("Please choose a time for the meeting.")
    day, clock = _read_or_none(date_text, today), _read_or_none(time_text, today)
    if day is None or day.clock is not None or not _has_day(day):
        raise AnswerError(f"I couldn't read that date. Try something like '{_next_tuesday(today).isoformat()}'.")
    if clock is None or clock.clock is None or _has_day(clock):
        raise AnswerError("I couldn't read that time. Try something like '14:00' or '2pm'.")
    at = _resolve(replace(day, clock=clock.clock), today, tz, now)
    _check_window(at, now, tz, today)
    return [at]


def format_time(at: datetime, time_zone: str) -> str:
    """A start time in the person's zone, e.g. "Tuesday 9 March, 2:00pm (Europe/London)"."""
    tz = zone(time_zone)
    local = _aware(at).astimezone(tz)
    return f"{DAY_NAMES[local.weekday()]} {local.day} {MONTH_NAMES[local.month - 1]}, {_clock(local)} ({tz.key})"


def format_time_short(at: datetime, time_zone: str) -> str:
    """A compact start time in the person's zone, e.g. "Tue 9 Mar, 2:00pm"."""
    local = _aware(at).astimezone(zone(time_zone))
    return f"{DAY_NAMES[local.weekday()][:3]} {local.day} {MONTH_NAMES[local.month - 1][:3]}, {_clock(local)}"


def _clock(local: datetime) -> str:
    """12-hour clock with am/pm: noon is 12:00pm, midnight 12:00am."""
    return f"{local.hour % 12 or 12}:{local.minute:02d}{'am' if local.hour < 12 else 'pm'}"


def _local(now: datetime, time_zone: str) -> tuple[ZoneInfo, date]:
    """The person's zone and today's date there."""
    tz = zone(time_zone)
    return tz, _aware(now).astimezone(tz).date()


def _aware(at: datetime) -> datetime:
    """Refuse naive datetimes: a naive value would silently be read as server-local time."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("datetimes must be timezone-aware (UTC)")
    return at


def _read(tokens: list[str], today: date, position: int | None = None) -> Parts:
    """The day and time one option names, read token by token."""
    parts, index = Parts(), 0
    unreadable = AnswerError(
        f"I couldn't read {'that time' if position is None else f'option {position + 1}'}. {_example(today)}"
    )
    while index < len(tokens):
        found = next((hit for reader in READERS if (hit := reader(tokens, index, today))), None)
        if found is None:
            raise unreadable
        parts, index = _merge(parts, found[0], today), index + found[1]
    if parts == Parts():
        raise unreadable
    return parts


def _read_or_none(text: str, today: date) -> Parts | None:
    """One form field read like a typed option, or None when it cannot be read."""
    try:
        return _read(normalise(text).split(), today)
    except AnswerError:
        return None


def _merge(parts: Parts, more: Parts, today: date) -> Parts:
    """Combine what two readers found, refusing two days or two times in one option."""
    if any(getattr(parts, f) is not None and getattr(more, f) is not None for f in ("on", "weekday", "clock")):
        raise AnswerError(
            "I found two days or two times in one option. Please separate options with "
            f"'or' or put each on its own line. {_example(today)}"
        )
    return Parts(
        more.on or parts.on,
        parts.weekday if more.weekday is None else more.weekday,
        parts.not_today or more.not_today,
        parts.weeks_later + more.weeks_later,
        parts.clock if more.clock is None else more.clock,
    )


def _has_day(parts: Parts) -> bool:
    return parts.on is not None or parts.weekday is not None


def _share(parts: list[Parts], today: date) -> list[Parts]:
    """Let options share a day or time: "Tue 2pm or 4pm", "Tue or Wed 2pm", "2pm or 4pm tomorrow"."""
    shared: list[Parts] = []
    for index, part in enumerate(parts):
        if part.clock is None:
            clock = next((p.clock for p in parts[index + 1 :] if p.clock is not None), None)
            if clock is None:
                raise AnswerError(f"What time on that day would suit? Please add a time. {_example(today)}")
            part = replace(part, clock=clock)
        if not _has_day(part):
            source = next((p for p in reversed(shared) if _has_day(p)), None) or next(
                (p for p in parts[index + 1 :] if _has_day(p)), None
            )
            part = part if source is None else replace(source, clock=part.clock)
        shared.append(part)
    return shared


def _resolve(parts: Parts, today: date, tz: ZoneInfo, now: datetime) -> datetime:
    """The UTC instant an option means; weekdays and bare times pick the next one ahead."""
    assert parts.clock is not None  # _share gave every option a time
    if parts.on is not None:
        if parts.weekday is not None and parts.weekday != parts.on.weekday():
            raise AnswerError(
                f"{_long_date(parts.on)} is a {DAY_NAMES[parts.on.weekday()]}, "
                f"not a {DAY_NAMES[parts.weekday]}. Could you check the day? {_example(today)}"
            )
        return _instant(datetime.combine(parts.on, parts.clock), tz, now)
    target = today.weekday() if parts.weekday is None else parts.weekday
    day = today + timedelta(days=(target - today.weekday()) % 7)
    if day == today and (parts.not_today or _instant(datetime.combine(day, parts.clock), tz, now) <= now):
        day += timedelta(days=1 if parts.weekday is None else 7)
    day += timedelta(weeks=parts.weeks_later)
    return _instant(datetime.combine(day, parts.clock), tz, now)


def _instant(wall: datetime, tz: ZoneInfo, now: datetime) -> datetime:
    """The UTC instant showing `wall` in `tz`: the first still ahead if repeated, gap's end if skipped."""
    found = instants(wall, tz)
    return min([at for at in found if at > now] or found)


def _check_window(at: datetime, now: datetime, tz: ZoneInfo, today: date) -> None:
    """Refuse times already gone and times more than a year ahead."""
    if at <= now:
        raise AnswerError(
            f"{format_time_short(at, tz.key)} has already passed. "
            f"Please choose a time that's still ahead. {_example(today)}"
        )
    try:
        limit = now.replace(year=now.year + 1)
    except ValueError:  # 29 February
        limit = now.replace(year=now.year + 1, day=28)
    if at > limit:
        raise AnswerError(
            f"{_long_date(at.astimezone(tz).date())} is more than a year away. "
            f"Please choose a time within the next twelve months. {_example(today)}"
        )


def _long_date(day: date) -> str:
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def _next_tuesday(today: date) -> date:
    return today + timedelta(days=(1 - today.weekday()) % 7 or 7)


def _example(today: date) -> str:
    """Two example answers, the second the real date of the first."""
    return f"Try something like 'next Tuesday 2pm' or '{_next_tuesday(today).isoformat()} 14:00'."
