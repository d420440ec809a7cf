"""Enrolment rules: which answers and time zones can be used, and when a draft is complete."""

from __future__ import annotations

from dataclasses import replace
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from domain.core.model import GROUP_TITLES
from domain.enrolment.model import (
    FORMAT_TITLES,
    MAX_ANSWER_LENGTH,
    RHYTHM_TITLES,
    EnrolmentDraft,
    EnrolmentError,
)

TIME_ZONE_ALIASES = {
    "uk": "Europe/London",
    "london": "Europe/London",
    "gmt": "Europe/London",
    "bst": "Europe/London",
    "england": "Europe/London",
    "utc": "UTC",
}
NOT_PLACES = {"localtime", "factory", "posixrules"}


def clean_answer(text: str) -> str:
    """A profile answer, trimmed; empty or overlong answers are refused."""
    answer = text.strip()
    if not answer:
        raise EnrolmentError("Please write a few words, even a short answer is fine.")
    if len(answer) > MAX_ANSWER_LENGTH:
        raise EnrolmentError(f"That's a little long: please keep it under {MAX_ANSWER_LENGTH} characters.")
    return answer


def with_answer(draft: EnrolmentDraft, index: int, answer: str) -> EnrolmentDraft:
    """A copy of the draft with answer `index` set (answers fill in order)."""
    answers = list(draft.answers) + [""] * (index + 1 - len(draft.answers))
    answers[index] = clean_answer(answer)
    return replace(draft, answers=answers)


def parse_time_zone(text: str) -> str:
    """An IANA time zone name from what a person typed ("London", "europe/london", "UTC")."""
    raw = text.strip()
    alias = TIME_ZONE_ALIASES.get(raw.lower())
    if alias:
        return alias
    by_lower = {name.lower(): name for name in available_timezones() if name.lower() not in NOT_PLACES}
    name = by_lower.get(raw.lower().replace(" ", "_"))
    if name is None:
        raise EnrolmentError("I don't recognise that time zone. Try a name like Europe/London or Asia/Kolkata.")
    ZoneInfo(name)  # proves it loads on this machine
    return name


def is_complete(draft: EnrolmentDraft) -> bool:
    """True when every field needed to enrol has a valid value."""
    try:
        ZoneInfo(draft.time_zone)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a zone folder such as "Europe"
        return False
    return (
        draft.group in GROUP_TITLES
        and draft.rhythm in RHYTHM_TITLES
        and draft.format in FORMAT_TITLES
        and len(draft.answers) == len(draft.questions)
        and all(a.strip() for a in draft.answers)
    )
