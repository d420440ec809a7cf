"""Dates and times typed naturally ("next Tuesday 2pm or Thu 9am", "next Monday"): the one parser.

Pure functions. `now` is aware UTC; day and clock words are read in the person's IANA zone
(an unknown name falls back to Europe/London, as domain.core.timing.zone does) and every result
is aware UTC. A wall time skipped by a spring-forward change moves to the first instant
that exists; a wall time repeated in the autumn is its first occurrence still ahead of `now`.
The individual words (days, dates, clock times) are read by domain.language.when_words;
how they are shown is domain.language.show (`format_time` is re-exported here for older callers).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from domain.core.timing import instants, zone
from domain.language.half import HalfAnswer, complete, has_day
from domain.language.recognize import AnswerError
from domain.language.show import DAY_NAMES, aware, format_date, format_time
from domain.language.when_words import READERS, Parts, normalise

MAX_OPTIONS = 5
_SPLIT = re.compile(r"[;\n,&]|\bor\b|\band\b")


def parse_times(text: str, now: datetime, time_zone: str, held: dict[str, Any] | None = None) -> list[datetime]:
    """One to five start times typed naturally, as sorted, de-duplicated aware UTC instants.

    `held` is what an earlier half answer gave (HalfAnswer.held): a time alone then completes the days
    it named, and days alone complete its time.
    """
    tz, today = _local(now, time_zone)
    pieces = [piece.split() for piece in _SPLIT.split(normalise(text)) if piece.strip()]
    if not pieces:
        raise AnswerError(f"I couldn't read that time. {_example(today)}")
    read = [_read(tokens, today, index if len(pieces) > 1 else None) for index, tokens in enumerate(pieces)]
    parts = complete(read, held)
    if all(part.clock is None for part in parts):
        raise HalfAnswer(days=tuple(sorted({_day_of(part, today) for part in parts if has_day(part)})))
    found = sorted({_resolve(part, today, tz, now) for part in _share(parts, today)})
    if len(found) > MAX_OPTIONS:
        raise AnswerError(
            f"That's {len(found)} times; please offer up to {MAX_OPTIONS} so the choice stays easy. {_example(today)}"
        )
    for at in found:
        _check_window(at, now, tz, today)
    return found


def times_from_form(
    date_text: str, time_text: str, now: datetime, time_zone: str, held: dict[str, Any] | None = None
) -> list[datetime]:
    """The single start time picked on a card form (date "2027-03-09", time "14:00"); `held` as parse_times."""
    tz, today = _local(now, time_zone)
    day, clock = _read_or_none(date_text, today), _read_or_none(time_text, today)
    if date_text.strip() and (day is None or day.clock is not None or not has_day(day)):
        raise AnswerError(f"I couldn't read that date. Try something like '{_next_tuesday(today).isoformat()}'.")
    if time_text.strip() and (clock is None or clock.clock is None or has_day(clock)):
        raise AnswerError("I couldn't read that time. Try something like '14:00' or '2pm'.")
    if day is None and clock is not None:
        if not (held or {}).get("days"):
            raise HalfAnswer(clock=clock.clock)
        return parse_times(time_text, now, time_zone, held)
    if day is not None and clock is None:
        return parse_times(date_text, now, time_zone, held)
    if day is None or clock is None:
        raise AnswerError("Please choose a date and a time.")
    at = _resolve(replace(day, clock=clock.clock), today, tz, now)
    _check_window(at, now, tz, today)
    return [at]


def parse_day(text: str, today: date) -> date:
    """A calendar day typed or picked: "next Monday", "1 March", "2027-03-01", "Monday 1 March 2027", "tomorrow".

    A time typed with it is ignored; without a year, a date is the next one to come (today included).
    """
    parts = _read_or_none(text, today)
    if parts is None or not has_day(parts):
        raise AnswerError(
            f"I couldn't read that date. Try something like 'next Monday', '1 March' or "
            f"'{_next_tuesday(today).isoformat()}'."
        )
    return _day_of(parts, today)


def _local(now: datetime, time_zone: str) -> tuple[ZoneInfo, date]:
    """The person's zone and today's date there."""
    tz = zone(time_zone)
    return tz, aware(now).astimezone(tz).date()


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


def _share(parts: list[Parts], today: date) -> list[Parts]:
    """Let options share a day or time: "Tue 2pm or 4pm", "Tue or Wed 2pm", "2pm or 4pm tomorrow"."""
    shared: list[Parts] = []
    for index, part in enumerate(parts):
        if part.clock is None:  # the next time named, else the one before (some option has one)
            later = [p.clock for p in parts[index + 1 :] if p.clock is not None]
            part = replace(part, clock=later[0] if later else next(p.clock for p in reversed(shared)))
        if not has_day(part):
            source = next((p for p in reversed(shared) if has_day(p)), None) or next(
                (p for p in parts[index + 1 :] if has_day(p)), None
            )
            part = part if source is None else replace(source, clock=part.clock)
        shared.append(part)
    return shared


def _day_of(parts: Parts, today: date) -> date:
    """The day an option names, whatever its time: a weekday is the coming one (today included)."""
    if parts.on is not None:
        if parts.weekday is not None and parts.weekday != parts.on.weekday():
            raise AnswerError(
                f"{format_date(parts.on)} is not a {DAY_NAMES[parts.weekday]}. "
                f"Could you check the day? {_example(today)}"
            )
        return parts.on
    day = today + timedelta(days=(parts.weekday - today.weekday()) % 7) if parts.weekday is not None else today
    if day == today and parts.not_today:
        day += timedelta(weeks=1)
    return day + timedelta(weeks=parts.weeks_later)


def _resolve(parts: Parts, today: date, tz: ZoneInfo, now: datetime) -> datetime:
    """The UTC instant an option means; weekdays and bare times pick the next one ahead."""
    assert parts.clock is not None  # _share gave every option a time
    day = _day_of(parts, today)
    if parts.on is None and day == today and _instant(datetime.combine(day, parts.clock), tz, now) <= now:
        day += timedelta(days=1 if parts.weekday is None else 7)
    return _instant(datetime.combine(day, parts.clock), tz, now)


def _instant(wall: datetime, tz: ZoneInfo, now: datetime) -> datetime:
    """The UTC instant showing `wall` in `tz`: the first still ahead if repeated, gap's end if skipped."""
    found = instants(wall, tz)
    return min([at for at in found if at > now] or found)


def _check_window(at: datetime, now: datetime, tz: ZoneInfo, today: date) -> None:
    """Refuse times already gone and times more than a year ahead."""
    if at <= now:
        raise AnswerError(
            f"{format_time(at, tz.key)} has already passed. Please choose a time that's still ahead. {_example(today)}"
        )
    try:
        limit = now.replace(year=now.year + 1)
    except ValueError:  # 29 February
        limit = now.replace(year=now.year + 1, day=28)
    if at > limit:
        raise AnswerError(
            f"{format_date(at.astimezone(tz).date())} is more than a year away. "
            f"Please choose a time within the next twelve months. {_example(today)}"
        )


def _next_tuesday(today: date) -> date:
    return today + timedelta(days=(1 - today.weekday()) % 7 or 7)


def _example(today: date) -> str:
    """Two example answers, the second the real date of the first."""
    return f"Try something like 'next Tuesday 2pm' or '{_next_tuesday(today).isoformat()} 14:00'."
