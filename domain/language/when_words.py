"""The words of a typed meeting time: day words, dates and clock times, read token by token.

Pure functions used by domain.language.when. Each reader looks at the tokens from one position and
says what it found (a `Parts`) and how many tokens it used, or None when the words there are
not its kind; `READERS` lists them in the order they are tried.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time, timedelta

from domain.language.recognize import MONTHS

_WEEKDAYS = {
    name: number
    for number, names in enumerate(
        (
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed", "weds"),
            ("thursday", "thu", "thur", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        )
    )
    for name in names
}
_COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4}
_FILLERS = {"at", "on", "the", "of", "either", "from"}
_AMPM = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?([ap])m")
_CLOCK = re.compile(r"(\d{1,2})[:.](\d{2})(?::\d{2})?")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NUMERIC = re.compile(r"(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?|(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})")
_DAY_NUMBER = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?")


@dataclass(frozen=True)
class Parts:
    """What one option names: a fixed date and/or a weekday, and a wall-clock time."""

    on: date | None = None
    weekday: int | None = None
    not_today: bool = False  # "next Monday" and "Monday week" never mean today
    weeks_later: int = 0  # "Monday week": a week after the coming Monday
    clock: time | None = None


_Hit = tuple[Parts, int] | None  # what a reader found and how many tokens it used


def normalise(text: str) -> str:
    """Lower case with the punctuation people add folded away; separators are kept."""
    text = re.sub(r"\([^)]*\)", " ", text.lower())  # "(Europe/London)" as format_time shows it
    text = re.sub(r"(\d{4}-\d{1,2}-\d{1,2})t(?=\d)", r"\1 ", text)
    text = re.sub(r"(\d)\s*([ap])\.?\s?m\b\.?", r"\1\2m", text)  # "2 p.m." -> "2pm"
    text = re.sub(r",\s*(\d{4})(?![-/.:\d])", r" \1", text)  # "March 12, 2027" keeps its year
    text = re.sub(r"[.!?]+(?=\s|$)|[\"'’“”]", " ", text)  # full stops, but not "14.00"
    return text.replace("@", " at ")


def _filler(tokens: list[str], i: int, today: date) -> _Hit:
    """Little words that change nothing ("at" before a bare hour is read by _time first)."""
    return (Parts(), 1) if tokens[i] in _FILLERS else None


def _named_day(tokens: list[str], i: int, today: date) -> _Hit:
    """today, tomorrow."""
    days = {"today": 0, "tomorrow": 1, "tomorow": 1, "tmrw": 1}
    return (Parts(on=today + timedelta(days=days[tokens[i]])), 1) if tokens[i] in days else None


def _weekday(tokens: list[str], i: int, today: date) -> _Hit:
    """[next|this|next week] Tuesday [week|next week]."""
    words = tokens[i:] + [""] * 3
    prefix = 2 if words[:2] == ["next", "week"] else 1 if words[0] in ("next", "this") else 0
    if words[prefix] not in _WEEKDAYS:
        return None
    day = _WEEKDAYS[words[prefix]]
    suffix = 2 if words[prefix + 1 : prefix + 3] == ["next", "week"] else 1 if words[prefix + 1] == "week" else 0
    if prefix and suffix:
        return None
    used = prefix + 1 + suffix
    if prefix == 2 or suffix == 2:  # a day in the next calendar week (Monday to Sunday)
        return Parts(on=today + timedelta(days=7 - today.weekday() + day), weekday=day), used
    return Parts(weekday=day, not_today=words[0] == "next" or suffix == 1, weeks_later=suffix), used


def _in_days(tokens: list[str], i: int, today: date) -> _Hit:
    """in 3 days, in 2 weeks, in a week."""
    words = tokens[i : i + 3]
    if len(words) < 3 or words[0] != "in" or words[2] not in ("day", "days", "week", "weeks"):
        return None
    count = _COUNTS.get(words[1]) or (int(words[1]) if re.fullmatch(r"\d{1,3}", words[1]) else None)
    if count is None:
        return None
    return Parts(on=today + timedelta(days=count * (7 if words[2].startswith("week") else 1))), 3


def _numeric_date(tokens: list[str], i: int, today: date) -> _Hit:
    """2027-03-09, 9/3, 9/3/2027, 9.3.27 (UK order: day first)."""
    if iso := _ISO.fullmatch(tokens[i]):
        return _date_hit(int(iso[1]), int(iso[2]), int(iso[3]), today, 1)
    if uk := _NUMERIC.fullmatch(tokens[i]):
        day, month, year = (uk[1], uk[2], uk[3]) if uk[1] else (uk[4], uk[5], uk[6])
        full_year = None if year is None else int(year) + (2000 if len(year) == 2 else 0)
        return _date_hit(full_year, int(month), int(day), today, 1)
    return None


def _word_date(tokens: list[str], i: int, today: date) -> _Hit:
    """12 March, 12th of Mar 2027, March 12, March 12th 2027."""
    words, skipped = [*tokens[i : i + 4], "", "", ""], 0
    if words[1] == "of":
        words, skipped = [words[0], *words[2:]], 1
    for number, name in ((words[0], words[1]), (words[1], words[0])):
        if (match := _DAY_NUMBER.fullmatch(number)) and name in MONTHS:
            year = int(words[2]) if re.fullmatch(r"\d{4}", words[2]) else None
            return _date_hit(year, MONTHS[name], int(match[1]), today, skipped + (2 if year is None else 3))
    return None


def _date_hit(year: int | None, month: int, day: int, today: date, used: int) -> _Hit:
    """A date; without a year, the next time that day comes round (today included)."""
    for candidate in (year,) if year is not None else (today.year, today.year + 1):
        try:
            found = date(candidate, month, day)
        except ValueError:
            continue
        if year is not None or found >= today:
            return Parts(on=found), used
    return None


def _time(tokens: list[str], i: int, today: date) -> _Hit:
    """2pm, 2:30pm, 14:00, 14.00, noon, 12 noon, at 10."""
    word, after = tokens[i], ([*tokens[i + 1 :], ""])[0]
    if word in ("noon", "midday") or (word == "12" and after in ("noon", "midday")):
        return Parts(clock=time(12)), 1 if word != "12" else 2
    if word == "at" and re.fullmatch(r"\d{1,2}", after):
        clock = _clock_time(int(after), 0, None, padded=after.startswith("0"))
        return None if clock is None else (Parts(clock=clock), 2)
    if match := _AMPM.fullmatch(word) or _CLOCK.fullmatch(word):
        suffix = match[3] if match.re is _AMPM else None
        clock = _clock_time(int(match[1]), int(match[2] or 0), suffix, padded=match[1].startswith("0"))
        return None if clock is None else (Parts(clock=clock), 1)
    return None


def _clock_time(hour: int, minute: int, suffix: str | None, padded: bool) -> time | None:
    """A wall-clock time; an unpadded 1 to 6 without am/pm is afternoon (nobody meets at 3am)."""
    if suffix is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if suffix == "p" else 0)
    elif 1 <= hour <= 6 and not padded:
        hour += 12
    return time(hour, minute) if hour <= 23 and minute <= 59 else None


# _time comes first so that "at 10" is a time, not the filler "at" followed by an unreadable "10".
READERS = (_time, _filler, _named_day, _weekday, _in_days, _numeric_date, _word_date)
